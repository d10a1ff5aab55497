"""Writes of pricing: a supplier's customer groups (members, fixed prices) and contract price
lists (quantity breaks). Every wrong input is named by field (FieldErrors), in Chinese.

Values come as people type them (forms, API, sheets): prices as "¥1,234.50", percentages
as "5" or "5%", dates as date objects or "2026-01-01"; each is checked here.
"""

import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction

from partsmall.catalog.models import Offer
from partsmall.catalog.services import parse_price
from partsmall.catalog.services.common import others
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.core.money import CENT
from partsmall.organizations.models import Organization
from partsmall.organizations.services.common import save_validated
from partsmall.pricing import errors
from partsmall.pricing.models import (
    ContractPrice,
    ContractPriceList,
    CustomerGroup,
    CustomerGroupMember,
    GroupPrice,
)

if TYPE_CHECKING:
    from partsmall.accounts.models import User

GROUP_FIELDS = ("name", "basis", "tier", "discount_percent", "is_active")
CONTRACT_FIELDS = ("buyer", "name", "valid_from", "valid_until", "is_active", "note")
BREAK_FIELDS = ("min_quantity", "price")


# Checking input -------------------------------------------------------------------------------


def parse_percent(value: object) -> tuple[Decimal | None, str | None]:
    """(percent or None for "none given", None) or (None, message): 0 < pct < 100, 2 decimals."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, float | bool):
        return None, str(errors.GROUP_PERCENT_INVALID)
    text = unicodedata.normalize("NFKC", str(value)).replace("%", "").strip()
    try:
        percent = Decimal(text)
    except InvalidOperation:
        return None, str(errors.GROUP_PERCENT_INVALID)
    if (
        not percent.is_finite()
        or not Decimal(0) < percent < Decimal(100)
        or percent != percent.quantize(CENT)
    ):
        return None, str(errors.GROUP_PERCENT_INVALID)
    return percent.quantize(CENT), None


def parse_date(value: object) -> tuple[date | None, str | None]:
    """(day or None when empty, None) or (None, message)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, date):
        return value, None
    try:
        return date.fromisoformat(str(value).strip()), None
    except ValueError:
        return None, str(errors.CONTRACT_DATE_INVALID)


def parse_quantity(value: object) -> int | None:
    """A whole number ≥ 1, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value >= 1 else None


def _text(value: object, *, field: str, max_length: int, required: Any, too_long: Any, found: dict) -> str:
    text = str(value or "").strip()
    if required is not None and not text:
        found[field] = [str(required)]
    elif len(text) > max_length:
        found[field] = [str(too_long)]
    return text


def _raise(found: dict[str, list[str]]) -> None:
    if found:
        raise FieldErrors(found)


def _require_supplier(supplier: Organization) -> None:
    if supplier.kind != Organization.Kind.SUPPLIER:
        raise ApplicationError(errors.SUPPLIER_ONLY)


def _buyer_problem(buyer: Organization | None) -> str | None:
    if buyer is None:
        return str(errors.BUYER_REQUIRED)
    if buyer.kind != Organization.Kind.REPAIR_SHOP or buyer.status != Organization.Status.ACTIVE:
        return str(errors.BUYER_NOT_SHOP)
    return None


def _offer_problem(offer: Offer | None, supplier_id: int) -> str | None:
    if offer is None:
        return str(errors.OFFER_NOT_FOUND)
    if offer.supplier_id != supplier_id:
        return str(errors.OFFER_NOT_OWN)
    return None


# Customer groups --------------------------------------------------------------------------------


def _group_values(*, supplier_id: int, pk: int | None, values: dict[str, Any]) -> dict[str, Any]:
    """The checked terms of a group; every wrong field at once (FieldErrors)."""
    found: dict[str, list[str]] = {}
    name = _text(
        values["name"],
        field="name",
        max_length=50,
        required=errors.GROUP_NAME_REQUIRED,
        too_long=errors.GROUP_NAME_TOO_LONG,
        found=found,
    )
    basis, tier = values["basis"], values["tier"] or ""
    if basis not in CustomerGroup.Basis.values:
        found["basis"] = [str(errors.GROUP_BASIS_INVALID)]
    elif basis == CustomerGroup.Basis.TIER and tier not in Organization.Tier.values:
        found["tier"] = [str(errors.GROUP_TIER_REQUIRED)]
    percent, problem = parse_percent(values["discount_percent"])
    if problem:
        found["discount_percent"] = [problem]
    same_name = others(CustomerGroup.objects.filter(supplier_id=supplier_id, name=name), pk)
    if "name" not in found and same_name.exists():
        found["name"] = [str(errors.GROUP_NAME_TAKEN)]
    by_tier = basis == CustomerGroup.Basis.TIER
    if pk is not None and by_tier and CustomerGroupMember.objects.filter(group_id=pk).exists():
        found.setdefault("basis", [str(errors.GROUP_HAS_MEMBERS)])
    _raise(found)
    return {
        "name": name,
        "basis": basis,
        "tier": tier if by_tier else "",
        "discount_percent": percent,
        "is_active": bool(values["is_active"]),
    }


@transaction.atomic
def customer_group_create(
    *,
    supplier: Organization,
    name: str,
    basis: str = CustomerGroup.Basis.MEMBERS,
    tier: str = "",
    discount_percent: Decimal | str | None = None,
    is_active: bool = True,
    by: "User | None",
) -> CustomerGroup:
    """A customer group 客户组: named buyers (basis "members") or a platform tier ("tier"),
    with an optional percentage off the standard price on all the supplier's offers."""
    _require_supplier(supplier)
    values = {"name": name, "basis": basis, "tier": tier, "discount_percent": discount_percent}
    checked = _group_values(supplier_id=supplier.pk, pk=None, values={**values, "is_active": is_active})
    group = CustomerGroup(supplier=supplier, **checked)
    save_validated(group)
    return group


