"""Timeouts with a clock: unpaid orders close after the payment timeout and release their
stock (not those awaiting confirmation of a transfer, not on account); delivered orders
complete after the delay unless a return is open; unapproved checkouts expire."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from partsmall.orders.models import Checkout, OrderEvent, ReturnRequest, SupplierOrder
from partsmall.orders.services import lifecycle
from partsmall.orders.services.timeouts import timeouts_run
from partsmall.orders.tasks import timeouts_run as timeouts_task
from partsmall.orders.tests.factories import CheckoutFactory
from partsmall.orders.tests.lifecycle_helpers import delivered, placed_order, releases_of, reserved_of

pytestmark = pytest.mark.django_db

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus


@pytest.fixture
def t0():
    return timezone.now()


def test_an_unpaid_order_closes_after_thirty_minutes_and_releases_its_stock(t0):
    order = placed_order(quantities=(2, 3), now=t0)

    early = timeouts_run(now=t0 + timedelta(minutes=29))
    order.refresh_from_db()
    still = order.status
    late = timeouts_run(now=t0 + timedelta(minutes=30, seconds=1))

    order.refresh_from_db()
    assert (early["closed"], still) == (0, Status.SUBMITTED)
    assert late["closed"] == 1
    assert order.status == Status.CLOSED
    assert order.closed_at == t0 + timedelta(minutes=30, seconds=1)
    assert reserved_of(order) == 0
    assert releases_of(order) == 2
    event = OrderEvent.objects.filter(order=order).last()
    assert event is not None
    assert event.actor is None
    assert event.reason == "超时未付款，订单自动关闭"


def test_a_second_run_changes_nothing(t0):
    order = placed_order(now=t0)
    later = t0 + timedelta(hours=1)
    timeouts_run(now=later)

    again = timeouts_run(now=later)

    assert again["closed"] == 0
    assert OrderEvent.objects.filter(order=order).count() == 2
    assert releases_of(order) == 1


@override_settings(ORDERS_PAYMENT_TIMEOUT_MINUTES=5)
def test_the_timeout_is_configurable_for_orders_without_a_stored_deadline(t0):
    order = placed_order(now=t0)
    SupplierOrder.objects.filter(pk=order.pk).update(payment_deadline=None)

    timeouts_run(now=t0 + timedelta(minutes=6))

    order.refresh_from_db()
    assert order.status == Status.CLOSED


def test_an_order_whose_transfer_awaits_confirmation_does_not_close(t0):
    order = placed_order(now=t0)
    lifecycle.order_declare_transfer(order=order, by=None, now=t0 + timedelta(minutes=10))

    counts = timeouts_run(now=t0 + timedelta(days=2))

    order.refresh_from_db()
    assert counts["closed"] == 0
    assert (order.status, order.payment_status) == (Status.SUBMITTED, Payment.AWAITING_CONFIRMATION)
    assert reserved_of(order) == 2


@pytest.mark.parametrize("payment", [Payment.ON_ACCOUNT, Payment.PAID])
def test_on_account_and_paid_orders_do_not_close(t0, payment):
    order = placed_order(now=t0, payment_status=payment)
    SupplierOrder.objects.filter(pk=order.pk).update(payment_deadline=t0)

    timeouts_run(now=t0 + timedelta(days=2))

    order.refresh_from_db()
    assert order.status == Status.SUBMITTED


def test_an_order_awaiting_approval_is_left_to_the_checkout_expiry(t0):
    order = placed_order(now=t0, status=Status.AWAITING_APPROVAL)

    timeouts_run(now=t0 + timedelta(hours=2))

    order.refresh_from_db()
    assert order.status == Status.AWAITING_APPROVAL


def test_a_delivered_order_completes_seven_days_after_delivery(t0):
    order = delivered(placed_order(now=t0), now=t0)

    before = timeouts_run(now=t0 + timedelta(days=6, hours=23))
    after = timeouts_run(now=t0 + timedelta(days=7, seconds=1))

    order.refresh_from_db()
    assert (before["completed"], after["completed"]) == (0, 1)
    assert order.status == Status.COMPLETED
    assert order.completed_at == t0 + timedelta(days=7, seconds=1)


@pytest.mark.parametrize(
    ("return_status", "completes"),
    [
        (ReturnRequest.Status.REQUESTED, False),
        (ReturnRequest.Status.APPROVED, False),
        (ReturnRequest.Status.DISPUTED, False),
        (ReturnRequest.Status.SHIPPED_BACK, False),
        (ReturnRequest.Status.RECEIVED, True),
        (ReturnRequest.Status.REJECTED, True),
        (ReturnRequest.Status.CANCELLED, True),
    ],
)
def test_an_open_return_keeps_a_delivered_order_from_completing(t0, return_status, completes):
    order = delivered(placed_order(now=t0), now=t0)
    ReturnRequest.objects.create(
        line=order.lines.get(), quantity=1, reason=ReturnRequest.Reason.DAMAGED, status=return_status
    )

    timeouts_run(now=t0 + timedelta(days=8))

    order.refresh_from_db()
    assert order.status == (Status.COMPLETED if completes else Status.DELIVERED)


def test_unapproved_checkouts_are_cancelled_after_twenty_four_hours(t0):
    order = placed_order(now=t0, status=Status.AWAITING_APPROVAL)
    Checkout.objects.filter(pk=order.checkout_id).update(
        approval_status=Checkout.ApprovalStatus.PENDING, approval_deadline=t0 + timedelta(hours=24)
    )

    early = timeouts_run(now=t0 + timedelta(hours=23))
    late = timeouts_run(now=t0 + timedelta(hours=24, seconds=1))

    order.refresh_from_db()
    assert (early["expired_checkouts"], late["expired_checkouts"]) == (0, 1)
    assert order.status == Status.CANCELLED
    assert reserved_of(order) == 0


def test_the_periodic_task_runs_the_timeouts_now():
    order = placed_order(now=timezone.now() - timedelta(hours=1))
    CheckoutFactory.create()

    counts = timeouts_task.delay().get()

    order.refresh_from_db()
    assert counts["closed"] == 1
    assert order.status == Status.CLOSED
