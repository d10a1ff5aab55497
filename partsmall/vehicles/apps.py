from django.apps import AppConfig


class VehiclesConfig(AppConfig):
    name = "partsmall.vehicles"
    label = "vehicles"
