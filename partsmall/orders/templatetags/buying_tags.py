"""Tags of the buying pages: approval status, price source, availability (UI.md colours:
orange waits for someone, green done, red refused, grey closed, blue informs)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partsmall.catalog.models import Offer
from partsmall.orders.models import Checkout
from partsmall.orders.price_sources import buyer_sees_reference
from partsmall.pricing.models import PriceSource

register = template.Library()

Approval = Checkout.ApprovalStatus

_APPROVAL_COLOURS: dict[str, str] = {
    Approval.NOT_REQUIRED: "grey",
    Approval.PENDING: "orange",
    Approval.APPROVED: "green",
    Approval.REJECTED: "red",
    Approval.EXPIRED: "grey",
}
_SOURCE_COLOURS: dict[str, str] = {
    PriceSource.CONTRACT: "blue",
    PriceSource.GROUP: "green",
    PriceSource.QUOTE: "orange",
}


def _tag(colour: str, label: object, testid: str) -> SafeString:
    return format_html('<span class="pm-tag pm-tag-{}" data-testid="{}">{}</span>', colour, testid, label)


@register.simple_tag
def approval_tag(checkout: Checkout) -> SafeString:
    colour = _APPROVAL_COLOURS.get(checkout.approval_status, "grey")
    return _tag(colour, checkout.get_approval_status_display(), "approval-tag")


@register.simple_tag
def price_source_tag(source: str, label: str = "") -> SafeString:
    """Nothing for the standard price; the source otherwise, with its reference as a
    tooltip for a contract only (the buyer's own agreement: a customer group's name is
    the supplier's internal word, never shown to the buyer)."""
    if not source or source == PriceSource.STANDARD:
        return SafeString("")
    name = PriceSource(source).label if source in PriceSource.values else source
    label = label if buyer_sees_reference(source) else ""
    return format_html(
        '<span class="pm-tag pm-tag-{}" title="{}" data-testid="price-source">{}</span>',
        _SOURCE_COLOURS.get(source, "grey"),
        label,
        name,
    )


@register.simple_tag
def availability_tag(offer: Offer) -> SafeString:
    """In stock with the available count, 按单生产 with the lead time, or out of stock."""
    if offer.made_to_order:
        days = ngettext("%(days)s 天", "%(days)s 天", offer.lead_time_days) % {"days": offer.lead_time_days}
        return _tag("blue", _("按单生产 · 交期 %(days)s") % {"days": days}, "availability")
    if offer.stock_quantity > 0:
        return _tag("green", _("库存 %(n)s") % {"n": f"{offer.stock_quantity:,}"}, "availability")
    return _tag("grey", _("无货"), "availability")
