from django.urls import path

from partsmall.catalog import views

app_name = "catalog"
urlpatterns = [
    path("catalog/offers/", views.offers, name="offers"),
    path("catalog/offers/new/", views.offer_create, name="offer_create"),
    path("catalog/offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("catalog/offers/listing/", views.offers_listing, name="offers_listing"),
    path("catalog/offers/export/", views.offers_export, name="offers_export"),
    path("catalog/parts/lookup/", views.part_lookup, name="part_lookup"),
    path("platform/catalog/categories/", views.platform_categories, name="platform_categories"),
    path("platform/catalog/categories/new/", views.platform_category_create, name="platform_category_create"),
    path(
        "platform/catalog/categories/<int:pk>/edit/",
        views.platform_category_edit,
        name="platform_category_edit",
    ),
    path("platform/catalog/brands/", views.platform_brands, name="platform_brands"),
    path("platform/catalog/brands/new/", views.platform_brand_create, name="platform_brand_create"),
    path("platform/catalog/brands/<int:pk>/edit/", views.platform_brand_edit, name="platform_brand_edit"),
    path("platform/catalog/parts/", views.platform_parts, name="platform_parts"),
    path("platform/catalog/review/", views.platform_review, name="platform_review"),
]
