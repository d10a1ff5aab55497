from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "partsmall.pricing"
    label = "pricing"
