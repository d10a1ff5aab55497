from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data and the running of the embedded default; sits above every other app."""

    name = "partsmall.demo"
    label = "demo"
    verbose_name = _("演示数据")
