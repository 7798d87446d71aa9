from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "nordesk.sla"
    label = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from . import events  # noqa: F401 - registers the event handlers
