from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "partsmall.integrations"
    label = "integrations"

    def ready(self) -> None:
        # Registers the API-key scheme with drf-spectacular.
        from partsmall.integrations import schema  # noqa: F401
