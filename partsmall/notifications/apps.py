from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "partsmall.notifications"
    label = "notifications"
