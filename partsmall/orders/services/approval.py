"""Purchase approval 采购审批 of repair shops.

A checkout whose total is above the shop's active threshold waits for an owner's or
admin's decision; nobody decides on a checkout they submitted themselves. Its orders
wait in "awaiting approval" with their stock reserved. Approval sends them to their
suppliers (submitted, the payment clock starts); rejection cancels them and releases the
stock; a checkout nobody decided on within ORDERS_APPROVAL_TIMEOUT_HOURS is cancelled by
`checkouts_expire`, which the orders' periodic job calls.

Locks: the checkout row, then its orders by supplier id (each order row, then its stock
rows, in `order_transition`).
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from partsmall.core.errors import ApplicationError
from partsmall.core.money import to_money
from partsmall.orders import errors
from partsmall.orders.models import ApprovalRule, Checkout, SupplierOrder
from partsmall.orders.services.addresses import buyer_check
from partsmall.orders.services.transitions import order_transition
from partsmall.organizations.models import Membership, Organization
from partsmall.organizations.roles import Role

if TYPE_CHECKING:
    from partsmall.accounts.models import User

Approval = Checkout.ApprovalStatus
Status = SupplierOrder.Status

DECIDER_ROLES = frozenset({Role.OWNER, Role.ADMIN})
REASON_MAX = 200
EXPIRE_BATCH = 200
MAX_THRESHOLD = Decimal("9999999999.99")


def _threshold(value: object) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", "").lstrip("¥"))
    except (InvalidOperation, ValueError):
        raise ApplicationError(errors.APPROVAL_THRESHOLD_INVALID, field="threshold") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_THRESHOLD or amount != to_money(amount):
        raise ApplicationError(errors.APPROVAL_THRESHOLD_INVALID, field="threshold")
    return amount


@transaction.atomic
def approval_rule_set(
    *, organization: Organization, by: "User | None", threshold: object | None
) -> ApprovalRule | None:
    """Sets the organization's threshold (a new active rule replaces the old one), or
    turns approval off with None."""
    buyer_check(organization)
    amount = None if threshold is None or str(threshold).strip() == "" else _threshold(threshold)
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    ApprovalRule.objects.filter(organization=organization, is_active=True).update(is_active=False)
    if amount is None:
        return None
    return ApprovalRule.objects.create(organization=organization, threshold=amount, is_active=True)


def _check_decider(checkout: Checkout, by: "User | None") -> None:
    role = None
    if by is not None:
        role = (
            Membership.objects.filter(user=by, organization_id=checkout.buyer_id, is_active=True)
            .values_list("role", flat=True)
            .first()
        )
    if role not in DECIDER_ROLES:
        raise ApplicationError(errors.APPROVAL_ROLE, code="approval_role")
    if by is not None and checkout.created_by_id == by.pk:
        raise ApplicationError(errors.APPROVAL_SELF, code="self_approval")


def _check_pending(checkout: Checkout, now: datetime) -> None:
    if checkout.approval_status != Approval.PENDING:
        raise ApplicationError(
            errors.APPROVAL_NOT_PENDING % {"status": checkout.get_approval_status_display()},
            code="not_pending",
        )
    if checkout.approval_deadline is not None and checkout.approval_deadline <= now:
        raise ApplicationError(errors.APPROVAL_EXPIRED, code="approval_expired")


def _clean_reason(value: object, *, required: bool) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ApplicationError(errors.APPROVAL_REASON_REQUIRED, field="reason")
    if len(text) > REASON_MAX:
        raise ApplicationError(errors.APPROVAL_REASON_TOO_LONG, field="reason")
    return text


def _waiting_orders(checkout: Checkout) -> list[SupplierOrder]:
    return list(checkout.orders.filter(status=Status.AWAITING_APPROVAL).order_by("supplier_id", "id"))


def _locked(checkout: Checkout) -> Checkout:
    return Checkout.objects.select_for_update().get(pk=checkout.pk)


@transaction.atomic
def checkout_approve(
    *, checkout: Checkout, by: "User | None", reason: str = "", now: datetime | None = None
) -> Checkout:
    """An owner or admin (not the submitter) approves: its waiting orders go to their suppliers."""
    clock = now or timezone.now()
    checkout = _locked(checkout)
    _check_decider(checkout, by)
    _check_pending(checkout, clock)
    note = _clean_reason(reason, required=False)
    for order in _waiting_orders(checkout):
        order_transition(
            order=order, to=Status.SUBMITTED, by=by, reason=note or gettext("采购审批通过"), now=now
        )
    _decide(checkout, Approval.APPROVED, by=by, reason=note, now=clock)
    return checkout


@transaction.atomic
def checkout_reject(
    *, checkout: Checkout, by: "User | None", reason: str, now: datetime | None = None
) -> Checkout:
    """An owner or admin (not the submitter) rejects, with a reason: its waiting orders
    are cancelled and their stock released."""
    clock = now or timezone.now()
    checkout = _locked(checkout)
    _check_decider(checkout, by)
    _check_pending(checkout, clock)
    text = _clean_reason(reason, required=True)
    order_reason = str(errors.APPROVAL_REJECTED_REASON % {"reason": text})
    for order in _waiting_orders(checkout):
        order_transition(order=order, to=Status.CANCELLED, by=by, reason=order_reason, now=now)
    _decide(checkout, Approval.REJECTED, by=by, reason=text, now=clock)
    return checkout


def _decide(checkout: Checkout, status: str, *, by: "User | None", reason: str, now: datetime) -> None:
    checkout.approval_status = status
    checkout.approved_by = by
    checkout.approved_at = now
    checkout.approval_reason = reason
    checkout.save(update_fields=["approval_status", "approved_by", "approved_at", "approval_reason"])


def checkouts_expire(*, now: datetime | None = None) -> int:
    """Cancels the checkouts still awaiting approval after their deadline (each in its own
    transaction, so one failure does not hold back the rest); returns how many."""
    clock = now or timezone.now()
    due = list(
        Checkout.objects.filter(approval_status=Approval.PENDING, approval_deadline__lte=clock)
        .order_by("approval_deadline", "id")
        .values_list("pk", flat=True)[:EXPIRE_BATCH]
    )
    return sum(1 for pk in due if _expire_one(pk, clock))


@transaction.atomic
def _expire_one(pk: int, now: datetime) -> bool:
    checkout = Checkout.objects.select_for_update().get(pk=pk)
    if checkout.approval_status != Approval.PENDING or not (
        checkout.approval_deadline and checkout.approval_deadline <= now
    ):
        return False  # decided meanwhile
    reason = str(errors.APPROVAL_EXPIRED_REASON % {"hours": settings.ORDERS_APPROVAL_TIMEOUT_HOURS})
    for order in _waiting_orders(checkout):
        order_transition(order=order, to=Status.CANCELLED, by=None, reason=reason, now=now)
    checkout.approval_status = Approval.EXPIRED
    checkout.approval_reason = reason
    checkout.save(update_fields=["approval_status", "approval_reason"])
    return True
