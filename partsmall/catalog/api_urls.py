from django.urls import path

from partsmall.catalog import apis

urlpatterns = [
    path("offers/", apis.OffersApi.as_view(), name="api-offers"),
    path("offers/bulk-listing/", apis.OffersListingApi.as_view(), name="api-offers-bulk-listing"),
    path("offers/<int:pk>/", apis.OfferApi.as_view(), name="api-offer"),
    path("categories/", apis.CategoriesApi.as_view(), name="api-categories"),
    path("brands/", apis.BrandsApi.as_view(), name="api-brands"),
    path("platform/categories/", apis.PlatformCategoriesApi.as_view(), name="api-platform-categories"),
    path("platform/categories/<int:pk>/", apis.PlatformCategoryApi.as_view(), name="api-platform-category"),
    path("platform/brands/", apis.PlatformBrandsApi.as_view(), name="api-platform-brands"),
    path("platform/brands/<int:pk>/", apis.PlatformBrandApi.as_view(), name="api-platform-brand"),
    path("platform/review/", apis.PlatformReviewApi.as_view(), name="api-platform-review"),
]
