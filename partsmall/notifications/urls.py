from django.urls import path

from partsmall.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.message, name="message"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
]
