"""Status tags of orders and return requests, one colour per meaning everywhere (UI.md):
orange waits for someone, blue in progress, green done, red refused, grey closed."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from partsmall.orders.exports import PURCHASE
from partsmall.orders.models import OrderLine, ReturnRequest, SupplierOrder
from partsmall.orders.price_sources import price_source_text

register = template.Library()

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus
RStatus = ReturnRequest.Status

_ORDER_COLOURS: dict[str, str] = {
    Status.AWAITING_APPROVAL: "orange",
    Status.SUBMITTED: "orange",
    Status.CONFIRMED: "blue",
    Status.PARTIALLY_SHIPPED: "blue",
    Status.SHIPPED: "blue",
    Status.DELIVERED: "green",
    Status.COMPLETED: "green",
    Status.CANCELLED: "grey",
    Status.CLOSED: "grey",
}
_PAYMENT_COLOURS: dict[str, str] = {
    Payment.UNPAID: "orange",
    Payment.AWAITING_CONFIRMATION: "orange",
    Payment.PAID: "green",
    Payment.ON_ACCOUNT: "blue",
}
_RETURN_COLOURS: dict[str, str] = {
    RStatus.REQUESTED: "orange",
    RStatus.APPROVED: "blue",
    RStatus.REJECTED: "red",
    RStatus.DISPUTED: "orange",
    RStatus.SHIPPED_BACK: "blue",
    RStatus.RECEIVED: "green",
    RStatus.CANCELLED: "grey",
}


def _tag(colour: str, label: object, testid: str) -> SafeString:
    return format_html('<span class="pm-tag pm-tag-{}" data-testid="{}">{}</span>', colour, testid, label)


@register.simple_tag
def order_status_tag(order: SupplierOrder) -> SafeString:
    # An order its supplier rejected is a refusal (red); one the buyer cancelled is closed.
    colour = (
        "red"
        if order.status == Status.CANCELLED and order.reject_reason
        else _ORDER_COLOURS.get(order.status, "grey")
    )
    return _tag(colour, order.get_status_display(), "status-tag")


@register.simple_tag
def payment_tag(order: SupplierOrder) -> SafeString:
    # Nothing is waiting for a payment any more once the order is cancelled or closed.
    ended = order.status in {Status.CANCELLED, Status.CLOSED}
    colour = "grey" if ended else _PAYMENT_COLOURS.get(order.payment_status, "grey")
    return _tag(colour, order.get_payment_status_display(), "payment-tag")


@register.simple_tag
def return_status_tag(request: ReturnRequest) -> SafeString:
    return _tag(
        _RETURN_COLOURS.get(request.status, "grey"), request.get_status_display(), "return-status-tag"
    )


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None


@register.simple_tag
def line_price_source(line: OrderLine, side: str) -> str:
    """The line's price source as its side may read it (the buyer never sees a customer
    group's name)."""
    return price_source_text(line.price_source, line.price_ref_label, for_supplier=side != PURCHASE)
