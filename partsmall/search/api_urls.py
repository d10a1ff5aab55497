from django.urls import path

from partsmall.search import apis

urlpatterns = [
    path("search/parts/", apis.SearchPartsApi.as_view(), name="api-search-parts"),
    path("parts/<int:pk>/", apis.PartDetailApi.as_view(), name="api-part"),
]
