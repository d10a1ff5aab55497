"""报价单: a supplier's price sheet, keyed by the supplier's SKU (商家编码).

The part must exist already (a parts import creates it). One offer per part and quality
grade: a row that would give a part a second offer in the same grade is refused. Stock is
not in the price sheet (prices change monthly, stock daily): the stock sheet 库存表 sets
it per warehouse; a row may mark the offer as made to order 按单生产 instead.
"""

from decimal import Decimal
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
from partsmall.catalog.imports.bulk import insert_rows
from partsmall.catalog.imports.lookups import resolve_parts
from partsmall.catalog.models import Grade, Offer
from partsmall.catalog.normalize import normalize_name, normalize_number
from partsmall.organizations.models import Organization

PRICE_NOT_POSITIVE = _("单价须大于 0。")
PRICE_TOO_HIGH = _("单价不能超过 9,999,999,999.99。")
GRADE_TAKEN = _("该配件已有此品质的报价（商家编码 %(sku)s），每种品质只能有一条报价。")
GRADE_TWICE = _("与第 %(row)s 行是同一配件的同一品质。")

_GRADES = tuple((value, str(label)) for value, label in Grade.choices)
_GRADE_LABELS = dict(_GRADES)
_YES_NO = ("是", "否")
MAX_PRICE = Decimal("9999999999.99")

SKU = Column(
    "商家编码", "sku", _("贵司的商品编码（SKU），每行唯一。"), "BS-0063", True, width=16, as_text=True
)
BRAND = Column("品牌", "brand", _("配件品牌。"), "博世", True, width=12)
NUMBER = Column(
    "零件号", "number", _("配件须已在平台上（可先导入配件）。"), "0986AF0063", True, width=18, as_text=True
)
GRADE = Column(
    "品质",
    "grade",
    _("原厂件、品牌件、副厂件或拆车件。"),
    "品牌件",
    True,
    width=10,
    options=tuple(label for _v, label in _GRADES),
    labels=_GRADES,
)
PRICE = Column("单价", "price", _("含税单价（元），两位小数。"), "35.50", True, width=12)
MOQ = Column("起订量", "min_order_quantity", _("空着为 1。"), "1", width=10)
MULTIPLE = Column("订购倍数", "order_multiple", _("空着为 1。"), "1", width=10)
LEAD = Column("交期(天)", "lead_time_days", _("0–365，空着为 1。"), "2", width=10)
WARRANTY = Column("质保(月)", "warranty_months", _("0–120，空着为 0。"), "12", width=10)
MADE_TO_ORDER = Column(
    "按单生产",
    "made_to_order",
    _("是或否，空着为 否。按单生产不占用库存，买家按交期等待。"),
    "否",
    width=10,
    options=_YES_NO,
)
LISTED = Column("上架", "is_listed", _("是或否，空着为 是。"), "是", width=8, options=_YES_NO)

FIELDS = (
    "price",
    "min_order_quantity",
    "order_multiple",
    "lead_time_days",
    "warranty_months",
    "made_to_order",
)


