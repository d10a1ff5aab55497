from django.urls import path

from partsmall.accounts import apis

urlpatterns = [
    path("auth/sms-codes/", apis.SmsCodeCreateApi.as_view(), name="api-auth-sms-codes"),
    path("me/", apis.MeApi.as_view(), name="api-me"),
]
