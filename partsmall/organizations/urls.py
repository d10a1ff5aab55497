from django.urls import path

from partsmall.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.home, name="home"),
    path("switch/", views.switch, name="switch"),
    path("regions/", views.regions, name="regions"),
    path("apply/", views.apply, name="apply"),
    path("application/", views.application_status, name="application_status"),
    path("application/edit/", views.application_edit, name="application_edit"),
    path("licence/<int:pk>/", views.licence, name="licence"),
    path("settings/profile/", views.profile, name="profile"),
    path("settings/profile/edit/", views.profile_edit, name="profile_edit"),
    path("settings/members/", views.members, name="members"),
    path("settings/members/invite/", views.member_invite, name="member_invite"),
    path("settings/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("settings/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("platform/applications/", views.review_queue, name="review_queue"),
    path("platform/applications/<int:pk>/", views.review_detail, name="review_detail"),
    path("platform/applications/<int:pk>/approve/", views.review_approve, name="review_approve"),
    path("platform/applications/<int:pk>/reject/", views.review_reject, name="review_reject"),
    path("platform/organizations/", views.platform_orgs, name="platform_orgs"),
    path("platform/organizations/<int:pk>/", views.platform_org_detail, name="platform_org_detail"),
]
