from django.contrib.auth import views as auth_views
from django.urls import path

from partsmall.core.access import declare

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        declare(auth_views.LoginView.as_view(), permission=None, scope="public"),
        name="login",
    ),
    path("logout/", declare(auth_views.LogoutView.as_view(), permission=None, scope="public"), name="logout"),
    path(
        "password/",
        declare(auth_views.PasswordChangeView.as_view(), permission=None, scope="authenticated"),
        name="password_change",
    ),
]
