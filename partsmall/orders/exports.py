"""Orders as Excel 导出: one sheet of orders, one of their lines.

The caller passes orders from a scoped selector (a supplier's sales, a buyer's
purchases), with the list page's filters applied, so an export holds exactly what the
page lists. Written in openpyxl's write-only mode, streaming rows from the database.
"""

import io
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook

from partsmall.catalog.models import Grade
from partsmall.orders.models import OrderLine, SupplierOrder
from partsmall.orders.price_sources import price_source_text

SALES, PURCHASE = "sales", "purchase"
EXCEL_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column headers (translated when written); "" is the other party (采购方 / 供应商).
ORDER_HEADERS = (
    gettext_noop("订单号"),
    gettext_noop("下单时间"),
    "",
    gettext_noop("订单状态"),
    gettext_noop("付款状态"),
    gettext_noop("商品金额"),
    gettext_noop("运费"),
    gettext_noop("账期"),
    gettext_noop("确认时间"),
    gettext_noop("收货时间"),
    gettext_noop("取消/拒单原因"),
)
LINE_HEADERS = (
    gettext_noop("订单号"),
    gettext_noop("商家编码"),
    gettext_noop("品牌"),
    gettext_noop("零件号"),
    gettext_noop("名称"),
    gettext_noop("品质"),
    gettext_noop("数量"),
    gettext_noop("单价(含税)"),
    gettext_noop("税率"),
    gettext_noop("价格来源"),
    gettext_noop("金额"),
    gettext_noop("已发数量"),
    gettext_noop("已退数量"),
)


def _local(value: datetime | None) -> datetime | None:
    """Excel has no time zones: local wall-clock time."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _order_row(order: SupplierOrder, side: str) -> list[object]:
    party = order.buyer.name if side == SALES else order.supplier.name
    return [
        order.number,
        _local(order.created_at),
        party,
        str(order.get_status_display()),
        str(order.get_payment_status_display()),
        order.goods_total,
        order.freight if order.freight is not None else _("运费另议"),
        _("是") if order.on_account else _("否"),
        _local(order.confirmed_at),
        _local(order.delivered_at),
        order.cancel_reason or order.reject_reason,
    ]


def _line_row(line: OrderLine, side: str) -> list[object]:
    grade = str(Grade(line.grade).label) if line.grade in Grade.values else line.grade
    return [
        line.order.number,
        line.sku,
        line.brand_name,
        line.part_number,
        line.part_name,
        grade,
        line.quantity,
        line.unit_price,
        line.vat_rate,
        price_source_text(line.price_source, line.price_ref_label, for_supplier=side != PURCHASE),
        line.amount,
        line.shipped_quantity,
        line.returned_quantity,
    ]


def orders_workbook(*, orders: QuerySet[SupplierOrder], side: str) -> bytes:
    """The orders (sheet 订单) and their lines (sheet 明细) as an .xlsx file."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("订单"))
    party = _("采购方") if side == SALES else _("供应商")
    sheet.append([_(h) if h else party for h in ORDER_HEADERS])
    ids = []
    for order in (
        orders.select_related("buyer", "supplier").order_by("-created_at", "-id").iterator(chunk_size=500)
    ):
        ids.append(order.pk)
        sheet.append(_order_row(order, side))
    lines = book.create_sheet(_("明细"))
    lines.append([_(h) for h in LINE_HEADERS])
    for start in range(0, len(ids), 500):
        chunk = OrderLine.objects.filter(order_id__in=ids[start : start + 500]).select_related("order")
        for line in chunk.order_by("-order__created_at", "-order_id", "id"):
            lines.append(_line_row(line, side))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
