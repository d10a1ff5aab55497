"""Prices as ¥1,234.50 and the catalogue's tags, one look everywhere (UI.md)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from partsmall.catalog.models import Grade, ReviewStatus
from partsmall.core.money import format_cny

register = template.Library()

# One colour per meaning: genuine parts stand out, used parts are grey.
_GRADE_COLOURS: dict[str, str] = {
    Grade.GENUINE: "blue",
    Grade.BRAND: "green",
    Grade.AFTERMARKET: "orange",
    Grade.USED: "grey",
}
_REVIEW_COLOURS: dict[str, str] = {
    ReviewStatus.APPROVED: "green",
    ReviewStatus.PENDING: "orange",
    ReviewStatus.REJECTED: "red",
}


@register.filter
def cny(value: object) -> str:
    """¥1,234.50; empty for no amount."""
    if value is None or value == "":
        return ""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return ""
    return format_cny(amount)


def _tag(colour: str, label: object, testid: str) -> SafeString:
    return format_html('<span class="pm-tag pm-tag-{}" data-testid="{}">{}</span>', colour, testid, label)


@register.simple_tag
def grade_tag(grade: str) -> SafeString:
    label = Grade(grade).label if grade in Grade.values else grade
    return _tag(_GRADE_COLOURS.get(grade, "grey"), label, "grade-tag")


@register.simple_tag
def review_tag(status: str) -> SafeString:
    label = ReviewStatus(status).label if status in ReviewStatus.values else status
    return _tag(_REVIEW_COLOURS.get(status, "grey"), label, "review-tag")


@register.simple_tag
def listing_tag(is_listed: bool) -> SafeString:
    return _tag("green", _("已上架"), "status-tag") if is_listed else _tag("grey", _("已下架"), "status-tag")
