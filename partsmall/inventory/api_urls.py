from django.urls import URLPattern, URLResolver, path

from partsmall.inventory import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("inventory/warehouses/", apis.WarehousesApi.as_view(), name="api-warehouses"),
    path("inventory/warehouses/<int:pk>/", apis.WarehouseApi.as_view(), name="api-warehouse"),
    path("inventory/stock-levels/", apis.StockLevelsApi.as_view(), name="api-stock-levels"),
    path("inventory/stock-levels/low/", apis.LowStockApi.as_view(), name="api-stock-levels-low"),
    path("inventory/stock-levels/<int:pk>/", apis.StockLevelApi.as_view(), name="api-stock-level"),
    path(
        "inventory/stock-levels/<int:pk>/adjust/",
        apis.StockLevelAdjustApi.as_view(),
        name="api-stock-level-adjust",
    ),
    path("inventory/receipts/", apis.ReceiptsApi.as_view(), name="api-stock-receipts"),
    path("inventory/movements/", apis.MovementsApi.as_view(), name="api-stock-movements"),
    path("inventory/stocktakes/", apis.StocktakesApi.as_view(), name="api-stocktakes"),
    path("inventory/stocktakes/<int:pk>/", apis.StocktakeApi.as_view(), name="api-stocktake"),
    path("inventory/imports/", apis.StockImportsApi.as_view(), name="api-stock-imports"),
    path("inventory/imports/<int:pk>/", apis.StockImportApi.as_view(), name="api-stock-import"),
    path(
        "inventory/imports/<int:pk>/apply/", apis.StockImportApplyApi.as_view(), name="api-stock-import-apply"
    ),
    path(
        "inventory/imports/<int:pk>/report/",
        apis.StockImportReportApi.as_view(),
        name="api-stock-import-report",
    ),
]
