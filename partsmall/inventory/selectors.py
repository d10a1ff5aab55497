"""Reads of inventory, each scoped to the acting organization: another organization's
warehouse, stock level, movement or stocktake answers 404."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from partsmall.catalog.imports.selectors import import_job_get, import_jobs_of
from partsmall.catalog.models import ImportJob, Offer
from partsmall.catalog.normalize import normalize_number
from partsmall.inventory.models import (
    MovementKind,
    StockLevel,
    StockMovement,
    StockReservation,
    Stocktake,
    Warehouse,
)
from partsmall.organizations.actor import Actor

INVENTORY = "inventory"
IN_STOCK, OUT_OF_STOCK, RESERVED, LOW = "in_stock", "out_of_stock", "reserved", "low"
LEVEL_STATUSES = (IN_STOCK, OUT_OF_STOCK, RESERVED, LOW)


# Warehouses ---------------------------------------------------------------------------------


def warehouses_of(*, actor: Actor, active_only: bool = False) -> QuerySet[Warehouse]:
    if actor.organization is None:
        return Warehouse.objects.none()
    found = Warehouse.objects.filter(organization=actor.organization).select_related(
        "province", "city", "district"
    )
    return found.filter(is_active=True) if active_only else found


def warehouse_summaries(*, actor: Actor) -> QuerySet[Warehouse]:
    """The warehouses with their number of levels and totals on hand and reserved."""
    return (
        warehouses_of(actor=actor)
        .annotate(
            level_count=Count("stock_levels"),
            on_hand=Coalesce(Sum("stock_levels__on_hand"), 0),
            reserved=Coalesce(Sum("stock_levels__reserved"), 0),
        )
        .order_by("-is_active", "code")
    )


def warehouse_get(*, actor: Actor, pk: int) -> Warehouse:
    """One of the acting organization's warehouses; anyone else's answers 404."""
    return get_object_or_404(warehouses_of(actor=actor), pk=pk)


# Stock levels ---------------------------------------------------------------------------------


def low_stock_threshold() -> int:
    return int(settings.INVENTORY_LOW_STOCK_DEFAULT)


def _low() -> Q:
    """Available (on_hand − reserved) at or below the level's threshold or the default."""
    return Q(on_hand__lte=F("reserved") + Coalesce(F("low_stock_threshold"), low_stock_threshold()))


IN_STOCK_Q = Q(on_hand__gt=F("reserved"))


def _levels(actor: Actor) -> QuerySet[StockLevel]:
    if actor.organization is None:
        return StockLevel.objects.none()
    return StockLevel.objects.filter(warehouse__organization=actor.organization).select_related(
        "warehouse", "part__brand"
    )


def _keyword(levels: QuerySet[StockLevel], keyword: str) -> QuerySet[StockLevel]:
    keyword = keyword.strip()
    if not keyword:
        return levels
    match = Q(part__name__icontains=keyword) | Q(part__brand__name__icontains=keyword)
    number = normalize_number(keyword)
    if number:
        match |= Q(part__number_norm__startswith=number)
    return levels.filter(match)


def stock_levels_of(
    *,
    actor: Actor,
    warehouse_id: int | None = None,
    keyword: str = "",
    grade: str = "",
    status: str = "",
) -> QuerySet[StockLevel]:
    """The organization's stock levels under the filters; status: in stock (available > 0),
    out of stock, with reservations, or low (available at or below the threshold)."""
    levels = _keyword(_levels(actor), keyword)
    if warehouse_id:
        levels = levels.filter(warehouse_id=warehouse_id)
    if grade:
        levels = levels.filter(grade=grade)
    if status == IN_STOCK:
        levels = levels.filter(IN_STOCK_Q)
    elif status == OUT_OF_STOCK:
        levels = levels.exclude(IN_STOCK_Q)
    elif status == RESERVED:
        levels = levels.filter(reserved__gt=0)
    elif status == LOW:
        levels = levels.filter(_low())
    return levels.order_by("warehouse__code", "part__brand__name", "part__number_norm", "grade")


