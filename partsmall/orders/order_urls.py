"""Routes of supplier orders, shipments and after-sales pages (namespace "orders", included
by orders/urls.py): /sales/… the supplier's, /purchase/… the buyer's, /platform/… staff."""

from django.urls import path

from partsmall.orders import order_views, return_views

urlpatterns = [
    path("home/figures/", order_views.home_figures, name="home_figures"),
    path("sales/orders/", order_views.sales_orders, name="sales_orders"),
    path("sales/orders/to-confirm/", order_views.sales_to_confirm, name="sales_to_confirm"),
    path("sales/orders/to-ship/", order_views.sales_to_ship, name="sales_to_ship"),
    path("sales/orders/export/", order_views.sales_orders_export, name="sales_orders_export"),
    path("sales/orders/<int:pk>/", order_views.sales_order, name="sales_order"),
    path("sales/orders/<int:pk>/confirm/", order_views.sales_order_confirm, name="sales_order_confirm"),
    path("sales/orders/<int:pk>/reject/", order_views.sales_order_reject, name="sales_order_reject"),
    path("sales/orders/<int:pk>/ship/", order_views.sales_order_ship, name="sales_order_ship"),
    path("sales/returns/", return_views.sales_returns, name="sales_returns"),
    path("sales/returns/<int:pk>/", return_views.sales_return, name="sales_return"),
    path("sales/returns/<int:pk>/approve/", return_views.sales_return_approve, name="sales_return_approve"),
    path("sales/returns/<int:pk>/reject/", return_views.sales_return_reject, name="sales_return_reject"),
    path("sales/returns/<int:pk>/receive/", return_views.sales_return_receive, name="sales_return_receive"),
    path("purchase/orders/", order_views.purchase_orders, name="purchase_orders"),
    path("purchase/orders/export/", order_views.purchase_orders_export, name="purchase_orders_export"),
    path("purchase/orders/<int:pk>/", order_views.purchase_order, name="purchase_order"),
    path("purchase/orders/<int:pk>/cancel/", order_views.purchase_order_cancel, name="purchase_order_cancel"),
    path(
        "purchase/orders/<int:pk>/declare-transfer/",
        order_views.purchase_order_declare_transfer,
        name="purchase_order_declare_transfer",
    ),
    path(
        "purchase/orders/<int:pk>/confirm-delivery/",
        order_views.purchase_order_confirm_delivery,
        name="purchase_order_confirm_delivery",
    ),
    path(
        "purchase/order-lines/<int:pk>/return/",
        return_views.purchase_return_create,
        name="purchase_return_create",
    ),
    path("purchase/returns/", return_views.purchase_returns, name="purchase_returns"),
    path("purchase/returns/<int:pk>/", return_views.purchase_return, name="purchase_return"),
    path(
        "purchase/returns/<int:pk>/dispute/",
        return_views.purchase_return_dispute,
        name="purchase_return_dispute",
    ),
    path(
        "purchase/returns/<int:pk>/ship-back/",
        return_views.purchase_return_ship_back,
        name="purchase_return_ship_back",
    ),
    path(
        "purchase/returns/<int:pk>/cancel/",
        return_views.purchase_return_cancel,
        name="purchase_return_cancel",
    ),
    path("returns/photos/<int:pk>/", return_views.return_photo, name="return_photo"),
    path("platform/orders/payments/", order_views.platform_payments, name="platform_payments"),
    path("platform/orders/<int:pk>/", order_views.platform_order, name="platform_order"),
    path(
        "platform/orders/<int:pk>/mark-paid/",
        order_views.platform_order_mark_paid,
        name="platform_order_mark_paid",
    ),
    path(
        "platform/orders/<int:pk>/reject-transfer/",
        order_views.platform_order_transfer_reject,
        name="platform_order_transfer_reject",
    ),
    path("platform/returns/", return_views.platform_returns, name="platform_returns"),
    path("platform/returns/doesnt-fit/", return_views.platform_doesnt_fit, name="platform_doesnt_fit"),
    path("platform/returns/<int:pk>/", return_views.platform_return, name="platform_return"),
    path(
        "platform/returns/<int:pk>/arbitrate/",
        return_views.platform_return_arbitrate,
        name="platform_return_arbitrate",
    ),
]
