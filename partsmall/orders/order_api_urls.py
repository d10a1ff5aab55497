"""API routes of supplier orders and after-sales (under /api/v1/, included by api_urls.py)."""

from django.urls import path

from partsmall.orders import order_apis, return_apis

urlpatterns = [
    path("sales/orders/", order_apis.SalesOrdersApi.as_view(), name="api-sales-orders"),
    path("sales/orders/export/", order_apis.SalesOrdersExportApi.as_view(), name="api-sales-orders-export"),
    path("sales/orders/<int:pk>/", order_apis.SalesOrderApi.as_view(), name="api-sales-order"),
    path(
        "sales/orders/<int:pk>/confirm/",
        order_apis.SalesOrderConfirmApi.as_view(),
        name="api-sales-order-confirm",
    ),
    path(
        "sales/orders/<int:pk>/reject/",
        order_apis.SalesOrderRejectApi.as_view(),
        name="api-sales-order-reject",
    ),
    path(
        "sales/orders/<int:pk>/shipments/",
        order_apis.SalesOrderShipmentsApi.as_view(),
        name="api-sales-order-shipments",
    ),
    path("sales/returns/", return_apis.SalesReturnsApi.as_view(), name="api-sales-returns"),
    path("sales/returns/<int:pk>/", return_apis.SalesReturnApi.as_view(), name="api-sales-return"),
    path(
        "sales/returns/<int:pk>/approve/",
        return_apis.SalesReturnApproveApi.as_view(),
        name="api-sales-return-approve",
    ),
    path(
        "sales/returns/<int:pk>/reject/",
        return_apis.SalesReturnRejectApi.as_view(),
        name="api-sales-return-reject",
    ),
    path(
        "sales/returns/<int:pk>/receive/",
        return_apis.SalesReturnReceiveApi.as_view(),
        name="api-sales-return-receive",
    ),
    path("purchase/orders/", order_apis.PurchaseOrdersApi.as_view(), name="api-purchase-orders"),
    path(
        "purchase/orders/export/",
        order_apis.PurchaseOrdersExportApi.as_view(),
        name="api-purchase-orders-export",
    ),
    path("purchase/orders/<int:pk>/", order_apis.PurchaseOrderApi.as_view(), name="api-purchase-order"),
    path(
        "purchase/orders/<int:pk>/cancel/",
        order_apis.PurchaseOrderCancelApi.as_view(),
        name="api-purchase-order-cancel",
    ),
    path(
        "purchase/orders/<int:pk>/declare-transfer/",
        order_apis.PurchaseOrderDeclareTransferApi.as_view(),
        name="api-purchase-order-declare-transfer",
    ),
    path(
        "purchase/orders/<int:pk>/confirm-delivery/",
        order_apis.PurchaseOrderConfirmDeliveryApi.as_view(),
        name="api-purchase-order-confirm-delivery",
    ),
    path(
        "purchase/order-lines/<int:pk>/returns/",
        return_apis.PurchaseLineReturnsApi.as_view(),
        name="api-purchase-line-returns",
    ),
    path("purchase/returns/", return_apis.PurchaseReturnsApi.as_view(), name="api-purchase-returns"),
    path("purchase/returns/<int:pk>/", return_apis.PurchaseReturnApi.as_view(), name="api-purchase-return"),
    path(
        "purchase/returns/<int:pk>/dispute/",
        return_apis.PurchaseReturnDisputeApi.as_view(),
        name="api-purchase-return-dispute",
    ),
    path(
        "purchase/returns/<int:pk>/ship-back/",
        return_apis.PurchaseReturnShipBackApi.as_view(),
        name="api-purchase-return-ship-back",
    ),
    path(
        "purchase/returns/<int:pk>/cancel/",
        return_apis.PurchaseReturnCancelApi.as_view(),
        name="api-purchase-return-cancel",
    ),
    path("platform/orders/payments/", order_apis.PlatformPaymentsApi.as_view(), name="api-platform-payments"),
    path("platform/orders/<int:pk>/", order_apis.PlatformOrderApi.as_view(), name="api-platform-order"),
    path(
        "platform/orders/<int:pk>/mark-paid/",
        order_apis.PlatformOrderMarkPaidApi.as_view(),
        name="api-platform-order-mark-paid",
    ),
    path(
        "platform/orders/<int:pk>/reject-transfer/",
        order_apis.PlatformOrderTransferRejectApi.as_view(),
        name="api-platform-order-reject-transfer",
    ),
    path("platform/returns/", return_apis.PlatformReturnsApi.as_view(), name="api-platform-returns"),
    path(
        "platform/returns/doesnt-fit/parts/",
        return_apis.PlatformDoesntFitPartsApi.as_view(),
        name="api-platform-doesnt-fit-parts",
    ),
    path(
        "platform/returns/doesnt-fit/fitments/",
        return_apis.PlatformDoesntFitFitmentsApi.as_view(),
        name="api-platform-doesnt-fit-fitments",
    ),
    path("platform/returns/<int:pk>/", return_apis.PlatformReturnApi.as_view(), name="api-platform-return"),
    path(
        "platform/returns/<int:pk>/arbitrate/",
        return_apis.PlatformReturnArbitrateApi.as_view(),
        name="api-platform-return-arbitrate",
    ),
]
