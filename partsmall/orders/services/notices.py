"""Inbox messages of supplier orders and return requests.

Each state change tells the party that must act next, or that the change concerns, in
its in-app inbox (notifications): the supplier's sales members (owner, admin, sales) and
the buyer's purchasing members (owner, admin, purchaser); disputes also go to platform
operators. The member who made the change is not told of it. Called by the two
transition services (transitions.order_transition, returns._event), inside their
transaction: a change that rolls back sends nothing.

| change | told |
|---|---|
| checkout waiting for approval | the buyer's owners and admins |
| order placed on account | supplier |
| approved (awaiting approval → submitted) | buyer; supplier too when on account |
| payment confirmed (→ paid) | supplier (to confirm), buyer |
| declared transfer not found (→ unpaid) | buyer |
| confirmed, partially shipped, shipped | buyer |
| delivered | supplier |
| cancelled | buyer; supplier when the order was on its to-do list |
| closed (unpaid after the timeout) | buyer |
| return requested, shipped back, withdrawn | supplier |
| return approved, rejected, received | buyer |
| return disputed | supplier and platform operators; the decision: both sides |
"""

from datetime import datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partsmall.notifications.models import Message
from partsmall.notifications.services import message_send
from partsmall.orders.models import Checkout, ReturnRequest, SupplierOrder
from partsmall.organizations.models import Membership, Organization
from partsmall.organizations.roles import ROLE_PERMISSIONS, Perm

if TYPE_CHECKING:
    from partsmall.accounts.models import User

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus
RStatus = ReturnRequest.Status
KIND = "order"


def _roles(perm: Perm) -> list[str]:
    return [role.value for role, perms in ROLE_PERMISSIONS.items() if perm in perms]


def _tell(
    organization_ids: list[int],
    perm: Perm,
    *,
    title: str,
    body: str,
    link: str,
    by: "User | None",
    now: datetime | None,
) -> None:
    members = (
        Membership.objects.filter(organization_id__in=organization_ids, is_active=True, role__in=_roles(perm))
        .exclude(user=by)
        .select_related("user")
        .order_by("pk")
    )
    sent = [
        message_send(
            recipient=member.user,
            title=title,
            body=body,
            link=link,
            kind=KIND,
            organization_id=member.organization_id,
        )
        for member in members
    ]
    if now is not None and sent:
        # A given clock (timeouts, demo data) dates the message as it dates the event.
        Message.objects.filter(pk__in=[message.pk for message in sent]).update(created_at=now)


def _supplier(order: SupplierOrder, title: str, body: str, by: "User | None", now: datetime | None) -> None:
    link = reverse("orders:sales_order", args=[order.pk])
    _tell([order.supplier_id], Perm.SALES, title=title, body=body, link=link, by=by, now=now)


def _buyer(order: SupplierOrder, title: str, body: str, by: "User | None", now: datetime | None) -> None:
    link = reverse("orders:purchase_order", args=[order.pk])
    _tell([order.buyer_id], Perm.PURCHASE, title=title, body=body, link=link, by=by, now=now)


def checkout_notice(
    checkout: Checkout, orders: list[SupplierOrder], *, by: "User | None", now: datetime | None
) -> None:
    """A new checkout: its approvers (owner, admin) when it waits for approval; each
    supplier when its order arrives on account (ready to confirm). An unpaid order waits
    for its payment, whose confirmation tells the supplier."""
    if checkout.approval_status == Checkout.ApprovalStatus.PENDING:
        title = _("结算单 #%(id)s 待审批（¥%(total)s）") % {
            "id": checkout.pk,
            "total": f"{checkout.total:,.2f}",
        }
        link = reverse("orders:approvals")
        _tell([checkout.buyer_id], Perm.ORG_MANAGE, title=title, body="", link=link, by=by, now=now)
        return
    for order in orders:
        _arrived_on_account(order, by, now)


def order_notice(
    order: SupplierOrder,
    *,
    from_status: str,
    from_payment: str,
    reason: str,
    by: "User | None",
    now: datetime | None,
) -> None:
    """Tells whom the order's last change concerns (the table above)."""
    number, to, payment = order.number, order.status, order.payment_status
    if to != from_status:
        _status_notice(order, from_status, from_payment, reason, by, now)
    elif payment == Payment.PAID:
        _supplier(order, _("订单 %(n)s 已付款，请确认") % {"n": number}, _supplier_line(order), by, now)
        _buyer(order, _("订单 %(n)s 的付款已确认") % {"n": number}, "", by, now)
    elif payment == Payment.UNPAID and from_payment == Payment.AWAITING_CONFIRMATION:
        _buyer(order, _("订单 %(n)s 的转账未核实，请重新付款") % {"n": number}, reason, by, now)


