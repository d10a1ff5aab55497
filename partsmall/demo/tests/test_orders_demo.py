"""The demo's past orders: a few hundred, in every status, made through the services so
that events, stock and timestamps agree; address books; a few returns."""

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from partsmall.inventory.models import MovementKind, StockMovement, StockReservation
from partsmall.orders.models import Address, OrderEvent, OrderLine, ReturnRequest, SupplierOrder
from partsmall.orders.services.timeouts import timeouts_run
from partsmall.organizations.models import Organization

Status = SupplierOrder.Status


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


def test_a_few_hundred_orders_in_every_status(loaded):
    counts = dict(SupplierOrder.objects.values_list("status").annotate(n=Count("id")))

    assert SupplierOrder.objects.count() >= 200
    assert set(counts) == set(Status.values)
    assert set(SupplierOrder.objects.values_list("payment_status", flat=True)) == set(
        SupplierOrder.PaymentStatus.values
    )


def test_every_shop_has_an_address_book_and_orders(loaded):
    shops = Organization.objects.filter(kind=Organization.Kind.REPAIR_SHOP, status=Organization.Status.ACTIVE)

    for shop in shops:
        assert Address.objects.filter(organization=shop, is_default=True).count() == 1
    assert SupplierOrder.objects.values("buyer").distinct().count() >= 5
    assert SupplierOrder.objects.values("supplier").distinct().count() >= 3


def test_events_chain_from_checkout_to_the_current_state(loaded):
    for order in SupplierOrder.objects.prefetch_related("events"):
        events = sorted(order.events.all(), key=lambda e: (e.created_at, e.pk))
        assert events[0].from_status == ""
        for previous, event in zip(events, events[1:], strict=False):
            assert (event.from_status, event.from_payment_status) == (
                previous.to_status,
                previous.to_payment_status,
            )
        assert (events[-1].to_status, events[-1].to_payment_status) == (order.status, order.payment_status)


def test_timestamps_are_in_the_past_and_in_order(loaded):
    now = timezone.now()

    assert not SupplierOrder.objects.filter(created_at__gt=now).exists()
    assert not SupplierOrder.objects.filter(confirmed_at__lt=F("created_at")).exists()
    assert not SupplierOrder.objects.filter(delivered_at__lt=F("confirmed_at")).exists()
    assert not SupplierOrder.objects.filter(completed_at__lt=F("delivered_at")).exists()
    assert SupplierOrder.objects.filter(created_at__lt=now - timedelta(days=30)).exists()
    assert OrderEvent.objects.filter(created_at__lt=now - timedelta(days=30)).exists()


def test_stock_is_held_exactly_by_the_open_lines(loaded):
    ended = {Status.CANCELLED, Status.CLOSED}
    for line in OrderLine.objects.filter(made_to_order=False).select_related("order"):
        held = sum(r.held for r in StockReservation.objects.filter(ref_type="order_line", ref_id=line.pk))
        assert held == (0 if line.order.status in ended else line.quantity - line.shipped_quantity)


def test_stock_invariants_hold(loaded):
    call_command("check_invariants", stdout=StringIO())


def test_the_timeouts_find_nothing_left_to_do_now(loaded):
    assert timeouts_run(now=timezone.now()) == {"closed": 0, "completed": 0, "expired_checkouts": 0}


def test_a_few_returns_and_received_ones_put_stock_back(loaded):
    requests = ReturnRequest.objects.all()
    received = requests.filter(status=ReturnRequest.Status.RECEIVED)

    assert 5 <= requests.count() <= 40
    assert requests.values("status").distinct().count() >= 4
    assert requests.filter(reason=ReturnRequest.Reason.DOESNT_FIT, fitment__isnull=False).exists()
    assert all(r.photos.exists() for r in requests)
    assert received.exists()
    for request in received:
        assert StockMovement.objects.filter(
            kind=MovementKind.RETURN, ref_type="return_request", ref_id=request.pk
        ).exists()
