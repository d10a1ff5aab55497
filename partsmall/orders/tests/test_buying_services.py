"""Services of buying: addresses, cart, checkout, approval, purchase lists.

Stock and prices come from the real inventory and pricing code; nothing is mocked.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from partsmall.catalog.models import Offer
from partsmall.catalog.tests.factories import OfferFactory
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.inventory.models import StockLevel, StockMovement, StockReservation
from partsmall.inventory.services import InsufficientStock
from partsmall.orders import errors
from partsmall.orders.models import (
    Address,
    CartLine,
    Checkout,
    OrderEvent,
    OrderLine,
    PurchaseList,
    SupplierOrder,
)
from partsmall.orders.services.addresses import address_create, address_delete, address_update
from partsmall.orders.services.approval import (
    approval_rule_set,
    checkout_approve,
    checkout_reject,
    checkouts_expire,
)
from partsmall.orders.services.cart import cart_add, cart_remove, cart_set_quantity, suggested_quantity
from partsmall.orders.services.checkout import checkout_submit
from partsmall.orders.services.purchase_lists import purchase_list_from_cart, purchase_list_to_cart
from partsmall.orders.tests.factories import AddressFactory, ApprovalRuleFactory, ShopFactory, stock
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import CITY, DISTRICT, PROVINCE, MembershipFactory
from partsmall.pricing.models import PriceSource
from partsmall.pricing.tests.factories import ContractPriceFactory, ContractPriceListFactory

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus


@pytest.fixture
def shop(db: None) -> Organization:
    return ShopFactory.create(name="城西汽修")


@pytest.fixture
def purchaser(shop: Organization):
    return MembershipFactory.create(organization=shop, role=Role.PURCHASER).user


@pytest.fixture
def owner(shop: Organization):
    return MembershipFactory.create(organization=shop, role=Role.OWNER).user


@pytest.fixture
def address(shop: Organization) -> Address:
    return AddressFactory.create(organization=shop, is_default=True)


def _offer(**terms: object) -> Offer:
    terms.setdefault("stock_quantity", 0)
    return OfferFactory.create(**terms)


def _stocked(quantity: int, **terms: object) -> Offer:
    offer = _offer(**terms)
    stock(offer, quantity)
    return offer


def _held(offer: Offer) -> tuple[int, int]:
    level = StockLevel.objects.get(part=offer.part, grade=offer.grade, warehouse__organization=offer.supplier)
    return level.on_hand, level.reserved


# Addresses ---------------------------------------------------------------------------------


def test_the_first_address_becomes_the_default_and_the_phone_is_normalised(shop):
    address = address_create(
        organization=shop,
        by=None,
        label="门店",
        contact_name="王五",
        contact_phone="138 0013 8000",
        province=PROVINCE,
        city=CITY,
        district=DISTRICT,
        detail="环市西路 1 号",
    )

    assert address.is_default is True
    assert address.contact_phone == "13800138000"
    assert address.full_address == "广东省广州市荔湾区环市西路 1 号"


def test_a_bad_address_names_each_wrong_field_and_writes_nothing(shop):
    with pytest.raises(FieldErrors) as caught:
        address_create(
            organization=shop,
            by=None,
            contact_name="",
            contact_phone="12345",
            province=PROVINCE,
            city="1101",
            district="",
            detail="",
        )

    assert set(caught.value.errors) == {"contact_name", "contact_phone", "city", "district", "detail"}
    assert caught.value.errors["city"] == ["所选城市不属于所选省份。"]
    assert caught.value.errors["contact_phone"] == ["手机号格式不正确，请输入 11 位中国大陆手机号。"]
    assert not Address.objects.exists()


def test_one_default_address_per_organization(shop, address):
    second = AddressFactory.create(organization=shop)

    address_update(address=second, by=None, is_default=True)
    address.refresh_from_db()

    assert (address.is_default, second.is_default) == (False, True)
    address_delete(address=second, by=None)
    address.refresh_from_db()
    assert address.is_default is True


def test_suppliers_keep_no_address_book(db):
    supplier = OfferFactory.create().supplier

    with pytest.raises(ApplicationError) as caught:
        address_create(
            organization=supplier,
            by=None,
            contact_name="王五",
            contact_phone="13800138000",
            province=PROVINCE,
            city=CITY,
            district=DISTRICT,
            detail="x",
        )

    assert caught.value.message == errors.BUYER_ONLY


# Cart --------------------------------------------------------------------------------------


def test_adding_an_offer_twice_adds_up_in_one_line(shop, purchaser):
    offer = _offer()

    cart_add(buyer=shop, offer=offer, quantity=2, by=purchaser)
    line = cart_add(buyer=shop, offer=offer, quantity="3", by=purchaser)

    assert CartLine.objects.get().quantity == 5
    assert line.added_by == purchaser


def test_below_the_minimum_order_quantity_the_message_names_the_offer(shop, purchaser):
    offer = _offer(min_order_quantity=10, order_multiple=5, sku="BOSCH-0986")

    with pytest.raises(ApplicationError) as caught:
        cart_add(buyer=shop, offer=offer, quantity=3, by=purchaser)

    part = offer.part
    assert caught.value.field == "quantity"
    assert str(caught.value.message) == (
        f"「{part.brand.name} {part.number} {part.name} · {offer.supplier.name}」"
        "起订量为 10 件，您填写了 3 件（可改为 10 件）。"
    )
    assert not CartLine.objects.exists()


def test_a_quantity_off_the_multiple_is_refused_with_the_next_good_one(shop, purchaser):
    offer = _offer(min_order_quantity=4, order_multiple=4)
    line = cart_add(buyer=shop, offer=offer, quantity=4, by=purchaser)

    with pytest.raises(ApplicationError) as caught:
        cart_set_quantity(line=line, quantity=6, by=purchaser)

    assert "须按 4 件的倍数订购，您填写了 6 件（可改为 8 件）" in str(caught.value.message)
    line.refresh_from_db()
    assert line.quantity == 4


@pytest.mark.parametrize("quantity", [0, -1, "abc", "", 1.5, None, True, 100_000])
def test_a_quantity_that_is_no_whole_number_in_range_is_refused(shop, purchaser, quantity):
    with pytest.raises(ApplicationError) as caught:
        cart_add(buyer=shop, offer=_offer(), quantity=quantity, by=purchaser)

    assert caught.value.field == "quantity"
    assert not CartLine.objects.exists()


def test_delisted_and_own_offers_cannot_go_in_the_cart(shop, purchaser):
    delisted = _offer(is_listed=False)

    with pytest.raises(ApplicationError) as caught:
        cart_add(buyer=shop, offer=delisted, quantity=1, by=purchaser)

    assert "已下架" in str(caught.value.message)
    assert not CartLine.objects.exists()


def test_removing_lines_only_touches_the_buyers_own_cart(shop, purchaser):
    mine = cart_add(buyer=shop, offer=_offer(), quantity=1, by=purchaser)
    other_shop = ShopFactory.create()
    theirs = cart_add(buyer=other_shop, offer=_offer(), quantity=1, by=None)

    removed = cart_remove(buyer=shop, line_ids=[mine.pk, theirs.pk], by=purchaser)

    assert removed == 1
    assert list(CartLine.objects.values_list("pk", flat=True)) == [theirs.pk]


class TestSuggestedQuantity(HypothesisTestCase):
    @given(
        moq=st.integers(min_value=1, max_value=500),
        multiple=st.integers(min_value=1, max_value=50),
        quantity=st.integers(min_value=1, max_value=5000),
    )
    @settings(max_examples=200, deadline=None)
    def test_the_suggestion_is_the_smallest_allowed_quantity_not_below_the_wish(
        self, moq, multiple, quantity
    ):
        offer = Offer(min_order_quantity=moq, order_multiple=multiple)

        suggested = suggested_quantity(offer, quantity)

        assert suggested >= max(moq, quantity)
        assert suggested % multiple == 0
        assert suggested - multiple < max(moq, quantity)


# Checkout ----------------------------------------------------------------------------------


def _submit(shop, by, address, key="k-1", **kwargs):
    return checkout_submit(buyer=shop, by=by, address=address, idempotency_key=key, **kwargs)


def test_a_cart_over_two_suppliers_makes_one_checkout_with_two_orders(shop, purchaser, address):
    a = _stocked(10, price=Decimal("35.50"))
    b = _stocked(10, price=Decimal("12.00"))
    made = _offer(made_to_order=True, supplier=b.supplier, lead_time_days=15, price=Decimal("99.99"))
    cart_add(buyer=shop, offer=a, quantity=2, by=purchaser)
    cart_add(buyer=shop, offer=b, quantity=3, by=purchaser)
    cart_add(buyer=shop, offer=made, quantity=1, by=purchaser)

    checkout = _submit(shop, purchaser, address)

    orders = list(checkout.orders.order_by("supplier_id"))
    assert [o.supplier_id for o in orders] == sorted([a.supplier_id, b.supplier_id])
    assert checkout.total == Decimal("206.99")
    assert checkout.approval_status == Checkout.ApprovalStatus.NOT_REQUIRED
    assert checkout.province_code == PROVINCE
    assert checkout.full_address == "广东省广州市荔湾区环市西路 8 号"
    for order in orders:
        assert (order.status, order.payment_status, order.freight) == (Status.SUBMITTED, Payment.UNPAID, None)
        assert order.number == f"SO{timezone.localdate():%Y%m%d}-{order.pk:06d}"
        assert order.payment_deadline - order.submitted_at == timedelta(minutes=30)
        assert list(order.events.values_list("from_status", "to_status")) == [("", Status.SUBMITTED)]
    assert {o.supplier_id: o.goods_total for o in orders} == {
        a.supplier_id: Decimal("71.00"),
        b.supplier_id: Decimal("135.99"),
    }
    assert not CartLine.objects.exists()
    assert _held(a) == (10, 2)
    assert _held(b) == (10, 3)
    made_line = OrderLine.objects.get(offer=made)
    assert (made_line.made_to_order, made_line.lead_time_days) == (True, 15)
    assert not StockReservation.objects.filter(ref_id=made_line.pk).exists()
    shop.refresh_from_db()
    assert shop.first_order_at is not None


def test_each_line_snapshots_the_contract_price_and_where_it_came_from(shop, purchaser, address):
    offer = _stocked(50, price=Decimal("100.00"))
    price_list = ContractPriceListFactory.create(
        supplier=offer.supplier,
        buyer=shop,
        name="2026 年度协议价",
        valid_from=date(2020, 1, 1),
        valid_until=None,
    )
    ContractPriceFactory.create(price_list=price_list, offer=offer, min_quantity=1, price=Decimal("90.00"))
    contract = ContractPriceFactory.create(
        price_list=price_list, offer=offer, min_quantity=10, price=Decimal("80.00")
    )
    cart_add(buyer=shop, offer=offer, quantity=12, by=purchaser)

    checkout = _submit(shop, purchaser, address)

    line = OrderLine.objects.get(order__checkout=checkout)
    assert (line.unit_price, line.amount, line.vat_rate) == (
        Decimal("80.00"),
        Decimal("960.00"),
        Decimal("0.1300"),
    )
    assert (line.price_source, line.price_ref_type, line.price_ref_id) == (
        PriceSource.CONTRACT,
        "contract_price",
        contract.pk,
    )
    assert line.price_ref_label == "2026 年度协议价 (≥10 件)"
    assert (line.sku, line.part_number, line.brand_name) == (
        offer.sku,
        offer.part.number,
        offer.part.brand.name,
    )
    offer.price = Decimal("1.00")
    offer.save()
    line.refresh_from_db()
    assert line.unit_price == Decimal("80.00")


def test_a_shop_without_a_contract_pays_the_standard_price(purchaser, address, shop):
    offer = _stocked(5, price=Decimal("100.00"))
    ContractPriceFactory.create(price_list__supplier=offer.supplier, offer=offer, price=Decimal("50.00"))
    cart_add(buyer=shop, offer=offer, quantity=1, by=purchaser)

    checkout = _submit(shop, purchaser, address)

    line = OrderLine.objects.get(order__checkout=checkout)
    assert (line.unit_price, line.price_source, line.price_ref_id) == (
        Decimal("100.00"),
        PriceSource.STANDARD,
        None,
    )


def test_stock_is_reserved_for_all_lines_or_none(shop, purchaser, address):
    plenty = _stocked(10)
    scarce = _stocked(2)
    cart_add(buyer=shop, offer=plenty, quantity=5, by=purchaser)
    cart_add(buyer=shop, offer=scarce, quantity=3, by=purchaser)
    movements = StockMovement.objects.count()

    with pytest.raises(InsufficientStock) as caught:
        _submit(shop, purchaser, address)

    assert scarce.sku in str(caught.value.message)
    assert caught.value.offer_id == scarce.pk
    assert (_held(plenty), _held(scarce)) == ((10, 0), (2, 0))
    assert StockMovement.objects.count() == movements
    assert not Checkout.objects.exists()
    assert not SupplierOrder.objects.exists()
    assert CartLine.objects.count() == 2


def test_the_same_key_twice_makes_one_checkout_and_the_replay_changes_nothing(shop, purchaser, address):
    offer = _stocked(10)
    cart_add(buyer=shop, offer=offer, quantity=2, by=purchaser)
    first = _submit(shop, purchaser, address, key="same")
    cart_add(buyer=shop, offer=offer, quantity=3, by=purchaser)

    replay = _submit(shop, purchaser, address, key="same")

    assert replay.pk == first.pk
    assert Checkout.objects.count() == 1
    assert SupplierOrder.objects.count() == 1
    assert CartLine.objects.get().quantity == 3
    assert _held(offer) == (10, 2)


def test_another_key_makes_another_checkout(shop, purchaser, address):
    offer = _stocked(10)
    cart_add(buyer=shop, offer=offer, quantity=2, by=purchaser)
    _submit(shop, purchaser, address, key="one")
    cart_add(buyer=shop, offer=offer, quantity=2, by=purchaser)

    _submit(shop, purchaser, address, key="two")

    assert Checkout.objects.count() == 2
    assert _held(offer) == (10, 4)


def test_a_partial_checkout_leaves_the_other_lines_in_the_cart(shop, purchaser, address):
    a, b = _stocked(5), _stocked(5)
    line_a = cart_add(buyer=shop, offer=a, quantity=1, by=purchaser)
    line_b = cart_add(buyer=shop, offer=b, quantity=1, by=purchaser)

    _submit(shop, purchaser, address, lines=[line_a.pk])

    assert list(CartLine.objects.values_list("pk", flat=True)) == [line_b.pk]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("empty", errors.CART_EMPTY),
        ("foreign_address", errors.ADDRESS_UNKNOWN),
        ("no_key", errors.IDEMPOTENCY_KEY_REQUIRED),
        ("on_account", errors.ON_ACCOUNT_NOT_ALLOWED),
        ("foreign_line", errors.LINES_UNKNOWN),
    ],
)
def test_a_refused_checkout_names_why_and_writes_nothing(shop, purchaser, address, change, message):
    offer = _stocked(5)
    if change != "empty":
        cart_add(buyer=shop, offer=offer, quantity=1, by=purchaser)
    kwargs: dict[str, Any] = {"key": "k"}
    if change == "foreign_address":
        kwargs["address"] = AddressFactory.create()
    if change == "no_key":
        kwargs["key"] = "  "
    if change == "on_account":
        kwargs["on_account"] = True
    if change == "foreign_line":
        kwargs["lines"] = [cart_add(buyer=ShopFactory.create(), offer=offer, quantity=1, by=None).pk]

    with pytest.raises(ApplicationError) as caught:
        checkout_submit(
            buyer=shop,
            by=purchaser,
            address=kwargs.pop("address", address),
            idempotency_key=kwargs.pop("key"),
            **kwargs,
        )

    assert caught.value.message == message
    assert not Checkout.objects.exists()
    assert _held(offer) == (5, 0)


def test_a_key_account_may_order_on_account(shop, purchaser, address):
    Organization.objects.filter(pk=shop.pk).update(tier=Organization.Tier.KEY_ACCOUNT)
    shop.refresh_from_db()
    cart_add(buyer=shop, offer=_stocked(5), quantity=1, by=purchaser)

    checkout = _submit(shop, purchaser, address, on_account=True)

    order = checkout.orders.get()
    assert (order.payment_status, order.on_account, order.payment_deadline) == (
        Payment.ON_ACCOUNT,
        True,
        None,
    )


def test_a_line_whose_offer_was_delisted_stops_the_checkout(shop, purchaser, address):
    offer = _stocked(5)
    cart_add(buyer=shop, offer=offer, quantity=1, by=purchaser)
    Offer.objects.filter(pk=offer.pk).update(is_listed=False)

    with pytest.raises(ApplicationError) as caught:
        _submit(shop, purchaser, address)

    assert "已下架" in str(caught.value.message)
    assert not Checkout.objects.exists()


# Approval ----------------------------------------------------------------------------------


@pytest.fixture
def pending(shop, purchaser, address) -> Checkout:
    ApprovalRuleFactory.create(organization=shop, threshold=Decimal("5000.00"))
    offer = _stocked(100, price=Decimal("3000.00"))
    cart_add(buyer=shop, offer=offer, quantity=2, by=purchaser)
    return _submit(shop, purchaser, address, key="big")


def test_a_checkout_over_the_threshold_waits_with_its_stock_reserved(pending):
    order = pending.orders.get()

    assert pending.approval_status == Checkout.ApprovalStatus.PENDING
    assert pending.approval_deadline - pending.created_at < timedelta(hours=24, seconds=5)
    assert (order.status, order.payment_deadline, order.submitted_at) == (
        Status.AWAITING_APPROVAL,
        None,
        None,
    )
    line = order.lines.get()
    assert _held(line.offer) == (100, 2)


def test_at_the_threshold_no_approval_is_needed(shop, purchaser, address):
    ApprovalRuleFactory.create(organization=shop, threshold=Decimal("70.00"))
    cart_add(buyer=shop, offer=_stocked(5, price=Decimal("35.00")), quantity=2, by=purchaser)

    checkout = _submit(shop, purchaser, address)

    assert checkout.approval_status == Checkout.ApprovalStatus.NOT_REQUIRED
    assert checkout.orders.get().status == Status.SUBMITTED


def test_an_owner_approves_and_the_order_goes_to_its_supplier(pending, owner):
    checkout_approve(checkout=pending, by=owner)

    pending.refresh_from_db()
    order = pending.orders.get()
    assert (pending.approval_status, pending.approved_by) == (Checkout.ApprovalStatus.APPROVED, owner)
    assert order.status == Status.SUBMITTED
    assert order.payment_deadline is not None
    assert list(order.events.values_list("from_status", "to_status", "actor")) == [
        ("", Status.AWAITING_APPROVAL, pending.created_by_id),
        (Status.AWAITING_APPROVAL, Status.SUBMITTED, owner.pk),
    ]


def test_nobody_approves_their_own_checkout(shop, pending):
    Organization.objects.filter(pk=shop.pk)
    submitter = pending.created_by
    submitter.memberships.update(role=Role.OWNER)

    with pytest.raises(ApplicationError) as caught:
        checkout_approve(checkout=pending, by=submitter)

    assert caught.value.message == errors.APPROVAL_SELF
    pending.refresh_from_db()
    assert pending.approval_status == Checkout.ApprovalStatus.PENDING
    assert pending.orders.get().status == Status.AWAITING_APPROVAL


def test_a_purchaser_or_an_outsider_cannot_approve(shop, pending):
    colleague = MembershipFactory.create(organization=shop, role=Role.PURCHASER).user
    outsider = MembershipFactory.create(organization=ShopFactory.create(), role=Role.OWNER).user

    for person in (colleague, outsider, None):
        with pytest.raises(ApplicationError) as caught:
            checkout_approve(checkout=pending, by=person)
        assert caught.value.message == errors.APPROVAL_ROLE
    assert pending.orders.get().status == Status.AWAITING_APPROVAL


def test_rejection_cancels_the_orders_and_releases_the_stock(pending, owner):
    line = OrderLine.objects.get(order__checkout=pending)

    checkout_reject(checkout=pending, by=owner, reason="超预算")

    pending.refresh_from_db()
    order = line.order
    order.refresh_from_db()
    assert pending.approval_status == Checkout.ApprovalStatus.REJECTED
    assert (order.status, order.cancel_reason) == (Status.CANCELLED, "采购审批未通过：超预算")
    assert _held(line.offer) == (100, 0)


def test_a_rejection_needs_a_reason(pending, owner):
    with pytest.raises(ApplicationError) as caught:
        checkout_reject(checkout=pending, by=owner, reason=" ")

    assert (caught.value.message, caught.value.field) == (errors.APPROVAL_REASON_REQUIRED, "reason")


def test_a_decided_checkout_cannot_be_decided_again(pending, owner):
    checkout_approve(checkout=pending, by=owner)

    with pytest.raises(ApplicationError) as caught:
        checkout_reject(checkout=pending, by=owner, reason="改主意")

    assert str(caught.value.message) == "该采购单当前为「已批准」，不能再审批。"
    assert pending.orders.get().status == Status.SUBMITTED


def test_unapproved_checkouts_are_cancelled_after_24_hours(pending, owner):
    line = OrderLine.objects.get(order__checkout=pending)
    created = pending.created_at

    assert checkouts_expire(now=created + timedelta(hours=23, minutes=59)) == 0
    assert checkouts_expire(now=created + timedelta(hours=24, minutes=1)) == 1

    pending.refresh_from_db()
    order = line.order
    order.refresh_from_db()
    assert pending.approval_status == Checkout.ApprovalStatus.EXPIRED
    assert order.status == Status.CANCELLED
    assert order.cancel_reason == "超过 24 小时未审批，已自动取消。"
    assert _held(line.offer) == (100, 0)
    assert OrderEvent.objects.filter(order=order, to_status=Status.CANCELLED, actor=None).count() == 1
    assert checkouts_expire(now=created + timedelta(hours=48)) == 0
    with pytest.raises(ApplicationError):
        checkout_approve(checkout=pending, by=owner)


def test_an_overdue_checkout_can_no_longer_be_approved(pending, owner):
    later = pending.approval_deadline + timedelta(seconds=1)

    with pytest.raises(ApplicationError) as caught:
        checkout_approve(checkout=pending, by=owner, now=later)

    assert caught.value.message == errors.APPROVAL_EXPIRED


def test_the_threshold_is_set_replaced_and_turned_off(shop, owner):
    approval_rule_set(organization=shop, by=owner, threshold="5,000")
    rule = approval_rule_set(organization=shop, by=owner, threshold="8000.50")

    assert rule is not None
    assert list(shop.approval_rules.filter(is_active=True).values_list("threshold", flat=True)) == [
        Decimal("8000.50")
    ]
    assert approval_rule_set(organization=shop, by=owner, threshold="") is None
    assert not shop.approval_rules.filter(is_active=True).exists()


@pytest.mark.parametrize("threshold", ["-1", "abc", "1.005", "NaN", "Infinity"])
def test_a_bad_threshold_is_refused(shop, owner, threshold):
    with pytest.raises(ApplicationError) as caught:
        approval_rule_set(organization=shop, by=owner, threshold=threshold)

    assert (caught.value.message, caught.value.field) == (errors.APPROVAL_THRESHOLD_INVALID, "threshold")


# Purchase lists ----------------------------------------------------------------------------


def test_a_saved_list_goes_back_into_the_cart(shop, purchaser):
    a, b = _offer(), _offer(min_order_quantity=5)
    cart_add(buyer=shop, offer=a, quantity=2, by=purchaser)
    cart_add(buyer=shop, offer=b, quantity=5, by=purchaser)
    saved = purchase_list_from_cart(buyer=shop, by=purchaser, name="每月机油")
    CartLine.objects.all().delete()
    Offer.objects.filter(pk=b.pk).update(min_order_quantity=10)

    result = purchase_list_to_cart(purchase_list=saved, by=purchaser)

    assert result.added == 1
    assert len(result.skipped) == 1
    assert "起订量为 10 件" in result.skipped[0]
    assert list(CartLine.objects.values_list("offer_id", "quantity")) == [(a.pk, 2)]


def test_list_names_are_unique_per_organization(shop, purchaser):
    cart_add(buyer=shop, offer=_offer(), quantity=1, by=purchaser)
    purchase_list_from_cart(buyer=shop, by=purchaser, name="常用")

    with pytest.raises(ApplicationError) as caught:
        purchase_list_from_cart(buyer=shop, by=purchaser, name=" 常用 ")

    assert (caught.value.message, caught.value.field) == (errors.LIST_NAME_TAKEN, "name")
    assert PurchaseList.objects.count() == 1


class TestCheckoutTotals(HypothesisTestCase):
    """Whatever the cart: one order per supplier, each line's amount is its unit price
    times its quantity (rounded once), the orders add up to the checkout, and exactly each
    line's quantity is reserved."""

    @given(
        lines=st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=2),
                st.decimals(min_value="0.01", max_value="9999.99", places=2),
                st.integers(min_value=1, max_value=40),
            ),
            min_size=1,
            max_size=5,
        )
    )
    @settings(max_examples=10, deadline=None)
    def test_the_orders_add_up_to_the_checkout(self, lines):
        shop = ShopFactory.create()
        address = AddressFactory.create(organization=shop)
        suppliers = [OfferFactory.create(stock_quantity=0).supplier for _ in range(3)]
        offers = []
        for supplier_index, price, quantity in lines:
            offer = _stocked(50, supplier=suppliers[supplier_index], price=price)
            cart_add(buyer=shop, offer=offer, quantity=quantity, by=None)
            offers.append((offer, quantity))

        checkout = checkout_submit(buyer=shop, by=None, address=address, idempotency_key="totals")

        orders = list(checkout.orders.prefetch_related("lines"))
        assert len(orders) == len({index for index, _price, _quantity in lines})
        assert checkout.total == sum((order.goods_total for order in orders), Decimal(0))
        for order in orders:
            assert order.goods_total == sum((line.amount for line in order.lines.all()), Decimal(0))
            for line in order.lines.all():
                assert line.amount == (line.unit_price * line.quantity).quantize(Decimal("0.01"))
                assert line.order.supplier_id == line.offer.supplier_id
        for offer, quantity in offers:
            assert _held(offer) == (50, quantity)
