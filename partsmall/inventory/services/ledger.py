"""The ledger every stock service writes through, and the offers kept in step with it.

A service call locks the StockLevel rows it changes first, always in primary-key order in
one statement (`lock_levels`: `select_for_update`, never SKIP LOCKED), then whatever rows
of its own it needs (reservations), then, in `Ledger.flush`, writes the levels and their
append-only movements in bulk and brings the offers in step: `Offer.stock_quantity` is
recomputed from the levels (Σ on_hand − reserved over the supplier's active warehouses
for the offer's part and grade) under the offers' row locks (by primary key), and when an
offer's availability crosses zero the part's offer summary is refreshed (search's in-stock
facet).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partsmall.catalog.indexing import refresh_offer_summary
from partsmall.catalog.models import Offer
from partsmall.core import sql
from partsmall.core.errors import ApplicationError
from partsmall.inventory import errors
from partsmall.inventory.models import StockLevel, StockMovement

if TYPE_CHECKING:
    from partsmall.accounts.models import User


MAX_QUANTITY = 2_000_000_000
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

OfferKey = tuple[int, int, str]  # (supplier id, part id, grade)
LevelKey = tuple[int, int, str]  # (warehouse id, part id, grade)


@dataclass
class Ledger:
    """The changes of one service call: applied to the locked levels in memory, then
    written in bulk (levels, movements) and the offers brought in step."""

    by: "User | None"
    levels: dict[int, StockLevel] = field(default_factory=dict)
    movements: list[StockMovement] = field(default_factory=list)

    def move(
        self,
        level: StockLevel,
        *,
        kind: str,
        on_hand: int = 0,
        reserved: int = 0,
        ref_type: str = "",
        ref_id: int | None = None,
        ref_label: str = "",
        note: str = "",
    ) -> StockMovement:
        level.on_hand += on_hand
        level.reserved += reserved
        self.levels[level.pk] = level
        movement = StockMovement(
            stock_level=level,
            kind=kind,
            on_hand_delta=on_hand,
            reserved_delta=reserved,
            on_hand_after=level.on_hand,
            reserved_after=level.reserved,
            ref_type=ref_type[:32],
            ref_id=ref_id,
            ref_label=ref_label[:100],
            note=note[:200],
            created_by=self.by,
        )
        self.movements.append(movement)
        return movement

    def flush(self) -> None:
        """Writes the levels (by primary key) and the movements (in the order they were
        made, which gives them their ids), then brings the offers in step: one pipeline
        of plain statements (core.sql)."""
        if not self.levels:
            return
        now = timezone.now()
        levels = sorted(self.levels.values(), key=lambda level: level.pk)
        for level in levels:
            level.updated_at = now
        with sql.pipeline():
            sql.update_objects(levels, ["on_hand", "reserved", "updated_at"])
            sql.insert_objects(self.movements)
            offers_sync(levels=levels)


def acting(by: "User | None") -> "User | None":
    """Who a movement is recorded for: the person, or None (the system, an API key)."""
    return by if by is not None and by.is_authenticated else None


def whole_quantity(value: object, *, low: int, message: object) -> int:
    """A whole number from `low` to MAX_QUANTITY, else refused naming the quantity."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ApplicationError(str(message), field="quantity")
    if value > MAX_QUANTITY:
        raise ApplicationError(errors.QUANTITY_TOO_LARGE, field="quantity")
    return value


def lock_levels(levels: Q) -> list[StockLevel]:
    """The levels matching `levels`, locked in primary-key order (with their warehouses)."""
    return list(
        StockLevel.objects.select_for_update(of=("self",))
        .select_related("warehouse")
        .filter(levels)
        .order_by("pk")
    )


def offer_key(level: StockLevel) -> OfferKey:
    return (level.warehouse.organization_id, level.part_id, level.grade)


# Offers in step ------------------------------------------------------------------------


def offers_sync(*, levels: Iterable[StockLevel]) -> None:
    """Brings the offers these levels feed in step (see offer_keys_sync)."""
    offer_keys_sync({offer_key(level) for level in levels})


def offer_keys_sync(keys: set[OfferKey]) -> None:
    """Recomputes Offer.stock_quantity of the offers of these (supplier, part, grade) keys,
    locking the offers (by primary key) so that concurrent calls each read the other's
    committed levels; then refreshes the offer summary of the parts whose availability
    crossed zero."""
    ordered = sorted(keys)
    for start in range(0, len(ordered), 5000):
        _sync_keys(set(ordered[start : start + 5000]))


def available_sql(offer: str) -> str:
    """What an offer can sell, as an SQL expression over the offer row named `offer`: Σ
    on_hand − reserved over its supplier's active warehouses for its part and grade, never
    below 0 (what Offer.stock_quantity is kept equal to)."""
    return (
        "(SELECT CASE WHEN SUM(s.on_hand - s.reserved) > 0 THEN SUM(s.on_hand - s.reserved) ELSE 0 END"
        " FROM inventory_stocklevel s JOIN inventory_warehouse w ON w.id = s.warehouse_id"
        f" WHERE w.is_active AND w.organization_id = {offer}.supplier_id"
        f" AND s.part_id = {offer}.part_id AND s.grade = {offer}.grade)"
    )


AVAILABLE = available_sql("catalog_offer")


def _sync_keys(keys: set[OfferKey]) -> None:
    """Two statements, sent together: lock the offers of these suppliers, parts and grades
    (primary-key order), then set each one's stock_quantity from the levels where it
    differs (a statement of its own, so that it reads what the lock waited for). The parts
    whose offers' availability crossed zero get their offer summary refreshed."""
    supplier_in, supplier_params = sql.is_in("supplier_id", sorted({key[0] for key in keys}))
    part_in, part_params = sql.is_in("part_id", sorted({key[1] for key in keys}))
    grade_in, grade_params = sql.is_in("grade", sorted({key[2] for key in keys}))
    where = f"{supplier_in} AND {part_in} AND {grade_in}"
    params = [*supplier_params, *part_params, *grade_params]
    with sql.pipeline():
        locked = sql.send(
            f"SELECT id, part_id, stock_quantity FROM catalog_offer WHERE {where}"
            f" ORDER BY id{sql.for_update()}",
            params,
        )
        changed = sql.send(
            f"UPDATE catalog_offer SET stock_quantity = {AVAILABLE} WHERE {where}"
            f" AND stock_quantity <> {AVAILABLE} RETURNING id, stock_quantity",
            params,
        )
        sql.then(lambda: _refresh_crossed(locked(), changed()))


def _refresh_crossed(locked: list[tuple[int, int, int]], changed: list[tuple[int, int]]) -> None:
    """Refreshes the offer summary of the parts whose offers' availability crossed zero."""
    before = {offer_id: (part_id, stock) for offer_id, part_id, stock in locked}
    crossed = {before[offer_id][0] for offer_id, stock in changed if (stock > 0) != (before[offer_id][1] > 0)}
    if crossed:
        refresh_offer_summary(crossed)


@transaction.atomic
def offer_stock_resync(*, offers: Iterable[Offer]) -> None:
    """Brings these offers' stock_quantity in step with the levels (an offer created after
    its stock, or a quantity written outside these services)."""
    offers = list(offers)
    offer_keys_sync({(offer.supplier_id, offer.part_id, offer.grade) for offer in offers})
    for offer in offers:
        offer.refresh_from_db(fields=["stock_quantity"])
