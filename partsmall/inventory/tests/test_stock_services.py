"""Stock services: receive, reserve (allocation, all or nothing, made to order), release,
ship, adjust, stocktake, and Offer.stock_quantity / the part's summary kept in step."""

from typing import Any

import pytest

from partsmall.catalog.models import Grade, Offer, Part
from partsmall.catalog.tests.factories import OfferFactory, PartFactory
from partsmall.core.errors import ApplicationError
from partsmall.inventory import errors
from partsmall.inventory.models import MovementKind, StockLevel, StockMovement, StockReservation
from partsmall.inventory.regions import EAST, NORTH, SOUTH, proximity, region_of
from partsmall.inventory.selectors import invariant_violations
from partsmall.inventory.services import (
    InsufficientStock,
    ReserveLine,
    offer_stock_resync,
    stock_adjust,
    stock_receive,
    stock_release,
    stock_reserve,
    stock_ship,
    stocktake_record,
    warehouse_update,
)
from partsmall.inventory.tests.factories import (
    BEIJING,
    GUANGDONG,
    GUANGXI,
    SHANGHAI,
    ZHEJIANG,
    WarehouseFactory,
    stock_offer,
)

pytestmark = pytest.mark.django_db

REF = "order_line"


def _offer(**kwargs: Any) -> Offer:
    return OfferFactory.create(stock_quantity=0, **kwargs)


def _reserve(*lines: tuple[Offer, int, int], province: str | None = None) -> list[Any]:
    return stock_reserve(
        lines=[ReserveLine(offer=o, quantity=q, ref_id=r) for o, q, r in lines],
        ref_type=REF,
        ref_label="SO20261203-000001",
        province_code=province,
        by=None,
    )


def _state() -> tuple[list[tuple[int, int, int]], int, int]:
    """(id, on_hand, reserved) of every level, number of movements, number of reservations."""
    levels = list(StockLevel.objects.order_by("pk").values_list("pk", "on_hand", "reserved"))
    return levels, StockMovement.objects.count(), StockReservation.objects.count()


def _level(offer: Offer, warehouse: Any) -> StockLevel:
    return StockLevel.objects.get(warehouse=warehouse, part=offer.part, grade=offer.grade)


def test_regions_map_the_province_codes():
    assert [region_of(code) for code in (GUANGDONG, GUANGXI, ZHEJIANG, SHANGHAI, BEIJING, "440103")] == [
        SOUTH,
        SOUTH,
        EAST,
        EAST,
        NORTH,
        SOUTH,
    ]
    assert [proximity(GUANGDONG, code) for code in ("44", "45", "33", None)] == [0, 1, 2, 2]


# --- Receive ----------------------------------------------------------------------------


def test_a_receipt_adds_stock_with_its_movement_and_the_offer_follows():
    offer = _offer()
    warehouse = WarehouseFactory.create(organization=offer.supplier)
    part_before = Part.objects.get(pk=offer.part_id).in_stock

    movement = stock_receive(
        warehouse=warehouse,
        part=offer.part,
        grade=offer.grade,
        quantity=12,
        kind=MovementKind.RECEIPT,
        ref_type="purchase",
        ref_id=7,
        ref_label="PO-7",
        by=None,
    )

    offer.refresh_from_db()
    level = _level(offer, warehouse)
    assert (level.on_hand, level.reserved, offer.stock_quantity) == (12, 0, 12)
    assert (movement.kind, movement.on_hand_delta, movement.on_hand_after, movement.ref_label) == (
        MovementKind.RECEIPT,
        12,
        12,
        "PO-7",
    )
    assert (part_before, Part.objects.get(pk=offer.part_id).in_stock) == (False, True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"quantity": 0}, "quantity"), ({"grade": "new"}, "grade"), ({"kind": MovementKind.SHIPMENT}, "kind")],
)
def test_a_wrong_receipt_is_refused_naming_the_field(changes, field):
    offer = _offer()
    warehouse = WarehouseFactory.create(organization=offer.supplier)
    values: dict[str, Any] = {
        "warehouse": warehouse,
        "part": offer.part,
        "grade": offer.grade,
        "quantity": 3,
        "kind": MovementKind.RECEIPT,
        "ref_type": "",
        "ref_id": None,
        "ref_label": "",
        "by": None,
    } | changes

    with pytest.raises(ApplicationError) as refused:
        stock_receive(**values)

    assert refused.value.field == field
    assert (StockLevel.objects.count(), StockMovement.objects.count()) == (0, 0)


