"""Stock held for orders: reserve (allocation across warehouses, all lines or none),
release, ship. Locks as in `ledger`: the levels by primary key, then the reservations."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from partsmall.catalog.models import Offer
from partsmall.core import sql
from partsmall.core.errors import ApplicationError
from partsmall.inventory import errors
from partsmall.inventory.models import MovementKind, StockLevel, StockReservation, Warehouse
from partsmall.inventory.regions import proximity
from partsmall.inventory.services.ledger import (
    Ledger,
    OfferKey,
    acting,
    lock_levels,
    whole_quantity,
)

if TYPE_CHECKING:
    from partsmall.accounts.models import User


@dataclass(frozen=True)
class ReserveLine:
    offer: Offer
    quantity: int
    # The reference's id (an order line); ref_type is given once for the call.
    ref_id: int


@dataclass(frozen=True)
class Allocation:
    ref_id: int
    stock_level_id: int
    warehouse_id: int
    quantity: int


class InsufficientStock(ApplicationError):
    """A line the supplier's warehouses cannot cover: names the offer and what is available."""

    code = "insufficient_stock"

    def __init__(self, *, offer: Offer, wanted: int, available: int) -> None:
        label = f"{offer.sku} {offer.part.brand.name} {offer.part.number} {offer.part.name}"
        message = errors.INSUFFICIENT_STOCK % {"offer": label, "wanted": wanted, "available": available}
        super().__init__(
            message, field="quantity", extra={"offer_id": offer.pk, "available": available, "wanted": wanted}
        )
        self.offer_id = offer.pk
        self.available = available


# Reserve, release, ship ----------------------------------------------------------------


@transaction.atomic
def stock_reserve(
    *,
    lines: Sequence[ReserveLine],
    ref_type: str,
    ref_label: str,
    province_code: str | None,
    by: "User | None",
) -> list[Allocation]:
    """Reserves every stocked line or none (InsufficientStock names the first line that
    cannot be covered). Made-to-order offers reserve nothing.

    Each line is allocated over its supplier's active warehouses holding the offer's part
    and grade: same province as `province_code` first, then the same region (华东 …), then
    the one with most available stock; a line may be split across warehouses.
    """
    if not ref_type:
        raise ApplicationError(errors.REF_TYPE_REQUIRED)
    for line in lines:
        whole_quantity(line.quantity, low=1, message=errors.QUANTITY_POSITIVE)
    stocked = [line for line in lines if not line.offer.made_to_order]
    if not stocked:
        return []
    if StockReservation.objects.filter(
        ref_type=ref_type, ref_id__in=[line.ref_id for line in stocked]
    ).exists():
        raise ApplicationError(errors.ALREADY_RESERVED)
    return reserve_new(
        lines=stocked, ref_type=ref_type, ref_label=ref_label, province_code=province_code, by=by
    )


