"""The buyer's price and its source, one look everywhere (search, part page, cart, orders)."""

from collections.abc import Mapping
from datetime import date

from django import template
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partsmall.catalog.models import Offer
from partsmall.pricing.models import ContractPriceList, ListStatus, PriceSource
from partsmall.pricing.resolver import ResolvedPrice, Verdict

register = template.Library()

_LIST_COLOURS: dict[str, str] = {
    ListStatus.VALID: "green",
    ListStatus.UPCOMING: "orange",
    ListStatus.EXPIRED: "grey",
    ListStatus.INACTIVE: "grey",
}


def _badge_text(source: str) -> str:
    if source == PriceSource.CONTRACT:
        return _("协议价")
    if source == PriceSource.GROUP:
        return _("客户价")
    if source == PriceSource.QUOTE:
        return _("报价")
    return ""


@register.simple_tag
def price_badge(resolved: ResolvedPrice | str | None) -> SafeString | str:
    """A small tag "协议价" / "客户价" beside a price that is not the standard one (else nothing).

    Takes a ResolvedPrice or a PriceSource value (an order line's snapshot)."""
    source = resolved.source if isinstance(resolved, ResolvedPrice) else (resolved or "")
    text = _badge_text(source)
    if not text:
        return ""
    # The contract's name is the buyer's own agreement; a group's name is the supplier's
    # internal label and is not shown to buyers.
    contract = isinstance(resolved, ResolvedPrice) and source == PriceSource.CONTRACT
    title = resolved.ref_label if contract and isinstance(resolved, ResolvedPrice) else ""
    colour = "orange" if source == PriceSource.CONTRACT else "blue"
    return format_html(
        '<span class="pm-tag pm-tag-{}" title="{}" data-testid="price-badge" data-source="{}">{}</span>',
        colour,
        title,
        source,
        text,
    )


@register.simple_tag
def list_status_tag(price_list: ContractPriceList, day: date) -> SafeString:
    status = price_list.status_on(day)
    return format_html(
        '<span class="pm-tag pm-tag-{}" data-testid="list-status">{}</span>',
        _LIST_COLOURS[status],
        ListStatus(status).label,
    )


_VERDICTS: dict[str, tuple[str, Promise]] = {
    Verdict.APPLIED: ("green", gettext_lazy("采用")),
    Verdict.INACTIVE: ("grey", gettext_lazy("已停用")),
    Verdict.NOT_YET_VALID: ("grey", gettext_lazy("未生效")),
    Verdict.EXPIRED: ("grey", gettext_lazy("已过期")),
    Verdict.BREAK_ABOVE_QUANTITY: ("grey", gettext_lazy("数量未达到起始数量")),
    Verdict.OTHER_BREAK: ("grey", gettext_lazy("同一协议中更高的起始数量适用")),
    Verdict.NEWER_LIST: ("grey", gettext_lazy("生效更晚的协议优先")),
    Verdict.CONTRACT_FIRST: ("grey", gettext_lazy("协议价优先")),
    Verdict.NO_PRICE: ("grey", gettext_lazy("该报价无客户组价")),
    Verdict.HIGHER: ("grey", gettext_lazy("其他客户组价格更低")),
}


@register.simple_tag
def verdict_tag(verdict: str) -> SafeString:
    colour, text = _VERDICTS.get(verdict, ("grey", verdict))
    return format_html(
        '<span class="pm-tag pm-tag-{}" data-testid="verdict" data-verdict="{}">{}</span>',
        colour,
        verdict,
        text,
    )


@register.filter
def for_offer(prices: Mapping[int, ResolvedPrice] | None, offer: Offer) -> ResolvedPrice | None:
    """`{% with price=detail.prices|for_offer:offer %}`: the offer's resolved price, if any."""
    return (prices or {}).get(offer.pk)
