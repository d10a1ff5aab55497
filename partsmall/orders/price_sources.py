"""How an order line's or a cart price's source reads, for the supplier and for the buyer.

The supplier sees where each price came from: its customer group or contract price list
by name. The buyer sees the kind of price (标准价, 客户组价, 协议价 …) and, for a
contract, which one (its own agreement); a customer group's name and id are the
supplier's internal words and never reach the buyer (as the cart's price tags:
buying_tags.price_source_tag)."""

from typing import TYPE_CHECKING, Any

from partsmall.pricing.models import PriceSource

if TYPE_CHECKING:
    from partsmall.orders.models import OrderLine

HIDDEN: dict[str, Any] = {"ref_type": "", "ref_id": None, "ref_label": ""}


def buyer_sees_reference(source: str) -> bool:
    """A contract's reference is the buyer's own agreement; any other is the supplier's."""
    return source == PriceSource.CONTRACT


def line_references_for_buyer(line: "OrderLine") -> dict[str, Any]:
    """An order line's price_ref_* fields as the buyer's API shows them."""
    if buyer_sees_reference(line.price_source):
        return {
            "price_ref_type": line.price_ref_type,
            "price_ref_id": line.price_ref_id,
            "price_ref_label": line.price_ref_label,
        }
    return {f"price_{name}": value for name, value in HIDDEN.items()}


def price_source_text(source: str, ref_label: str, *, for_supplier: bool) -> str:
    """标准价 / 客户组价 · 华南连锁门店 (优惠 5%) / 协议价 · 2026 年度协议价 (≥1 件) …"""
    name = str(PriceSource(source).label) if source in PriceSource.values else source
    shown = ref_label if for_supplier or buyer_sees_reference(source) else ""
    return f"{name} · {shown}" if shown else name
