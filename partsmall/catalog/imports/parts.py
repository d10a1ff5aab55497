"""配件与原厂编号: parts keyed by brand + normalised part number, with their OE numbers.

Missing brands and parts are created and record their source (the importing organization
and this import); a supplier's rows wait for review. OE numbers are only ever added. A
supplier's file adds to parts it did not create but never rewrites them; an operator's
file updates name, category and attributes.
"""

import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partsmall.catalog.imports import cells
from partsmall.catalog.imports.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ChunkResult,
    Column,
    Context,
    ImportKind,
    Row,
    Staged,
    clean_rows,
)
from partsmall.catalog.models import Brand, Category, OeNumber, Part, ReviewStatus
from partsmall.catalog.normalize import normalize_name, normalize_number
from partsmall.organizations.models import Organization

CATEGORY_UNKNOWN = _("分类编码「%(code)s」不存在。")
OE_BRAND_REQUIRED = _("填写了原厂编号时必填。")
ATTRIBUTES_INVALID = _("应写成 名称=值，多项用分号分隔，如 高度=85mm；螺纹=3/4-16UNF。")

BRAND = Column("品牌", "brand", _("配件品牌，如 博世、丰田。"), "博世", required=True, width=12)
NUMBER = Column(
    "零件号", "number", _("品牌的零件号，照原样填写。"), "0986AF0063", True, width=18, as_text=True
)
NAME = Column("名称", "name", _("配件名称。"), "机油滤清器", True, width=24)
CATEGORY = Column("分类编码", "category", _("平台配件分类的编码。"), "oil-filter", True, width=14)
OE_BRAND = Column("原厂品牌", "oe_brand", _("原厂编号所属的整车品牌。"), "丰田", width=12)
OE_NUMBERS = Column(
    "原厂编号",
    "oe_numbers",
    _("一个或多个，用分号隔开。"),
    "90915-YZZD4; 90915-10003",
    width=28,
    as_text=True,
)
ATTRIBUTES = Column(
    "属性", "attributes", _("名称=值，多项用分号隔开。"), "高度=85mm；螺纹=3/4-16UNF", width=28
)

_ATTRIBUTE_SEPARATOR = re.compile(r"[;\n]+")


def parse_attributes(value: object) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in _ATTRIBUTE_SEPARATOR.split(cells.fold(str(value))):
        if not item.strip():
            continue
        name, sep, text = item.partition("=")
        if not sep:
            name, sep, text = item.partition(":")
        if not sep or not name.strip() or not text.strip():
            raise cells.CellError(ATTRIBUTES_INVALID)
        result[name.strip()[:50]] = text.strip()[:200]
    return result


def _oe_numbers(value: object) -> list[str]:
    return [cells.code(item) for item in cells.split_list(cells.code(value))]


class PartsKind(ImportKind):
    kind = "parts"
    title = _("配件与原厂编号")
    columns = (BRAND, NUMBER, NAME, CATEGORY, OE_BRAND, OE_NUMBERS, ATTRIBUTES)
    allowed = frozenset({Organization.Kind.SUPPLIER, Organization.Kind.PLATFORM})
    key_header = NUMBER.header

    def clean(self, row: Row, context: Context) -> None:
        brand = row.text(BRAND, 50)
        number = row.text(NUMBER, 50, cells.code)
        name = row.text(NAME, 200)
        category = row.text(CATEGORY, 50)
        oe_brand = row.text(OE_BRAND, 50)
        oe_numbers = row.read(OE_NUMBERS, _oe_numbers, default=[]) or []
        for oe in oe_numbers:
            if len(oe) > 50 or not normalize_number(oe):
                row.error(OE_NUMBERS.header, _("原厂编号「%(number)s」无效。") % {"number": oe})
        if oe_numbers and not oe_brand:
            row.error(OE_BRAND.header, OE_BRAND_REQUIRED)
        attributes = row.read(ATTRIBUTES, parse_attributes, default={}) or {}
        number_norm = normalize_number(number)
        if number and not number_norm:
            row.error(NUMBER.header, _("零件号无效。"))
        row.values = {
            "brand": brand,
            "brand_norm": normalize_name(brand),
            "number": number,
            "number_norm": number_norm,
            "name": name,
            "category": category,
            "oe_brand": oe_brand,
            "oe_brand_norm": normalize_name(oe_brand),
            "oe_numbers": oe_numbers,
            "attributes": attributes,
        }
        row.key = f"{row.values['brand_norm']}|{number_norm}"

    def check_batch(self, rows: list[Row], context: Context) -> None:
        categories = _category_ids(context)
        for row in clean_rows(rows):
            category_id = categories.get(row.values["category"].lower())
            if category_id is None:
                row.error(CATEGORY.header, CATEGORY_UNKNOWN % {"code": row.values["category"]})
            else:
                row.values["category_id"] = category_id

    def apply_chunk(self, rows: list[Staged], context: Context) -> ChunkResult:
        brands = _brands(rows, context)
        parts = _existing_parts(rows, brands)
        result = ChunkResult()
        _create_parts(rows, brands, parts, context, result)
        _update_parts(rows, brands, parts, context, result)
        _add_oe_numbers(rows, brands, parts, context, result)
        for row in rows:
            result.outcomes.setdefault(row.id, UNCHANGED)
        return result


