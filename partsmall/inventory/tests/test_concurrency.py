"""On PostgreSQL, with real threads and real row locks: 16 buyers reserve the last 5 units
of one stock level at once; exactly 5 get one, the others are told there is no stock, and
the invariants hold."""

import threading

import pytest
from django.db import connection, connections

from partsmall.catalog.models import Offer
from partsmall.catalog.tests.factories import OfferFactory
from partsmall.inventory.models import StockLevel, StockReservation
from partsmall.inventory.selectors import invariant_violations
from partsmall.inventory.services import InsufficientStock, ReserveLine, stock_reserve
from partsmall.inventory.tests.factories import stock_offer

BUYERS = 16
UNITS = 5


def _race(offer: Offer) -> list[str]:
    barrier = threading.Barrier(BUYERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy(n: int) -> None:
        try:
            barrier.wait()
            try:
                stock_reserve(
                    lines=[ReserveLine(offer=offer, quantity=1, ref_id=n)],
                    ref_type="order_line",
                    ref_label=f"SO-{n}",
                    province_code=None,
                    by=None,
                )
                outcome = "reserved"
            except InsufficientStock:
                outcome = "sold out"
            except Exception as error:  # a deadlock or anything else fails the test below
                outcome = f"error: {error!r}"
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy, args=(n,)) for n in range(1, BUYERS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between threads need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_sixteen_buyers_race_for_the_last_five_units(migrated_data):
    offer = OfferFactory.create(stock_quantity=0)
    level = stock_offer(offer, UNITS)

    outcomes = _race(offer)

    assert sorted(outcomes) == ["reserved"] * UNITS + ["sold out"] * (BUYERS - UNITS)
    level.refresh_from_db()
    assert (level.on_hand, level.reserved) == (UNITS, UNITS)
    assert StockReservation.objects.filter(stock_level=level).count() == UNITS
    assert Offer.objects.get(pk=offer.pk).stock_quantity == 0
    assert invariant_violations(offers=True) == []
    assert StockLevel.objects.count() == 1
