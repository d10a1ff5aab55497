"""The one transition service of supplier orders and its tables (DESIGN.md, "State machines").

A supplier order has two states side by side: its fulfilment `status` (TRANSITIONS) and
its `payment_status` (PAYMENT_TRANSITIONS). Both change only here, one OrderEvent per
call (who, when, from, to, payment from/to, why). Who may ask for which move (the buyer
cancels, the supplier confirms …) is checked by the action services in `lifecycle.py`,
`shipments.py` and `timeouts.py`; this module checks what holds whoever asks:

- the move is in the table (and a call changes something);
- a supplier confirms only what is paid or on account;
- the payment status changes only while the order waits for its supplier (submitted);
- entering cancelled or closed gives back the stock the order's lines still hold, once
  (stock_release is a no-op for what was already released).
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partsmall.core.errors import ApplicationError
from partsmall.inventory.services import stock_release
from partsmall.orders import errors, order_errors
from partsmall.orders.models import OrderEvent, SupplierOrder
from partsmall.orders.services.notices import order_notice

if TYPE_CHECKING:
    from partsmall.accounts.models import User

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus

# Stock references of orders (the inventory contract).
LINE_REF = "order_line"

TRANSITIONS: dict[str, set[str]] = {
    # Approval by the buyer's owner/admin, or its rejection / the 24-hour expiry.
    Status.AWAITING_APPROVAL: {Status.SUBMITTED, Status.CANCELLED},
    # The supplier confirms (paid or on account) or rejects; the buyer cancels; unpaid
    # orders close after the payment timeout.
    Status.SUBMITTED: {Status.CONFIRMED, Status.CANCELLED, Status.CLOSED},
    # The supplier ships (in one or several parcels) or rejects before shipping.
    Status.CONFIRMED: {Status.PARTIALLY_SHIPPED, Status.SHIPPED, Status.CANCELLED},
    Status.PARTIALLY_SHIPPED: {Status.SHIPPED},
    # The buyer confirms delivery; delivered orders complete after ORDERS_AUTO_COMPLETE_DAYS.
    Status.SHIPPED: {Status.DELIVERED},
    Status.DELIVERED: {Status.COMPLETED},
    Status.COMPLETED: set(),
    Status.CANCELLED: set(),
    Status.CLOSED: set(),
}

# Until the payments capability: the buyer declares an offline transfer, platform finance
# confirms it (or finds no such transfer: back to unpaid). On-account orders are created
# on account and stay so; refund states come with payments.
PAYMENT_TRANSITIONS: dict[str, set[str]] = {
    Payment.UNPAID: {Payment.AWAITING_CONFIRMATION, Payment.PAID},
    Payment.AWAITING_CONFIRMATION: {Payment.PAID, Payment.UNPAID},
    Payment.PAID: set(),
    Payment.ON_ACCOUNT: set(),
}

# Entering these statuses gives back whatever stock the order's lines still hold.
RELEASING = frozenset({Status.CANCELLED, Status.CLOSED})
# What a supplier may confirm.
CONFIRMABLE_PAYMENTS = frozenset({Payment.PAID, Payment.ON_ACCOUNT})
# While the payment status may change.
PAYABLE = frozenset({Status.SUBMITTED})

_STAMPS: dict[str, str] = {
    Status.SUBMITTED: "submitted_at",
    Status.CONFIRMED: "confirmed_at",
    Status.DELIVERED: "delivered_at",
    Status.COMPLETED: "completed_at",
    Status.CANCELLED: "cancelled_at",
    Status.CLOSED: "closed_at",
}


def _label(choices: type[SupplierOrder.Status] | type[SupplierOrder.PaymentStatus], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def status_allowed(from_status: str, to: str) -> bool:
    return to in TRANSITIONS.get(from_status, set())


def payment_allowed(from_payment: str, to: str) -> bool:
    return to in PAYMENT_TRANSITIONS.get(from_payment, set())


def payment_timeout() -> timedelta:
    return timedelta(minutes=settings.ORDERS_PAYMENT_TIMEOUT_MINUTES)


def _check(order: SupplierOrder, to: str, payment_status: str) -> None:
    """Refuses the move (naming from and to) unless the tables and the rules allow it."""
    from_status, from_payment = order.status, order.payment_status
    status_changes, payment_changes = to != from_status, payment_status != from_payment
    if (status_changes and not status_allowed(from_status, to)) or not (status_changes or payment_changes):
        raise ApplicationError(
            errors.ILLEGAL_TRANSITION
            % {"number": order.number, "from": _label(Status, from_status), "to": _label(Status, to)},
            code="illegal_transition",
        )
    if payment_changes and (not payment_allowed(from_payment, payment_status) or from_status not in PAYABLE):
        raise ApplicationError(
            order_errors.ILLEGAL_PAYMENT_TRANSITION
            % {
                "number": order.number,
                "status": _label(Status, from_status),
                "from": _label(Payment, from_payment),
                "to": _label(Payment, payment_status),
            },
            code="illegal_payment_transition",
        )
    if to == Status.CONFIRMED and status_changes and payment_status not in CONFIRMABLE_PAYMENTS:
        raise ApplicationError(
            order_errors.CONFIRM_NEEDS_PAYMENT
            % {"number": order.number, "payment": _label(Payment, payment_status)},
            code="not_paid",
        )


def _apply(order: SupplierOrder, to: str, payment_status: str, reason: str, now: datetime) -> list[str]:
    """Sets the new states and their timestamps; returns the changed fields."""
    changed = ["status", "payment_status", "updated_at"]
    if to != order.status and to in _STAMPS:
        setattr(order, _STAMPS[to], now)
        changed.append(_STAMPS[to])
    if to == Status.SUBMITTED and to != order.status and payment_status == Payment.UNPAID:
        # The payment clock starts when the order reaches its supplier (after approval).
        order.payment_deadline = now + payment_timeout()
        changed.append("payment_deadline")
    if payment_status == Payment.PAID and order.payment_status != Payment.PAID:
        order.paid_at = now
        changed.append("paid_at")
    if to == Status.CANCELLED and to != order.status and reason:
        order.cancel_reason = reason
        changed.append("cancel_reason")
    order.status, order.payment_status = to, payment_status
    return changed


@transaction.atomic
def order_transition(
    *,
    order: SupplierOrder,
    to: str,
    by: "User | None",
    reason: str = "",
    payment_status: str | None = None,
    now: datetime | None = None,
    guard: Callable[[SupplierOrder], None] | None = None,
) -> SupplierOrder:
    """Moves the order along TRANSITIONS and/or PAYMENT_TRANSITIONS (to == its status
    changes only the payment status) and returns the order as saved.

    Locks the order row (so two people acting at once are serialised and the second sees
    the first's result), refuses an illegal move with a message naming from and to,
    writes one OrderEvent, on cancellation or closing releases the stock its lines
    hold, and tells whom the change concerns in their inbox (notices). `now` is the
    clock (timeouts and tests pass it). `guard` is the caller's own
    rule (who may do what when), checked on the locked row before the tables."""
    clock = now or timezone.now()
    order = SupplierOrder.objects.select_for_update().get(pk=order.pk)
    if guard is not None:
        guard(order)
    target_payment = order.payment_status if payment_status is None else payment_status
    _check(order, to, target_payment)
    from_status, from_payment = order.status, order.payment_status
    changed = _apply(order, to, target_payment, reason, clock)
    order.save(update_fields=changed)
    event = OrderEvent.objects.create(
        order=order,
        actor=by,
        from_status=from_status,
        to_status=to,
        from_payment_status=from_payment,
        to_payment_status=target_payment,
        reason=reason,
    )
    if now is not None:
        # created_at is auto_now_add: a given clock (timeouts, tests, demo data) wins.
        OrderEvent.objects.filter(pk=event.pk).update(created_at=now)
    if to in RELEASING and to != from_status:
        stock_release(
            ref_type=LINE_REF,
            ref_ids=list(order.lines.values_list("id", flat=True)),
            ref_label=order.number,
            by=by,
        )
    order_notice(order, from_status=from_status, from_payment=from_payment, reason=reason, by=by, now=now)
    return order