def reserve_new(
    *,
    lines: Sequence[ReserveLine],
    ref_type: str,
    ref_label: str,
    province_code: str | None,
    by: "User | None",
) -> list[Allocation]:
    """stock_reserve for references that cannot hold anything yet (order lines made in
    the same transaction), inside the caller's transaction: no savepoint, no look-up of
    earlier reservations. The caller checked the quantities and left out made-to-order
    lines; an InsufficientStock raised here is raised before anything is written."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve_new runs inside the caller's transaction")
    candidates = _candidates(lines)
    plan = _allocate(lines, candidates, province_code)
    ledger = Ledger(acting(by))
    reservations: list[StockReservation] = []
    allocations: list[Allocation] = []
    for line, level, quantity in plan:
        ledger.move(
            level,
            kind=MovementKind.RESERVATION,
            reserved=quantity,
            ref_type=ref_type,
            ref_id=line.ref_id,
            ref_label=ref_label,
        )
        reservations.append(
            StockReservation(stock_level=level, ref_type=ref_type, ref_id=line.ref_id, quantity=quantity)
        )
        allocations.append(Allocation(line.ref_id, level.pk, level.warehouse_id, quantity))
    with sql.pipeline():  # the reservations, levels, movements and offers in one round trip
        sql.insert_objects(reservations)
        ledger.flush()
    return allocations


# Read as in the statement below; the other fields load on first use (never here).
LEVEL_FIELDS = ["id", "warehouse_id", "part_id", "grade", "on_hand", "reserved"]
WAREHOUSE_FIELDS = ["id", "organization_id", "province_id"]


def _candidates(lines: Sequence[ReserveLine]) -> dict[OfferKey, list[StockLevel]]:
    """The levels that may serve the lines, locked (one statement, primary-key order), each
    with its warehouse's organization and province."""
    keys = {(line.offer.supplier_id, line.offer.part_id, line.offer.grade) for line in lines}
    supplier_in, supplier_params = sql.is_in("w.organization_id", sorted({k[0] for k in keys}))
    part_in, part_params = sql.is_in("s.part_id", sorted({k[1] for k in keys}))
    grade_in, grade_params = sql.is_in("s.grade", sorted({k[2] for k in keys}))
    rows = sql.fetch_all(
        "SELECT s.id, s.warehouse_id, s.part_id, s.grade, s.on_hand, s.reserved,"
        " w.organization_id, w.province_id"
        " FROM inventory_stocklevel s JOIN inventory_warehouse w ON w.id = s.warehouse_id"
        f" WHERE {supplier_in} AND w.is_active AND {part_in} AND {grade_in}"
        f" ORDER BY s.id{sql.for_update(of='s')}",
        [*supplier_params, *part_params, *grade_params],
    )
    found: dict[OfferKey, list[StockLevel]] = defaultdict(list)
    for pk, warehouse_id, part_id, grade, on_hand, reserved, organization_id, province_id in rows:
        if (organization_id, part_id, grade) not in keys:
            continue
        level = StockLevel.from_db(None, LEVEL_FIELDS, (pk, warehouse_id, part_id, grade, on_hand, reserved))
        level.warehouse = Warehouse.from_db(
            None, WAREHOUSE_FIELDS, (warehouse_id, organization_id, province_id)
        )
        found[(organization_id, part_id, grade)].append(level)
    return found


def _allocate(
    lines: Sequence[ReserveLine], candidates: dict[OfferKey, list[StockLevel]], province_code: str | None
) -> list[tuple[ReserveLine, StockLevel, int]]:
    free = {level.pk: level.available for levels in candidates.values() for level in levels}
    plan: list[tuple[ReserveLine, StockLevel, int]] = []
    for line in lines:
        offer = line.offer
        levels = sorted(
            candidates.get((offer.supplier_id, offer.part_id, offer.grade), []),
            key=lambda level: (
                proximity(level.warehouse.province_id, province_code),
                -free[level.pk],
                level.pk,
            ),
        )
        available = sum(max(0, free[level.pk]) for level in levels)
        if available < line.quantity:
            raise InsufficientStock(offer=offer, wanted=line.quantity, available=available)
        wanted = line.quantity
        for level in levels:
            take = min(wanted, free[level.pk])
            if take <= 0:
                continue
            free[level.pk] -= take
            wanted -= take
            plan.append((line, level, take))
            if not wanted:
                break
    return plan


@transaction.atomic
def stock_release(*, ref_type: str, ref_ids: Sequence[int], ref_label: str, by: "User | None") -> None:
    """Releases whatever these references still hold; a second call changes nothing."""
    ids = sorted(set(ref_ids))
    if not ids:
        return
    holding = StockReservation.objects.filter(
        ref_type=ref_type, ref_id__in=ids, quantity__gt=F("shipped") + F("released")
    )
    level_ids = sorted(set(holding.values_list("stock_level_id", flat=True)))
    if not level_ids:
        return
    levels = {level.pk: level for level in lock_levels(Q(pk__in=level_ids))}
    reservations = list(holding.select_for_update().order_by("pk"))
    ledger = Ledger(acting(by))
    now = timezone.now()
    for reservation in reservations:
        held = reservation.held
        reservation.released += held
        reservation.updated_at = now
        ledger.move(
            levels[reservation.stock_level_id],
            kind=MovementKind.RELEASE,
            reserved=-held,
            ref_type=ref_type,
            ref_id=reservation.ref_id,
            ref_label=ref_label,
        )
    StockReservation.objects.bulk_update(reservations, ["released", "updated_at"])
    ledger.flush()


