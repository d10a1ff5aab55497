from django.urls import URLPattern, URLResolver, include, path

app_name = "orders"

urlpatterns: list[URLPattern | URLResolver] = [
    # Supplier orders, shipments, after-sales (lifecycle).
    path("", include("partsmall.orders.order_urls")),
    # Cart, checkout, approvals, address book, purchase lists, quick order (checkout).
    path("", include("partsmall.orders.buying_urls")),
]
