from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "partsmall.integrations"
    label = "integrations"
