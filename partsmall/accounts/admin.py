from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from partsmall.accounts.models import Consent, LoginAttempt, SmsCode, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["-date_joined"]
    list_display = ["phone", "name", "is_active", "is_staff", "date_joined", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["phone", "name", "email"]
    fieldsets = (
        (None, {"fields": ("phone", "password")}),
        (_("个人信息"), {"fields": ("name", "email")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("phone", "password1", "password2")}),)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept as evidence: looked at, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SmsCode)
class SmsCodeAdmin(ReadOnlyAdmin):
    list_display = ["phone", "purpose", "ip", "created_at", "expires_at", "used_at", "attempts"]
    list_filter = ["purpose"]
    search_fields = ["phone", "ip"]
    exclude = ["code_hash"]


@admin.register(LoginAttempt)
class LoginAttemptAdmin(ReadOnlyAdmin):
    list_display = ["phone", "ip", "succeeded", "created_at"]
    list_filter = ["succeeded"]
    search_fields = ["phone", "ip"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["user", "document", "version", "accepted_at", "ip"]
    list_filter = ["document", "version"]
    search_fields = ["user__phone"]
