"""The one place that decides what a buyer pays for an offer.

Precedence, first match wins, never stacked (a contract price is never cut further by a
group percentage, a group price never by another group):

1. **Contract price** (大客户协议价). The lines for the offer in the buyer's contract price
   lists with the offer's supplier that are active and valid on the day
   (valid_from ≤ day ≤ valid_until, both included; no valid_until = open-ended). Of the
   breaks of a list, the highest one not above the quantity applies; a quantity below
   every break of every list gets no contract price (the next rule decides).
2. **Customer-group price** (客户组价). The supplier's active groups the buyer belongs to:
   named as a member, or every organization of the group's platform tier. A group's
   fixed price for the offer wins over the group's percentage; a percentage price is
   standard × (1 − pct/100), rounded once. A group that has neither for the offer does
   not price it. A percentage price is never below ¥0.01.
3. **Standard price**: `Offer.price`.

A buyer of None (a car owner, an anonymous visitor) always pays the standard price.
Unit prices are tax included and rounded half up to ¥0.01 (core.money.to_money).

Ties, decided here so that the answer never depends on the order rows come back in:
- Overlapping valid contract lists of one buyer and supplier that both have a break at
  or below the quantity: the list that took effect last wins (latest valid_from, then the
  newer list, i.e. the higher id), and within it the highest applicable break. A supplier
  renegotiating writes a new list; the new agreement replaces the old one while both are
  nominally valid, rather than the buyer cherry-picking the cheaper of the two.
- A buyer in several groups of one supplier: the lowest of their prices for the offer
  (each group is a concession the supplier granted; the best one applies, alone); equal
  prices go to the older group (lower id), so the reference is stable.

`resolve_prices` answers for many offers in two statements sent together (the valid
contract lines; the buyer's active groups with their fixed prices) whatever the number of
offers, written in SQL (core.sql: the resolver runs for every search page and checkout); `resolve_price` is
the same for one offer. `price_explain` lays out every candidate and why it won or lost,
from the same choosing functions, for the supplier's price check page.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from partsmall.catalog.models import Offer
from partsmall.core import sql
from partsmall.core.money import CENT, to_money
from partsmall.organizations.models import Organization
from partsmall.pricing.models import (
    ContractPrice,
    ContractPriceList,
    CustomerGroup,
    CustomerGroupMember,
    GroupPrice,
    PriceSource,
)

HUNDRED = Decimal(100)

# ResolvedPrice.ref_type values.
REF_CONTRACT_PRICE = "contract_price"
REF_GROUP_PRICE = "group_price"
REF_CUSTOMER_GROUP = "customer_group"


@dataclass(frozen=True)
class ResolvedPrice:
    unit_price: Decimal  # tax included, quantized to 0.01 ROUND_HALF_UP
    source: str  # PriceSource value
    ref_type: str  # "" for standard, else "contract_price" / "group_price" / "customer_group"
    ref_id: int | None
    ref_label: str  # human text, e.g. "2026 年度协议价 (≥10 件)"

    @property
    def is_standard(self) -> bool:
        return self.source == PriceSource.STANDARD


def standard_price(offer: Offer) -> ResolvedPrice:
    return ResolvedPrice(to_money(offer.price), PriceSource.STANDARD, "", None, "")


def percent_price(standard: Decimal, percent: Decimal) -> Decimal:
    """standard × (1 − pct/100), rounded once; never below ¥0.01 (a ¥0.01 offer at 60 % off
    would otherwise round to nothing)."""
    return max(to_money(standard * (HUNDRED - percent) / HUNDRED), CENT)


def percent_text(percent: Decimal) -> str:
    """5.00 → "5", 12.50 → "12.5"."""
    text = f"{percent.normalize():f}"
    return text


# Candidates ----------------------------------------------------------------------------------


def _contract_lines(
    *, buyer: Organization, offer_ids: Iterable[int], on: date | None, max_quantity: int | None
) -> QuerySet[ContractPrice]:
    """The buyer's contract lines for these offers; valid on `on` when given (else all)."""
    lines = ContractPrice.objects.filter(price_list__buyer=buyer, offer_id__in=list(offer_ids))
    if on is not None:
        lines = lines.filter(
            Q(price_list__valid_until__isnull=True) | Q(price_list__valid_until__gte=on),
            price_list__is_active=True,
            price_list__valid_from__lte=on,
        )
    if max_quantity is not None:
        lines = lines.filter(min_quantity__lte=max_quantity)
    return lines.select_related("price_list")


