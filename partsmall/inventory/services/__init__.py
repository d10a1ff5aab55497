"""Writes of inventory (a package: ledger, reservations, counts, warehouses). Stock levels
change only here.

Import from here: `from partsmall.inventory.services import stock_reserve`.
"""

from partsmall.inventory.services.counts import (
    CountResult,
    StockCount,
    stock_adjust,
    stock_level_set_threshold,
    stock_receive,
    stock_set_counts,
    stocktake_record,
)
from partsmall.inventory.services.ledger import (
    CREATED,
    MAX_QUANTITY,
    UNCHANGED,
    UPDATED,
    available_sql,
    lock_levels,
    offer_stock_resync,
    offers_sync,
)
from partsmall.inventory.services.reservations import (
    Allocation,
    InsufficientStock,
    ReserveLine,
    reserve_new,
    stock_release,
    stock_reserve,
    stock_ship,
)
from partsmall.inventory.services.warehouses import warehouse_create, warehouse_update

__all__ = [
    "CREATED",
    "MAX_QUANTITY",
    "UNCHANGED",
    "UPDATED",
    "Allocation",
    "available_sql",
    "CountResult",
    "InsufficientStock",
    "ReserveLine",
    "StockCount",
    "lock_levels",
    "offer_stock_resync",
    "offers_sync",
    "stock_adjust",
    "stock_level_set_threshold",
    "stock_receive",
    "stock_release",
    "reserve_new",
    "stock_reserve",
    "stock_set_counts",
    "stock_ship",
    "stocktake_record",
    "warehouse_create",
    "warehouse_update",
]
