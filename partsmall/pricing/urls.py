from django.urls import URLPattern, URLResolver, path

from partsmall.pricing import views

app_name = "pricing"

urlpatterns: list[URLPattern | URLResolver] = [
    path("pricing/groups/", views.groups, name="groups"),
    path("pricing/groups/new/", views.group_create, name="group_create"),
    path("pricing/groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("pricing/groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("pricing/groups/<int:pk>/delete/", views.group_delete, name="group_delete"),
    path("pricing/groups/<int:pk>/members/", views.group_member_add, name="group_member_add"),
    path("pricing/group-members/<int:pk>/remove/", views.group_member_remove, name="group_member_remove"),
    path("pricing/groups/<int:pk>/prices/", views.group_price_set, name="group_price_set"),
    path("pricing/group-prices/<int:pk>/remove/", views.group_price_remove, name="group_price_remove"),
    path("pricing/contracts/", views.contracts, name="contracts"),
    path("pricing/contracts/new/", views.contract_create, name="contract_create"),
    path("pricing/contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("pricing/contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("pricing/contracts/<int:pk>/delete/", views.contract_delete, name="contract_delete"),
    path("pricing/contracts/<int:pk>/lines/", views.contract_line_add, name="contract_line_add"),
    path("pricing/contract-lines/<int:pk>/remove/", views.contract_line_remove, name="contract_line_remove"),
    path("pricing/price-check/", views.price_check, name="price_check"),
    path("pricing/buyers/lookup/", views.buyer_lookup, name="buyer_lookup"),
]