def stock_level_status_counts(
    *, actor: Actor, warehouse_id: int | None = None, keyword: str = "", grade: str = ""
) -> dict[str, int]:
    """Levels per status tab under the other filters ("" = all)."""
    base = stock_levels_of(actor=actor, warehouse_id=warehouse_id, keyword=keyword, grade=grade).order_by()
    return {
        "": base.count(),
        IN_STOCK: base.filter(IN_STOCK_Q).count(),
        OUT_OF_STOCK: base.exclude(IN_STOCK_Q).count(),
        RESERVED: base.filter(reserved__gt=0).count(),
        LOW: base.filter(_low()).count(),
    }


def stock_level_get(*, actor: Actor, pk: int) -> StockLevel:
    return get_object_or_404(_levels(actor), pk=pk)


def low_stock_of(*, actor: Actor, warehouse_id: int | None = None) -> QuerySet[StockLevel]:
    """Levels whose available quantity is at or below their threshold (or the default),
    the emptiest first."""
    levels = _levels(actor).filter(_low())
    if warehouse_id:
        levels = levels.filter(warehouse_id=warehouse_id)
    return levels.order_by(F("on_hand") - F("reserved"), "warehouse__code", "part__number_norm")


def reservations_of(*, actor: Actor, stock_level: StockLevel) -> QuerySet[StockReservation]:
    """What references still hold in a level of the organization."""
    return (
        StockReservation.objects.filter(
            stock_level=stock_level, stock_level__warehouse__organization=actor.organization
        )
        .filter(quantity__gt=F("shipped") + F("released"))
        .order_by("id")
    )


# Movements ---------------------------------------------------------------------------------


def movements_of(
    *,
    actor: Actor,
    warehouse_id: int | None = None,
    stock_level_id: int | None = None,
    kind: str = "",
    keyword: str = "",
    ref: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[StockMovement]:
    """The organization's movements, newest first; `ref` matches the reference's label."""
    if actor.organization is None:
        return StockMovement.objects.none()
    found = StockMovement.objects.filter(
        stock_level__warehouse__organization=actor.organization
    ).select_related("stock_level__warehouse", "stock_level__part__brand", "created_by")
    if warehouse_id:
        found = found.filter(stock_level__warehouse_id=warehouse_id)
    if stock_level_id:
        found = found.filter(stock_level_id=stock_level_id)
    if kind in MovementKind.values:
        found = found.filter(kind=kind)
    keyword = keyword.strip()
    if keyword:
        match = Q(stock_level__part__name__icontains=keyword)
        number = normalize_number(keyword)
        if number:
            match |= Q(stock_level__part__number_norm__startswith=number)
        found = found.filter(match)
    if ref.strip():
        found = found.filter(ref_label__icontains=ref.strip())
    if date_from:
        found = found.filter(created_at__date__gte=date_from)
    if date_to:
        found = found.filter(created_at__date__lte=date_to)
    return found.order_by("-id")


# Stocktakes and imports ----------------------------------------------------------------------


def stocktakes_of(*, actor: Actor) -> QuerySet[Stocktake]:
    if actor.organization is None:
        return Stocktake.objects.none()
    return Stocktake.objects.filter(warehouse__organization=actor.organization).select_related(
        "warehouse", "created_by"
    )


def stocktake_get(*, actor: Actor, pk: int) -> Stocktake:
    return get_object_or_404(stocktakes_of(actor=actor), pk=pk)


def stock_imports_of(*, actor: Actor) -> QuerySet[ImportJob]:
    return import_jobs_of(actor=actor, console=INVENTORY)


def stock_import_get(*, actor: Actor, pk: int) -> ImportJob:
    """One of the organization's stock sheet imports; anyone else's (or a catalogue import)
    answers 404."""
    return import_job_get(actor=actor, pk=pk, console=INVENTORY)


# Invariants --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    stock_level_id: int | None
    rule: str
    detail: str

    def __str__(self) -> str:
        where = f"stock_level #{self.stock_level_id}" if self.stock_level_id else "offer"
        return f"{where} [{self.rule}] {self.detail}"


_LEDGER_SQL = """
SELECT l.id, l.on_hand, l.reserved, COALESCE(m.on_hand, 0), COALESCE(m.reserved, 0)
FROM {level} l
LEFT JOIN (
    SELECT stock_level_id, SUM(on_hand_delta) AS on_hand, SUM(reserved_delta) AS reserved
    FROM {movement} GROUP BY stock_level_id
) m ON m.stock_level_id = l.id
WHERE l.on_hand <> COALESCE(m.on_hand, 0) OR l.reserved <> COALESCE(m.reserved, 0)
ORDER BY l.id
"""

_HELD_SQL = """
SELECT l.id, l.reserved, COALESCE(r.held, 0)
FROM {level} l
LEFT JOIN (
    SELECT stock_level_id, SUM(quantity - shipped - released) AS held
    FROM {reservation} GROUP BY stock_level_id
) r ON r.stock_level_id = l.id
WHERE l.reserved <> COALESCE(r.held, 0)
ORDER BY l.id
"""


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "level": quote(StockLevel._meta.db_table),
        "movement": quote(StockMovement._meta.db_table),
        "reservation": quote(StockReservation._meta.db_table),
    }


