from django.urls import path

from partsmall.inventory import views

app_name = "inventory"

urlpatterns = [
    path("inventory/warehouses/", views.warehouses, name="warehouses"),
    path("inventory/warehouses/new/", views.warehouse_create, name="warehouse_create"),
    path("inventory/warehouses/<int:pk>/edit/", views.warehouse_edit, name="warehouse_edit"),
    path("inventory/warehouses/<int:pk>/stocktake/", views.stocktake_new, name="stocktake_new"),
    path("inventory/stock/", views.levels, name="levels"),
    path("inventory/stock/receive/", views.receive, name="receive"),
    path("inventory/stock/<int:pk>/", views.level_detail, name="level_detail"),
    path("inventory/stock/<int:pk>/adjust/", views.level_adjust, name="level_adjust"),
    path("inventory/stock/<int:pk>/threshold/", views.level_threshold, name="level_threshold"),
    path("inventory/movements/", views.movements, name="movements"),
    path("inventory/low-stock/", views.low_stock, name="low_stock"),
    path("inventory/stocktakes/", views.stocktakes, name="stocktakes"),
    path("inventory/stocktakes/<int:pk>/", views.stocktake_detail, name="stocktake_detail"),
    path("inventory/imports/", views.imports, name="imports"),
    path("inventory/imports/new/", views.import_upload, name="import_upload"),
    path("inventory/imports/template/", views.import_template, name="import_template"),
    path("inventory/imports/export/", views.stock_export, name="stock_export"),
    path("inventory/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("inventory/imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("inventory/imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("inventory/imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("inventory/imports/<int:pk>/report/", views.import_report, name="import_report"),
]
