"""Parts, their OE numbers, interchange/supersession and fitment: shared platform data.

Rows a supplier adds wait for review (PENDING) and record the supplier; rows the
platform adds are approved at once. Every change to what a part is found by rewrites
its `search_text` (indexing.part_search_text).
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from partsmall.catalog import errors
from partsmall.catalog.indexing import part_search_text
from partsmall.catalog.models import (
    Brand,
    Category,
    Fitment,
    ImportJob,
    OeNumber,
    Part,
    PartLink,
    Position,
    ReviewStatus,
)
from partsmall.catalog.normalize import normalize_number
from partsmall.catalog.services.common import clean_text, is_supplier_source, others
from partsmall.core.errors import ApplicationError
from partsmall.organizations.models import Organization
from partsmall.organizations.services.common import save_validated
from partsmall.vehicles.models import VehicleType

if TYPE_CHECKING:
    from partsmall.accounts.models import User

CHUNK = 1000


def _review_status(organization: Organization | None) -> str:
    return ReviewStatus.PENDING if is_supplier_source(organization) else ReviewStatus.APPROVED


def _part_number(number: object) -> tuple[str, str]:
    text = clean_text(
        number,
        field="number",
        max_length=50,
        required=errors.PART_NUMBER_REQUIRED,
        too_long=errors.PART_NUMBER_TOO_LONG,
    )
    norm = normalize_number(text)
    if not norm:
        raise ApplicationError(errors.PART_NUMBER_REQUIRED, field="number")
    return text, norm


def _part_name(name: object) -> str:
    return clean_text(
        name,
        field="name",
        max_length=200,
        required=errors.PART_NAME_REQUIRED,
        too_long=errors.PART_NAME_TOO_LONG,
    )


def _check_unique_part(brand: Brand, number_norm: str, *, exclude_pk: int | None) -> None:
    if others(Part.objects.filter(brand=brand, number_norm=number_norm), exclude_pk).exists():
        raise ApplicationError(errors.PART_DUPLICATE, field="number")


def category_path_names(category_id: int, categories: dict[int, Category]) -> list[str]:
    """The names of a category and its ancestors (机油滤清器, 滤清器)."""
    names: list[str] = []
    node = categories.get(category_id)
    while node is not None and len(names) < 10:
        names.append(node.name)
        node = categories.get(node.parent_id) if node.parent_id else None
    return names


def search_text_of(part: Part, *, oe_numbers: Iterable[str], categories: dict[int, Category]) -> str:
    return part_search_text(
        name=part.name,
        brand=f"{part.brand.name} {part.brand.name_en}".strip(),
        number_norm=part.number_norm,
        oe_numbers=oe_numbers,
        categories=category_path_names(part.category_id, categories),
    )


def part_reindex(*, part_ids: Iterable[int]) -> int:
    """Rewrites `search_text` of these parts in bulk; returns how many were written."""
    ids = sorted(set(part_ids))
    categories = {c.pk: c for c in Category.objects.all()}
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        numbers: dict[int, list[str]] = defaultdict(list)
        oe_rows = OeNumber.objects.filter(part_id__in=chunk).exclude(review_status=ReviewStatus.REJECTED)
        for part_id, number_norm in oe_rows.values_list("part_id", "number_norm"):
            numbers[part_id].append(number_norm)
        parts = list(Part.objects.filter(id__in=chunk).select_related("brand"))
        for part in parts:
            part.search_text = search_text_of(part, oe_numbers=numbers[part.pk], categories=categories)
        Part.objects.bulk_update(parts, ["search_text"])
        written += len(parts)
    return written


def _oe_number(number: object) -> tuple[str, str]:
    text = clean_text(
        number,
        field="oe_number",
        max_length=50,
        required=errors.OE_NUMBER_REQUIRED,
        too_long=errors.OE_NUMBER_TOO_LONG,
    )
    norm = normalize_number(text)
    if not norm:
        raise ApplicationError(errors.OE_NUMBER_REQUIRED, field="oe_number")
    return text, norm


def _oe_add(
    *,
    part: Part,
    oe_brand: Brand,
    number: str,
    organization: Organization | None,
    source: str,
    source_import: ImportJob | None,
) -> OeNumber:
    text, norm = _oe_number(number)
    if OeNumber.objects.filter(part=part, number_norm=norm).exists():
        raise ApplicationError(errors.OE_NUMBER_DUPLICATE, field="oe_number")
    oe = OeNumber(
        part=part,
        oe_brand=oe_brand,
        number=text,
        number_norm=norm,
        source=source,
        source_organization=organization,
        source_import=source_import,
        review_status=_review_status(organization),
    )
    save_validated(oe)
    return oe


@transaction.atomic
def part_create(
    *,
    brand: Brand,
    number: str,
    name: str,
    category: Category,
    by: "User | None",
    organization: Organization | None = None,
    description: str = "",
    attributes: dict[str, Any] | None = None,
    oe_numbers: Iterable[tuple[Brand, str]] = (),
    source: str = "",
    source_import: ImportJob | None = None,
    is_demo: bool = False,
) -> Part:
    """A part keyed by brand + normalised number. A supplier's part waits for review."""
    text, norm = _part_number(number)
    name = _part_name(name)
    _check_unique_part(brand, norm, exclude_pk=None)
    part = Part(
        brand=brand,
        number=text,
        number_norm=norm,
        name=name,
        category=category,
        description=description.strip(),
        attributes=attributes or {},
        source=source,
        source_organization=organization,
        source_import=source_import,
        review_status=_review_status(organization),
        is_demo=is_demo,
    )
    save_validated(part)
    for oe_brand, oe_number in oe_numbers:
        _oe_add(
            part=part,
            oe_brand=oe_brand,
            number=oe_number,
            organization=organization,
            source=source,
            source_import=source_import,
        )
    part_reindex(part_ids=[part.pk])
    part.refresh_from_db(fields=["search_text"])
    return part