def _groups_of(
    *, buyer: Organization, supplier_ids: Iterable[int], active_only: bool
) -> QuerySet[CustomerGroup]:
    """The groups of these suppliers that the buyer belongs to, by name or by tier."""
    named = CustomerGroupMember.objects.filter(group=OuterRef("pk"), buyer=buyer)
    groups = CustomerGroup.objects.filter(supplier_id__in=list(supplier_ids)).filter(
        Q(basis=CustomerGroup.Basis.TIER, tier=buyer.tier)
        | Q(Exists(named), basis=CustomerGroup.Basis.MEMBERS)
    )
    return groups.filter(is_active=True) if active_only else groups


def choose_contract_line(lines: Iterable[ContractPrice], quantity: int) -> ContractPrice | None:
    """Of valid lines for one offer: the newest list with a break ≤ quantity, its highest break."""
    applicable = [line for line in lines if line.min_quantity <= quantity]
    if not applicable:
        return None
    return max(
        applicable, key=lambda line: (line.price_list.valid_from, line.price_list_id, line.min_quantity)
    )


@dataclass(frozen=True)
class GroupOffer:
    """What one group asks for one offer: its fixed price, else its percentage, else nothing."""

    group: CustomerGroup
    fixed: GroupPrice | None

    def price(self, standard: Decimal) -> Decimal | None:
        if self.fixed is not None:
            return to_money(self.fixed.price)
        if self.group.discount_percent is not None:
            return percent_price(standard, self.group.discount_percent)
        return None


def choose_group(candidates: Iterable[GroupOffer], standard: Decimal) -> tuple[GroupOffer, Decimal] | None:
    """The lowest group price for the offer; equal prices → the older group."""
    priced = [(c, p) for c in candidates if (p := c.price(standard)) is not None]
    if not priced:
        return None
    return min(priced, key=lambda item: (item[1], item[0].group.pk))


def _contract_resolved(line: ContractPrice) -> ResolvedPrice:
    label = _("%(name)s (≥%(quantity)s 件)") % {"name": line.price_list.name, "quantity": line.min_quantity}
    return ResolvedPrice(to_money(line.price), PriceSource.CONTRACT, REF_CONTRACT_PRICE, line.pk, label)


def _group_resolved(chosen: GroupOffer, price: Decimal) -> ResolvedPrice:
    group = chosen.group
    if chosen.fixed is not None:
        return ResolvedPrice(price, PriceSource.GROUP, REF_GROUP_PRICE, chosen.fixed.pk, group.name)
    percent = group.discount_percent or Decimal(0)
    label = _("%(name)s (优惠 %(percent)s%%)") % {"name": group.name, "percent": percent_text(percent)}
    return ResolvedPrice(price, PriceSource.GROUP, REF_CUSTOMER_GROUP, group.pk, label)


# Reading (the two statements of resolve_prices) ------------------------------------------------

CONTRACT_PRICE_FIELDS = ["id", "price_list_id", "offer_id", "min_quantity", "price"]
PRICE_LIST_FIELDS = ["id", "supplier_id", "name", "valid_from"]
GROUP_FIELDS = ["id", "supplier_id", "name", "discount_percent", "is_active"]
GROUP_PRICE_FIELDS = ["id", "group_id", "offer_id", "price"]


def _send_contract_lines(
    *, buyer: Organization, offer_ids: Iterable[int], on: date, max_quantity: int
) -> sql.Rows:
    """The buyer's contract lines for the offers valid on the day with a break ≤
    max_quantity (as _contract_lines(on=…, max_quantity=…)), with their list's supplier,
    name and start."""
    offer_in, offer_params = sql.is_in("cp.offer_id", offer_ids)
    return sql.send(
        "SELECT cp.id, cp.price_list_id, cp.offer_id, cp.min_quantity, cp.price, l.supplier_id, l.name,"
        " l.valid_from FROM pricing_contractprice cp"
        " JOIN pricing_contractpricelist l ON l.id = cp.price_list_id"
        " WHERE l.buyer_id = %s AND l.is_active AND l.valid_from <= %s"
        " AND (l.valid_until IS NULL OR l.valid_until >= %s)"
        f" AND cp.min_quantity <= %s AND {offer_in}",
        [buyer.pk, on, on, max_quantity, *offer_params],
    )


def _contract_lines_by_offer(rows: list[tuple[Any, ...]]) -> dict[int, list[ContractPrice]]:
    lists: dict[int, ContractPriceList] = {}
    lines: dict[int, list[ContractPrice]] = defaultdict(list)
    for pk, list_id, offer_id, minimum, price, supplier_id, name, valid_from in rows:
        if list_id not in lists:
            lists[list_id] = ContractPriceList.from_db(
                None, PRICE_LIST_FIELDS, (list_id, supplier_id, name, sql.date(valid_from))
            )
        line = ContractPrice.from_db(
            None, CONTRACT_PRICE_FIELDS, (pk, list_id, offer_id, minimum, sql.decimal(price))
        )
        line.price_list = lists[list_id]
        lines[offer_id].append(line)
    return lines


