"""Today's stock as a stock sheet (库存表): one row per SKU and warehouse, in the columns of
the import template, so that it re-imports unchanged."""

from partsmall.catalog.imports.kinds import kind_of
from partsmall.catalog.imports.workbooks import rows_bytes
from partsmall.catalog.models import Offer
from partsmall.inventory.models import StockLevel
from partsmall.organizations.models import Organization


def stock_workbook(*, organization: Organization) -> bytes:
    skus = {
        (part_id, grade): sku
        for sku, part_id, grade in Offer.objects.filter(supplier=organization).values_list(
            "sku", "part_id", "grade"
        )
    }
    levels = (
        StockLevel.objects.filter(warehouse__organization=organization)
        .order_by("warehouse__code", "part_id", "grade")
        .values_list("part_id", "grade", "warehouse__code", "on_hand")
    )
    rows = (
        [skus[(part_id, grade)], code, on_hand]
        for part_id, grade, code, on_hand in levels.iterator(2000)
        if (part_id, grade) in skus
    )
    return rows_bytes(kind_of("stock"), rows)
