from django.urls import path

from partsmall.core import views

app_name = "core"
urlpatterns = [
    path("legal/privacy/", views.privacy, name="privacy"),
    path("legal/terms/", views.terms, name="terms"),
    path("dev/inbox/", views.developer_inbox, name="developer_inbox"),
]
