"""How an order line's or a cart price's source reads, for the supplier and for the buyer.

The supplier sees where each price came from: its customer group or contract price list
by name. The buyer sees the kind of price (标准价, 客户组价, 协议价 …) and, for a
contract, which one (its own agreement); a customer group's name and id are the
supplier's internal words and never reach the buyer (as the cart's price tags:
buying_tags.price_source_tag)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from partsmall.pricing.models import PriceSource

if TYPE_CHECKING:
    from partsmall.orders.models import OrderLine


@dataclass(frozen=True)
class Reference:
    ref_type: str
    ref_id: int | None
    ref_label: str


HIDDEN = Reference("", None, "")


def for_buyer(source: str, reference: Reference) -> Reference:
    """The reference as the buyer may see it: a contract's whole, any other's blank."""
    return reference if source == PriceSource.CONTRACT else HIDDEN


def line_references_for_buyer(line: "OrderLine") -> dict[str, Any]:
    """An order line's price_ref_* fields as the buyer's API shows them."""
    shown = for_buyer(
        line.price_source, Reference(line.price_ref_type, line.price_ref_id, line.price_ref_label)
    )
    return {
        "price_ref_type": shown.ref_type,
        "price_ref_id": shown.ref_id,
        "price_ref_label": shown.ref_label,
    }


def price_source_text(source: str, ref_label: str, *, for_supplier: bool) -> str:
    """标准价 / 客户组价 · 华南连锁门店 (优惠 5%) / 协议价 · 2026 年度协议价 (≥1 件) …"""
    name = str(PriceSource(source).label) if source in PriceSource.values else source
    if not for_supplier:
        ref_label = for_buyer(source, Reference("", None, ref_label)).ref_label
    return f"{name} · {ref_label}" if ref_label else name
