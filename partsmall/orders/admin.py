"""Django admin: read-only. Carts, checkouts, orders and returns change through the pages
and their services (stock reservations, events, approvals are written there)."""

from django.contrib import admin

from partsmall.orders.models import (
    Address,
    ApprovalRule,
    Cart,
    CartLine,
    Checkout,
    OrderEvent,
    OrderLine,
    PurchaseList,
    PurchaseListLine,
    ReturnEvent,
    ReturnPhoto,
    ReturnRequest,
    Shipment,
    ShipmentLine,
    SupplierOrder,
)
from partsmall.organizations.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(Address)
class AddressAdmin(ReadOnlyAdmin):
    list_display = ("organization", "label", "contact_name", "contact_phone", "province", "is_default")
    list_select_related = ("organization", "province")
    search_fields = ("organization__name", "contact_name", "contact_phone")


class CartLineInline(ReadOnlyInline):
    model = CartLine
    fields = ("offer", "quantity", "added_by", "created_at")
    readonly_fields = fields


@admin.register(Cart)
class CartAdmin(ReadOnlyAdmin):
    list_display = ("organization", "updated_at")
    list_select_related = ("organization",)
    inlines = [CartLineInline]


class PurchaseListLineInline(ReadOnlyInline):
    model = PurchaseListLine
    fields = ("offer", "quantity")
    readonly_fields = fields


@admin.register(PurchaseList)
class PurchaseListAdmin(ReadOnlyAdmin):
    list_display = ("name", "organization", "created_by", "created_at")
    list_select_related = ("organization", "created_by")
    inlines = [PurchaseListLineInline]


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(ReadOnlyAdmin):
    list_display = ("organization", "threshold", "is_active", "created_at")
    list_filter = ("is_active",)
    list_select_related = ("organization",)


class SupplierOrderInline(ReadOnlyInline):
    model = SupplierOrder
    fields = ("number", "supplier", "status", "payment_status", "goods_total")
    readonly_fields = fields


@admin.register(Checkout)
class CheckoutAdmin(ReadOnlyAdmin):
    list_display = ("id", "buyer", "total", "approval_status", "created_by", "created_at")
    list_filter = ("approval_status",)
    list_select_related = ("buyer", "created_by")
    search_fields = ("buyer__name", "idempotency_key")
    inlines = [SupplierOrderInline]


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("sku", "part_number", "part_name", "quantity", "unit_price", "price_source", "amount")
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("created_at", "from_status", "to_status", "from_payment_status", "to_payment_status", "actor")
    readonly_fields = fields


@admin.register(SupplierOrder)
class SupplierOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "buyer", "supplier", "status", "payment_status", "goods_total", "created_at")
    list_filter = ("status", "payment_status")
    list_select_related = ("buyer", "supplier")
    search_fields = ("number", "buyer__name", "supplier__name")
    inlines = [OrderLineInline, OrderEventInline]


class ShipmentLineInline(ReadOnlyInline):
    model = ShipmentLine
    fields = ("line", "quantity")
    readonly_fields = fields


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ("order", "warehouse", "carrier", "tracking_number", "created_at")
    list_select_related = ("order", "warehouse")
    search_fields = ("order__number", "tracking_number")
    inlines = [ShipmentLineInline]


class ReturnPhotoInline(ReadOnlyInline):
    model = ReturnPhoto
    fields = ("image", "created_at")
    readonly_fields = fields


class ReturnEventInline(ReadOnlyInline):
    model = ReturnEvent
    fields = ("created_at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ReadOnlyAdmin):
    list_display = ("line", "quantity", "reason", "status", "created_at")
    list_filter = ("reason", "status")
    list_select_related = ("line",)
    inlines = [ReturnPhotoInline, ReturnEventInline]
