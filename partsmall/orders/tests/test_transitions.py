"""The order transition tables and the one service that applies them: every illegal move
is refused (naming from and to) and changes nothing; every change writes one event;
cancelling or closing releases the order's stock exactly once."""

import itertools
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partsmall.core.errors import ApplicationError
from partsmall.inventory.models import MovementKind, StockMovement
from partsmall.orders.models import OrderEvent, SupplierOrder
from partsmall.orders.services.transitions import (
    PAYMENT_TRANSITIONS,
    TRANSITIONS,
    order_transition,
)
from partsmall.orders.tests.factories import SupplierOrderFactory
from partsmall.orders.tests.lifecycle_helpers import placed_order, releases_of, reserved_of, reserved_total

pytestmark = pytest.mark.django_db

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus

STATUS_PAIRS = [(a, b) for a, b in itertools.permutations(Status.values, 2)]
ILLEGAL = [(a, b) for a, b in STATUS_PAIRS if b not in TRANSITIONS[a]]
LEGAL = [(a, b) for a, b in STATUS_PAIRS if b in TRANSITIONS[a]]
PAYMENT_PAIRS = list(itertools.permutations(Payment.values, 2))


def test_the_table_covers_every_status_and_ends_in_terminal_ones():
    assert set(TRANSITIONS) == set(Status.values)
    assert set(PAYMENT_TRANSITIONS) == set(Payment.values)
    assert {s for s, targets in TRANSITIONS.items() if not targets} == {
        Status.COMPLETED,
        Status.CANCELLED,
        Status.CLOSED,
    }
    assert len(LEGAL) == 11


@pytest.mark.parametrize(("from_status", "to"), ILLEGAL)
def test_every_illegal_status_move_is_refused_and_changes_nothing(from_status, to):
    order = SupplierOrderFactory.create(status=from_status, payment_status=Payment.PAID)

    with pytest.raises(ApplicationError) as refused:
        order_transition(order=order, to=to, by=None)

    message = str(refused.value.message)
    assert refused.value.code == "illegal_transition"
    assert order.number in message
    assert f"「{Status(from_status).label}」" in message
    assert f"「{Status(to).label}」" in message
    order.refresh_from_db()
    assert order.status == from_status
    assert not OrderEvent.objects.filter(order=order).exists()


@pytest.mark.parametrize(("from_status", "to"), LEGAL)
def test_every_legal_status_move_is_applied_with_one_event(from_status, to, django_user_model):
    order = SupplierOrderFactory.create(status=from_status, payment_status=Payment.PAID)
    person = django_user_model.objects.create(phone="13900000001", name="王伟")

    moved = order_transition(order=order, to=to, by=person, reason="测试")

    order.refresh_from_db()
    event = OrderEvent.objects.get(order=order)
    assert moved.status == order.status == to
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        from_status,
        to,
        person,
        "测试",
    )
    assert (event.from_payment_status, event.to_payment_status) == (Payment.PAID, Payment.PAID)


def test_a_call_that_changes_nothing_is_refused():
    order = SupplierOrderFactory.create(status=Status.SUBMITTED)

    with pytest.raises(ApplicationError) as refused:
        order_transition(order=order, to=Status.SUBMITTED, by=None)

    assert refused.value.code == "illegal_transition"
    assert not OrderEvent.objects.filter(order=order).exists()


@pytest.mark.parametrize(("from_payment", "to"), PAYMENT_PAIRS)
def test_payment_moves_follow_their_table_while_the_order_waits(from_payment, to):
    order = SupplierOrderFactory.create(status=Status.SUBMITTED, payment_status=from_payment)
    legal = to in PAYMENT_TRANSITIONS[from_payment]

    if legal:
        order_transition(order=order, to=Status.SUBMITTED, payment_status=to, by=None)
    else:
        with pytest.raises(ApplicationError) as refused:
            order_transition(order=order, to=Status.SUBMITTED, payment_status=to, by=None)
        assert refused.value.code == "illegal_payment_transition"
        assert f"「{Payment(to).label}」" in str(refused.value.message)

    order.refresh_from_db()
    assert order.payment_status == (to if legal else from_payment)
    assert OrderEvent.objects.filter(order=order).count() == (1 if legal else 0)


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.SUBMITTED])
def test_payment_changes_only_while_the_order_waits_for_its_supplier(status):
    order = SupplierOrderFactory.create(status=status, payment_status=Payment.UNPAID)

    with pytest.raises(ApplicationError) as refused:
        order_transition(order=order, to=status, payment_status=Payment.PAID, by=None)

    assert refused.value.code == "illegal_payment_transition"
    order.refresh_from_db()
    assert order.payment_status == Payment.UNPAID


