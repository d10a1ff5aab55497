"""Reads of pricing, each scoped to the acting supplier: another organization's group, member,
price, list or line answers 404.

Buyers (repair shops) are named in groups and lists; a supplier finds them by name or
credit code among the active shops of the platform (never other suppliers).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partsmall.catalog.models import Offer
from partsmall.core.errors import FieldErrors
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization
from partsmall.pricing import errors
from partsmall.pricing.models import (
    ContractPrice,
    ContractPriceList,
    CustomerGroup,
    CustomerGroupMember,
    GroupPrice,
    ListStatus,
)
from partsmall.pricing.resolver import PriceExplanation, price_explain
from partsmall.pricing.services import parse_date, parse_quantity

BUYER_LOOKUP_LIMIT = 20


def _supplier_of(actor: Actor) -> Organization | None:
    org = actor.organization
    return org if org is not None and org.kind == Organization.Kind.SUPPLIER else None


def _own_groups(actor: Actor) -> QuerySet[CustomerGroup]:
    supplier = _supplier_of(actor)
    return CustomerGroup.objects.filter(supplier=supplier) if supplier else CustomerGroup.objects.none()


def _own_lists(actor: Actor) -> QuerySet[ContractPriceList]:
    supplier = _supplier_of(actor)
    return (
        ContractPriceList.objects.filter(supplier=supplier) if supplier else ContractPriceList.objects.none()
    )


# Customer groups --------------------------------------------------------------------------------


def customer_groups_of_supplier(*, actor: Actor, keyword: str = "") -> QuerySet[CustomerGroup]:
    """The acting supplier's groups by name, with their member and fixed-price counts."""
    groups = _own_groups(actor)
    if keyword.strip():
        groups = groups.filter(name__icontains=keyword.strip())
    return groups.annotate(
        member_count=Count("members", distinct=True), price_count=Count("prices", distinct=True)
    ).order_by("name", "id")


def customer_group_get(*, actor: Actor, pk: int) -> CustomerGroup:
    return get_object_or_404(_own_groups(actor), pk=pk)


def customer_group_member_get(*, actor: Actor, pk: int) -> CustomerGroupMember:
    members = CustomerGroupMember.objects.filter(group__in=_own_groups(actor))
    return get_object_or_404(members.select_related("group", "buyer"), pk=pk)


def group_price_get(*, actor: Actor, pk: int) -> GroupPrice:
    prices = GroupPrice.objects.filter(group__in=_own_groups(actor))
    return get_object_or_404(prices.select_related("group", "offer__part__brand"), pk=pk)


def group_members(*, actor: Actor, group: CustomerGroup) -> QuerySet[CustomerGroupMember]:
    return (
        CustomerGroupMember.objects.filter(group__in=_own_groups(actor), group=group)
        .select_related("buyer__province", "buyer__city")
        .order_by("buyer__name", "id")
    )


def group_prices(*, actor: Actor, group: CustomerGroup) -> QuerySet[GroupPrice]:
    return (
        GroupPrice.objects.filter(group__in=_own_groups(actor), group=group)
        .select_related("offer__part__brand")
        .order_by("offer__sku", "id")
    )


# Contract price lists ---------------------------------------------------------------------------

VALID, UPCOMING, EXPIRED, INACTIVE = (
    ListStatus.VALID,
    ListStatus.UPCOMING,
    ListStatus.EXPIRED,
    ListStatus.INACTIVE,
)
LIST_STATUSES: tuple[str, ...] = tuple(ListStatus.values)


def _status_q(status: str, day: date) -> Q:
    active = Q(is_active=True)
    if status == VALID:
        return active & Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    if status == UPCOMING:
        return active & Q(valid_from__gt=day)
    if status == EXPIRED:
        return active & Q(valid_until__lt=day)
    return Q(is_active=False)


def _list_filter(lists: QuerySet[ContractPriceList], keyword: str) -> QuerySet[ContractPriceList]:
    keyword = keyword.strip()
    if keyword:
        lists = lists.filter(Q(name__icontains=keyword) | Q(buyer__name__icontains=keyword))
    return lists


def contract_price_lists_of_supplier(
    *, actor: Actor, keyword: str = "", status: str = "", on: date | None = None
) -> QuerySet[ContractPriceList]:
    """The acting supplier's contract lists, latest first; status valid/upcoming/expired/inactive."""
    lists = _list_filter(_own_lists(actor), keyword)
    if status in LIST_STATUSES:
        lists = lists.filter(_status_q(status, on or timezone.localdate()))
    return (
        lists.select_related("buyer")
        .annotate(line_count=Count("lines"), offer_count=Count("lines__offer", distinct=True))
        .order_by("-valid_from", "-id")
    )


