from django.urls import path

from partsmall.catalog import import_apis as apis

urlpatterns = [
    path("imports/", apis.ImportsApi.as_view(), name="api-imports"),
    path("imports/templates/<str:kind>/", apis.ImportTemplateApi.as_view(), name="api-import-template"),
    path("imports/<int:pk>/", apis.ImportApi.as_view(), name="api-import"),
    path("imports/<int:pk>/apply/", apis.ImportApplyApi.as_view(), name="api-import-apply"),
    path("imports/<int:pk>/report/", apis.ImportReportApi.as_view(), name="api-import-report"),
    path("offers/export/", apis.OffersExportApi.as_view(), name="api-offers-export"),
]
