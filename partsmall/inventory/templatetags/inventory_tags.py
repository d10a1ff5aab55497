"""Movement kinds as tags, signed deltas, and a movement's reference as people read it."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from partsmall.inventory.models import MovementKind, StockMovement

register = template.Library()

# Goods in green, goods out blue, held for an order orange, corrections grey.
_KIND_COLOURS: dict[str, str] = {
    MovementKind.RECEIPT: "green",
    MovementKind.RETURN: "green",
    MovementKind.SHIPMENT: "blue",
    MovementKind.RESERVATION: "orange",
    MovementKind.RELEASE: "grey",
    MovementKind.ADJUSTMENT: "grey",
    MovementKind.STOCKTAKE: "grey",
}

_REF_TYPES = {
    "order_line": _("订单"),
    "shipment": _("发货单"),
    "return_request": _("退货"),
    "stocktake": _("盘点"),
    "import_job": _("库存表导入"),
    "manual_receipt": _("手工入库"),
}


@register.simple_tag
def movement_tag(kind: str) -> SafeString:
    label = MovementKind(kind).label if kind in MovementKind.values else kind
    return format_html(
        '<span class="pm-tag pm-tag-{}" data-testid="movement-kind">{}</span>',
        _KIND_COLOURS.get(kind, "grey"),
        label,
    )


@register.filter
def signed(value: int) -> str:
    """+5, −3, or — for no change."""
    if not value:
        return "—"
    return f"+{value}" if value > 0 else f"−{abs(value)}"


@register.filter
def ref_text(movement: StockMovement) -> str:
    """What caused a movement: its label (an order number …), else its type and id."""
    if movement.ref_label:
        return movement.ref_label
    kind = _REF_TYPES.get(movement.ref_type, movement.ref_type)
    if movement.ref_id:
        return f"{kind} #{movement.ref_id}"
    return str(kind or "—")


@register.filter
def ref_type_text(ref_type: str) -> str:
    return str(_REF_TYPES.get(ref_type, ref_type))
