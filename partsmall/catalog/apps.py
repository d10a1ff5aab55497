from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "partsmall.catalog"
    label = "catalog"