@transaction.atomic
def part_update(
    *,
    part: Part,
    by: "User | None",
    brand: Brand | None = None,
    number: str | None = None,
    name: str | None = None,
    category: Category | None = None,
    description: str | None = None,
    attributes: dict[str, Any] | None = None,
) -> Part:
    """Changes what is given; brand + number stay unique."""
    if number is not None:
        part.number, part.number_norm = _part_number(number)
    if brand is not None:
        part.brand = brand
    if brand is not None or number is not None:
        _check_unique_part(part.brand, part.number_norm, exclude_pk=part.pk)
    if name is not None:
        part.name = _part_name(name)
    if category is not None:
        part.category = category
    if description is not None:
        part.description = description.strip()
    if attributes is not None:
        part.attributes = attributes
    save_validated(part)
    part_reindex(part_ids=[part.pk])
    part.refresh_from_db(fields=["search_text"])
    return part


@transaction.atomic
def oe_number_add(
    *,
    part: Part,
    oe_brand: Brand,
    number: str,
    by: "User | None",
    organization: Organization | None = None,
    source: str = "",
    source_import: ImportJob | None = None,
) -> OeNumber:
    """An OE number 原厂编号 of the part, kept as written and normalised for lookup."""
    oe = _oe_add(
        part=part,
        oe_brand=oe_brand,
        number=number,
        organization=organization,
        source=source,
        source_import=source_import,
    )
    part_reindex(part_ids=[part.pk])
    return oe


@transaction.atomic
def part_link_add(
    *,
    from_part: Part,
    to_part: Part,
    kind: str,
    by: "User | None",
    organization: Organization | None = None,
    source: str = "",
) -> PartLink:
    """Interchange 互换 (either way round) or supersession 替代 (from_part is replaced by to_part)."""
    if kind not in PartLink.Kind.values:
        raise ApplicationError(errors.LINK_KIND_INVALID, field="kind")
    if from_part.pk == to_part.pk:
        raise ApplicationError(errors.LINK_TO_ITSELF, field="to_part")
    existing = PartLink.objects.filter(from_part=from_part, to_part=to_part, kind=kind)
    if kind == PartLink.Kind.INTERCHANGE:
        existing = existing | PartLink.objects.filter(from_part=to_part, to_part=from_part, kind=kind)
    if existing.exists():
        raise ApplicationError(errors.LINK_DUPLICATE, field="to_part")
    link = PartLink(
        from_part=from_part,
        to_part=to_part,
        kind=kind,
        source=source,
        source_organization=organization,
        review_status=_review_status(organization),
    )
    save_validated(link)
    return link


@transaction.atomic
def fitment_add(
    *,
    part: Part,
    vehicle_type: VehicleType,
    by: "User | None",
    organization: Organization | None = None,
    position: str = "",
    quantity: int = 1,
    notes: str = "",
    source: str = "",
    source_import: ImportJob | None = None,
) -> Fitment:
    """适配: the part fits the vehicle type at a position; a supplier's fitment waits for review."""
    if position not in Position.values:
        raise ApplicationError(errors.FITMENT_POSITION_INVALID, field="position")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1 or quantity > 999:
        raise ApplicationError(errors.FITMENT_QUANTITY_INVALID, field="quantity")
    notes = clean_text(
        notes, field="notes", max_length=200, required=None, too_long=errors.FITMENT_NOTES_TOO_LONG
    )
    if Fitment.objects.filter(part=part, vehicle_type=vehicle_type, position=position).exists():
        raise ApplicationError(errors.FITMENT_DUPLICATE, field="vehicle_type")
    fitment = Fitment(
        part=part,
        vehicle_type=vehicle_type,
        position=position,
        quantity=quantity,
        notes=notes,
        source=source,
        source_organization=organization,
        source_import=source_import,
        review_status=_review_status(organization),
    )
    save_validated(fitment)
    return fitment
