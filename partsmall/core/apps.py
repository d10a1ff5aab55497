from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partsmall.core"
    label = "core"
