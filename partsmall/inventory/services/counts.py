"""Goods in and corrections: receipts and returns, adjustments with a reason, absolute
counts (stocktake, stock sheet), low-stock thresholds."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q

from partsmall.catalog.models import Grade, Part
from partsmall.core.errors import ApplicationError
from partsmall.inventory import errors
from partsmall.inventory.models import MovementKind, StockLevel, StockMovement, Stocktake, Warehouse
from partsmall.inventory.services.ledger import (
    CREATED,
    MAX_QUANTITY,
    UNCHANGED,
    UPDATED,
    Ledger,
    LevelKey,
    acting,
    lock_levels,
    whole_quantity,
)

if TYPE_CHECKING:
    from partsmall.accounts.models import User


@dataclass(frozen=True)
class StockCount:
    """An absolute quantity wanted for a level (a stocktake line, a stock sheet row)."""

    warehouse_id: int
    part_id: int
    grade: str
    quantity: int
    # The caller's name for the line (a staged row id), handed back in the outcomes.
    key: object = None


@dataclass
class CountResult:
    outcomes: dict[object, str] = field(default_factory=dict)
    failures: dict[object, str] = field(default_factory=dict)


# Receive, adjust, count ------------------------------------------------------------------


def _check_grade(grade: str) -> None:
    if grade not in Grade.values:
        raise ApplicationError(errors.GRADE_INVALID, field="grade")


def _check_active(warehouse: Warehouse) -> None:
    if not warehouse.is_active:
        raise ApplicationError(errors.WAREHOUSE_INACTIVE % {"name": warehouse.name}, field="warehouse")


def _level_of(warehouse: Warehouse, part: Part, grade: str) -> StockLevel:
    """The level of (warehouse, part, grade), created when missing, locked."""
    level, _created = StockLevel.objects.get_or_create(warehouse=warehouse, part=part, grade=grade)
    return lock_levels(Q(pk=level.pk))[0]


@transaction.atomic
def stock_receive(
    *,
    warehouse: Warehouse,
    part: Part,
    grade: str,
    quantity: int,
    kind: str,
    ref_type: str,
    ref_id: int | None,
    ref_label: str,
    by: "User | None",
    note: str = "",
) -> StockMovement:
    """Goods in: a receipt (purchase, first stock) or a return (after-sales) adds on_hand."""
    whole_quantity(quantity, low=1, message=errors.QUANTITY_POSITIVE)
    if kind not in {MovementKind.RECEIPT, MovementKind.RETURN}:
        raise ApplicationError(errors.KIND_INVALID, field="kind")
    _check_grade(grade)
    _check_active(warehouse)
    ledger = Ledger(acting(by))
    movement = ledger.move(
        _level_of(warehouse, part, grade),
        kind=kind,
        on_hand=quantity,
        ref_type=ref_type,
        ref_id=ref_id,
        ref_label=ref_label,
        note=note,
    )
    ledger.flush()
    return movement


def _reason(reason: str) -> str:
    text = str(reason or "").strip()
    if not text:
        raise ApplicationError(errors.REASON_REQUIRED, field="reason")
    if len(text) > 200:
        raise ApplicationError(errors.REASON_TOO_LONG, field="reason")
    return text


def _check_new_on_hand(level: StockLevel, on_hand: int) -> str | None:
    if on_hand < 0:
        return str(errors.BELOW_ZERO % {"on_hand": level.on_hand})
    if on_hand < level.reserved:
        return str(errors.BELOW_RESERVED % {"on_hand": on_hand, "reserved": level.reserved})
    return None


@transaction.atomic
def stock_adjust(*, stock_level: StockLevel, delta: int, reason: str, by: "User | None") -> StockMovement:
    """A correction 库存调整 by `delta` (damage, loss, found goods), with its reason. Never
    below 0 nor below what is reserved."""
    if isinstance(delta, bool) or not isinstance(delta, int) or not delta:
        raise ApplicationError(errors.DELTA_ZERO, field="delta")
    if abs(delta) > MAX_QUANTITY:
        raise ApplicationError(errors.QUANTITY_TOO_LARGE, field="delta")
    note = _reason(reason)
    level = lock_levels(Q(pk=stock_level.pk))[0]
    problem = _check_new_on_hand(level, level.on_hand + delta)
    if problem:
        raise ApplicationError(problem, field="delta")
    ledger = Ledger(acting(by))
    movement = ledger.move(level, kind=MovementKind.ADJUSTMENT, on_hand=delta, note=note)
    ledger.flush()
    stock_level.on_hand, stock_level.reserved = level.on_hand, level.reserved
    return movement


@transaction.atomic
def stock_set_counts(
    *,
    counts: Sequence[StockCount],
    kind: str,
    ref_type: str,
    ref_id: int | None,
    ref_label: str,
    note: str = "",
    by: "User | None",
) -> CountResult:
    """Sets levels to absolute quantities (a stocktake, a stock sheet), each difference one
    movement of `kind`. A count below what is reserved fails alone (in `failures`); the
    others are written. Outcome per count key: created (a new level), updated, unchanged."""
    result = CountResult()
    for count in counts:
        _check_grade(count.grade)
        whole_quantity(count.quantity, low=0, message=errors.QUANTITY_NOT_NEGATIVE)
    existing = _levels_by_key(counts)
    fresh = [
        StockLevel(warehouse_id=c.warehouse_id, part_id=c.part_id, grade=c.grade)
        for c in _first_per_key(counts)
        if c.quantity and _count_key(c) not in existing
    ]
    created = {(level.warehouse_id, level.part_id, level.grade) for level in fresh}
    StockLevel.objects.bulk_create(fresh)
    ids = [*existing.values(), *_levels_by_key([c for c in counts if _count_key(c) in created]).values()]
    locked = {(lv.warehouse_id, lv.part_id, lv.grade): lv for lv in lock_levels(Q(pk__in=ids))}
    ledger = Ledger(acting(by))
    for count in counts:
        level = locked.get(_count_key(count))
        if level is None or level.on_hand == count.quantity:
            result.outcomes[count.key] = UNCHANGED
            continue
        problem = _check_new_on_hand(level, count.quantity)
        if problem:
            result.failures[count.key] = problem
            continue
        ledger.move(
            level,
            kind=kind,
            on_hand=count.quantity - level.on_hand,
            ref_type=ref_type,
            ref_id=ref_id,
            ref_label=ref_label,
            note=note,
        )
        result.outcomes[count.key] = CREATED if _count_key(count) in created else UPDATED
    ledger.flush()
    return result


def _count_key(count: StockCount) -> LevelKey:
    return (count.warehouse_id, count.part_id, count.grade)


def _first_per_key(counts: Sequence[StockCount]) -> list[StockCount]:
    return list({_count_key(c): c for c in reversed(counts)}.values())


def _levels_by_key(counts: Sequence[StockCount]) -> dict[LevelKey, int]:
    """Level ids of the counts' keys that exist (one query; filtered here by exact key)."""
    keys = {_count_key(c) for c in counts}
    if not keys:
        return {}
    rows = StockLevel.objects.filter(
        warehouse_id__in={k[0] for k in keys}, part_id__in={k[1] for k in keys}
    ).values_list("pk", "warehouse_id", "part_id", "grade")
    return {(w, p, g): pk for pk, w, p, g in rows if (w, p, g) in keys}