@transaction.atomic
def stock_ship(
    *,
    ref_type: str,
    ref_id: int,
    warehouse_id: int,
    quantity: int,
    shipment_ref_type: str,
    shipment_ref_id: int,
    ref_label: str,
    by: "User | None",
    offer: Offer | None = None,
) -> None:
    """Ships `quantity` of a reference from a warehouse: its reserved units there become a
    shipment movement (on_hand −q, reserved −q). A reference that never reserved (a
    made-to-order line: pass its `offer`) ships from the free stock of that warehouse.
    Refuses shipping more than the reference holds there (or than is free)."""
    whole_quantity(quantity, low=1, message=errors.QUANTITY_POSITIVE)
    ledger = Ledger(acting(by))
    refs = {
        "ref_type": shipment_ref_type,
        "ref_id": shipment_ref_id,
        "ref_label": ref_label,
        "note": f"{ref_type}#{ref_id}",
    }
    if StockReservation.objects.filter(ref_type=ref_type, ref_id=ref_id).exists():
        _ship_reserved(ledger, ref_type, ref_id, warehouse_id, quantity, ref_label, refs)
    else:
        _ship_free(ledger, offer, warehouse_id, quantity, refs)
    ledger.flush()


def _ship_reserved(
    ledger: Ledger,
    ref_type: str,
    ref_id: int,
    warehouse_id: int,
    quantity: int,
    ref_label: str,
    refs: dict[str, object],
) -> None:
    mine = StockReservation.objects.filter(
        ref_type=ref_type, ref_id=ref_id, stock_level__warehouse_id=warehouse_id
    )
    levels = {level.pk: level for level in lock_levels(Q(pk__in=mine.values("stock_level_id")))}
    reservations = list(mine.select_for_update(of=("self",)).order_by("pk"))
    held = sum(reservation.held for reservation in reservations)
    if quantity > held:
        raise ApplicationError(
            errors.SHIP_MORE_THAN_HELD % {"wanted": quantity, "ref": ref_label or ref_id, "held": held},
            field="quantity",
        )
    now = timezone.now()
    wanted = quantity
    for reservation in reservations:
        take = min(wanted, reservation.held)
        if take <= 0:
            continue
        reservation.shipped += take
        reservation.updated_at = now
        wanted -= take
        ledger.move(
            levels[reservation.stock_level_id],
            kind=MovementKind.SHIPMENT,
            on_hand=-take,
            reserved=-take,
            **refs,  # type: ignore[arg-type]
        )
    StockReservation.objects.bulk_update(reservations, ["shipped", "updated_at"])


def _ship_free(
    ledger: Ledger, offer: Offer | None, warehouse_id: int, quantity: int, refs: dict[str, object]
) -> None:
    if offer is None:
        raise ApplicationError(errors.SHIP_NEEDS_OFFER)
    if not Warehouse.objects.filter(pk=warehouse_id, organization_id=offer.supplier_id).exists():
        raise ApplicationError(errors.WAREHOUSE_NOT_YOURS, field="warehouse")
    levels = lock_levels(Q(warehouse_id=warehouse_id, part_id=offer.part_id, grade=offer.grade))
    available = levels[0].available if levels else 0
    if quantity > available:
        raise ApplicationError(
            errors.SHIP_NOT_IN_STOCK % {"available": available, "wanted": quantity}, field="quantity"
        )
    ledger.move(levels[0], kind=MovementKind.SHIPMENT, on_hand=-quantity, **refs)  # type: ignore[arg-type]
