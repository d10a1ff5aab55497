"""The demo's prices per customer: customer groups of two suppliers and the key account's
contract price list, written through the pricing services (so they pass the same checks).

- 广州骏驰 (supplier 1): "华南连锁门店" (named: the Guangzhou and Shenzhen shops, 5 % off),
  "平台大客户" (every key-account shop, 8 % off, with fixed prices on a few offers), and
  the contract of the key account 上海安途: this year's list with three quantity breaks
  per offer (≥1, ≥10, ≥50), last year's list (expired, for the history) and next
  year's draft (not yet valid).
- 杭州恒润 (supplier 2): "长期合作门店" (named: the Chengdu and Wuhan shops, 3 % off, with
  fixed prices on a few offers).

Which offers: the supplier's listed offers of real (non-generated) parts first, then the
others, in a fixed order, so the same rows come back every load.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from partsmall.catalog.models import Offer
from partsmall.core.money import to_money
from partsmall.organizations.models import Organization
from partsmall.pricing.models import ContractPriceList, CustomerGroup
from partsmall.pricing.services import (
    contract_price_add,
    contract_price_list_create,
    customer_group_create,
    customer_group_member_add,
    group_price_set,
)

CONTRACT_OFFERS = 12
GROUP_PRICE_OFFERS = 5
# Quantity break → share of the standard price.
BREAKS: tuple[tuple[int, Decimal], ...] = ((1, Decimal("0.92")), (10, Decimal("0.88")), (50, Decimal("0.85")))


@dataclass
class PricingSummary:
    groups: int = 0
    members: int = 0
    group_prices: int = 0
    contract_lists: int = 0
    contract_prices: int = 0
    key_account_offers: list[int] = field(default_factory=list)


def _offers(supplier: Organization, count: int, *, skip: int = 0) -> list[Offer]:
    offers = Offer.objects.filter(supplier=supplier, is_listed=True).order_by(
        "part__is_demo", "part_id", "grade"
    )
    return list(offers.select_related("part")[skip : skip + count])


def _shops_in(shops: Sequence[Organization], *cities: str) -> list[Organization]:
    return [shop for shop in shops if any(city in shop.name for city in cities)]


def _share(price: Decimal, share: Decimal) -> Decimal:
    return max(to_money(price * share), Decimal("0.01"))


def _group(
    summary: PricingSummary,
    supplier: Organization,
    name: str,
    percent: str,
    *,
    members: Sequence[Organization] = (),
    tier: str = "",
    fixed: Sequence[Offer] = (),
) -> CustomerGroup:
    basis = CustomerGroup.Basis.TIER if tier else CustomerGroup.Basis.MEMBERS
    group = customer_group_create(
        supplier=supplier, name=name, basis=basis, tier=tier, discount_percent=percent, by=None
    )
    summary.groups += 1
    for shop in members:
        customer_group_member_add(group=group, buyer=shop, by=None)
        summary.members += 1
    for offer in fixed:
        # A round figure a salesperson would agree: 10 % off, to the yuan (never below ¥1).
        agreed = max(to_money(offer.price * Decimal("0.90")).quantize(Decimal("1")), Decimal("1"))
        group_price_set(group=group, offer=offer, price=agreed, by=None)
        summary.group_prices += 1
    return group


def _contract(
    summary: PricingSummary,
    supplier: Organization,
    buyer: Organization,
    name: str,
    valid: tuple[date, date],
    offers: list[Offer],
    *,
    share: Decimal = Decimal("1"),
) -> ContractPriceList:
    price_list = contract_price_list_create(
        supplier=supplier,
        buyer=buyer,
        name=name,
        valid_from=valid[0],
        valid_until=valid[1],
        note="演示数据：年度框架协议，按采购量分档",
        by=None,
    )
    summary.contract_lists += 1
    for offer in offers:
        for min_quantity, break_share in BREAKS:
            price = _share(offer.price, break_share * share)
            contract_price_add(
                price_list=price_list, offer=offer, min_quantity=min_quantity, price=price, by=None
            )
            summary.contract_prices += 1
    return price_list


def pricing_load(
    *, suppliers: Sequence[Organization], organizations: Sequence[Organization], today: date | None = None
) -> PricingSummary:
    """Groups and contract lists of the demo; `suppliers` are the active demo suppliers in
    data.SUPPLIERS order, `organizations` every loaded one (the active repair shops among
    them are the buyers; one is the key account)."""
    day = today or timezone.localdate()
    shops = [org for org in organizations if org.kind == Organization.Kind.REPAIR_SHOP and org.is_active]
    summary = PricingSummary()
    key_account = next(shop for shop in shops if shop.tier == Organization.Tier.KEY_ACCOUNT)
    junchi, hengrun = suppliers[0], suppliers[1]

    _group(summary, junchi, "华南连锁门店", "5", members=_shops_in(shops, "广州", "深圳"))
    _group(
        summary,
        junchi,
        "平台大客户",
        "8",
        tier=Organization.Tier.KEY_ACCOUNT,
        fixed=_offers(junchi, GROUP_PRICE_OFFERS, skip=CONTRACT_OFFERS),
    )
    _group(
        summary,
        hengrun,
        "长期合作门店",
        "3",
        members=_shops_in(shops, "成都", "武汉"),
        fixed=_offers(hengrun, 5),
    )

    offers = _offers(junchi, CONTRACT_OFFERS)
    year = day.year
    _contract(
        summary, junchi, key_account, f"{year} 年度协议价", (date(year, 1, 1), date(year, 12, 31)), offers
    )
    _contract(
        summary,
        junchi,
        key_account,
        f"{year - 1} 年度协议价",
        (date(year - 1, 1, 1), date(year - 1, 12, 31)),
        offers[: CONTRACT_OFFERS // 2],
        share=Decimal("1.03"),
    )
    _contract(
        summary,
        junchi,
        key_account,
        f"{year + 1} 年度协议价（待生效）",
        (date(year + 1, 1, 1), date(year + 1, 12, 31)),
        offers[: CONTRACT_OFFERS // 2],
        share=Decimal("0.98"),
    )
    summary.key_account_offers = [offer.pk for offer in offers]
    return summary
