from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailChannelConfig(AppConfig):
    name = "nordesk.connectors.email"
    label = "mail"
    verbose_name = _("Email channel")

    def ready(self) -> None:
        from . import events  # noqa: F401 - registers the event handlers
