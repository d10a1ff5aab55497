"""Offers: a supplier's listing of a part in one quality grade (price, MOQ, lead time …).

Each change recomputes the offer summary of the touched parts (lowest price, fastest
delivery, supplier count) that search reads. Stock is not a term of the offer: the
inventory services keep Offer.stock_quantity (the available quantity of the supplier's
warehouses) in step; an offer sold made to order (made_to_order) reserves no stock.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from partsmall.catalog import errors
from partsmall.catalog.indexing import refresh_offer_summary
from partsmall.catalog.models import Grade, ImportJob, Offer, Part, ReviewStatus
from partsmall.catalog.services.common import others
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.core.money import CENT
from partsmall.organizations.models import Organization
from partsmall.organizations.services.common import save_validated

if TYPE_CHECKING:
    from partsmall.accounts.models import User

MAX_PRICE = Decimal("9999999999.99")
MAX_LEAD_DAYS = 365
MAX_WARRANTY_MONTHS = 120


@dataclass(frozen=True)
class OfferTerms:
    """What a supplier states in an offer, before it is checked."""

    grade: str
    sku: str
    price: Any
    min_order_quantity: Any = 1
    order_multiple: Any = 1
    lead_time_days: Any = 1
    warranty_months: Any = 0
    made_to_order: bool = False
    is_listed: bool = True


TERM_FIELDS = tuple(f.name for f in fields(OfferTerms))


def parse_price(value: object) -> tuple[Decimal | None, str | None]:
    """(price, None) or (None, message): > 0, at most 2 decimals. Accepts Decimal, int or
    text as people write it ("¥1,234.50", full-width digits)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, str(errors.OFFER_PRICE_REQUIRED)
    if isinstance(value, float | bool):
        return None, str(errors.OFFER_PRICE_INVALID)
    text = unicodedata.normalize("NFKC", str(value)).replace("¥", "").replace(",", "").strip()
    try:
        price = Decimal(text)
    except InvalidOperation:
        return None, str(errors.OFFER_PRICE_INVALID)
    if not price.is_finite() or price <= 0:
        return None, str(errors.OFFER_PRICE_INVALID)
    if price != price.quantize(CENT):
        return None, str(errors.OFFER_PRICE_DECIMALS)
    if price > MAX_PRICE:
        return None, str(errors.OFFER_PRICE_TOO_HIGH)
    return price.quantize(CENT), None


def _whole(value: object, *, low: int, high: int | None = None) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value < low or (high is not None and value > high):
        return None
    return value


