from django.urls import path

from partsmall.organizations import apis

urlpatterns = [
    path("organization/", apis.OrganizationApi.as_view(), name="api-organization"),
    path("memberships/", apis.MembershipsApi.as_view(), name="api-memberships"),
    path("members/", apis.MembersApi.as_view(), name="api-members"),
    path("members/<int:pk>/", apis.MemberApi.as_view(), name="api-member"),
    path("applications/", apis.ApplicationsApi.as_view(), name="api-applications"),
    path("applications/<int:pk>/", apis.ApplicationApi.as_view(), name="api-application"),
    path(
        "applications/<int:pk>/resubmit/",
        apis.ApplicationResubmitApi.as_view(),
        name="api-application-resubmit",
    ),
    path("platform/applications/", apis.PlatformApplicationsApi.as_view(), name="api-platform-applications"),
    path(
        "platform/applications/<int:pk>/approve/",
        apis.PlatformApplicationApproveApi.as_view(),
        name="api-platform-application-approve",
    ),
    path(
        "platform/applications/<int:pk>/reject/",
        apis.PlatformApplicationRejectApi.as_view(),
        name="api-platform-application-reject",
    ),
    path(
        "platform/organizations/", apis.PlatformOrganizationsApi.as_view(), name="api-platform-organizations"
    ),
]
