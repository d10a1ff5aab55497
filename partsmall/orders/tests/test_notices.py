"""Inbox messages of orders and returns (services/notices.py): each change tells the
party that must act next, in its sales or purchasing members' inbox, never the member who
made the change, never another organization, never a role that does not buy or sell."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partsmall.catalog.tests.factories import OfferFactory
from partsmall.notifications.models import Message
from partsmall.orders.models import ReturnRequest, SupplierOrder
from partsmall.orders.services import lifecycle, returns
from partsmall.orders.services.cart import cart_add
from partsmall.orders.services.checkout import checkout_submit
from partsmall.orders.services.timeouts import order_close_unpaid
from partsmall.orders.services.transitions import order_transition
from partsmall.orders.tests.factories import AddressFactory, ApprovalRuleFactory, stock
from partsmall.orders.tests.lifecycle_helpers import delivered, paid, placed_order, shipped
from partsmall.orders.tests.test_returns import photo
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus


def _inbox(membership) -> list[tuple[str, str]]:
    return [(m.title, m.link) for m in Message.objects.filter(recipient=membership.user).order_by("id")]


def _titles(membership) -> list[str]:
    return [title for title, _link in _inbox(membership)]


@pytest.fixture
def order(suppliers, shops) -> SupplierOrder:
    return placed_order(supplier=suppliers.organization, buyer=shops.organization)


def test_a_confirmed_payment_asks_the_supplier_to_confirm(suppliers, shops, order):
    paid(order)

    sales = reverse("orders:sales_order", args=[order.pk])
    purchase = reverse("orders:purchase_order", args=[order.pk])
    assert _inbox(suppliers.member) == [(f"订单 {order.number} 已付款，请确认", sales)]
    assert _inbox(shops.member) == [(f"订单 {order.number} 的付款已确认", purchase)]
    # Finance roles neither sell nor buy; other organizations hear nothing.
    assert _inbox(suppliers.colleague) == _inbox(shops.colleague) == []
    assert _inbox(suppliers.outsider) == _inbox(shops.outsider) == []
    body = Message.objects.get(recipient=suppliers.member.user).body
    assert shops.organization.name in body


def test_the_buyer_follows_confirmation_and_shipping_the_supplier_delivery(suppliers, shops, order):
    seller, buyer = suppliers.member, shops.member
    lifecycle.order_confirm(order=paid(order), by=seller.user)
    shipped(order)
    lifecycle.order_confirm_delivery(order=order, by=buyer.user)

    number = order.number
    assert _titles(buyer) == [
        f"订单 {number} 的付款已确认",
        f"订单 {number} 已由供应商确认，等待发货",
        f"订单 {number} 已发货",
    ]
    # The confirmation and the delivery were their own doing: not told of them.
    assert _titles(seller) == [f"订单 {number} 已付款，请确认", f"订单 {number} 买家已确认收货"]
    shipped_notice = Message.objects.filter(recipient=buyer.user).order_by("id").last()
    assert shipped_notice is not None
    assert "SF1234567890" in shipped_notice.body


def test_a_cancellation_tells_the_supplier_only_once_the_order_was_on_its_list(suppliers, shops):
    another_buyer = MembershipFactory.create(organization=shops.organization, role=Role.PURCHASER)
    unpaid = placed_order(supplier=suppliers.organization, buyer=shops.organization)
    on_list = paid(placed_order(supplier=suppliers.organization, buyer=shops.organization))
    Message.objects.all().delete()

    lifecycle.order_cancel(order=unpaid, by=shops.member.user, reason="买错了")
    lifecycle.order_cancel(order=on_list, by=shops.member.user, reason="不需要了")

    assert _titles(suppliers.member) == [f"订单 {on_list.number} 已取消"]
    assert _titles(another_buyer) == [f"订单 {unpaid.number} 已取消", f"订单 {on_list.number} 已取消"]
    assert _titles(shops.member) == []  # who cancelled
    assert Message.objects.get(recipient=suppliers.member.user).body == "不需要了"


def test_an_unpaid_order_closed_by_the_clock_tells_the_buyer_dated_by_the_clock(suppliers, shops, order):
    later = timezone.now() + timedelta(hours=1)

    order_close_unpaid(order=order, now=later)

    [message] = Message.objects.filter(recipient=shops.member.user)
    assert message.title == f"订单 {order.number} 未按时付款，已关闭"
    assert message.created_at == later
    assert _inbox(suppliers.member) == []


def test_an_approved_order_on_account_reaches_the_supplier(suppliers, shops):
    waiting = placed_order(
        supplier=suppliers.organization,
        buyer=shops.organization,
        status=Status.AWAITING_APPROVAL,
        payment_status=Payment.ON_ACCOUNT,
    )
    owner = MembershipFactory.create(organization=shops.organization, role=Role.OWNER)

    order_transition(order=waiting, to=Status.SUBMITTED, by=owner.user, reason="同意")

    assert _titles(suppliers.member) == [f"新订单 {waiting.number}（账期）待确认"]
    assert _titles(shops.member) == [f"订单 {waiting.number} 已通过审批"]
    assert _titles(owner) == []


def test_a_rejected_transfer_tells_the_buyer_why(suppliers, shops, order):
    lifecycle.order_declare_transfer(order=order, by=shops.member.user, note="已转账")
    assert Message.objects.count() == 0  # platform finance has its list and home card

    lifecycle.order_transfer_reject(order=order, by=None, reason="未查到该笔转账")

    [message] = Message.objects.filter(recipient=shops.member.user)
    assert (message.title, message.body) == (
        f"订单 {order.number} 的转账未核实，请重新付款",
        "未查到该笔转账",
    )


def test_a_return_goes_back_and_forth_and_a_dispute_reaches_the_operators(make_actors, suppliers, shops):
    operators = make_actors(kind=Organization.Kind.PLATFORM, role=Role.PLATFORM_OPERATOR)
    order = delivered(
        placed_order(supplier=suppliers.organization, buyer=shops.organization, quantities=(3,))
    )
    Message.objects.all().delete()
    seller, buyer = suppliers.member.user, shops.member.user

    request = returns.return_request_create(
        line=order.lines.get(), quantity=1, reason=ReturnRequest.Reason.DAMAGED, photos=[photo()], by=buyer
    )
    returns.return_reject(request=request, by=seller, reason="包装完好")
    returns.return_dispute(request=request, by=buyer, reason="内部破损")
    returns.return_arbitrate(request=request, approve=True, by=operators.member.user, reason="照片可见破损")

    pk = request.pk
    assert _titles(suppliers.member) == [
        f"退货申请 #{pk}（订单 {order.number}）待处理",
        f"退货申请 #{pk} 申请平台仲裁",
        f"退货申请 #{pk}：平台裁决同意退货",
    ]
    assert _titles(shops.member) == [f"退货申请 #{pk} 被拒绝", f"退货申请 #{pk} 已同意，请寄回"]
    # Another operator is told of the dispute; the one who decided is not told of the decision.
    other_operator = operators.colleague  # platform finance: not an arbiter
    assert _titles(other_operator) == []
    assert _inbox(operators.member) == [
        (f"退货申请 #{pk} 申请平台仲裁", reverse("orders:platform_return", args=[pk]))
    ]
    assert _inbox(suppliers.outsider) == _inbox(shops.outsider) == []


# A new checkout ----------------------------------------------------------------------------


def _cart_with(shop: Organization, purchaser, offer, quantity: int) -> None:
    stock(offer, 100)
    cart_add(buyer=shop, offer=offer, quantity=quantity, by=purchaser)


def test_an_order_on_account_reaches_its_supplier_at_checkout(suppliers, shops):
    shop, purchaser = shops.organization, shops.member.user
    Organization.objects.filter(pk=shop.pk).update(tier=Organization.Tier.KEY_ACCOUNT)
    shop.refresh_from_db()
    _cart_with(shop, purchaser, OfferFactory.create(supplier=suppliers.organization, stock_quantity=0), 2)
    unpaid_supplier = MembershipFactory.create(role=Role.SALES)
    _cart_with(
        shop, purchaser, OfferFactory.create(supplier=unpaid_supplier.organization, stock_quantity=0), 1
    )
    address = AddressFactory.create(organization=shop, is_default=True)

    checkout = checkout_submit(
        buyer=shop, by=purchaser, address=address, idempotency_key="k", on_account=True
    )

    [mine] = checkout.orders.filter(supplier=suppliers.organization)
    assert _inbox(suppliers.member) == [
        (f"新订单 {mine.number}（账期）待确认", reverse("orders:sales_order", args=[mine.pk]))
    ]
    assert len(_inbox(unpaid_supplier)) == 1  # on account too: its own order
    assert _inbox(shops.member) == []


def test_a_paid_checkout_tells_nobody_until_the_payment_is_confirmed(suppliers, shops):
    shop, purchaser = shops.organization, shops.member.user
    _cart_with(shop, purchaser, OfferFactory.create(supplier=suppliers.organization, stock_quantity=0), 1)
    address = AddressFactory.create(organization=shop, is_default=True)

    checkout_submit(buyer=shop, by=purchaser, address=address, idempotency_key="k")

    assert Message.objects.count() == 0


def test_a_checkout_over_the_threshold_asks_the_approvers(suppliers, shops):
    shop, purchaser = shops.organization, shops.member.user
    owner = MembershipFactory.create(organization=shop, role=Role.OWNER)
    ApprovalRuleFactory.create(organization=shop, threshold=Decimal("100.00"))
    offer = OfferFactory.create(supplier=suppliers.organization, stock_quantity=0, price=Decimal("80.00"))
    _cart_with(shop, purchaser, offer, 2)
    address = AddressFactory.create(organization=shop, is_default=True)

    checkout = checkout_submit(buyer=shop, by=purchaser, address=address, idempotency_key="k")

    assert _inbox(owner) == [(f"结算单 #{checkout.pk} 待审批（¥160.00）", reverse("orders:approvals"))]
    assert _inbox(shops.member) == []  # who submitted it
    assert _inbox(suppliers.member) == []  # nothing reaches the supplier before approval
