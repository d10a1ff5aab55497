"""What the parties do to an order: the buyer declares a transfer and cancels, platform
finance marks it paid (or finds no transfer), the supplier confirms or rejects, the
buyer confirms delivery. Each refusal says why and changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partsmall.core.errors import ApplicationError
from partsmall.orders import order_errors
from partsmall.orders.models import OrderEvent, SupplierOrder
from partsmall.orders.services import lifecycle
from partsmall.orders.tests.lifecycle_helpers import (
    confirmed,
    paid,
    placed_order,
    releases_of,
    reserved_of,
    shipped,
)

pytestmark = pytest.mark.django_db

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus


def _events(order: SupplierOrder) -> list[tuple[str, str, str, str]]:
    return [
        (e.from_status, e.to_status, e.from_payment_status, e.to_payment_status)
        for e in OrderEvent.objects.filter(order=order).order_by("id")
    ]


def test_offline_payment_declared_then_confirmed_by_finance_then_the_supplier_confirms():
    order = placed_order()

    lifecycle.order_declare_transfer(order=order, by=None, note="工行转账 尾号 1234")
    lifecycle.order_mark_paid(order=order, by=None, note="流水 20261203001")
    lifecycle.order_confirm(order=order, by=None)

    order.refresh_from_db()
    assert (order.status, order.payment_status) == (Status.CONFIRMED, Payment.PAID)
    assert order.paid_at is not None
    assert order.confirmed_at is not None
    assert _events(order)[1:] == [
        (Status.SUBMITTED, Status.SUBMITTED, Payment.UNPAID, Payment.AWAITING_CONFIRMATION),
        (Status.SUBMITTED, Status.SUBMITTED, Payment.AWAITING_CONFIRMATION, Payment.PAID),
        (Status.SUBMITTED, Status.CONFIRMED, Payment.PAID, Payment.PAID),
    ]
    reasons = list(OrderEvent.objects.filter(order=order).order_by("id").values_list("reason", flat=True))
    assert reasons[1:3] == ["工行转账 尾号 1234", "流水 20261203001"]
    assert reserved_of(order) == 2


def test_finance_may_mark_an_unpaid_order_paid_without_a_declaration():
    order = placed_order()

    lifecycle.order_mark_paid(order=order, by=None)

    order.refresh_from_db()
    assert order.payment_status == Payment.PAID


def test_an_unpaid_order_cannot_be_confirmed():
    order = placed_order()

    with pytest.raises(ApplicationError) as refused:
        lifecycle.order_confirm(order=order, by=None)

    assert refused.value.code == "not_paid"
    order.refresh_from_db()
    assert order.status == Status.SUBMITTED
    assert len(_events(order)) == 1


def test_an_on_account_order_is_confirmed_without_payment():
    order = placed_order(payment_status=Payment.ON_ACCOUNT)

    lifecycle.order_confirm(order=order, by=None)

    order.refresh_from_db()
    assert (order.status, order.payment_status) == (Status.CONFIRMED, Payment.ON_ACCOUNT)


def test_an_on_account_order_takes_no_transfer_declaration():
    order = placed_order(payment_status=Payment.ON_ACCOUNT)

    with pytest.raises(ApplicationError) as refused:
        lifecycle.order_declare_transfer(order=order, by=None)

    assert order.number in str(refused.value.message)
    order.refresh_from_db()
    assert order.payment_status == Payment.ON_ACCOUNT


def test_finance_finding_no_transfer_puts_the_order_back_to_unpaid_with_a_new_deadline():
    order = placed_order()
    lifecycle.order_declare_transfer(order=order, by=None)
    now = timezone.now() + timedelta(hours=5)

    lifecycle.order_transfer_reject(order=order, by=None, reason="未查到该笔转账", now=now)

    order.refresh_from_db()
    assert order.payment_status == Payment.UNPAID
    assert order.payment_deadline == now + timedelta(minutes=30)
    assert OrderEvent.objects.filter(order=order).last().reason == "未查到该笔转账"  # type: ignore[union-attr]


def test_rejecting_a_transfer_needs_a_reason():
    order = placed_order()
    lifecycle.order_declare_transfer(order=order, by=None)

    with pytest.raises(ApplicationError) as refused:
        lifecycle.order_transfer_reject(order=order, by=None, reason="  ")

    assert refused.value.message == order_errors.REASON_REQUIRED
    assert refused.value.field == "reason"
    order.refresh_from_db()
    assert order.payment_status == Payment.AWAITING_CONFIRMATION


def test_marking_a_paid_order_paid_again_is_refused():
    order = paid(placed_order())

    with pytest.raises(ApplicationError) as refused:
        lifecycle.order_mark_paid(order=order, by=None)

    assert "已付款" in str(refused.value.message)
    assert len(_events(order)) == 2


def test_the_buyer_cancels_until_the_supplier_confirms_and_stock_is_released():
    order = placed_order(quantities=(2, 4))

    lifecycle.order_cancel(order=order, by=None, reason="重复下单")

    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (Status.CANCELLED, "重复下单")
    assert reserved_of(order) == 0
    assert releases_of(order) == 2


def test_an_order_awaiting_approval_is_withdrawn_through_its_checkout_not_cancelled():
    order = placed_order(status=Status.AWAITING_APPROVAL)

    with pytest.raises(ApplicationError) as refused:
        lifecycle.order_cancel(order=order, by=None)

    assert refused.value.message == order_errors.CANCEL_AWAITING_APPROVAL % {
        "number": order.number,
        "status": "待审批",
        "payment": "待付款",
    }
    order.refresh_from_db()
    assert order.status == Status.AWAITING_APPROVAL
    assert reserved_of(order) == 2


def test_the_buyer_cannot_cancel_a_confirmed_order():
    order = confirmed(placed_order())

    with pytest.raises(ApplicationError) as refused:
        lifecycle.order_cancel(order=order, by=None)

    assert refused.value.message == order_errors.CANCEL_NOT_ALLOWED % {
        "number": order.number,
        "status": "已确认",
        "payment": "已付款",
    }
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED
    assert reserved_of(order) == 2


@pytest.mark.parametrize("confirm_first", [False, True])
def test_the_supplier_rejects_before_shipping_with_a_reason_and_stock_is_released(confirm_first):
    order = placed_order()
    if confirm_first:
        order = confirmed(order)

    lifecycle.order_reject(order=order, by=None, reason="该型号停产")

    order.refresh_from_db()
    assert (order.status, order.reject_reason) == (Status.CANCELLED, "该型号停产")
    assert reserved_of(order) == 0


def test_the_supplier_cannot_reject_without_a_reason():
    order = placed_order()

    with pytest.raises(ApplicationError) as refused:
        lifecycle.order_reject(order=order, by=None, reason="")

    assert refused.value.field == "reason"
    order.refresh_from_db()
    assert order.status == Status.SUBMITTED


def test_the_supplier_cannot_reject_after_shipping_began():
    order = placed_order(quantities=(3,))
    line = order.lines.get()
    order = shipped(order, quantities={line.pk: 1})

    with pytest.raises(ApplicationError) as refused:
        lifecycle.order_reject(order=order, by=None, reason="缺货")

    assert "部分发货" in str(refused.value.message)
    order.refresh_from_db()
    assert order.status == Status.PARTIALLY_SHIPPED


def test_the_buyer_confirms_delivery_once_everything_shipped():
    order = shipped(placed_order())

    lifecycle.order_confirm_delivery(order=order, by=None)

    order.refresh_from_db()
    assert order.status == Status.DELIVERED
    assert order.delivered_at is not None


def test_delivery_cannot_be_confirmed_before_everything_shipped():
    order = confirmed(placed_order())

    with pytest.raises(ApplicationError) as refused:
        lifecycle.order_confirm_delivery(order=order, by=None)

    assert refused.value.message == order_errors.DELIVERY_NOT_ALLOWED % {
        "number": order.number,
        "status": "已确认",
        "payment": "已付款",
    }
