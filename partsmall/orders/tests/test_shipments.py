"""Shipments: whole and partial, from several warehouses, made-to-order lines; each ships
through stock movements, and refusals ship nothing."""

import pytest

from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.inventory.models import MovementKind, StockLevel, StockMovement
from partsmall.inventory.services import ReserveLine, stock_reserve
from partsmall.inventory.tests.factories import GUANGDONG, ZHEJIANG, WarehouseFactory, stock_offer
from partsmall.orders import order_errors
from partsmall.orders.models import OrderEvent, Shipment, ShipmentLine, SupplierOrder
from partsmall.orders.services.shipments import ShipItem, order_ship
from partsmall.orders.tests.lifecycle_helpers import confirmed, placed_order, reserved_of, warehouse_of

pytestmark = pytest.mark.django_db

Status = SupplierOrder.Status


def _ship(order: SupplierOrder, items: list[ShipItem], **kwargs: object) -> list[Shipment]:
    values = {"carrier": "顺丰速运", "tracking_number": "SF100", "by": None} | kwargs
    return order_ship(order=order, items=items, **values)  # type: ignore[arg-type]


def test_shipping_everything_moves_the_order_to_shipped_through_stock_movements():
    order = confirmed(placed_order(quantities=(2, 3), stock=10))
    warehouse = warehouse_of(order)
    lines = list(order.lines.order_by("id"))

    shipments = _ship(order, [ShipItem(line.pk, warehouse.pk, line.quantity) for line in lines])

    order.refresh_from_db()
    assert order.status == Status.SHIPPED
    assert len(shipments) == 1
    assert sorted(ShipmentLine.objects.values_list("line_id", "quantity")) == [
        (lines[0].pk, 2),
        (lines[1].pk, 3),
    ]
    assert reserved_of(order) == 0
    for line in lines:
        line.refresh_from_db()
        assert line.shipped_quantity == line.quantity
        level = StockLevel.objects.get(warehouse=warehouse, part=line.part)
        assert (level.on_hand, level.reserved) == (10 - line.quantity, 0)
    movements = StockMovement.objects.filter(
        kind=MovementKind.SHIPMENT, ref_type="shipment", ref_id=shipments[0].pk
    )
    assert sorted(movements.values_list("on_hand_delta", flat=True)) == [-3, -2]
    event = OrderEvent.objects.filter(order=order).last()
    assert event is not None
    assert (event.from_status, event.to_status) == (Status.CONFIRMED, Status.SHIPPED)
    assert event.reason == "发货：顺丰速运 SF100"


def test_partial_shipments_then_the_rest():
    order = confirmed(placed_order(quantities=(4,)))
    warehouse = warehouse_of(order)
    line = order.lines.get()

    _ship(order, [ShipItem(line.pk, warehouse.pk, 1)])
    order.refresh_from_db()
    after_first = order.status
    _ship(order, [ShipItem(line.pk, warehouse.pk, 2)], tracking_number="SF200")
    order.refresh_from_db()
    after_second = order.status
    _ship(order, [ShipItem(line.pk, warehouse.pk, 1)], tracking_number="SF300")
    order.refresh_from_db()

    assert (after_first, after_second, order.status) == (
        Status.PARTIALLY_SHIPPED,
        Status.PARTIALLY_SHIPPED,
        Status.SHIPPED,
    )
    assert Shipment.objects.filter(order=order).count() == 3
    assert list(Shipment.objects.filter(order=order).values_list("tracking_number", flat=True)) == [
        "SF100",
        "SF200",
        "SF300",
    ]
    statuses = [(e.from_status, e.to_status) for e in OrderEvent.objects.filter(order=order).order_by("id")][
        -2:
    ]
    assert statuses == [
        (Status.CONFIRMED, Status.PARTIALLY_SHIPPED),
        (Status.PARTIALLY_SHIPPED, Status.SHIPPED),
    ]
    line.refresh_from_db()
    assert line.shipped_quantity == 4
    assert reserved_of(order) == 0