def test_an_inactive_warehouse_receives_nothing():
    offer = _offer()
    warehouse = WarehouseFactory.create(organization=offer.supplier, is_active=False)

    with pytest.raises(ApplicationError) as refused:
        stock_offer(offer, 3, warehouse=warehouse)

    assert str(refused.value.message) == errors.WAREHOUSE_INACTIVE % {"name": warehouse.name}
    assert StockMovement.objects.count() == 0


# --- Reserve: allocation -------------------------------------------------------------------


def test_allocation_prefers_the_province_then_the_region_then_most_stock():
    offer = _offer()
    supplier = offer.supplier
    shanghai = WarehouseFactory.create(organization=supplier, province_id=SHANGHAI)
    zhejiang = WarehouseFactory.create(organization=supplier, province_id=ZHEJIANG)
    beijing = WarehouseFactory.create(organization=supplier, province_id=BEIJING)
    guangxi = WarehouseFactory.create(organization=supplier, province_id=GUANGXI)
    for warehouse, quantity in ((shanghai, 3), (zhejiang, 2), (beijing, 10), (guangxi, 4)):
        stock_offer(offer, quantity, warehouse=warehouse)

    # To 浙江: 浙江 first, then 上海 (华东), then the most stock elsewhere (北京 before 广西).
    allocations = _reserve((offer, 9, 1), province=ZHEJIANG)

    assert [(a.warehouse_id, a.quantity) for a in allocations] == [
        (zhejiang.pk, 2),
        (shanghai.pk, 3),
        (beijing.pk, 4),
    ]
    assert {a.ref_id for a in allocations} == {1}
    offer.refresh_from_db()
    assert offer.stock_quantity == 19 - 9


def test_without_a_delivery_province_the_warehouse_with_most_stock_goes_first():
    offer = _offer()
    small = WarehouseFactory.create(organization=offer.supplier, province_id=GUANGDONG)
    big = WarehouseFactory.create(organization=offer.supplier, province_id=BEIJING)
    stock_offer(offer, 2, warehouse=small)
    stock_offer(offer, 8, warehouse=big)

    allocations = _reserve((offer, 3, 1))

    assert [(a.warehouse_id, a.quantity) for a in allocations] == [(big.pk, 3)]


def test_only_the_suppliers_active_warehouses_of_that_part_and_grade_are_used():
    offer = _offer(grade=Grade.BRAND)
    other_grade = _offer(supplier=offer.supplier, part=offer.part, grade=Grade.GENUINE)
    competitor = _offer(part=offer.part, grade=Grade.BRAND)
    off = WarehouseFactory.create(organization=offer.supplier, province_id=GUANGDONG)
    stock_offer(offer, 5, warehouse=off)
    stock_offer(other_grade, 50)
    stock_offer(competitor, 50)
    warehouse_update(warehouse=off, is_active=False, by=None)
    on = WarehouseFactory.create(organization=offer.supplier, province_id=BEIJING)
    stock_offer(offer, 2, warehouse=on)

    with pytest.raises(InsufficientStock) as refused:
        _reserve((offer, 3, 1), province=GUANGDONG)

    assert (refused.value.offer_id, refused.value.available) == (offer.pk, 2)
    assert str(refused.value.message) == errors.INSUFFICIENT_STOCK % {
        "offer": f"{offer.sku} {offer.part.brand.name} {offer.part.number} {offer.part.name}",
        "wanted": 3,
        "available": 2,
    }


