"""API routes of buying (under /api/v1/, included by orders/api_urls.py)."""

from django.urls import path

from partsmall.orders import buying_apis as apis

urlpatterns = [
    path("cart/", apis.CartApi.as_view(), name="api-cart"),
    path("cart/lines/", apis.CartLinesApi.as_view(), name="api-cart-lines"),
    path("cart/lines/<int:pk>/", apis.CartLineApi.as_view(), name="api-cart-line"),
    path("cart/quick-order/", apis.QuickOrderMatchApi.as_view(), name="api-quick-order-match"),
    path("addresses/", apis.AddressesApi.as_view(), name="api-addresses"),
    path("addresses/<int:pk>/", apis.AddressApi.as_view(), name="api-address"),
    path("checkouts/", apis.CheckoutsApi.as_view(), name="api-checkouts"),
    path("checkouts/<int:pk>/", apis.CheckoutApi.as_view(), name="api-checkout"),
    path("approvals/", apis.ApprovalsApi.as_view(), name="api-approvals"),
    path("approvals/rule/", apis.ApprovalRuleApi.as_view(), name="api-approval-rule"),
    path("approvals/<int:pk>/approve/", apis.ApprovalApproveApi.as_view(), name="api-approval-approve"),
    path("approvals/<int:pk>/reject/", apis.ApprovalRejectApi.as_view(), name="api-approval-reject"),
]
