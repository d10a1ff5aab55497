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
from partsmall.core.errors import ApplicationError
from partsmall.inventory import errors
from partsmall.inventory.models import StockLevel, StockMovement
from partsmall.inventory.selectors import available_by_key

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
        if not self.levels:
            return
        now = timezone.now()
        levels = sorted(self.levels.values(), key=lambda level: level.pk)
        for level in levels:
            level.updated_at = now
        StockLevel.objects.bulk_update(levels, ["on_hand", "reserved", "updated_at"], batch_size=500)
        StockMovement.objects.bulk_create(self.movements)
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


def _sync_keys(keys: set[OfferKey]) -> None:
    suppliers = {key[0] for key in keys}
    parts = {key[1] for key in keys}
    grades = {key[2] for key in keys}
    offers = [
        offer
        for offer in Offer.objects.select_for_update()
        .filter(supplier_id__in=suppliers, part_id__in=parts, grade__in=grades)
        .only("pk", "supplier_id", "part_id", "grade", "stock_quantity")
        .order_by("pk")
        if (offer.supplier_id, offer.part_id, offer.grade) in keys
    ]
    if not offers:
        return
    available = available_by_key(suppliers=suppliers, parts=parts, grades=grades)
    changed: list[Offer] = []
    crossed: set[int] = set()
    for offer in offers:
        quantity = max(0, available.get((offer.supplier_id, offer.part_id, offer.grade), 0))
        if quantity == offer.stock_quantity:
            continue
        if (quantity > 0) != (offer.stock_quantity > 0):
            crossed.add(offer.part_id)
        offer.stock_quantity = quantity
        changed.append(offer)
    Offer.objects.bulk_update(changed, ["stock_quantity"], batch_size=1000)
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