def test_a_warehouse_switched_off_stops_counting_in_the_offer():
    offer = _offer()
    warehouse = WarehouseFactory.create(organization=offer.supplier)
    stock_offer(offer, 4, warehouse=warehouse)

    warehouse_update(warehouse=warehouse, is_active=False, by=None)
    off = Offer.objects.get(pk=offer.pk).stock_quantity
    warehouse_update(warehouse=warehouse, is_active=True, by=None)

    assert (off, Offer.objects.get(pk=offer.pk).stock_quantity) == (0, 4)


# --- Reserve: all or nothing, made to order -------------------------------------------------


def test_a_checkout_reserves_every_line_or_none():
    covered = _offer()
    short = _offer()
    stock_offer(covered, 10)
    stock_offer(short, 1)
    before = _state()

    with pytest.raises(InsufficientStock) as refused:
        _reserve((covered, 4, 1), (short, 2, 2))

    assert refused.value.offer_id == short.pk
    assert _state() == before
    assert [o.stock_quantity for o in Offer.objects.filter(pk__in=[covered.pk, short.pk]).order_by("pk")] == [
        10,
        1,
    ]


def test_made_to_order_lines_reserve_nothing():
    stocked = _offer()
    made = _offer(made_to_order=True, lead_time_days=15)
    stock_offer(stocked, 3)

    allocations = _reserve((stocked, 2, 1), (made, 100, 2))

    assert [(a.ref_id, a.quantity) for a in allocations] == [(1, 2)]
    assert list(StockReservation.objects.values_list("ref_id", flat=True)) == [1]


def test_a_reference_reserves_once():
    offer = _offer()
    stock_offer(offer, 5)
    _reserve((offer, 1, 1))
    before = _state()

    with pytest.raises(ApplicationError) as refused:
        _reserve((offer, 1, 1))

    assert str(refused.value.message) == str(errors.ALREADY_RESERVED)
    assert _state() == before


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_line_of_no_units_is_refused(quantity):
    offer = _offer()
    stock_offer(offer, 5)

    with pytest.raises(ApplicationError) as refused:
        _reserve((offer, quantity, 1))

    assert refused.value.field == "quantity"
    assert StockReservation.objects.count() == 0


def test_the_last_units_take_the_part_out_of_stock_and_a_release_puts_it_back():
    offer = _offer()
    stock_offer(offer, 2)

    _reserve((offer, 2, 1))
    sold_out = (Offer.objects.get(pk=offer.pk).stock_quantity, Part.objects.get(pk=offer.part_id).in_stock)
    stock_release(ref_type=REF, ref_ids=[1], ref_label="SO", by=None)

    assert sold_out == (0, False)
    assert (Offer.objects.get(pk=offer.pk).stock_quantity, Part.objects.get(pk=offer.part_id).in_stock) == (
        2,
        True,
    )


# --- Release and ship -------------------------------------------------------------------------


def test_a_release_gives_back_what_is_still_held_and_a_second_one_changes_nothing():
    offer = _offer()
    a = WarehouseFactory.create(organization=offer.supplier, province_id=GUANGDONG)
    b = WarehouseFactory.create(organization=offer.supplier, province_id=BEIJING)
    stock_offer(offer, 3, warehouse=a)
    stock_offer(offer, 3, warehouse=b)
    _reserve((offer, 5, 1), province=GUANGDONG)
    stock_ship(
        ref_type=REF,
        ref_id=1,
        warehouse_id=a.pk,
        quantity=2,
        shipment_ref_type="shipment",
        shipment_ref_id=9,
        ref_label="SO",
        by=None,
    )

    stock_release(ref_type=REF, ref_ids=[1], ref_label="SO", by=None)
    after_first = _state()
    stock_release(ref_type=REF, ref_ids=[1], ref_label="SO", by=None)

    assert _state() == after_first
    assert [(lv.on_hand, lv.reserved) for lv in (_level(offer, a), _level(offer, b))] == [(1, 0), (3, 0)]
    releases = StockMovement.objects.filter(kind=MovementKind.RELEASE).order_by("stock_level_id")
    assert [(m.stock_level.warehouse_id, m.reserved_delta) for m in releases] == [(a.pk, -1), (b.pk, -2)]
    assert Offer.objects.get(pk=offer.pk).stock_quantity == 4
    assert invariant_violations(offers=True) == []


