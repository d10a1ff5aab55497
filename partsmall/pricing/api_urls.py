from django.urls import URLPattern, URLResolver, path

from partsmall.pricing import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("pricing/customer-groups/", apis.GroupsApi.as_view(), name="api-pricing-groups"),
    path("pricing/customer-groups/<int:pk>/", apis.GroupApi.as_view(), name="api-pricing-group"),
    path(
        "pricing/customer-groups/<int:pk>/members/",
        apis.GroupMembersApi.as_view(),
        name="api-pricing-group-members",
    ),
    path(
        "pricing/customer-group-members/<int:pk>/",
        apis.GroupMemberApi.as_view(),
        name="api-pricing-group-member",
    ),
    path(
        "pricing/customer-groups/<int:pk>/prices/",
        apis.GroupPricesApi.as_view(),
        name="api-pricing-group-prices",
    ),
    path("pricing/group-prices/<int:pk>/", apis.GroupPriceApi.as_view(), name="api-pricing-group-price"),
    path("pricing/contracts/", apis.ContractsApi.as_view(), name="api-pricing-contracts"),
    path("pricing/contracts/<int:pk>/", apis.ContractApi.as_view(), name="api-pricing-contract"),
    path(
        "pricing/contracts/<int:pk>/lines/",
        apis.ContractLinesApi.as_view(),
        name="api-pricing-contract-lines",
    ),
    path(
        "pricing/contract-lines/<int:pk>/", apis.ContractLineApi.as_view(), name="api-pricing-contract-line"
    ),
    path("pricing/price-check/", apis.PriceCheckApi.as_view(), name="api-pricing-price-check"),
    path("pricing/buyers/", apis.BuyersApi.as_view(), name="api-pricing-buyers"),
]
