from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nordesk.core"
    label = "core"
