from django.urls import path

from partsmall.integrations import apis

urlpatterns = [
    path("api-keys/", apis.ApiKeysApi.as_view(), name="api-api-keys"),
    path("api-keys/<int:pk>/revoke/", apis.ApiKeyRevokeApi.as_view(), name="api-api-key-revoke"),
    path(
        "platform/organizations/<int:pk>/suspend/",
        apis.PlatformOrganizationSuspendApi.as_view(),
        name="api-platform-organization-suspend",
    ),
    path(
        "platform/organizations/<int:pk>/reactivate/",
        apis.PlatformOrganizationReactivateApi.as_view(),
        name="api-platform-organization-reactivate",
    ),
]