def test_a_line_reserved_in_two_warehouses_ships_as_two_parcels():
    order = confirmed(placed_order(quantities=(3,), stock=0, reserve=False))
    line = order.lines.get()
    near = WarehouseFactory.create(organization=order.supplier, province_id=GUANGDONG)
    far = WarehouseFactory.create(organization=order.supplier, province_id=ZHEJIANG)
    stock_offer(line.offer, 2, warehouse=near)
    stock_offer(line.offer, 5, warehouse=far)
    stock_reserve(
        lines=[ReserveLine(offer=line.offer, quantity=3, ref_id=line.pk)],
        ref_type="order_line",
        ref_label=order.number,
        province_code=GUANGDONG,
        by=None,
    )

    shipments = _ship(order, [ShipItem(line.pk, near.pk, 2), ShipItem(line.pk, far.pk, 1)])

    order.refresh_from_db()
    assert order.status == Status.SHIPPED
    assert sorted((s.warehouse_id, s.lines.get().quantity) for s in shipments) == sorted(
        [(near.pk, 2), (far.pk, 1)]
    )
    near_level, far_level = (StockLevel.objects.get(warehouse=w, part=line.part) for w in (near, far))
    assert (near_level.on_hand, near_level.reserved, far_level.on_hand, far_level.reserved) == (0, 0, 4, 0)


def test_made_to_order_lines_ship_from_free_stock_of_the_chosen_warehouse():
    order = confirmed(placed_order(quantities=(2,), stock=5, made_to_order=True))
    line = order.lines.get()
    warehouse = warehouse_of(order)

    _ship(order, [ShipItem(line.pk, warehouse.pk, 2)])

    order.refresh_from_db()
    level = StockLevel.objects.get(warehouse=warehouse, part=line.part)
    assert (order.status, level.on_hand, level.reserved) == (Status.SHIPPED, 3, 0)


def test_shipping_more_than_is_open_is_refused_and_ships_nothing():
    order = confirmed(placed_order(quantities=(2,)))
    line = order.lines.get()
    warehouse = warehouse_of(order)

    with pytest.raises(ApplicationError) as refused:
        _ship(order, [ShipItem(line.pk, warehouse.pk, 1), ShipItem(line.pk, warehouse.pk, 2)])

    assert refused.value.message == order_errors.SHIP_TOO_MANY % {"sku": line.sku, "open": 2, "quantity": 3}
    assert refused.value.field == "items"
    assert not Shipment.objects.exists()
    assert reserved_of(order) == 2


def test_shipping_from_a_warehouse_that_holds_nothing_for_the_line_ships_nothing():
    order = confirmed(placed_order(quantities=(2,)))
    line = order.lines.get()
    empty = WarehouseFactory.create(organization=order.supplier)

    with pytest.raises(ApplicationError):
        _ship(order, [ShipItem(line.pk, empty.pk, 2)])

    order.refresh_from_db()
    line.refresh_from_db()
    assert (order.status, line.shipped_quantity) == (Status.CONFIRMED, 0)
    assert not Shipment.objects.exists()
    assert not StockMovement.objects.filter(kind=MovementKind.SHIPMENT).exists()


def test_another_suppliers_warehouse_is_refused():
    order = confirmed(placed_order())
    line = order.lines.get()
    theirs = WarehouseFactory.create()

    with pytest.raises(ApplicationError) as refused:
        _ship(order, [ShipItem(line.pk, theirs.pk, 1)])

    assert refused.value.message == order_errors.SHIP_WAREHOUSE_UNKNOWN


def test_a_line_of_another_order_is_refused():
    order = confirmed(placed_order())
    other = confirmed(placed_order(supplier=order.supplier, warehouse=warehouse_of(order)))

    with pytest.raises(ApplicationError) as refused:
        _ship(order, [ShipItem(other.lines.get().pk, warehouse_of(order).pk, 1)])

    assert refused.value.message == order_errors.SHIP_LINE_UNKNOWN


def test_nothing_to_ship_and_missing_carrier_are_named():
    order = confirmed(placed_order())
    line = order.lines.get()

    with pytest.raises(ApplicationError) as nothing:
        _ship(order, [ShipItem(line.pk, warehouse_of(order).pk, 0)])
    with pytest.raises(FieldErrors) as no_carrier:
        _ship(order, [ShipItem(line.pk, warehouse_of(order).pk, 1)], carrier=" ", tracking_number="X" * 51)

    assert nothing.value.message == order_errors.SHIP_NOTHING
    assert no_carrier.value.errors == {
        "carrier": [str(order_errors.CARRIER_REQUIRED)],
        "tracking_number": [str(order_errors.TRACKING_TOO_LONG)],
    }


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.SHIPPED, Status.CANCELLED])
def test_only_confirmed_or_partially_shipped_orders_ship(status):
    order = placed_order()
    SupplierOrder.objects.filter(pk=order.pk).update(status=status)
    line = order.lines.get()

    with pytest.raises(ApplicationError) as refused:
        _ship(order, [ShipItem(line.pk, warehouse_of(order).pk, 1)])

    assert refused.value.code == "not_allowed"
    assert not Shipment.objects.exists()
