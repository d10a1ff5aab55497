"""The same checkout submitted at once from several threads (a double click, a client
retrying on a timeout) makes one checkout: PostgreSQL only, real threads and connections."""

import threading
from collections.abc import Iterator

import pytest
from django.db import connection, connections

from partsmall.catalog.tests.factories import OfferFactory
from partsmall.inventory.models import StockLevel, StockReservation
from partsmall.orders.models import Address, CartLine, Checkout, SupplierOrder
from partsmall.orders.services.checkout import checkout_submit
from partsmall.orders.tests.factories import AddressFactory, CartFactory, ShopFactory, stock

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
]

THREADS = 6


@pytest.fixture
def address(migrated_data: None) -> Iterator[Address]:
    found = AddressFactory.create(organization=ShopFactory.create())
    CartFactory.create(organization=found.organization)
    yield found
    connections.close_all()


def test_one_key_submitted_by_several_threads_at_once_makes_one_checkout(address: Address) -> None:
    offers = [OfferFactory.create(stock_quantity=0) for _ in range(2)]
    for offer in offers:
        stock(offer, 100)
        CartLine.objects.create(cart=address.organization.cart, offer=offer, quantity=3)
    barrier = threading.Barrier(THREADS)
    results: list[object] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            barrier.wait()
            made: object = checkout_submit(
                buyer=address.organization, by=None, address=address, idempotency_key="double-click"
            ).pk
        except Exception as error:  # shown by the assertion
            made = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            results.append(made)

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    checkout = Checkout.objects.get()
    assert results == [checkout.pk] * THREADS
    assert SupplierOrder.objects.filter(checkout=checkout).count() == 2
    assert sorted(StockLevel.objects.values_list("reserved", flat=True)) == [3, 3]
    assert StockReservation.objects.count() == 2
    assert not CartLine.objects.exists()
