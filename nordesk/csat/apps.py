from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CsatConfig(AppConfig):
    name = "nordesk.csat"
    label = "csat"
    verbose_name = _("Customer satisfaction")

    def ready(self) -> None:
        from . import events  # noqa: F401 - registers the event handlers
