from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "partsmall.inventory"
    label = "inventory"
