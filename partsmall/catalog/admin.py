"""Django admin: read-only. Parts, offers and reviews change through the pages and their
services (search tokens, offer summaries and audit rows are written there)."""

from django.contrib import admin

from partsmall.catalog.models import Brand, Category, Fitment, OeNumber, Offer, Part, PartLink
from partsmall.organizations.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "parent", "initials", "sort")
    search_fields = ("name", "code", "initials")


@admin.register(Brand)
class BrandAdmin(ReadOnlyAdmin):
    list_display = ("name", "name_en", "name_norm", "is_oe")
    list_filter = ("is_oe",)
    search_fields = ("name", "name_en", "name_norm")


class OeNumberInline(ReadOnlyInline):
    model = OeNumber
    fields = ("oe_brand", "number", "number_norm", "review_status", "source_organization")
    readonly_fields = fields


@admin.register(Part)
class PartAdmin(ReadOnlyAdmin):
    list_display = (
        "brand",
        "number",
        "name",
        "category",
        "review_status",
        "offer_count",
        "min_price",
        "is_demo",
    )
    list_filter = ("review_status", "is_demo", "category")
    search_fields = ("number_norm", "name")
    list_select_related = ("brand", "category")
    inlines = [OeNumberInline]


@admin.register(PartLink)
class PartLinkAdmin(ReadOnlyAdmin):
    list_display = ("from_part", "kind", "to_part", "review_status")
    list_filter = ("kind", "review_status")
    list_select_related = ("from_part__brand", "to_part__brand")


@admin.register(Fitment)
class FitmentAdmin(ReadOnlyAdmin):
    list_display = ("part", "vehicle_type", "position", "quantity", "review_status", "source_organization")
    list_filter = ("review_status", "position")
    list_select_related = ("part__brand", "vehicle_type__model__make", "source_organization")


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ("supplier", "sku", "part", "grade", "price", "stock_quantity", "is_listed")
    list_filter = ("grade", "is_listed")
    search_fields = ("sku", "part__number_norm")
    list_select_related = ("supplier", "part__brand")
