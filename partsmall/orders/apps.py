from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "partsmall.orders"
    label = "orders"
