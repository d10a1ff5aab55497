from django.urls import path

from partsmall.search import views

app_name = "search"
urlpatterns = [
    path("search/", views.index, name="index"),
    path("search/parts/<int:pk>/", views.part, name="part"),
]