def _send_groups_and_prices(
    *, buyer: Organization, supplier_ids: Iterable[int], offer_ids: Iterable[int]
) -> sql.Rows:
    """The suppliers' active groups the buyer belongs to (as _groups_of(active_only=True)),
    oldest first, each with its fixed prices for the offers (a row per price, or one
    without)."""
    supplier_in, supplier_params = sql.is_in("g.supplier_id", supplier_ids)
    offer_in, offer_params = sql.is_in("gp.offer_id", offer_ids)
    return sql.send(
        "SELECT g.id, g.supplier_id, g.name, g.discount_percent, gp.id, gp.offer_id, gp.price"
        " FROM pricing_customergroup g"
        f" LEFT JOIN pricing_groupprice gp ON gp.group_id = g.id AND {offer_in}"
        f" WHERE {supplier_in} AND g.is_active AND ("
        " (g.basis = %s AND g.tier = %s) OR (g.basis = %s AND EXISTS ("
        " SELECT 1 FROM pricing_customergroupmember m WHERE m.group_id = g.id AND m.buyer_id = %s)))"
        " ORDER BY g.id",
        [
            *offer_params,
            *supplier_params,
            CustomerGroup.Basis.TIER.value,
            buyer.tier,
            CustomerGroup.Basis.MEMBERS.value,
            buyer.pk,
        ],
    )


def _groups_and_prices(
    rows: list[tuple[Any, ...]],
) -> tuple[list[CustomerGroup], dict[tuple[int, int], GroupPrice]]:
    """The groups, and their fixed prices by (group id, offer id)."""
    groups: dict[int, CustomerGroup] = {}
    fixed: dict[tuple[int, int], GroupPrice] = {}
    for group_id, supplier_id, name, percent, price_id, offer_id, price in rows:
        if group_id not in groups:
            groups[group_id] = CustomerGroup.from_db(
                None,
                GROUP_FIELDS,
                (group_id, supplier_id, name, None if percent is None else sql.decimal(percent), True),
            )
        if price_id is not None:
            fixed[(group_id, offer_id)] = GroupPrice.from_db(
                None, GROUP_PRICE_FIELDS, (price_id, group_id, offer_id, sql.decimal(price))
            )
    return list(groups.values()), fixed


# Resolving -----------------------------------------------------------------------------------


def _quantity_of(offer: Offer, quantity: int, quantities: Mapping[int, int] | None) -> int:
    wanted = quantities.get(offer.pk, quantity) if quantities else quantity
    if wanted < 1:
        raise ValueError(f"quantity must be at least 1, got {wanted} for offer {offer.pk}")
    return wanted


def _group_offers(
    groups: list[CustomerGroup], fixed: Mapping[tuple[int, int], GroupPrice], offer: Offer
) -> list[GroupOffer]:
    return [
        GroupOffer(group, fixed.get((group.pk, offer.pk)))
        for group in groups
        if group.supplier_id == offer.supplier_id
    ]


def resolve_prices(
    *,
    buyer: Organization | None,
    offers: Sequence[Offer],
    quantity: int = 1,
    on: date | None = None,
    quantities: Mapping[int, int] | None = None,
) -> dict[int, ResolvedPrice]:
    """The unit price the buyer pays for each offer (by offer id), per the precedence above.

    `quantity` applies to every offer; `quantities` (by offer id) overrides it per offer,
    for a cart whose lines differ. At most two statements, whatever the number of offers.
    """
    wanted = {offer.pk: _quantity_of(offer, quantity, quantities) for offer in offers}
    if buyer is None or not offers:
        return {offer.pk: standard_price(offer) for offer in offers}
    day = on or timezone.localdate()
    with sql.pipeline():  # both statements in one round trip
        contract_rows = _send_contract_lines(
            buyer=buyer, offer_ids=wanted, on=day, max_quantity=max(wanted.values())
        )
        group_rows = _send_groups_and_prices(
            buyer=buyer, supplier_ids={o.supplier_id for o in offers}, offer_ids=wanted
        )
    lines = _contract_lines_by_offer(contract_rows())
    groups, fixed = _groups_and_prices(group_rows())
    resolved: dict[int, ResolvedPrice] = {}
    for offer in offers:
        resolved[offer.pk] = _resolve_one(offer, wanted[offer.pk], lines[offer.pk], groups, fixed)
    return resolved


def _resolve_one(
    offer: Offer,
    quantity: int,
    lines: list[ContractPrice],
    groups: list[CustomerGroup],
    fixed: Mapping[tuple[int, int], GroupPrice],
) -> ResolvedPrice:
    line = choose_contract_line(
        (li for li in lines if li.price_list.supplier_id == offer.supplier_id), quantity
    )
    if line is not None:
        return _contract_resolved(line)
    standard = to_money(offer.price)
    chosen = choose_group(_group_offers(groups, fixed, offer), standard)
    if chosen is not None:
        return _group_resolved(*chosen)
    return standard_price(offer)


