from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "partsmall.organizations"
    label = "organizations"