@pytest.mark.parametrize("payment", [Payment.UNPAID, Payment.AWAITING_CONFIRMATION])
def test_a_supplier_confirms_only_what_is_paid_or_on_account(payment):
    order = SupplierOrderFactory.create(status=Status.SUBMITTED, payment_status=payment)

    with pytest.raises(ApplicationError) as refused:
        order_transition(order=order, to=Status.CONFIRMED, by=None)

    assert refused.value.code == "not_paid"
    assert str(Payment(payment).label) in str(refused.value.message)
    order.refresh_from_db()
    assert order.status == Status.SUBMITTED


def test_paying_and_confirming_in_one_call_is_allowed_and_evented_once():
    order = SupplierOrderFactory.create(status=Status.SUBMITTED, payment_status=Payment.UNPAID)

    order_transition(order=order, to=Status.CONFIRMED, payment_status=Payment.PAID, by=None)

    event = OrderEvent.objects.get(order=order)
    assert (event.from_status, event.to_status) == (Status.SUBMITTED, Status.CONFIRMED)
    assert (event.from_payment_status, event.to_payment_status) == (Payment.UNPAID, Payment.PAID)
    order.refresh_from_db()
    assert order.confirmed_at is not None
    assert order.paid_at is not None


def test_the_clock_stamps_the_order_and_the_event():
    order = SupplierOrderFactory.create(status=Status.SUBMITTED, payment_status=Payment.PAID)
    then = timezone.now() - timedelta(days=3)

    order_transition(order=order, to=Status.CONFIRMED, by=None, now=then)

    order.refresh_from_db()
    assert order.confirmed_at == then
    assert OrderEvent.objects.get(order=order).created_at == then


def test_approval_starts_the_payment_clock():
    order = SupplierOrderFactory.create(status=Status.AWAITING_APPROVAL, payment_status=Payment.UNPAID)
    then = timezone.now() - timedelta(hours=1)

    order_transition(order=order, to=Status.SUBMITTED, by=None, now=then)

    order.refresh_from_db()
    assert order.submitted_at == then
    assert order.payment_deadline == then + timedelta(minutes=30)


@pytest.mark.parametrize("to", [Status.CANCELLED, Status.CLOSED])
def test_cancelling_or_closing_releases_the_reserved_stock(to):
    order = placed_order(quantities=(2, 3))
    assert reserved_of(order) == 5

    order_transition(order=order, to=to, by=None, reason="测试释放")

    assert reserved_of(order) == 0
    assert reserved_total() == 0
    assert releases_of(order) == 2
    order.refresh_from_db()
    assert order.status == to


def test_a_cancelled_order_keeps_the_reason():
    order = placed_order()

    order_transition(order=order, to=Status.CANCELLED, by=None, reason="买家不要了")

    order.refresh_from_db()
    assert order.cancel_reason == "买家不要了"
    assert order.cancelled_at is not None


# Random sequences of moves ----------------------------------------------------------------------

MOVES = st.lists(
    st.tuples(st.sampled_from(Status.values), st.none() | st.sampled_from(Payment.values)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES, start=st.sampled_from([Status.AWAITING_APPROVAL, Status.SUBMITTED]))
def test_random_sequences_event_every_change_and_release_stock_once(db, moves, start):
    with transaction.atomic():
        order = placed_order(quantities=(2, 1), status=start)
        changes = 0
        for to, payment in moves:
            before = SupplierOrder.objects.get(pk=order.pk)
            try:
                order_transition(order=order, to=to, payment_status=payment, by=None)
            except ApplicationError:
                after = SupplierOrder.objects.get(pk=order.pk)
                assert (after.status, after.payment_status) == (before.status, before.payment_status)
            else:
                changes += 1
            order.refresh_from_db()
            ended = order.status in {Status.CANCELLED, Status.CLOSED}
            assert reserved_of(order) == (0 if ended else 3)
            assert releases_of(order) == (2 if ended else 0)
        # One event per change, besides the first one that checkout wrote.
        assert OrderEvent.objects.filter(order=order).count() == changes + 1
        events = list(OrderEvent.objects.filter(order=order).order_by("id"))
        for previous, event in zip(events, events[1:], strict=False):
            assert (event.from_status, event.from_payment_status) == (
                previous.to_status,
                previous.to_payment_status,
            )
        assert StockMovement.objects.filter(kind=MovementKind.RELEASE).count() == releases_of(order)
        transaction.set_rollback(True)
