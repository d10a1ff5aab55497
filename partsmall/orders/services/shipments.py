"""Shipments 发货: the supplier ships an order's lines from its warehouses, in as many
parcels as needed (partial shipment is the normal case).

One call ships a set of (line, warehouse, quantity) items under one carrier and tracking
number (free text until the logistics capability); the items of each warehouse become one
Shipment. Each shipment line turns the line's reserved units in that warehouse into a
shipment movement (`stock_ship`; made-to-order lines take on-hand stock there), and the
order moves to partially shipped or shipped through `order_transition`.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.inventory.models import Warehouse
from partsmall.inventory.services import stock_ship
from partsmall.orders import order_errors
from partsmall.orders.models import OrderLine, Shipment, ShipmentLine, SupplierOrder
from partsmall.orders.services.transitions import LINE_REF, order_transition

if TYPE_CHECKING:
    from partsmall.accounts.models import User

Status = SupplierOrder.Status

SHIPMENT_REF = "shipment"
SHIPPABLE = frozenset({Status.CONFIRMED, Status.PARTIALLY_SHIPPED})
TEXT_MAX = 50


@dataclass(frozen=True)
class ShipItem:
    """Ship `quantity` of an order line from one of the supplier's warehouses."""

    line_id: int
    warehouse_id: int | None
    quantity: object


def _parcel_fields(carrier: str, tracking_number: str) -> tuple[str, str]:
    carrier, tracking_number = str(carrier or "").strip(), str(tracking_number or "").strip()
    found: dict[str, list[str]] = {}
    if not carrier:
        found["carrier"] = [str(order_errors.CARRIER_REQUIRED)]
    elif len(carrier) > TEXT_MAX:
        found["carrier"] = [str(order_errors.CARRIER_TOO_LONG)]
    if len(tracking_number) > TEXT_MAX:
        found["tracking_number"] = [str(order_errors.TRACKING_TOO_LONG)]
    if found:
        raise FieldErrors(found)
    return carrier, tracking_number


def _quantity(item: ShipItem, line: OrderLine) -> int:
    value = item.quantity
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApplicationError(order_errors.SHIP_QUANTITY_INVALID % {"sku": line.sku}, field="items")
    return value


def _planned(order: SupplierOrder, items: Sequence[ShipItem]) -> dict[int, list[tuple[OrderLine, int]]]:
    """The items by warehouse id, checked: own lines, own active warehouses, not more than
    is still open on each line. Items with quantity 0 are left out."""
    lines = {line.pk: line for line in order.lines.select_related("offer")}
    warehouses = set(
        Warehouse.objects.filter(organization_id=order.supplier_id, is_active=True).values_list(
            "pk", flat=True
        )
    )
    by_warehouse: dict[int, list[tuple[OrderLine, int]]] = defaultdict(list)
    shipping: dict[int, int] = defaultdict(int)
    for item in items:
        line = lines.get(item.line_id)
        if line is None:
            raise ApplicationError(order_errors.SHIP_LINE_UNKNOWN, field="items")
        quantity = _quantity(item, line)
        if quantity == 0:
            continue
        if not item.warehouse_id:
            raise ApplicationError(order_errors.SHIP_WAREHOUSE_REQUIRED % {"sku": line.sku}, field="items")
        if item.warehouse_id not in warehouses:
            raise ApplicationError(order_errors.SHIP_WAREHOUSE_UNKNOWN, field="items")
        shipping[line.pk] += quantity
        if shipping[line.pk] > line.open_quantity:
            raise ApplicationError(
                order_errors.SHIP_TOO_MANY
                % {"sku": line.sku, "open": line.open_quantity, "quantity": shipping[line.pk]},
                field="items",
            )
        by_warehouse[item.warehouse_id].append((line, quantity))
    if not by_warehouse:
        raise ApplicationError(order_errors.SHIP_NOTHING, field="items")
    return by_warehouse


def _ship_parcel(
    order: SupplierOrder,
    warehouse_id: int,
    lines: list[tuple[OrderLine, int]],
    carrier: str,
    tracking_number: str,
    by: "User | None",
) -> Shipment:
    shipment = Shipment.objects.create(
        order=order,
        warehouse_id=warehouse_id,
        carrier=carrier,
        tracking_number=tracking_number,
        shipped_by=by,
    )
    for line, quantity in lines:
        ShipmentLine.objects.create(shipment=shipment, line=line, quantity=quantity)
        stock_ship(
            ref_type=LINE_REF,
            ref_id=line.pk,
            warehouse_id=warehouse_id,
            quantity=quantity,
            shipment_ref_type=SHIPMENT_REF,
            shipment_ref_id=shipment.pk,
            ref_label=order.number,
            by=by,
            offer=line.offer,
        )
        line.shipped_quantity += quantity
        line.save(update_fields=["shipped_quantity"])
    return shipment


@transaction.atomic
def order_ship(
    *,
    order: SupplierOrder,
    items: Sequence[ShipItem],
    carrier: str,
    tracking_number: str = "",
    by: "User | None",
    now: datetime | None = None,
) -> list[Shipment]:
    """Ships the items (one Shipment per warehouse) and moves the order to partially
    shipped or shipped. All or nothing: a refused item or missing stock ships nothing."""
    carrier, tracking_number = _parcel_fields(carrier, tracking_number)
    order = SupplierOrder.objects.select_for_update().get(pk=order.pk)
    if order.status not in SHIPPABLE:
        raise ApplicationError(
            order_errors.SHIP_NOT_ALLOWED % {"number": order.number, "status": order.get_status_display()},
            code="not_allowed",
        )
    planned = _planned(order, items)
    shipments = [
        _ship_parcel(order, warehouse_id, planned[warehouse_id], carrier, tracking_number, by)
        for warehouse_id in sorted(planned)
    ]
    if now is not None:
        Shipment.objects.filter(pk__in=[s.pk for s in shipments]).update(created_at=now)
    everything_shipped = not order.lines.filter(shipped_quantity__lt=F("quantity")).exists()
    target = Status.SHIPPED if everything_shipped else Status.PARTIALLY_SHIPPED
    if target != order.status:
        parcel = " ".join(part for part in (carrier, tracking_number) if part)
        order_transition(
            order=order, to=target, by=by, reason=_("发货：%(parcel)s") % {"parcel": parcel}, now=now
        )
    return shipments
