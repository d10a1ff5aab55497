"""Django admin: read-only. Groups, lists and their prices change through the supplier's
pages and the pricing services (which check buyers, offers and prices)."""

from django.contrib import admin

from partsmall.organizations.admin import ReadOnlyAdmin, ReadOnlyInline
from partsmall.pricing.models import (
    ContractPrice,
    ContractPriceList,
    CustomerGroup,
    CustomerGroupMember,
    GroupPrice,
)


class MemberInline(ReadOnlyInline):
    model = CustomerGroupMember
    fields = ("buyer", "created_at")
    readonly_fields = fields


class GroupPriceInline(ReadOnlyInline):
    model = GroupPrice
    fields = ("offer", "price", "updated_at")
    readonly_fields = fields


@admin.register(CustomerGroup)
class CustomerGroupAdmin(ReadOnlyAdmin):
    list_display = ("name", "supplier", "basis", "tier", "discount_percent", "is_active")
    list_filter = ("basis", "tier", "is_active")
    search_fields = ("name", "supplier__name")
    inlines = (MemberInline, GroupPriceInline)


class ContractPriceInline(ReadOnlyInline):
    model = ContractPrice
    fields = ("offer", "min_quantity", "price", "updated_at")
    readonly_fields = fields


@admin.register(ContractPriceList)
class ContractPriceListAdmin(ReadOnlyAdmin):
    list_display = ("name", "supplier", "buyer", "valid_from", "valid_until", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "supplier__name", "buyer__name")
    date_hierarchy = "valid_from"
    inlines = (ContractPriceInline,)
