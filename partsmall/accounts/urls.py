from django.urls import path

from partsmall.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register_view, name="register"),
    path("password/", views.password_change_view, name="password_change"),
    path("password/reset/", views.password_reset_view, name="password_reset"),
    path("sms-code/", views.sms_code_view, name="sms_code"),
    path("captcha/", views.captcha_view, name="captcha"),
]