def _category_ids(context: Context) -> dict[str, int]:
    if "categories" not in context.cache:
        context.cache["categories"] = {
            code.lower(): pk for code, pk in Category.objects.values_list("code", "id")
        }
    return context.cache["categories"]


def _brands(rows: list[Staged], context: Context) -> dict[str, int]:
    """name_norm → brand id for every brand of the chunk, creating missing ones."""
    wanted: dict[str, tuple[str, bool]] = {}
    for row in rows:
        if row.values["oe_numbers"]:
            wanted.setdefault(row.values["oe_brand_norm"], (row.values["oe_brand"], True))
        wanted.setdefault(row.values["brand_norm"], (row.values["brand"], False))
    found = dict(Brand.objects.filter(name_norm__in=wanted).values_list("name_norm", "id"))
    missing = [
        Brand(name=name, name_norm=norm, is_oe=is_oe, source=context.source)
        for norm, (name, is_oe) in wanted.items()
        if norm not in found
    ]
    if missing:
        Brand.objects.bulk_create(missing, ignore_conflicts=True)
        found = dict(Brand.objects.filter(name_norm__in=wanted).values_list("name_norm", "id"))
    return found


def _part_key(row: Staged, brands: dict[str, int]) -> tuple[int, str]:
    return brands[row.values["brand_norm"]], row.values["number_norm"]


def _existing_parts(rows: list[Staged], brands: dict[str, int]) -> dict[tuple[int, str], Part]:
    keys = {_part_key(row, brands) for row in rows}
    found = Part.objects.filter(
        brand_id__in={b for b, _n in keys}, number_norm__in={n for _b, n in keys}
    ).only(
        "id",
        "brand_id",
        "number_norm",
        "name",
        "category_id",
        "attributes",
        "source_organization_id",
        "review_status",
    )
    return {(p.brand_id, p.number_norm): p for p in found if (p.brand_id, p.number_norm) in keys}


def _create_parts(
    rows: list[Staged],
    brands: dict[str, int],
    parts: dict[tuple[int, str], Part],
    context: Context,
    result: ChunkResult,
) -> None:
    review = ReviewStatus.APPROVED if context.is_operator else ReviewStatus.PENDING
    new_rows = [row for row in rows if _part_key(row, brands) not in parts]
    new = [
        Part(
            brand_id=_part_key(row, brands)[0],
            number=row.values["number"],
            number_norm=row.values["number_norm"],
            name=row.values["name"],
            category_id=row.values["category_id"],
            attributes=row.values["attributes"],
            source=context.source,
            source_organization=context.organization,
            source_import=context.job,
            review_status=review,
        )
        for row in new_rows
    ]
    if not new:
        return
    Part.objects.bulk_create(new, ignore_conflicts=True)
    parts.update(_existing_parts(new_rows, brands))
    for row in new_rows:
        part = parts[_part_key(row, brands)]
        result.outcomes[row.id] = CREATED
        result.reindex_part_ids.add(part.pk)
        result.touched_part_ids.add(part.pk)


def _update_parts(
    rows: list[Staged],
    brands: dict[str, int],
    parts: dict[tuple[int, str], Part],
    context: Context,
    result: ChunkResult,
) -> None:
    """Operators rewrite what differs; a supplier only its own parts still waiting for review."""
    now = timezone.now()
    changed: list[Part] = []
    for row in rows:
        if row.id in result.outcomes:
            continue
        part = parts[_part_key(row, brands)]
        own = part.source_organization_id == context.organization.pk
        if not (context.is_operator or (own and part.review_status == ReviewStatus.PENDING)):
            continue
        wanted: dict[str, Any] = {
            "name": row.values["name"],
            "category_id": row.values["category_id"],
            "attributes": row.values["attributes"],
        }
        if all(getattr(part, attr) == value for attr, value in wanted.items()):
            continue
        for attr, value in wanted.items():
            setattr(part, attr, value)
        part.updated_at = now
        changed.append(part)
        result.outcomes[row.id] = UPDATED
        result.reindex_part_ids.add(part.pk)
        result.touched_part_ids.add(part.pk)
    Part.objects.bulk_update(changed, ["name", "category_id", "attributes", "updated_at"])


def _add_oe_numbers(
    rows: list[Staged],
    brands: dict[str, int],
    parts: dict[tuple[int, str], Part],
    context: Context,
    result: ChunkResult,
) -> None:
    part_ids = {parts[_part_key(row, brands)].pk for row in rows if row.values["oe_numbers"]}
    existing = set(OeNumber.objects.filter(part_id__in=part_ids).values_list("part_id", "number_norm"))
    review = ReviewStatus.APPROVED if context.is_operator else ReviewStatus.PENDING
    new: list[OeNumber] = []
    for row in rows:
        part = parts[_part_key(row, brands)]
        for number in row.values["oe_numbers"]:
            key = (part.pk, normalize_number(number))
            if key in existing:
                continue
            existing.add(key)
            new.append(
                OeNumber(
                    part_id=part.pk,
                    oe_brand_id=brands[row.values["oe_brand_norm"]],
                    number=number,
                    number_norm=key[1],
                    source=context.source,
                    source_organization=context.organization,
                    source_import=context.job,
                    review_status=review,
                )
            )
            result.outcomes.setdefault(row.id, UPDATED)
            result.reindex_part_ids.add(part.pk)
            result.touched_part_ids.add(part.pk)
    OeNumber.objects.bulk_create(new, ignore_conflicts=True)
