from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    # Supplier orders, shipments, after-sales (lifecycle).
    path("", include("partsmall.orders.order_api_urls")),
    # Cart, addresses, checkout, approvals (checkout).
    path("", include("partsmall.orders.buying_api_urls")),
]
