from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nordesk.api"
    label = "api"