def _arrived_on_account(order: SupplierOrder, by: "User | None", now: datetime | None) -> None:
    """An order on account reaches its supplier ready to confirm (no payment to wait for)."""
    if order.payment_status == Payment.ON_ACCOUNT:
        title = _("新订单 %(n)s（账期）待确认") % {"n": order.number}
        _supplier(order, title, _supplier_line(order), by, now)


def _supplier_line(order: SupplierOrder) -> str:
    return _("采购方：%(buyer)s，商品金额 ¥%(total)s。") % {
        "buyer": order.buyer.name,
        "total": f"{order.goods_total:,.2f}",
    }


def _status_notice(
    order: SupplierOrder,
    from_status: str,
    from_payment: str,
    reason: str,
    by: "User | None",
    now: datetime | None,
) -> None:
    number, to = order.number, order.status
    if to == Status.SUBMITTED:
        waiting = (
            _("请按时付款（线下转账后在订单页登记）。") if order.payment_status == Payment.UNPAID else ""
        )
        _buyer(order, _("订单 %(n)s 已通过审批") % {"n": number}, waiting, by, now)
        _arrived_on_account(order, by, now)
    elif to == Status.CONFIRMED:
        _buyer(order, _("订单 %(n)s 已由供应商确认，等待发货") % {"n": number}, "", by, now)
    elif to == Status.PARTIALLY_SHIPPED:
        _buyer(order, _("订单 %(n)s 部分发货") % {"n": number}, reason, by, now)
    elif to == Status.SHIPPED:
        _buyer(order, _("订单 %(n)s 已发货") % {"n": number}, reason, by, now)
    elif to == Status.DELIVERED:
        _supplier(order, _("订单 %(n)s 买家已确认收货") % {"n": number}, "", by, now)
    elif to == Status.CANCELLED:
        title = _("订单 %(n)s 已取消") % {"n": number}
        _buyer(order, title, reason, by, now)
        if from_status == Status.CONFIRMED or from_payment in {Payment.PAID, Payment.ON_ACCOUNT}:
            _supplier(order, title, reason, by, now)
    elif to == Status.CLOSED:
        _buyer(order, _("订单 %(n)s 未按时付款，已关闭") % {"n": number}, reason, by, now)


SUPPLIER, BUYER, PLATFORM = "supplier", "buyer", "platform"
# Whom each return change tells, and the message title (translated when sent).
_RETURN_NOTICES: dict[str, list[tuple[str, str]]] = {
    RStatus.REQUESTED: [(SUPPLIER, gettext_noop("退货申请 #%(pk)s（订单 %(n)s）待处理"))],
    RStatus.APPROVED: [(BUYER, gettext_noop("退货申请 #%(pk)s 已同意，请寄回"))],
    RStatus.REJECTED: [(BUYER, gettext_noop("退货申请 #%(pk)s 被拒绝"))],
    RStatus.DISPUTED: [
        (SUPPLIER, gettext_noop("退货申请 #%(pk)s 申请平台仲裁")),
        (PLATFORM, gettext_noop("退货申请 #%(pk)s 申请平台仲裁")),
    ],
    RStatus.SHIPPED_BACK: [(SUPPLIER, gettext_noop("退货申请 #%(pk)s 买家已寄回"))],
    RStatus.RECEIVED: [(BUYER, gettext_noop("退货申请 #%(pk)s 供应商已收货"))],
    RStatus.CANCELLED: [(SUPPLIER, gettext_noop("退货申请 #%(pk)s 已撤销"))],
}
# A platform decision on a dispute also tells the supplier.
_DECISIONS: dict[str, str] = {
    RStatus.APPROVED: gettext_noop("退货申请 #%(pk)s：平台裁决同意退货"),
    RStatus.REJECTED: gettext_noop("退货申请 #%(pk)s：平台裁决维持拒绝"),
}


def return_notice(
    request: ReturnRequest, *, from_status: str, reason: str, by: "User | None", now: datetime | None
) -> None:
    """Tells whom the return request's last change concerns (the table above)."""
    order = request.line.order
    notices = list(_RETURN_NOTICES.get(request.status, []))
    if from_status == RStatus.DISPUTED and request.status in _DECISIONS:
        notices.append((SUPPLIER, _DECISIONS[request.status]))
    for side, title in notices:
        if side == SUPPLIER:
            organizations, perm = [order.supplier_id], Perm.SALES
            link = reverse("orders:sales_return", args=[request.pk])
        elif side == BUYER:
            organizations, perm = [order.buyer_id], Perm.PURCHASE
            link = reverse("orders:purchase_return", args=[request.pk])
        else:
            organizations = list(
                Organization.objects.filter(kind=Organization.Kind.PLATFORM).values_list("pk", flat=True)
            )
            perm, link = Perm.PLATFORM_OPERATE, reverse("orders:platform_return", args=[request.pk])
        text = _(title) % {"pk": request.pk, "n": order.number}
        _tell(organizations, perm, title=text, body=reason, link=link, by=by, now=now)
