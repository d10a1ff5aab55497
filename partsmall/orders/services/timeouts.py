"""Timeouts of orders, run by beat every minute (task `orders.timeouts_run`), also in the
embedded default. Each takes the clock as `now`, so tests move time instead of waiting.

- Unpaid orders close ORDERS_PAYMENT_TIMEOUT_MINUTES (30) after they reached their
  supplier (their payment_deadline) and release their stock. Not those whose buyer
  declared an offline transfer (awaiting finance's confirmation), not on-account orders.
- Delivered orders complete ORDERS_AUTO_COMPLETE_DAYS (7) after delivery, unless a
  return request on one of their lines is still open.
- Unapproved checkouts are cancelled after ORDERS_APPROVAL_TIMEOUT_HOURS (24):
  `approval.checkouts_expire`.

Each order moves in its own short transaction, re-checked under its row lock, so a buyer
declaring a transfer at the same moment either wins (the order stays open) or finds it
closed; one order that cannot move never holds up the others.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from partsmall.orders.models import ReturnRequest, SupplierOrder
from partsmall.orders.services.approval import checkouts_expire
from partsmall.orders.services.returns import OPEN_STATUSES
from partsmall.orders.services.transitions import order_transition, payment_timeout

logger = logging.getLogger(__name__)

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus


def auto_complete_after() -> timedelta:
    return timedelta(days=settings.ORDERS_AUTO_COMPLETE_DAYS)


def unpaid_due(now: datetime) -> QuerySet[SupplierOrder]:
    """Orders whose payment deadline has passed (orders without one: submitted + timeout)."""
    overdue = Q(payment_deadline__lte=now) | Q(
        payment_deadline__isnull=True, submitted_at__lte=now - payment_timeout()
    )
    return SupplierOrder.objects.filter(
        overdue, status=Status.SUBMITTED, payment_status=Payment.UNPAID, on_account=False
    )


def completion_due(now: datetime) -> QuerySet[SupplierOrder]:
    """Delivered orders past the auto-complete delay with no open return request."""
    busy = ReturnRequest.objects.filter(status__in=OPEN_STATUSES).values("line__order_id")
    return SupplierOrder.objects.filter(
        status=Status.DELIVERED, delivered_at__lte=now - auto_complete_after()
    ).exclude(pk__in=busy)


def order_close_unpaid(*, order: SupplierOrder, now: datetime) -> SupplierOrder:
    """The system closes one unpaid order at its deadline (its stock is released)."""
    return order_transition(
        order=order, to=Status.CLOSED, by=None, reason=_("超时未付款，订单自动关闭"), now=now
    )


def order_complete(*, order: SupplierOrder, now: datetime) -> SupplierOrder:
    """The system completes one delivered order after the auto-complete delay."""
    return order_transition(order=order, to=Status.COMPLETED, by=None, reason=_("收货后自动完成"), now=now)


def _each(ids: list[int], move: Callable[[SupplierOrder], bool]) -> int:
    done = 0
    for pk in ids:
        with transaction.atomic():
            order = SupplierOrder.objects.select_for_update().filter(pk=pk).first()
            if order is not None and move(order):
                done += 1
    return done


def orders_close_unpaid(*, now: datetime) -> int:
    """Closes the unpaid orders past their deadline; returns how many closed."""
    ids = list(unpaid_due(now).order_by("pk").values_list("pk", flat=True))

    def close(order: SupplierOrder) -> bool:
        if not unpaid_due(now).filter(pk=order.pk).exists():
            return False
        order_close_unpaid(order=order, now=now)
        return True

    return _each(ids, close)


def orders_complete_delivered(*, now: datetime) -> int:
    """Completes delivered orders past the delay without open returns; returns how many."""
    ids = list(completion_due(now).order_by("pk").values_list("pk", flat=True))

    def complete(order: SupplierOrder) -> bool:
        if not completion_due(now).filter(pk=order.pk).exists():
            return False
        order_complete(order=order, now=now)
        return True

    return _each(ids, complete)


def timeouts_run(*, now: datetime | None = None) -> dict[str, int]:
    """Runs every timeout once; returns how many orders / checkouts each one moved."""
    now = now or timezone.now()
    counts = {
        "closed": orders_close_unpaid(now=now),
        "completed": orders_complete_delivered(now=now),
    }
    counts["expired_checkouts"] = checkouts_expire(now=now)
    if any(counts.values()):
        logger.info("order timeouts: %s", counts)
    return counts
