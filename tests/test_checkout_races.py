"""Checkouts racing on PostgreSQL with real threads (issue 4, acceptance 2).

- 16 buyers race for the last 5 units of one offer, 20 rounds: exactly 5 sold each time,
  no deadlock, the stock invariants hold;
- carts holding the same lines in opposite orders, checked out at once: no deadlock.

Row locks are what is tested, so these run on PostgreSQL only (the PostgreSQL pass of
`make test` runs them; under CI=true that pass is required).
"""

import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import F

from partsmall.catalog.models import Grade, Offer
from partsmall.catalog.tests.factories import OfferFactory
from partsmall.inventory.models import StockLevel
from partsmall.inventory.services import InsufficientStock
from partsmall.orders.models import Address, CartLine, SupplierOrder
from partsmall.orders.services.checkout import checkout_submit
from partsmall.orders.tests.factories import AddressFactory, CartFactory, stock
from partsmall.organizations.models import Organization
from partsmall.organizations.tests.factories import OrganizationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
]

BUYERS = 16
ROUNDS = 20


@pytest.fixture
def shops(migrated_data: None) -> Iterator[list[Address]]:
    addresses = [
        AddressFactory.create(organization=OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP))
        for _ in range(BUYERS)
    ]
    for address in addresses:
        CartFactory.create(organization=address.organization)
    yield addresses
    connections.close_all()


def _fill(address: Address, offers: list[Offer]) -> None:
    """The buyer's cart holds exactly these offers, 1 unit each, added in this order."""
    cart = address.organization.cart
    CartLine.objects.filter(cart=cart).delete()
    for offer in offers:
        CartLine.objects.create(cart=cart, offer=offer, quantity=1)


def _race(addresses: list[Address]) -> Counter[str]:
    """Every buyer checks out its cart at once, each in its own thread and connection."""
    barrier = threading.Barrier(len(addresses))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def buy(address: Address) -> None:
        try:
            barrier.wait()
            checkout_submit(
                buyer=address.organization, by=None, address=address, idempotency_key=uuid.uuid4().hex
            )
            outcome = "sold"
        except InsufficientStock:
            outcome = "refused"
        except Exception as error:  # a deadlock or anything else: shown by the assertion
            outcome = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=buy, args=(address,)) for address in addresses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a checkout never finished"
    return outcomes


def _invariants_hold() -> None:
    out = StringIO()
    try:
        call_command("check_invariants", stdout=out, stderr=out)
    except SystemExit as exit_:  # the command exits non-zero on a violation
        pytest.fail(f"check_invariants exited {exit_.code}: {out.getvalue()}")
    assert not StockLevel.objects.filter(reserved__gt=F("on_hand")).exists()


def _supplier_offer(make: Callable[..., Offer] = OfferFactory.create) -> Offer:
    return make(grade=Grade.BRAND, supplier=OrganizationFactory.create(kind=Organization.Kind.SUPPLIER))


def test_sixteen_buyers_race_for_the_last_five_units_and_exactly_five_sell(shops: list[Address]) -> None:
    for round_ in range(ROUNDS):
        offer = _supplier_offer()
        stock(offer, 5)
        for address in shops:
            _fill(address, [offer])

        outcomes = _race(shops)

        assert outcomes == Counter({"sold": 5, "refused": BUYERS - 5}), f"round {round_}: {outcomes}"
        level = StockLevel.objects.get(part=offer.part, grade=offer.grade)
        assert (level.on_hand, level.reserved) == (5, 5)
        assert SupplierOrder.objects.filter(lines__offer=offer).count() == 5
        offer.refresh_from_db()
        assert offer.stock_quantity == 0
        _invariants_hold()


def test_carts_with_the_same_lines_in_opposite_orders_never_deadlock(shops: list[Address]) -> None:
    # Two suppliers; a part offered by both, so that checkouts share stock rows, offers and parts.
    first, second = _supplier_offer(), _supplier_offer()
    shared = OfferFactory.create(grade=Grade.BRAND, part=first.part, supplier=second.supplier)
    offers = [first, second, shared]
    for offer in offers:
        stock(offer, 1_000)
    for round_ in range(ROUNDS // 2):
        for n, address in enumerate(shops):
            _fill(address, offers if n % 2 else offers[::-1])

        outcomes = _race(shops)

        assert outcomes == Counter({"sold": BUYERS}), f"round {round_}: {outcomes}"
    for offer in offers:
        level_reserved = sum(
            StockLevel.objects.filter(
                part=offer.part, grade=offer.grade, warehouse__organization=offer.supplier
            ).values_list("reserved", flat=True)
        )
        assert level_reserved == BUYERS * (ROUNDS // 2)
    _invariants_hold()