def terms_errors(terms: OfferTerms) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The checked values and the errors per field (every field checked, not only the first).

    Shared by the offer services and the offers import, so a price sheet row is refused
    with the same words as the form.
    """
    found: dict[str, list[str]] = {}
    values: dict[str, Any] = {"is_listed": bool(terms.is_listed), "made_to_order": bool(terms.made_to_order)}
    if terms.grade not in Grade.values:
        found["grade"] = [str(errors.OFFER_GRADE_INVALID)]
    values["grade"] = terms.grade
    sku = str(terms.sku or "").strip()
    if not sku:
        found["sku"] = [str(errors.OFFER_SKU_REQUIRED)]
    elif len(sku) > 64:
        found["sku"] = [str(errors.OFFER_SKU_TOO_LONG)]
    values["sku"] = sku
    price, problem = parse_price(terms.price)
    if problem:
        found["price"] = [problem]
    values["price"] = price
    checks = (
        ("min_order_quantity", 1, None, errors.OFFER_MOQ_INVALID),
        ("order_multiple", 1, None, errors.OFFER_MULTIPLE_INVALID),
        ("lead_time_days", 0, MAX_LEAD_DAYS, errors.OFFER_LEAD_TIME_INVALID),
        ("warranty_months", 0, MAX_WARRANTY_MONTHS, errors.OFFER_WARRANTY_INVALID),
    )
    for name, low, high, message in checks:
        number = _whole(getattr(terms, name), low=low, high=high)
        if number is None:
            found[name] = [str(message)]
        values[name] = number
    return values, found


def _uniqueness_errors(
    *, supplier: Organization, part: Part, values: dict[str, Any], exclude_pk: int | None
) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    mine = others(Offer.objects.filter(supplier=supplier), exclude_pk)
    if values["sku"] and mine.filter(sku=values["sku"]).exists():
        found["sku"] = [str(errors.OFFER_SKU_TAKEN)]
    if values["grade"] in Grade.values and mine.filter(part=part, grade=values["grade"]).exists():
        found["grade"] = [str(errors.OFFER_DUPLICATE_GRADE)]
    return found


def _checked(
    *, supplier: Organization, part: Part, terms: OfferTerms, exclude_pk: int | None
) -> dict[str, Any]:
    values, found = terms_errors(terms)
    for field, messages in _uniqueness_errors(
        supplier=supplier, part=part, values=values, exclude_pk=exclude_pk
    ).items():
        found.setdefault(field, messages)
    if found:
        raise FieldErrors(found)
    return values


@transaction.atomic
def offer_create(
    *,
    supplier: Organization,
    part: Part,
    grade: str,
    sku: str,
    price: Decimal | str | int,
    min_order_quantity: int = 1,
    order_multiple: int = 1,
    lead_time_days: int = 1,
    warranty_months: int = 0,
    made_to_order: bool = False,
    is_listed: bool = True,
    by: "User | None",
    source_import: ImportJob | None = None,
) -> Offer:
    """A supplier's offer of a part in one grade; SKU unique per supplier, one offer per grade.
    Its stock comes from the supplier's warehouses (stock_quantity: what the levels of that
    part and grade hold when it is made, then kept in step by every stock movement), or it
    is sold made to order.

    Every wrong term is named at once (FieldErrors: price > 0 with at most 2 decimals,
    MOQ and multiple >= 1, SKU and grade not yet used by this supplier for the part).
    """
    terms = OfferTerms(
        grade=grade,
        sku=sku,
        price=price,
        min_order_quantity=min_order_quantity,
        order_multiple=order_multiple,
        lead_time_days=lead_time_days,
        warranty_months=warranty_months,
        made_to_order=made_to_order,
        is_listed=is_listed,
    )
    if supplier.kind != Organization.Kind.SUPPLIER:
        raise ApplicationError(errors.OFFER_SUPPLIER_ONLY)
    if part.review_status == ReviewStatus.REJECTED:
        raise ApplicationError(errors.PART_REJECTED, field="part")
    values = _checked(supplier=supplier, part=part, terms=terms, exclude_pk=None)
    offer = Offer(supplier=supplier, part=part, source_import=source_import, **values)
    save_validated(offer)
    _read_stock(offer)
    refresh_offer_summary([part.pk])
    return offer


def _read_stock(offer: Offer) -> None:
    """stock_quantity as the database set it from the supplier's stock levels of the part and
    grade (the inventory app's triggers on catalog_offer, when an offer is made or changes
    grade)."""
    offer.refresh_from_db(fields=["stock_quantity"])


def offer_terms(offer: Offer) -> OfferTerms:
    return OfferTerms(**{name: getattr(offer, name) for name in TERM_FIELDS})


@transaction.atomic
def offer_update(*, offer: Offer, by: "User | None", **changes: Any) -> Offer:
    """Changes the given terms (grade, sku, price, min_order_quantity, order_multiple,
    lead_time_days, warranty_months, made_to_order, is_listed) of the offer.

    A new grade sells from other stock levels: stock_quantity becomes what they hold."""
    unknown = set(changes) - set(TERM_FIELDS)
    if unknown:
        raise TypeError(f"offer_update() got unexpected fields: {sorted(unknown)}")
    terms = replace(offer_terms(offer), **changes)
    values = _checked(supplier=offer.supplier, part=offer.part, terms=terms, exclude_pk=offer.pk)
    regraded = values["grade"] != offer.grade
    for name, value in values.items():
        setattr(offer, name, value)
    # Only the terms: stock_quantity belongs to the stock movements, which may have
    # changed it since this offer was read.
    save_validated(offer, update_fields=[*values, "updated_at"])
    if regraded:
        _read_stock(offer)
    refresh_offer_summary([offer.part_id])
    return offer


@transaction.atomic
def offer_set_listed(*, offers: Iterable[Offer], listed: bool, by: "User | None") -> int:
    """Lists (上架) or delists (下架) offers in bulk; returns how many changed."""
    ids = sorted({offer.pk for offer in offers})
    if not ids:
        raise ApplicationError(errors.OFFERS_REQUIRED, field="offers")
    changing = Offer.objects.filter(pk__in=ids).exclude(is_listed=listed)
    part_ids = list(changing.values_list("part_id", flat=True).distinct())
    changed = changing.update(is_listed=listed, updated_at=timezone.now())
    refresh_offer_summary(part_ids)
    return changed
