from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "partsmall.search"
    label = "search"
