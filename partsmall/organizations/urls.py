from django.urls import path

from partsmall.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.home, name="home"),
]
