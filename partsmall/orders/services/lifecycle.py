"""What the parties do to a supplier order between checkout and delivery.

Each action checks who may do it in which state (with a message that says why not) and
moves the order through `order_transition`, the one place that checks the tables,
writes the event and releases stock. The callers resolve the order through a selector
scoped to the acting party (a supplier's own orders, a buyer's own, platform finance).

Until the payments capability, no money moves through the platform: the buyer pays by
offline transfer and may declare it ("已转账"); platform finance confirms the money
arrived (marks the order paid) or finds no such transfer (back to unpaid, with a new
payment deadline).
"""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from partsmall.core.errors import ApplicationError
from partsmall.orders import order_errors
from partsmall.orders.models import SupplierOrder
from partsmall.orders.services.transitions import order_transition, payment_timeout

if TYPE_CHECKING:
    from partsmall.accounts.models import User

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus

REASON_MAX = 200
# The buyer cancels until the supplier confirms. An order still awaiting its purchase
# approval belongs to its checkout: the approver rejects the checkout (approval.py), so
# the checkout and its orders never disagree.
CANCELLABLE = frozenset({Status.SUBMITTED})
# The supplier rejects before shipping.
REJECTABLE = frozenset({Status.SUBMITTED, Status.CONFIRMED})
DECLARABLE = frozenset({Payment.UNPAID})
MARKABLE = frozenset({Payment.UNPAID, Payment.AWAITING_CONFIRMATION})


def _names(order: SupplierOrder) -> dict[str, str]:
    return {
        "number": order.number,
        "status": str(order.get_status_display()),
        "payment": str(order.get_payment_status_display()),
    }


def _only(allowed: Callable[[SupplierOrder], bool], refusal: Promise) -> Callable[[SupplierOrder], None]:
    """A guard for order_transition: refuses (saying why) unless the locked order is allowed."""

    def guard(order: SupplierOrder) -> None:
        if not allowed(order):
            raise ApplicationError(refusal % _names(order), code="not_allowed")

    return guard


def clean_reason(value: object, *, required: bool, field: str = "reason") -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ApplicationError(order_errors.REASON_REQUIRED, field=field)
    if len(text) > REASON_MAX:
        raise ApplicationError(order_errors.REASON_TOO_LONG, field=field)
    return text


def _waiting(order: SupplierOrder) -> bool:
    return order.status == Status.SUBMITTED


@transaction.atomic
def order_declare_transfer(
    *, order: SupplierOrder, by: "User | None", note: str = "", now: datetime | None = None
) -> SupplierOrder:
    """The buyer says it has transferred the money offline: unpaid → awaiting confirmation.
    Such orders no longer close at the payment timeout; finance confirms or refuses."""
    note = clean_reason(note, required=False, field="note")
    return order_transition(
        order=order,
        to=Status.SUBMITTED,
        payment_status=Payment.AWAITING_CONFIRMATION,
        by=by,
        reason=note or _("买家已登记线下转账"),
        now=now,
        guard=_only(
            lambda o: _waiting(o) and o.payment_status in DECLARABLE, order_errors.DECLARE_NOT_ALLOWED
        ),
    )


@transaction.atomic
def order_mark_paid(
    *, order: SupplierOrder, by: "User | None", note: str = "", now: datetime | None = None
) -> SupplierOrder:
    """Platform finance found the offline transfer: → paid (the supplier may now confirm)."""
    note = clean_reason(note, required=False, field="note")
    return order_transition(
        order=order,
        to=Status.SUBMITTED,
        payment_status=Payment.PAID,
        by=by,
        reason=note or _("平台财务确认收到线下转账"),
        now=now,
        guard=_only(
            lambda o: _waiting(o) and o.payment_status in MARKABLE, order_errors.MARK_PAID_NOT_ALLOWED
        ),
    )


@transaction.atomic
def order_transfer_reject(
    *, order: SupplierOrder, by: "User | None", reason: str, now: datetime | None = None
) -> SupplierOrder:
    """Platform finance found no such transfer: back to unpaid, with a fresh payment
    deadline (the buyer gets the usual time to pay before the order closes)."""
    reason = clean_reason(reason, required=True)
    declared = Payment.AWAITING_CONFIRMATION
    order = order_transition(
        order=order,
        to=Status.SUBMITTED,
        payment_status=Payment.UNPAID,
        by=by,
        reason=reason,
        now=now,
        guard=_only(
            lambda o: _waiting(o) and o.payment_status == declared, order_errors.TRANSFER_REJECT_NOT_ALLOWED
        ),
    )
    order.payment_deadline = (now or timezone.now()) + payment_timeout()
    order.save(update_fields=["payment_deadline", "updated_at"])
    return order


@transaction.atomic
def order_confirm(*, order: SupplierOrder, by: "User | None", now: datetime | None = None) -> SupplierOrder:
    """The supplier accepts the order (only what is paid or on account: order_transition)."""
    return order_transition(
        order=order,
        to=Status.CONFIRMED,
        by=by,
        reason=_("供应商确认订单"),
        now=now,
        guard=_only(_waiting, order_errors.CONFIRM_NOT_ALLOWED),
    )


@transaction.atomic
def order_reject(
    *, order: SupplierOrder, by: "User | None", reason: str, now: datetime | None = None
) -> SupplierOrder:
    """The supplier refuses the order before shipping, saying why; its stock is released."""
    reason = clean_reason(reason, required=True)
    order = order_transition(
        order=order,
        to=Status.CANCELLED,
        by=by,
        reason=reason,
        now=now,
        guard=_only(lambda o: o.status in REJECTABLE, order_errors.REJECT_NOT_ALLOWED),
    )
    order.reject_reason = reason
    order.save(update_fields=["reject_reason", "updated_at"])
    return order


def _cancellable(order: SupplierOrder) -> None:
    if order.status == Status.AWAITING_APPROVAL:
        raise ApplicationError(order_errors.CANCEL_AWAITING_APPROVAL % _names(order), code="not_allowed")
    if order.status not in CANCELLABLE:
        raise ApplicationError(order_errors.CANCEL_NOT_ALLOWED % _names(order), code="not_allowed")


@transaction.atomic
def order_cancel(
    *, order: SupplierOrder, by: "User | None", reason: str = "", now: datetime | None = None
) -> SupplierOrder:
    """The buyer cancels, until the supplier confirms; its stock is released."""
    reason = clean_reason(reason, required=False) or _("买家取消订单")
    return order_transition(
        order=order,
        to=Status.CANCELLED,
        by=by,
        reason=reason,
        now=now,
        guard=_cancellable,
    )


@transaction.atomic
def order_confirm_delivery(
    *, order: SupplierOrder, by: "User | None", now: datetime | None = None
) -> SupplierOrder:
    """The buyer received everything: shipped → delivered (the return window opens)."""
    return order_transition(
        order=order,
        to=Status.DELIVERED,
        by=by,
        reason=_("买家确认收货"),
        now=now,
        guard=_only(lambda o: o.status == Status.SHIPPED, order_errors.DELIVERY_NOT_ALLOWED),
    )