def test_shipping_turns_held_units_into_a_shipment_movement():
    offer = _offer()
    warehouse = WarehouseFactory.create(organization=offer.supplier)
    stock_offer(offer, 5, warehouse=warehouse)
    _reserve((offer, 3, 1))

    stock_ship(
        ref_type=REF,
        ref_id=1,
        warehouse_id=warehouse.pk,
        quantity=3,
        shipment_ref_type="shipment",
        shipment_ref_id=42,
        ref_label="SO20261203-000001",
        by=None,
    )

    level = _level(offer, warehouse)
    shipment = StockMovement.objects.get(kind=MovementKind.SHIPMENT)
    assert (level.on_hand, level.reserved) == (2, 0)
    assert (shipment.on_hand_delta, shipment.reserved_delta, shipment.ref_type, shipment.ref_id) == (
        -3,
        -3,
        "shipment",
        42,
    )
    assert StockReservation.objects.get().shipped == 3
    assert Offer.objects.get(pk=offer.pk).stock_quantity == 2


def test_shipping_more_than_held_or_from_elsewhere_is_refused_and_changes_nothing():
    offer = _offer()
    held_here = WarehouseFactory.create(organization=offer.supplier)
    elsewhere = WarehouseFactory.create(organization=offer.supplier)
    stock_offer(offer, 5, warehouse=held_here)
    stock_offer(offer, 5, warehouse=elsewhere)
    _reserve((offer, 2, 1))
    before = _state()
    ship: dict[str, Any] = {
        "ref_type": REF,
        "ref_id": 1,
        "shipment_ref_type": "shipment",
        "shipment_ref_id": 1,
        "ref_label": "SO-1",
        "by": None,
    }
    held_in = StockReservation.objects.get().stock_level.warehouse_id
    other = elsewhere.pk if held_in == held_here.pk else held_here.pk

    with pytest.raises(ApplicationError) as too_many:
        stock_ship(warehouse_id=held_in, quantity=3, **ship)
    with pytest.raises(ApplicationError) as wrong_place:
        stock_ship(warehouse_id=other, quantity=1, **ship)

    assert str(too_many.value.message) == errors.SHIP_MORE_THAN_HELD % {"wanted": 3, "ref": "SO-1", "held": 2}
    assert str(wrong_place.value.message) == errors.SHIP_MORE_THAN_HELD % {
        "wanted": 1,
        "ref": "SO-1",
        "held": 0,
    }
    assert _state() == before


def test_a_made_to_order_line_ships_from_free_stock_only():
    made = _offer(made_to_order=True)
    warehouse = WarehouseFactory.create(organization=made.supplier)
    stock_offer(made, 4, warehouse=warehouse)
    other = _offer()
    stock_offer(other, 1)
    ship: dict[str, Any] = {
        "ref_type": REF,
        "ref_id": 7,
        "warehouse_id": warehouse.pk,
        "shipment_ref_type": "shipment",
        "shipment_ref_id": 1,
        "ref_label": "SO-7",
        "by": None,
    }

    with pytest.raises(ApplicationError) as without_offer:
        stock_ship(quantity=1, **ship)
    with pytest.raises(ApplicationError) as too_many:
        stock_ship(quantity=5, offer=made, **ship)
    with pytest.raises(ApplicationError) as not_its_warehouse:
        stock_ship(quantity=1, offer=other, **ship)
    stock_ship(quantity=4, offer=made, **ship)

    assert str(without_offer.value.message) == str(errors.SHIP_NEEDS_OFFER)
    assert str(too_many.value.message) == errors.SHIP_NOT_IN_STOCK % {"available": 4, "wanted": 5}
    assert str(not_its_warehouse.value.message) == str(errors.WAREHOUSE_NOT_YOURS)
    assert (_level(made, warehouse).on_hand, Offer.objects.get(pk=made.pk).stock_quantity) == (0, 0)


# --- Adjust and stocktake ---------------------------------------------------------------------


