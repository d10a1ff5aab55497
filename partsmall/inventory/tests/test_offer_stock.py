"""An offer made after its stock, or moved to a grade with stock, sells that stock at once
(migration 0002's triggers on catalog_offer), and changing an offer's terms never writes
back a stock_quantity read before a stock movement."""

from decimal import Decimal

import pytest

from partsmall.catalog.models import Grade, Offer, Part
from partsmall.catalog.services import offer_create, offer_update
from partsmall.catalog.tests.factories import PartFactory
from partsmall.inventory.selectors import invariant_violations
from partsmall.inventory.tests.factories import WarehouseFactory, receive
from partsmall.organizations.models import Organization
from partsmall.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplier() -> Organization:
    return OrganizationFactory.create(kind=Organization.Kind.SUPPLIER)


@pytest.fixture
def part() -> Part:
    return PartFactory.create()


def _stocked_before(supplier: Organization, part: Part) -> None:
    """6 branded units in two warehouses of the supplier, and stock that is not the offer's:
    an inactive warehouse, another grade, another supplier."""
    receive(WarehouseFactory.create(organization=supplier), part, Grade.BRAND, 4)
    receive(WarehouseFactory.create(organization=supplier), part, Grade.BRAND, 2)
    closed = WarehouseFactory.create(organization=supplier)
    receive(closed, part, Grade.BRAND, 50)
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    receive(WarehouseFactory.create(organization=supplier), part, Grade.AFTERMARKET, 3)
    receive(WarehouseFactory.create(), part, Grade.BRAND, 70)


def test_an_offer_made_after_its_stock_sells_it_at_once(supplier, part):
    _stocked_before(supplier, part)

    offer = offer_create(supplier=supplier, part=part, grade=Grade.BRAND, sku="BR-1", price="20.00", by=None)

    assert offer.stock_quantity == 6
    assert Offer.objects.get(pk=offer.pk).stock_quantity == 6
    part.refresh_from_db()
    assert part.in_stock
    assert invariant_violations(offers=True) == []


def test_any_insert_of_an_offer_reads_the_levels(supplier, part):
    """Imports insert offers in bulk, without the service: the database sets the quantity."""
    _stocked_before(supplier, part)

    [offer] = Offer.objects.bulk_create(
        [Offer(supplier=supplier, part=part, grade=Grade.AFTERMARKET, sku="AM-1", price=Decimal("9.90"))]
    )

    assert Offer.objects.get(sku="AM-1", supplier=supplier).stock_quantity == 3
    assert offer.grade == Grade.AFTERMARKET


def test_a_regraded_offer_sells_the_stock_of_its_new_grade(supplier, part):
    _stocked_before(supplier, part)
    offer = offer_create(supplier=supplier, part=part, grade=Grade.BRAND, sku="BR-1", price="20.00", by=None)

    offer_update(offer=offer, grade=Grade.AFTERMARKET, by=None)
    assert offer.stock_quantity == 3
    assert Offer.objects.get(pk=offer.pk).stock_quantity == 3

    offer_update(offer=offer, grade=Grade.GENUINE, by=None)  # none of that grade
    assert offer.stock_quantity == 0
    assert Offer.objects.get(pk=offer.pk).stock_quantity == 0
    part.refresh_from_db()
    assert not part.in_stock
    assert invariant_violations(offers=True) == []


def test_new_terms_keep_the_stock_a_movement_wrote_after_the_offer_was_read(supplier, part):
    warehouse = WarehouseFactory.create(organization=supplier)
    receive(warehouse, part, Grade.BRAND, 5)
    offer = offer_create(supplier=supplier, part=part, grade=Grade.BRAND, sku="BR-1", price="20.00", by=None)
    read_before = Offer.objects.get(pk=offer.pk)
    receive(warehouse, part, Grade.BRAND, 7)  # meanwhile: 12

    offer_update(offer=read_before, price="18.00", by=None)

    saved = Offer.objects.get(pk=offer.pk)
    assert (saved.price, saved.stock_quantity) == (Decimal("18.00"), 12)
