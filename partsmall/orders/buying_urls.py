"""Routes of the shop's buying pages (included by orders/urls.py, namespace "orders")."""

from django.urls import path

from partsmall.orders import buying_views as views

urlpatterns = [
    path("cart/", views.cart_page, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/offers/", views.cart_offers, name="cart_offers"),
    path("cart/remove/", views.cart_remove_selected, name="cart_remove_selected"),
    path("cart/save-list/", views.cart_save_list, name="cart_save_list"),
    path("cart/lines/<int:pk>/", views.cart_line_update, name="cart_line_update"),
    path("cart/lines/<int:pk>/remove/", views.cart_line_remove, name="cart_line_remove"),
    path("checkout/", views.checkout_page, name="checkout"),
    path("checkouts/<int:pk>/", views.checkout_detail, name="checkout_detail"),
    path("approvals/", views.approvals_page, name="approvals"),
    path("approvals/<int:pk>/approve/", views.approval_approve, name="approval_approve"),
    path("approvals/<int:pk>/reject/", views.approval_reject, name="approval_reject"),
    path("addresses/", views.addresses_page, name="addresses"),
    path("addresses/new/", views.address_create, name="address_create"),
    path("addresses/<int:pk>/edit/", views.address_edit, name="address_edit"),
    path("addresses/<int:pk>/delete/", views.address_delete, name="address_delete"),
    path("addresses/<int:pk>/default/", views.address_default, name="address_default"),
    path("purchase-lists/", views.purchase_lists_page, name="purchase_lists"),
    path("purchase-lists/<int:pk>/", views.purchase_list_detail, name="purchase_list_detail"),
    path("purchase-lists/<int:pk>/to-cart/", views.purchase_list_to_cart, name="purchase_list_to_cart"),
    path("purchase-lists/<int:pk>/delete/", views.purchase_list_delete, name="purchase_list_delete"),
    path(
        "purchase-lists/<int:pk>/remove-line/",
        views.purchase_list_remove_line,
        name="purchase_list_remove_line",
    ),
    path("quick-order/", views.quick_order_page, name="quick_order"),
    path("quick-order/template/", views.quick_order_template, name="quick_order_template"),
]
