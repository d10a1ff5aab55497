from django.urls import path

from partsmall.catalog import import_views as views

app_name = "catalog_imports"
urlpatterns = [
    path("catalog/imports/", views.index, name="index"),
    path("catalog/imports/new/", views.upload, name="upload"),
    path("catalog/imports/template/", views.template, name="template"),
    path("catalog/imports/<int:pk>/", views.detail, name="detail"),
    path("catalog/imports/<int:pk>/progress/", views.progress, name="progress"),
    path("catalog/imports/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("catalog/imports/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("catalog/imports/<int:pk>/report/", views.report, name="report"),
    path("platform/catalog/imports/", views.platform_index, name="platform_index"),
    path("platform/catalog/imports/new/", views.platform_upload, name="platform_upload"),
    path("platform/catalog/imports/template/", views.platform_template, name="platform_template"),
    path("platform/catalog/imports/<int:pk>/", views.platform_detail, name="platform_detail"),
    path("platform/catalog/imports/<int:pk>/progress/", views.platform_progress, name="platform_progress"),
    path("platform/catalog/imports/<int:pk>/confirm/", views.platform_confirm, name="platform_confirm"),
    path("platform/catalog/imports/<int:pk>/cancel/", views.platform_cancel, name="platform_cancel"),
    path("platform/catalog/imports/<int:pk>/report/", views.platform_report, name="platform_report"),
]
