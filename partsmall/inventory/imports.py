"""库存表: a supplier's stock sheet, the absolute quantity on hand per SKU and warehouse.

It runs in the catalogue's import framework (staging, preview, error report, apply in
chunks; catalog.imports), which loads this kind by dotted path from
settings.CATALOG_IMPORT_KINDS: the catalogue never imports inventory. Its jobs are served
by inventory's pages (console "inventory"). A row sets the level of the offer's part and
grade in that warehouse to the quantity, through `stock_set_counts`: one adjustment
movement per difference, none when the quantity is already so (re-uploading the same
sheet writes nothing). A quantity below what orders hold reserved is refused for its row.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from partsmall.catalog.imports import cells
from partsmall.catalog.imports.base import ChunkResult, Column, Context, ImportKind, Row, Staged, clean_rows
from partsmall.catalog.models import Offer
from partsmall.inventory import errors
from partsmall.inventory.models import MovementKind, StockLevel, Warehouse
from partsmall.inventory.services import MAX_QUANTITY, StockCount, stock_set_counts
from partsmall.organizations.models import Organization

SKU_MISSING = _("贵司没有商家编码为「%(sku)s」的报价，请先导入报价单或新建报价。")
WAREHOUSE_MISSING = _("没有编码为「%(code)s」的仓库，请先在「库存 › 仓库」中新建。")
WAREHOUSE_OFF = _("仓库「%(code)s」已停用。")

SKU = Column(
    "商家编码", "sku", _("报价的商家编码（SKU），须已在报价单中。"), "BS-0063", True, width=16, as_text=True
)
WAREHOUSE = Column(
    "仓库编码", "warehouse_code", _("「库存 › 仓库」中的仓库编码。"), "GZ01", True, width=12, as_text=True
)
QUANTITY = Column(
    "在库数量",
    "quantity",
    _("该仓库现有的实际数量（绝对数，不是增减），不少于已被订单预留的数量。"),
    "120",
    True,
    width=12,
)


class StockKind(ImportKind):
    kind = "stock"
    title = _("库存表")
    columns = (SKU, WAREHOUSE, QUANTITY)
    allowed = frozenset({Organization.Kind.SUPPLIER})
    key_header = SKU.header
    console = "inventory"
    detail_route = "inventory:import_detail"

    def clean(self, row: Row, context: Context) -> None:
        sku = row.text(SKU, 64, cells.code)
        code = row.text(WAREHOUSE, 32, cells.code).upper()
        quantity = row.integer(QUANTITY, default=None, low=0, high=MAX_QUANTITY)
        row.values = {"sku": sku, "warehouse_code": code, "quantity": quantity}
        row.key = f"{sku}|{code}" if sku and code else ""

    def check_batch(self, rows: list[Row], context: Context) -> None:
        rows = clean_rows(rows)
        offers = _offers(rows, context)
        warehouses = _warehouses(context)
        for row in rows:
            offer = offers.get(row.values["sku"])
            warehouse = warehouses.get(row.values["warehouse_code"])
            if offer is None:
                row.error(SKU.header, SKU_MISSING % {"sku": row.values["sku"]})
            if warehouse is None:
                row.error(WAREHOUSE.header, WAREHOUSE_MISSING % {"code": row.values["warehouse_code"]})
            elif not warehouse[1]:
                row.error(WAREHOUSE.header, WAREHOUSE_OFF % {"code": row.values["warehouse_code"]})
            if offer is not None and warehouse is not None:
                row.values.update(warehouse_id=warehouse[0], part_id=offer[0], grade=offer[1])
        _check_reserved(clean_rows(rows))

    def apply_chunk(self, rows: list[Staged], context: Context) -> ChunkResult:
        values = [row.values for row in rows]
        counts = [
            StockCount(v["warehouse_id"], v["part_id"], v["grade"], v["quantity"], key=row.id)
            for row, v in zip(rows, values, strict=True)
        ]
        done = stock_set_counts(
            counts=counts,
            kind=MovementKind.ADJUSTMENT,
            ref_type="import_job",
            ref_id=context.job.pk,
            ref_label=f"库存表导入 #{context.job.pk}",
            note=context.job.file_name,
            by=context.by,
        )
        result = ChunkResult()
        result.outcomes = {int(str(key)): outcome for key, outcome in done.outcomes.items()}
        result.failures = {
            int(str(key)): [{"column": QUANTITY.header, "message": message}]
            for key, message in done.failures.items()
        }
        return result


def _offers(rows: list[Row], context: Context) -> dict[str, tuple[int, str]]:
    """SKU → (part id, grade) of the supplier's offers named in the batch."""
    found = Offer.objects.filter(
        supplier=context.organization, sku__in={row.values["sku"] for row in rows}
    ).values_list("sku", "part_id", "grade")
    return {sku: (part_id, grade) for sku, part_id, grade in found}


def _warehouses(context: Context) -> dict[str, tuple[int, bool]]:
    """Code → (id, active) of the organization's warehouses (read once per job run)."""
    cached: dict[str, tuple[int, bool]] | None = context.cache.get("warehouses")
    if cached is None:
        cached = {
            code: (pk, active)
            for pk, code, active in Warehouse.objects.filter(organization=context.organization).values_list(
                "pk", "code", "is_active"
            )
        }
        context.cache["warehouses"] = cached
    return cached


def _check_reserved(rows: list[Row]) -> None:
    """A quantity below what orders hold reserved in that level is refused at preview."""
    if not rows:
        return
    reserved: dict[tuple[int, int, str], int] = {
        (w, p, g): n
        for w, p, g, n in StockLevel.objects.filter(
            warehouse_id__in={row.values["warehouse_id"] for row in rows},
            part_id__in={row.values["part_id"] for row in rows},
            reserved__gt=0,
        ).values_list("warehouse_id", "part_id", "grade", "reserved")
    }
    for row in rows:
        values: dict[str, Any] = row.values
        held = reserved.get((values["warehouse_id"], values["part_id"], values["grade"]), 0)
        if values["quantity"] < held:
            row.error(
                QUANTITY.header, errors.BELOW_RESERVED % {"on_hand": values["quantity"], "reserved": held}
            )