@transaction.atomic
def stocktake_record(
    *, warehouse: Warehouse, counts: dict[int, int], note: str = "", by: "User | None"
) -> Stocktake:
    """A stocktake 盘点 of a warehouse: the counted quantity per stock level (by id); every
    difference becomes a stocktake movement citing it. All lines or none: a count below
    what is reserved refuses the stocktake, naming the line."""
    if not counts:
        raise ApplicationError(errors.STOCKTAKE_EMPTY, field="counts")
    note = str(note or "").strip()
    if len(note) > 200:
        raise ApplicationError(errors.REASON_TOO_LONG, field="note")
    levels = {
        level.pk: level
        for level in StockLevel.objects.filter(pk__in=list(counts), warehouse=warehouse).select_related(
            "part__brand"
        )
    }
    for level_id in counts:
        if level_id not in levels:
            raise ApplicationError(errors.LEVEL_NOT_IN_WAREHOUSE % {"row": level_id}, field="counts")
    stocktake = Stocktake.objects.create(
        warehouse=warehouse, note=note, counted=len(counts), created_by=acting(by)
    )
    result = stock_set_counts(
        counts=[
            StockCount(warehouse.pk, levels[pk].part_id, levels[pk].grade, quantity, key=pk)
            for pk, quantity in sorted(counts.items())
        ],
        kind=MovementKind.STOCKTAKE,
        ref_type="stocktake",
        ref_id=stocktake.pk,
        ref_label=f"盘点 #{stocktake.pk}",
        note=note,
        by=by,
    )
    if result.failures:
        failed_id, problem = next(iter(result.failures.items()))
        level = levels[int(str(failed_id))]
        raise ApplicationError(
            f"{level.part.brand.name} {level.part.number} {level.get_grade_display()}：{problem}",
            field=f"count_{failed_id}",
        )
    stocktake.changed = sum(1 for outcome in result.outcomes.values() if outcome != UNCHANGED)
    stocktake.save(update_fields=["changed"])
    return stocktake


@transaction.atomic
def stock_level_set_threshold(
    *, stock_level: StockLevel, threshold: int | None, by: "User | None"
) -> StockLevel:
    """The level's own low-stock threshold (None: the default of the settings)."""
    if threshold is not None and (
        isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0
    ):
        raise ApplicationError(errors.THRESHOLD_INVALID, field="threshold")
    StockLevel.objects.filter(pk=stock_level.pk).update(low_stock_threshold=threshold)
    stock_level.low_stock_threshold = threshold
    return stock_level