class OffersKind(ImportKind):
    kind = "offers"
    title = _("报价单")
    columns = (SKU, BRAND, NUMBER, GRADE, PRICE, MOQ, MULTIPLE, LEAD, WARRANTY, MADE_TO_ORDER, LISTED)
    allowed = frozenset({Organization.Kind.SUPPLIER})
    key_header = SKU.header
    summarises_offers = True

    def clean(self, row: Row, context: Context) -> None:
        sku = row.text(SKU, 64, cells.code)
        brand = row.text(BRAND, 50)
        number = row.text(NUMBER, 50, cells.code)
        grade = row.read(GRADE, _grade)
        row.values = {
            "sku": sku,
            "brand": brand,
            "brand_norm": normalize_name(brand),
            "number": number,
            "number_norm": normalize_number(number),
            "grade": grade,
            "price": _price(row),
            "min_order_quantity": row.integer(MOQ, default=1, low=1, high=1_000_000),
            "order_multiple": row.integer(MULTIPLE, default=1, low=1, high=1_000_000),
            "lead_time_days": row.integer(LEAD, default=1, low=0, high=365),
            "warranty_months": row.integer(WARRANTY, default=0, low=0, high=120),
            "made_to_order": row.read(MADE_TO_ORDER, cells.yes_no, default=False),
            "is_listed": row.read(LISTED, cells.yes_no, default=True),
        }
        row.key = sku

    def check_batch(self, rows: list[Row], context: Context) -> None:
        batch = rows
        rows = clean_rows(rows)
        resolve_parts(rows, number_column=NUMBER)
        for row in batch:
            # Only needed to find the part: not staged.
            row.values.pop("brand_norm", None)
            row.values.pop("number_norm", None)
        rows = clean_rows(rows)
        taken = _grades_taken(rows, context)
        seen: dict[tuple[int, str], int] = context.cache.setdefault("part_grades", {})
        for row in rows:
            key = (row.values["part_id"], row.values["grade"])
            other_sku = taken.get(key)
            if other_sku is not None and other_sku != row.values["sku"]:
                row.error(GRADE.header, GRADE_TAKEN % {"sku": other_sku})
            elif key in seen:
                row.error(GRADE.header, GRADE_TWICE % {"row": seen[key]})
            else:
                seen[key] = row.number

    def apply_chunk(self, rows: list[Staged], context: Context) -> ChunkResult:
        existing = {
            offer.sku: offer
            for offer in Offer.objects.filter(
                supplier=context.organization, sku__in=[row.values["sku"] for row in rows]
            )
        }
        result = ChunkResult()
        new: list[tuple[Any, ...]] = []
        changed: list[Offer] = []
        now = timezone.now()
        # A new offer's stock comes later, from the stock levels (inventory).
        fixed = (0, context.organization.pk, context.job.pk, now, now)
        for row in rows:
            wanted = _wanted(row.values)
            offer = existing.get(row.values["sku"])
            if offer is None:
                new.append((row.values["sku"], *wanted.values(), *fixed))
                result.outcomes[row.id] = CREATED
            elif any(getattr(offer, attr) != value for attr, value in wanted.items()):
                result.touched_part_ids.add(offer.part_id)
                for attr, value in wanted.items():
                    setattr(offer, attr, value)
                offer.updated_at = now
                changed.append(offer)
                result.outcomes[row.id] = UPDATED
            else:
                result.outcomes[row.id] = UNCHANGED
                continue
            result.touched_part_ids.add(wanted["part_id"])
        insert_rows(
            Offer,
            (
                "sku",
                *_wanted_fields(),
                "stock_quantity",
                "supplier_id",
                "source_import_id",
                "created_at",
                "updated_at",
            ),
            new,
        )
        Offer.objects.bulk_update(changed, [*_wanted_fields(), "updated_at"])
        return result


def _grade(value: object) -> str:
    return cells.choice(value, _GRADE_LABELS)


def _price(row: Row) -> str | None:
    price = row.read(PRICE, cells.money)
    if price is None:
        return None
    if price <= 0:
        row.error(PRICE.header, PRICE_NOT_POSITIVE)
        return None
    if price > MAX_PRICE:
        row.error(PRICE.header, PRICE_TOO_HIGH)
        return None
    return str(price)


def _grades_taken(rows: list[Row], context: Context) -> dict[tuple[int, str], str]:
    """(part id, grade) → SKU of the supplier's existing offers for the parts of the batch."""
    offers = Offer.objects.filter(
        supplier=context.organization, part_id__in={row.values["part_id"] for row in rows}
    ).values_list("part_id", "grade", "sku")
    return {(part_id, grade): sku for part_id, grade, sku in offers}


def _wanted_fields() -> list[str]:
    return ["part_id", "grade", *FIELDS, "is_listed"]


def _wanted(values: dict[str, Any]) -> dict[str, Any]:
    wanted: dict[str, Any] = {attr: values[attr] for attr in ("part_id", "grade", *FIELDS, "is_listed")}
    wanted["price"] = Decimal(values["price"])
    return wanted
