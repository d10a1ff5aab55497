"""The demo's stock: warehouses of every supplier in several provinces, stock for most
offers, some made to order and some out of stock, one warehouse per shop; invariants hold."""

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from partsmall.catalog.models import Offer
from partsmall.inventory.models import StockLevel, Warehouse
from partsmall.inventory.selectors import invariant_violations
from partsmall.organizations.models import Organization


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    """The demo loaded once for this module, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo: None, db: None) -> None:
    return demo


def test_every_supplier_has_two_or_three_warehouses_in_different_provinces(loaded):
    suppliers = Organization.objects.filter(
        kind=Organization.Kind.SUPPLIER, status=Organization.Status.ACTIVE
    )

    for supplier in suppliers:
        warehouses = Warehouse.objects.filter(organization=supplier)
        assert 2 <= warehouses.count() <= 3
        assert warehouses.values("province").distinct().count() == warehouses.count()


def test_every_active_shop_has_a_warehouse_with_a_few_parts(loaded):
    shops = Organization.objects.filter(kind=Organization.Kind.REPAIR_SHOP, status=Organization.Status.ACTIVE)
    kept = dict(
        StockLevel.objects.filter(warehouse__organization__in=shops)
        .values_list("warehouse__organization")
        .annotate(n=Count("id"))
    )

    assert shops.exists()
    assert set(kept) == {shop.pk for shop in shops}
    assert all(1 <= n <= 8 for n in kept.values())


def test_most_offers_are_in_stock_some_made_to_order_some_out_of_stock(loaded):
    offers = Offer.objects.all()
    total = offers.count()
    in_stock = offers.filter(stock_quantity__gt=0).count()
    made = offers.filter(made_to_order=True).count()
    out = offers.filter(stock_quantity=0, made_to_order=False).count()

    assert in_stock > total * 0.6
    assert made > 0
    assert out > 0
    assert StockLevel.objects.exclude(low_stock_threshold=None).exists()


def test_the_demo_stock_keeps_the_invariants(loaded):
    assert invariant_violations(offers=True) == []