def invariant_violations(*, offers: bool = False) -> list[Violation]:
    """Every violation of the stock invariants (all organizations: an operator's check):
    0 <= reserved <= on_hand; on_hand == Σ on_hand_delta and reserved == Σ reserved_delta
    of its movements; reserved == what its reservations hold. With `offers`, also each
    offer's stock_quantity against its levels."""
    found: list[Violation] = []
    bounds = StockLevel.objects.filter(Q(reserved__lt=0) | Q(reserved__gt=F("on_hand")) | Q(on_hand__lt=0))
    for pk, on_hand, reserved in bounds.order_by("pk").values_list("pk", "on_hand", "reserved"):
        found.append(Violation(pk, "0 <= reserved <= on_hand", f"on_hand={on_hand} reserved={reserved}"))
    with connection.cursor() as cursor:
        cursor.execute(_LEDGER_SQL.format(**_tables()))
        for pk, on_hand, reserved, moved_on_hand, moved_reserved in cursor.fetchall():
            if on_hand != moved_on_hand:
                found.append(
                    Violation(pk, "on_hand == sum(movements)", f"on_hand={on_hand} movements={moved_on_hand}")
                )
            if reserved != moved_reserved:
                found.append(
                    Violation(
                        pk, "reserved == sum(movements)", f"reserved={reserved} movements={moved_reserved}"
                    )
                )
        cursor.execute(_HELD_SQL.format(**_tables()))
        for pk, reserved, held in cursor.fetchall():
            found.append(Violation(pk, "reserved == sum(reservations)", f"reserved={reserved} held={held}"))
    if offers:
        found += _offer_violations()
    return found


def available_by_key(
    *, suppliers: set[int], parts: set[int], grades: set[str]
) -> dict[tuple[int, int, str], int]:
    """(supplier id, part id, grade) → Σ on_hand − reserved over the supplier's active
    warehouses, for the keys these sets span."""
    rows = (
        StockLevel.objects.filter(
            warehouse__organization_id__in=suppliers,
            warehouse__is_active=True,
            part_id__in=parts,
            grade__in=grades,
        )
        .values_list("warehouse__organization_id", "part_id", "grade")
        .annotate(n=Sum(F("on_hand") - F("reserved")))
        .order_by()
    )
    return {(org, part, grade): int(n or 0) for org, part, grade, n in rows}


def _offer_violations() -> list[Violation]:
    found: list[Violation] = []
    rows = list(
        Offer.objects.order_by("pk").values_list("pk", "supplier_id", "part_id", "grade", "stock_quantity")
    )
    for start in range(0, len(rows), 5000):
        batch = rows[start : start + 5000]
        available = available_by_key(
            suppliers={r[1] for r in batch}, parts={r[2] for r in batch}, grades={r[3] for r in batch}
        )
        for pk, supplier, part, grade, quantity in batch:
            expected = max(0, available.get((supplier, part, grade), 0))
            if quantity != expected:
                found.append(
                    Violation(
                        None, "offer.stock_quantity == available", f"offer #{pk}: {quantity} != {expected}"
                    )
                )
    return found