@transaction.atomic
def customer_group_update(*, group: CustomerGroup, by: "User | None", **changes: Any) -> CustomerGroup:
    """Changes the given terms (name, basis, tier, discount_percent, is_active)."""
    unknown = set(changes) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"customer_group_update() got unexpected fields: {sorted(unknown)}")
    current = {name: getattr(group, name) for name in GROUP_FIELDS}
    checked = _group_values(supplier_id=group.supplier_id, pk=group.pk, values={**current, **changes})
    for name, value in checked.items():
        setattr(group, name, value)
    save_validated(group)
    return group


@transaction.atomic
def customer_group_delete(*, group: CustomerGroup, by: "User | None") -> None:
    """Removes the group with its members and fixed prices. Orders keep their snapshots."""
    group.delete()


@transaction.atomic
def customer_group_member_add(
    *, group: CustomerGroup, buyer: Organization | None, by: "User | None"
) -> CustomerGroupMember:
    """Names a repair shop as a member of a group by members."""
    if group.basis == CustomerGroup.Basis.TIER:
        raise ApplicationError(errors.GROUP_BY_TIER_NO_MEMBERS, field="buyer")
    problem = _buyer_problem(buyer)
    if problem is None and group.members.filter(buyer=buyer).exists():
        problem = str(errors.MEMBER_DUPLICATE)
    if problem:
        raise FieldErrors({"buyer": [problem]})
    member = CustomerGroupMember(group=group, buyer=buyer)
    save_validated(member)
    return member


@transaction.atomic
def customer_group_member_remove(*, member: CustomerGroupMember, by: "User | None") -> None:
    member.delete()


@transaction.atomic
def group_price_set(
    *, group: CustomerGroup, offer: Offer | None, price: Decimal | str, by: "User | None"
) -> GroupPrice:
    """The group's fixed price for one of the supplier's offers (made, or changed if it exists)."""
    found: dict[str, list[str]] = {}
    problem = _offer_problem(offer, group.supplier_id)
    if problem:
        found["offer"] = [problem]
    amount, price_problem = parse_price(price)
    if price_problem:
        found["price"] = [price_problem]
    _raise(found)
    row = GroupPrice.objects.filter(group=group, offer=offer).first() or GroupPrice(group=group, offer=offer)
    row.price = amount  # type: ignore[assignment]  # checked above
    save_validated(row)
    return row


@transaction.atomic
def group_price_remove(*, group_price: GroupPrice, by: "User | None") -> None:
    group_price.delete()


# Contract price lists ---------------------------------------------------------------------------


def _contract_values(values: dict[str, Any], *, current_buyer_id: int | None = None) -> dict[str, Any]:
    """The checked terms of a contract list; every wrong field at once (FieldErrors).

    A list keeps its buyer even if the shop was suspended since; a new buyer must be active."""
    found: dict[str, list[str]] = {}
    buyer = values["buyer"]
    kept = buyer is not None and current_buyer_id is not None and buyer.pk == current_buyer_id
    problem = None if kept else _buyer_problem(buyer)
    if problem:
        found["buyer"] = [problem]
    name = _text(
        values["name"],
        field="name",
        max_length=100,
        required=errors.CONTRACT_NAME_REQUIRED,
        too_long=errors.CONTRACT_NAME_TOO_LONG,
        found=found,
    )
    valid_from, problem = parse_date(values["valid_from"])
    if problem or valid_from is None:
        found["valid_from"] = [problem or str(errors.CONTRACT_VALID_FROM_REQUIRED)]
    valid_until, problem = parse_date(values["valid_until"])
    if problem:
        found["valid_until"] = [problem]
    elif valid_from and valid_until and valid_until < valid_from:
        found["valid_until"] = [str(errors.CONTRACT_DATES_ORDER)]
    note = _text(
        values["note"],
        field="note",
        max_length=200,
        required=None,
        too_long=errors.CONTRACT_NOTE_TOO_LONG,
        found=found,
    )
    _raise(found)
    return {
        "buyer": values["buyer"],
        "name": name,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "is_active": bool(values["is_active"]),
        "note": note,
    }


