from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "partsmall.accounts"
    label = "accounts"
