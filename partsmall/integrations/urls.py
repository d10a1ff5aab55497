from django.urls import path

from partsmall.integrations import views

app_name = "integrations"
urlpatterns = [
    path("settings/api-keys/", views.api_keys, name="api_keys"),
    path("settings/api-keys/new/", views.api_key_create, name="api_key_create"),
    path("settings/api-keys/<int:pk>/revoke/", views.api_key_revoke, name="api_key_revoke"),
    path(
        "platform/organizations/<int:pk>/suspend/",
        views.organization_suspend,
        name="organization_suspend",
    ),
    path(
        "platform/organizations/<int:pk>/reactivate/",
        views.organization_reactivate,
        name="organization_reactivate",
    ),
]
