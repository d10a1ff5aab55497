"""Django admin: read-mostly. Status changes, members and reviews go through the pages
and their services (events, audit rows, messages); the admin only looks, and fixes
plain details in an emergency."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from partsmall.organizations.models import (
    Application,
    ApplicationEvent,
    AuditLog,
    Membership,
    Organization,
    OrganizationEvent,
    Region,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


class MembershipInline(ReadOnlyInline):
    model = Membership
    fk_name = "organization"
    fields = ("user", "role", "is_active", "created_at", "removed_at")
    readonly_fields = fields


class OrganizationEventInline(ReadOnlyInline):
    model = OrganizationEvent
    fields = ("created_at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "status", "tier", "credit_code", "contact_name", "created_at")
    list_filter = ("kind", "status", "tier")
    search_fields = ("name", "credit_code", "contact_phone")
    # Status changes need their event row and notices: organization_set_status only.
    readonly_fields = ("status", "credit_code", "kind", "lifecycle_stage", "first_order_at", "created_at")
    raw_id_fields = ("province", "city", "district")
    inlines = (MembershipInline, OrganizationEventInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organization", "role", "is_active", "created_at", "removed_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__phone", "user__name", "organization__name")


class ApplicationEventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ("created_at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("organization", "applicant", "status", "channel", "attempt", "submitted_at", "decided_at")
    list_filter = ("status", "channel", "organization__kind")
    search_fields = ("organization__name", "organization__credit_code", "applicant__phone")
    inlines = (ApplicationEventInline,)


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "organization", "actor", "action", "target")
    list_filter = ("action",)
    search_fields = ("target", "organization__name", "actor__phone")
