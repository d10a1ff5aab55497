"""Batch look-ups the kinds share: a few queries per batch, never one per row."""

from collections.abc import Iterable

from django.db import connection
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
    found: dict[tuple[str, str], int] = {}
    by_brand_id = {brand_id: norm for norm, brand_id in brands.items()}
    for pk, brand_id, number_norm in _parts_of(
        [(brands[brand], number) for brand, number in wanted if brand in brands]
    ):
        key = (by_brand_id[brand_id], number_norm)
        if key in wanted:
            found[key] = pk
    return found


def _parts_of(keys: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """(id, brand id, number_norm) of the parts with these (brand id, number_norm) keys.

    On PostgreSQL the keys are joined as pairs on the unique (brand, number) index; the
    IN lists of brands and of numbers would also fetch every other brand's part of a
    common number (ten times the rows for generic numbers).
    """
    if not keys:
        return []
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Part._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.id, p.brand_id, p.number_norm FROM {table} p "
                "JOIN unnest(%s::bigint[], %s::text[]) AS k(brand_id, number_norm) "
                "ON p.brand_id = k.brand_id AND p.number_norm = k.number_norm",
                [[brand_id for brand_id, _n in keys], [number for _b, number in keys]],
            )
            return list(cursor.fetchall())
    return list(
        Part.objects.filter(
            brand_id__in={brand_id for brand_id, _n in keys}, number_norm__in={n for _b, n in keys}
        ).values_list("id", "brand_id", "number_norm")
    )


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
