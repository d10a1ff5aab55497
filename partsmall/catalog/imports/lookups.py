"""Batch look-ups the kinds share: a few queries per batch, never one per row."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from partsmall.catalog.imports.base import Column, Row
from partsmall.catalog.models import Brand, Part

PART_MISSING = _("配件「%(brand)s %(number)s」不存在，请先导入配件。")


def part_ids(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(brand name_norm, part number_norm) → part id, for the keys that exist."""
    wanted = set(keys)
    brands = dict(
        Brand.objects.filter(name_norm__in={brand for brand, _n in wanted}).values_list("name_norm", "id")
    )
    numbers = {number for _b, number in wanted}
    found: dict[tuple[str, str], int] = {}
    by_brand_id = {brand_id: norm for norm, brand_id in brands.items()}
    rows = Part.objects.filter(brand_id__in=by_brand_id, number_norm__in=numbers).values_list(
        "id", "brand_id", "number_norm"
    )
    for pk, brand_id, number_norm in rows:
        key = (by_brand_id[brand_id], number_norm)
        if key in wanted:
            found[key] = pk
    return found


def resolve_parts(rows: list[Row], *, number_column: Column) -> None:
    """Sets values["part_id"] of each row from its brand and part number, or its error."""
    found = part_ids((row.values["brand_norm"], row.values["number_norm"]) for row in rows)
    for row in rows:
        part_id = found.get((row.values["brand_norm"], row.values["number_norm"]))
        if part_id is None:
            row.error(
                number_column.header,
                PART_MISSING % {"brand": row.values["brand"], "number": row.values["number"]},
            )
        else:
            row.values["part_id"] = part_id