def resolve_price(
    *, buyer: Organization | None, offer: Offer, quantity: int, on: date | None = None
) -> ResolvedPrice:
    """The unit price the buyer pays for `quantity` units of the offer on the day."""
    return resolve_prices(buyer=buyer, offers=[offer], quantity=quantity, on=on)[offer.pk]


# Explaining ------------------------------------------------------------------------------------


class Verdict:
    """Why a candidate price was or was not the one paid."""

    APPLIED = "applied"
    INACTIVE = "inactive"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    BREAK_ABOVE_QUANTITY = "break_above_quantity"
    OTHER_BREAK = "other_break"
    NEWER_LIST = "newer_list"
    CONTRACT_FIRST = "contract_first"
    NO_PRICE = "no_price"
    HIGHER = "higher"


@dataclass(frozen=True)
class ContractCandidate:
    line: ContractPrice
    verdict: str


@dataclass(frozen=True)
class GroupCandidate:
    group: CustomerGroup
    fixed: GroupPrice | None
    price: Decimal | None
    verdict: str


@dataclass
class PriceExplanation:
    offer: Offer
    buyer: Organization | None
    quantity: int
    on: date
    resolved: ResolvedPrice
    standard: Decimal
    contracts: list[ContractCandidate] = field(default_factory=list)
    groups: list[GroupCandidate] = field(default_factory=list)


def _validity_verdict(price_list: ContractPriceList, on: date) -> str | None:
    if not price_list.is_active:
        return Verdict.INACTIVE
    if price_list.valid_from > on:
        return Verdict.NOT_YET_VALID
    if price_list.valid_until is not None and price_list.valid_until < on:
        return Verdict.EXPIRED
    return None


def _contract_verdict(line: ContractPrice, chosen: ContractPrice | None, on: date, quantity: int) -> str:
    invalid = _validity_verdict(line.price_list, on)
    if invalid:
        return invalid
    if line.min_quantity > quantity:
        return Verdict.BREAK_ABOVE_QUANTITY
    if chosen is not None and line.pk == chosen.pk:
        return Verdict.APPLIED
    if chosen is not None and chosen.price_list_id == line.price_list_id:
        return Verdict.OTHER_BREAK
    return Verdict.NEWER_LIST


def _group_verdict(
    candidate: GroupOffer, price: Decimal | None, chosen: GroupOffer | None, contract: bool
) -> str:
    if not candidate.group.is_active:
        return Verdict.INACTIVE
    if price is None:
        return Verdict.NO_PRICE
    if contract:
        return Verdict.CONTRACT_FIRST
    if chosen is not None and chosen.group.pk == candidate.group.pk:
        return Verdict.APPLIED
    return Verdict.HIGHER


def price_explain(
    *, buyer: Organization | None, offer: Offer, quantity: int, on: date | None = None
) -> PriceExplanation:
    """The resolved price and every contract line and group that could have priced the offer
    for this buyer (valid or not), each with its verdict, decided by the same choosers."""
    day = on or timezone.localdate()
    resolved = resolve_price(buyer=buyer, offer=offer, quantity=quantity, on=day)
    explanation = PriceExplanation(offer, buyer, quantity, day, resolved, to_money(offer.price))
    if buyer is None:
        return explanation
    lines = [
        line
        for line in _contract_lines(buyer=buyer, offer_ids=[offer.pk], on=None, max_quantity=None)
        if line.price_list.supplier_id == offer.supplier_id
    ]
    valid = [line for line in lines if _validity_verdict(line.price_list, day) is None]
    chosen_line = choose_contract_line(valid, quantity)
    explanation.contracts = [
        ContractCandidate(line, _contract_verdict(line, chosen_line, day, quantity))
        for line in sorted(
            lines, key=lambda li: (-li.price_list.valid_from.toordinal(), -li.price_list_id, li.min_quantity)
        )
    ]
    groups = list(_groups_of(buyer=buyer, supplier_ids=[offer.supplier_id], active_only=False).order_by("id"))
    fixed = {
        (row.group_id, row.offer_id): row for row in GroupPrice.objects.filter(group__in=groups, offer=offer)
    }
    candidates = _group_offers(groups, fixed, offer)
    chosen = choose_group((c for c in candidates if c.group.is_active), explanation.standard)
    explanation.groups = [
        GroupCandidate(
            c.group,
            c.fixed,
            price := c.price(explanation.standard),
            _group_verdict(c, price, chosen[0] if chosen else None, chosen_line is not None),
        )
        for c in candidates
    ]
    return explanation