def contract_price_list_counts(*, actor: Actor, keyword: str = "", on: date | None = None) -> dict[str, int]:
    """Counts for the status tabs: {"": all, "valid": n, "upcoming": n, "expired": n, "inactive": n}."""
    day = on or timezone.localdate()
    lists = _list_filter(_own_lists(actor), keyword)
    counts = {status: Count("id", filter=_status_q(status, day)) for status in LIST_STATUSES}
    totals = lists.aggregate(all=Count("id"), **counts)
    return {"": totals["all"], **{status: totals[status] for status in LIST_STATUSES}}


def contract_price_list_get(*, actor: Actor, pk: int) -> ContractPriceList:
    return get_object_or_404(_own_lists(actor).select_related("buyer"), pk=pk)


def contract_price_get(*, actor: Actor, pk: int) -> ContractPrice:
    lines = ContractPrice.objects.filter(price_list__in=_own_lists(actor))
    return get_object_or_404(lines.select_related("price_list", "offer__part__brand"), pk=pk)


def contract_lines(*, actor: Actor, price_list: ContractPriceList) -> QuerySet[ContractPrice]:
    return (
        ContractPrice.objects.filter(price_list__in=_own_lists(actor), price_list=price_list)
        .select_related("offer__part__brand")
        .order_by("offer__sku", "min_quantity", "id")
    )


# Buyers and offers named in prices ---------------------------------------------------------------


def _shops() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=Organization.Kind.REPAIR_SHOP, status=Organization.Status.ACTIVE)


def buyers_lookup(*, actor: Actor, q: str, limit: int = BUYER_LOOKUP_LIMIT) -> list[Organization]:
    """Active repair shops whose name contains q (or whose credit code starts with it)."""
    q = q.strip()
    if _supplier_of(actor) is None or not q:
        return []
    found = _shops().filter(Q(name__icontains=q) | Q(credit_code__startswith=q.upper()))
    return list(found.select_related("province", "city").order_by("name", "id")[:limit])


def buyer_find(*, actor: Actor, pk: int | None) -> Organization | None:
    """The active repair shop with this id, or None (the services then name the field)."""
    if _supplier_of(actor) is None or not pk:
        return None
    return _shops().filter(pk=pk).first()


def own_offer_find(*, actor: Actor, sku: str = "", pk: int | None = None) -> Offer | None:
    """One of the acting supplier's offers, by SKU or id, or None."""
    supplier = _supplier_of(actor)
    if supplier is None or not (sku.strip() or pk):
        return None
    offers = Offer.objects.filter(supplier=supplier).select_related("part__brand")
    return offers.filter(pk=pk).first() if pk else offers.filter(sku=sku.strip()).first()


# The price check ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceCheck:
    buyer: Organization
    offer: Offer
    explanation: PriceExplanation


def price_check(
    *,
    actor: Actor,
    buyer_id: int | None,
    quantity: object,
    on: object = None,
    offer_sku: str = "",
    offer_id: int | None = None,
) -> PriceCheck:
    """What the buyer pays for one of the acting supplier's offers (by SKU or id), and why.

    Only the acting supplier's own groups and lists are candidates, since the offer is its
    own. Wrong input is named by field (FieldErrors: buyer, offer, quantity, on)."""
    buyer = buyer_find(actor=actor, pk=buyer_id)
    offer = own_offer_find(actor=actor, sku=offer_sku, pk=offer_id)
    amount = parse_quantity(quantity)
    day, day_problem = parse_date(on)
    given_offer = bool(offer_sku.strip() or offer_id)
    problems = {
        "buyer": None if buyer else (errors.BUYER_NOT_SHOP if buyer_id else errors.BUYER_REQUIRED),
        "offer": None if offer else (errors.OFFER_NOT_FOUND if given_offer else errors.OFFER_REQUIRED),
        "quantity": None if amount else errors.QUANTITY_INVALID,
        "on": day_problem,
    }
    found = {field: [str(problem)] for field, problem in problems.items() if problem}
    if found or buyer is None or offer is None or amount is None:
        raise FieldErrors(found)
    return PriceCheck(buyer, offer, price_explain(buyer=buyer, offer=offer, quantity=amount, on=day))