def test_an_adjustment_needs_a_reason_and_never_goes_below_what_is_reserved():
    offer = _offer()
    level = stock_offer(offer, 5)
    _reserve((offer, 3, 1))
    before = _state()

    refusals = []
    for delta, reason in ((-1, " "), (0, "盘亏"), (-3, "损坏"), (-6, "丢失")):
        with pytest.raises(ApplicationError) as refused:
            stock_adjust(stock_level=level, delta=delta, reason=reason, by=None)
        refusals.append((refused.value.field, str(refused.value.message)))
    movement = stock_adjust(stock_level=level, delta=-2, reason="包装破损报废", by=None)

    assert refusals == [
        ("reason", str(errors.REASON_REQUIRED)),
        ("delta", str(errors.DELTA_ZERO)),
        ("delta", errors.BELOW_RESERVED % {"on_hand": 2, "reserved": 3}),
        ("delta", errors.BELOW_ZERO % {"on_hand": 5}),
    ]
    assert before[1] + 1 == StockMovement.objects.count()
    assert (movement.kind, movement.on_hand_delta, movement.note) == (
        MovementKind.ADJUSTMENT,
        -2,
        "包装破损报废",
    )
    assert (level.on_hand, Offer.objects.get(pk=offer.pk).stock_quantity) == (3, 0)


def test_a_stocktake_writes_a_movement_per_difference():
    offer = _offer()
    warehouse = WarehouseFactory.create(organization=offer.supplier)
    counted_right = stock_offer(offer, 5, warehouse=warehouse)
    second = _offer(supplier=offer.supplier)
    counted_short = stock_offer(second, 8, warehouse=warehouse)

    stocktake = stocktake_record(
        warehouse=warehouse, counts={counted_right.pk: 5, counted_short.pk: 6}, note="月末盘点", by=None
    )

    moves = StockMovement.objects.filter(kind=MovementKind.STOCKTAKE)
    assert (stocktake.counted, stocktake.changed) == (2, 1)
    assert [(m.stock_level_id, m.on_hand_delta, m.ref_type, m.ref_id) for m in moves] == [
        (counted_short.pk, -2, "stocktake", stocktake.pk)
    ]
    assert Offer.objects.get(pk=second.pk).stock_quantity == 6


def test_a_stocktake_below_what_is_reserved_changes_nothing():
    offer = _offer()
    warehouse = WarehouseFactory.create(organization=offer.supplier)
    fine = stock_offer(_offer(supplier=offer.supplier), 4, warehouse=warehouse)
    held = stock_offer(offer, 5, warehouse=warehouse)
    _reserve((offer, 4, 1))
    before = _state()

    with pytest.raises(ApplicationError) as refused:
        stocktake_record(warehouse=warehouse, counts={fine.pk: 1, held.pk: 3}, by=None)

    assert refused.value.field == f"count_{held.pk}"
    assert str(errors.BELOW_RESERVED % {"on_hand": 3, "reserved": 4}) in str(refused.value.message)
    assert _state() == before


def test_a_stocktake_counts_only_levels_of_its_warehouse():
    offer = _offer()
    here = WarehouseFactory.create(organization=offer.supplier)
    elsewhere_level = stock_offer(offer, 3)

    with pytest.raises(ApplicationError) as refused:
        stocktake_record(warehouse=here, counts={elsewhere_level.pk: 1}, by=None)
    with pytest.raises(ApplicationError) as empty:
        stocktake_record(warehouse=here, counts={}, by=None)

    assert (refused.value.field, empty.value.field) == ("counts", "counts")
    assert StockMovement.objects.filter(kind=MovementKind.STOCKTAKE).count() == 0


def test_an_offer_created_after_its_stock_is_brought_in_step():
    part = PartFactory.create()
    warehouse = WarehouseFactory.create()
    stock_receive(
        warehouse=warehouse,
        part=part,
        grade=Grade.BRAND,
        quantity=6,
        kind=MovementKind.RECEIPT,
        ref_type="",
        ref_id=None,
        ref_label="",
        by=None,
    )
    offer = _offer(supplier=warehouse.organization, part=part, grade=Grade.BRAND)

    offer_stock_resync(offers=[offer])

    assert offer.stock_quantity == 6