@transaction.atomic
def contract_price_list_create(
    *,
    supplier: Organization,
    buyer: Organization | None,
    name: str,
    valid_from: date | str | None,
    valid_until: date | str | None = None,
    is_active: bool = True,
    note: str = "",
    by: "User | None",
) -> ContractPriceList:
    """A contract price list 大客户协议价 for one repair shop, valid from one day to another
    (both included; no end day = open-ended). Lists of one buyer may overlap: the resolver
    then takes the one that took effect last (see pricing.resolver)."""
    _require_supplier(supplier)
    values = {"buyer": buyer, "name": name, "valid_from": valid_from, "valid_until": valid_until}
    price_list = ContractPriceList(
        supplier=supplier, **_contract_values({**values, "is_active": is_active, "note": note})
    )
    save_validated(price_list)
    return price_list


@transaction.atomic
def contract_price_list_update(
    *, price_list: ContractPriceList, by: "User | None", **changes: Any
) -> ContractPriceList:
    """Changes the given terms (buyer, name, valid_from, valid_until, is_active, note)."""
    unknown = set(changes) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"contract_price_list_update() got unexpected fields: {sorted(unknown)}")
    current = {name: getattr(price_list, name) for name in CONTRACT_FIELDS}
    checked = _contract_values({**current, **changes}, current_buyer_id=price_list.buyer_id)
    for name, value in checked.items():
        setattr(price_list, name, value)
    save_validated(price_list)
    return price_list


@transaction.atomic
def contract_price_list_delete(*, price_list: ContractPriceList, by: "User | None") -> None:
    """Removes the list with its lines. Orders keep their snapshots of the price."""
    price_list.delete()


def _break_values(
    *,
    price_list_id: int,
    offer_id: int | None,
    pk: int | None,
    values: dict[str, Any],
    found: dict[str, list[str]],
) -> dict[str, Any]:
    """The checked quantity and price of a break; problems go into `found`."""
    min_quantity = parse_quantity(values["min_quantity"])
    if min_quantity is None:
        found["min_quantity"] = [str(errors.MIN_QUANTITY_INVALID)]
    amount, problem = parse_price(values["price"])
    if problem:
        found["price"] = [problem]
    if min_quantity is not None and offer_id is not None:
        taken = ContractPrice.objects.filter(
            price_list_id=price_list_id, offer_id=offer_id, min_quantity=min_quantity
        )
        if others(taken, pk).exists():
            found["min_quantity"] = [str(errors.BREAK_DUPLICATE)]
    return {"min_quantity": min_quantity, "price": amount}


@transaction.atomic
def contract_price_add(
    *,
    price_list: ContractPriceList,
    offer: Offer | None,
    min_quantity: int | str,
    price: Decimal | str,
    by: "User | None",
) -> ContractPrice:
    """A quantity break of the list: from `min_quantity` units of the offer on, `price`."""
    found: dict[str, list[str]] = {}
    problem = _offer_problem(offer, price_list.supplier_id)
    if problem:
        found["offer"] = [problem]
    values = {"min_quantity": min_quantity, "price": price}
    offer_id = None if problem or offer is None else offer.pk
    checked = _break_values(
        price_list_id=price_list.pk, offer_id=offer_id, pk=None, values=values, found=found
    )
    _raise(found)
    line = ContractPrice(price_list=price_list, offer=offer, **checked)
    save_validated(line)
    return line


@transaction.atomic
def contract_price_update(*, line: ContractPrice, by: "User | None", **changes: Any) -> ContractPrice:
    """Changes the break's min_quantity and/or price."""
    unknown = set(changes) - set(BREAK_FIELDS)
    if unknown:
        raise TypeError(f"contract_price_update() got unexpected fields: {sorted(unknown)}")
    found: dict[str, list[str]] = {}
    current = {name: getattr(line, name) for name in BREAK_FIELDS}
    checked = _break_values(
        price_list_id=line.price_list_id,
        offer_id=line.offer_id,
        pk=line.pk,
        values={**current, **changes},
        found=found,
    )
    _raise(found)
    for name, value in checked.items():
        setattr(line, name, value)
    save_validated(line)
    return line


@transaction.atomic
def contract_price_remove(*, line: ContractPrice, by: "User | None") -> None:
    line.delete()
