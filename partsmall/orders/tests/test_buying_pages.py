"""The shop's buying pages with the three actors: a purchaser (allowed), a colleague
whose role lacks the permission (403), a member of another shop (404 for objects)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import Actors, login_client
from partsmall.catalog.models import Offer
from partsmall.catalog.tests.factories import OfferFactory, PartFactory
from partsmall.orders.models import Address, CartLine, Checkout, OrderLine, PurchaseList, SupplierOrder
from partsmall.orders.services.cart import cart_add
from partsmall.orders.tests.factories import (
    AddressFactory,
    ApprovalRuleFactory,
    CartLineFactory,
    CheckoutFactory,
    PurchaseListFactory,
    PurchaseListLineFactory,
    stock,
)
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import CITY, DISTRICT, PROVINCE, MembershipFactory
from partsmall.pricing.tests.factories import ContractPriceFactory, ContractPriceListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops(make_actors) -> Actors:
    return make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.PURCHASER, wrong_role=Role.TECHNICIAN)


@pytest.fixture
def owners(make_actors) -> Actors:
    return make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.OWNER, wrong_role=Role.PURCHASER)


def _stocked(quantity: int = 10, **terms: object) -> Offer:
    offer = OfferFactory.create(stock_quantity=0, **terms)
    stock(offer, quantity)
    return offer


def _content(response) -> str:
    return response.content.decode()


# Cart ----------------------------------------------------------------------------------------


def test_the_cart_groups_lines_by_supplier_at_the_buyers_price(shops):
    a = _stocked(price=Decimal("35.00"), supplier__name="甲配件厂")
    b = OfferFactory.create(
        made_to_order=True, lead_time_days=12, stock_quantity=0, supplier__name="乙配件厂"
    )
    cart_add(buyer=shops.organization, offer=a, quantity=2, by=None)
    cart_add(buyer=shops.organization, offer=b, quantity=1, by=None)
    CartLineFactory.create(cart__organization=shops.other_organization, offer__sku="THEIRS-SKU")

    member = shops.member_client.get(reverse("orders:cart"))
    colleague = shops.colleague_client.get(reverse("orders:cart"))

    assert member.status_code == 200
    body = _content(member)
    assert body.count('data-testid="supplier-group"') == 2
    assert "甲配件厂" in body
    assert "乙配件厂" in body
    assert "¥70.00" in body
    assert "按单生产 · 交期 12 天" in body
    assert "库存 10" in body
    assert "THEIRS-SKU" not in body
    assert colleague.status_code == 403


def test_a_key_account_sees_its_contract_price_in_the_cart_and_another_shop_does_not(shops):
    offer = _stocked(price=Decimal("100.00"))
    price_list = ContractPriceListFactory.create(
        supplier=offer.supplier,
        buyer=shops.organization,
        name="年度协议",
        valid_from=date(2020, 1, 1),
        valid_until=None,
    )
    ContractPriceFactory.create(price_list=price_list, offer=offer, price=Decimal("77.00"))
    cart_add(buyer=shops.organization, offer=offer, quantity=1, by=None)
    cart_add(buyer=shops.other_organization, offer=offer, quantity=1, by=None)

    mine = _content(shops.member_client.get(reverse("orders:cart")))
    theirs = _content(shops.outsider_client.get(reverse("orders:cart")))

    assert "¥77.00" in mine
    assert "协议价" in mine
    assert "¥77.00" not in theirs
    assert "协议价" not in theirs
    assert "¥100.00" in theirs


def test_a_supplier_is_not_a_buyer(make_actors):
    suppliers = make_actors(kind=Organization.Kind.SUPPLIER, role=Role.OWNER)

    response = suppliers.member_client.get(reverse("orders:cart"))

    assert response.status_code == 403


def test_adding_from_the_part_page_goes_back_there_with_a_message(shops):
    offer = _stocked()
    page = reverse("search:part", args=[offer.part_id])

    shown = shops.member_client.get(page)
    added = shops.member_client.post(
        reverse("orders:cart_add"), {"offer": offer.pk, "quantity": "3", "next": page}, follow=True
    )

    assert 'data-testid="add-to-cart"' in _content(shown)
    assert added.redirect_chain[-1][0] == page
    assert "已加入购物车" in _content(added)
    assert CartLine.objects.get().quantity == 3


def test_a_quantity_below_the_minimum_is_refused_naming_the_offer(shops):
    offer = _stocked(min_order_quantity=5, sku="MOQ-5")

    response = shops.member_client.post(
        reverse("orders:cart_add"), {"offer": offer.pk, "quantity": "2"}, follow=True
    )

    assert "起订量为 5 件，您填写了 2 件（可改为 5 件）" in _content(response)
    assert offer.part.name in _content(response)
    assert not CartLine.objects.exists()


def test_search_results_open_the_offers_of_a_part_to_add_them(shops):
    offer = _stocked(price=Decimal("42.00"))

    fragment = shops.member_client.get(
        reverse("orders:cart_offers"), {"part": offer.part_id, "next": "/search/"}
    )
    nothing = shops.member_client.get(reverse("orders:cart_offers"), {"part": "x"})

    assert fragment.status_code == 200
    assert 'data-testid="cart-offer"' in _content(fragment)
    assert "¥42.00" in _content(fragment)
    assert "暂无可购买的报价" in _content(nothing)


def test_quantity_changes_and_removal_touch_only_the_buyers_lines(shops):
    line = CartLineFactory.create(cart__organization=shops.organization, offer__order_multiple=2, quantity=2)

    bad = shops.member_client.post(
        reverse("orders:cart_line_update", args=[line.pk]), {"quantity": "3"}, follow=True
    )
    good = shops.member_client.post(reverse("orders:cart_line_update", args=[line.pk]), {"quantity": "4"})
    outsider = shops.outsider_client.post(reverse("orders:cart_line_remove", args=[line.pk]))
    colleague = shops.colleague_client.post(reverse("orders:cart_line_remove", args=[line.pk]))

    assert "须按 2 件的倍数订购" in _content(bad)
    assert good.status_code == 302
    line.refresh_from_db()
    assert line.quantity == 4
    assert (outsider.status_code, colleague.status_code) == (404, 403)
    assert shops.member_client.post(reverse("orders:cart_line_remove", args=[line.pk])).status_code == 302
    assert not CartLine.objects.exists()


# Checkout ------------------------------------------------------------------------------------


def _cart_with_two_suppliers(shops: Actors) -> tuple[Offer, Offer]:
    a = _stocked(price=Decimal("10.00"), supplier__name="甲配件厂")
    b = _stocked(price=Decimal("20.00"), supplier__name="乙配件厂")
    cart_add(buyer=shops.organization, offer=a, quantity=1, by=None)
    cart_add(buyer=shops.organization, offer=b, quantity=2, by=None)
    return a, b


def test_the_checkout_page_offers_the_address_book_and_one_order_per_supplier(shops):
    _cart_with_two_suppliers(shops)
    address = AddressFactory.create(
        organization=shops.organization, is_default=True, contact_phone="13812345678"
    )

    response = shops.member_client.get(reverse("orders:checkout"))

    body = _content(response)
    assert response.status_code == 200
    assert body.count('data-testid="checkout-supplier"') == 2
    assert f'value="{address.pk}" checked' in body
    assert "138****5678" in body
    assert body.count("运费另议") >= 2
    assert "¥50.00" in body
    assert 'name="idempotency_key"' in body


def test_submitting_makes_the_orders_and_a_resent_form_makes_no_more(shops):
    _cart_with_two_suppliers(shops)
    address = AddressFactory.create(organization=shops.organization, is_default=True)
    form = {"address": address.pk, "idempotency_key": "form-key-1"}

    first = shops.member_client.post(reverse("orders:checkout"), form)
    again = shops.member_client.post(reverse("orders:checkout"), form)

    checkout = Checkout.objects.get()
    assert first["Location"] == again["Location"] == reverse("orders:checkout_detail", args=[checkout.pk])
    assert SupplierOrder.objects.filter(checkout=checkout).count() == 2
    result = shops.member_client.get(first["Location"])
    body = _content(result)
    assert body.count('data-testid="result-order"') == 2
    for order in checkout.orders.all():
        assert order.number in body
    assert not CartLine.objects.exists()


def test_a_checkout_without_an_address_is_refused_on_the_page(shops):
    _cart_with_two_suppliers(shops)

    response = shops.member_client.post(reverse("orders:checkout"), {"idempotency_key": "k"})

    assert response.status_code == 400
    assert "请选择收货地址。" in _content(response)
    assert not Checkout.objects.exists()


def test_an_empty_cart_goes_back_to_the_cart(shops):
    response = shops.member_client.get(reverse("orders:checkout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("orders:cart")


def test_another_shop_never_sees_a_checkout(shops):
    checkout = CheckoutFactory.create(buyer=shops.organization)

    assert shops.member_client.get(reverse("orders:checkout_detail", args=[checkout.pk])).status_code == 200
    assert shops.outsider_client.get(reverse("orders:checkout_detail", args=[checkout.pk])).status_code == 404
    assert (
        shops.colleague_client.get(reverse("orders:checkout_detail", args=[checkout.pk])).status_code == 403
    )


def test_the_contract_price_reaches_the_order_page_of_the_key_account(shops):
    offer = _stocked(price=Decimal("100.00"))
    price_list = ContractPriceListFactory.create(
        supplier=offer.supplier, buyer=shops.organization, valid_from=date(2020, 1, 1), valid_until=None
    )
    ContractPriceFactory.create(price_list=price_list, offer=offer, price=Decimal("66.00"))
    cart_add(buyer=shops.organization, offer=offer, quantity=1, by=None)
    address = AddressFactory.create(organization=shops.organization)

    made = shops.member_client.post(
        reverse("orders:checkout"), {"address": address.pk, "idempotency_key": "x"}
    )

    body = _content(shops.member_client.get(made["Location"]))
    assert "¥66.00" in body
    assert "协议价" in body
    assert OrderLine.objects.get().unit_price == Decimal("66.00")


# Approvals -----------------------------------------------------------------------------------


def test_owners_see_and_approve_what_others_submitted(owners):
    ApprovalRuleFactory.create(organization=owners.organization, threshold=Decimal("10.00"))
    submitter = owners.colleague
    offer = _stocked(price=Decimal("50.00"))
    cart_add(buyer=owners.organization, offer=offer, quantity=1, by=None)
    address = AddressFactory.create(organization=owners.organization)
    login_client(submitter).post(reverse("orders:checkout"), {"address": address.pk, "idempotency_key": "a"})
    checkout = Checkout.objects.get()

    queue = owners.member_client.get(reverse("orders:approvals"))
    purchaser = owners.colleague_client.get(reverse("orders:approvals"))
    approved = owners.member_client.post(reverse("orders:approval_approve", args=[checkout.pk]), follow=True)

    assert 'data-testid="pending-row"' in _content(queue)
    assert purchaser.status_code == 403
    assert "已批准" in _content(approved)
    checkout.refresh_from_db()
    assert checkout.approval_status == Checkout.ApprovalStatus.APPROVED
    assert checkout.orders.get().status == SupplierOrder.Status.SUBMITTED


def test_an_owner_cannot_approve_their_own_checkout_on_the_page(owners):
    checkout = CheckoutFactory.create(
        buyer=owners.organization,
        created_by=owners.member.user,
        approval_status=Checkout.ApprovalStatus.PENDING,
    )

    queue = owners.member_client.get(reverse("orders:approvals"))
    tried = owners.member_client.post(reverse("orders:approval_approve", args=[checkout.pk]), follow=True)
    outsider = owners.outsider_client.post(reverse("orders:approval_approve", args=[checkout.pk]))

    assert 'data-testid="own-checkout"' in _content(queue)
    assert "不能审批自己提交的采购单。" in _content(tried)
    assert outsider.status_code == 404
    checkout.refresh_from_db()
    assert checkout.approval_status == Checkout.ApprovalStatus.PENDING


def test_the_threshold_form_names_a_bad_amount(owners):
    bad = owners.member_client.post(reverse("orders:approvals"), {"threshold": "-5"})
    good = owners.member_client.post(reverse("orders:approvals"), {"threshold": "5000"}, follow=True)

    assert bad.status_code == 400
    assert "审批金额阈值须为不小于 0 的金额" in _content(bad)
    assert "超过 ¥5,000.00 的结算须审批" in _content(good)
    assert owners.organization.approval_rules.get(is_active=True).threshold == Decimal("5000.00")


def test_a_rejection_from_the_page_needs_a_reason(owners):
    checkout = CheckoutFactory.create(
        buyer=owners.organization, approval_status=Checkout.ApprovalStatus.PENDING
    )

    response = owners.member_client.post(
        reverse("orders:approval_reject", args=[checkout.pk]), {"reason": ""}, follow=True
    )

    assert "请填写驳回原因。" in _content(response)
    checkout.refresh_from_db()
    assert checkout.approval_status == Checkout.ApprovalStatus.PENDING


# Address book --------------------------------------------------------------------------------


def test_adding_an_address_names_each_wrong_field(shops):
    url = reverse("orders:address_create")

    bad = shops.member_client.post(url, {"contact_name": "", "contact_phone": "123", "province": PROVINCE})
    good = shops.member_client.post(
        url,
        {
            "contact_name": "王五",
            "contact_phone": "13800138000",
            "province": PROVINCE,
            "city": CITY,
            "district": DISTRICT,
            "detail": "环市西路 1 号",
        },
    )

    assert bad.status_code == 400
    body = _content(bad)
    for field in ("contact_name", "contact_phone", "city", "detail"):
        assert f'data-testid="error-{field}"' in body
    assert good.status_code == 302
    address = Address.objects.get()
    assert (address.organization, address.is_default) == (shops.organization, True)


def test_addresses_of_another_shop_are_not_found(shops):
    address = AddressFactory.create(organization=shops.organization, detail="本店独有地址")

    listed = shops.member_client.get(reverse("orders:addresses"))
    edit = shops.outsider_client.get(reverse("orders:address_edit", args=[address.pk]))
    delete = shops.outsider_client.post(reverse("orders:address_delete", args=[address.pk]))
    theirs = shops.outsider_client.get(reverse("orders:addresses"))

    assert "本店独有地址" in _content(listed)
    assert (edit.status_code, delete.status_code) == (404, 404)
    assert "本店独有地址" not in _content(theirs)
    assert Address.objects.filter(pk=address.pk).exists()


def test_editing_and_making_an_address_the_default(shops):
    first = AddressFactory.create(organization=shops.organization, is_default=True)
    second = AddressFactory.create(organization=shops.organization)

    shops.member_client.post(reverse("orders:address_default", args=[second.pk]))
    edited = shops.member_client.post(
        reverse("orders:address_edit", args=[first.pk]),
        {
            "contact_name": "赵六",
            "contact_phone": "13900001111",
            "province": PROVINCE,
            "city": CITY,
            "district": DISTRICT,
            "detail": "新地址",
        },
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert edited.status_code == 302
    assert (first.contact_name, first.detail, first.is_default, second.is_default) == (
        "赵六",
        "新地址",
        False,
        True,
    )


# Purchase lists ------------------------------------------------------------------------------


def test_the_cart_saved_as_a_list_comes_back_into_the_cart(shops):
    offer = OfferFactory.create(stock_quantity=0)
    cart_add(buyer=shops.organization, offer=offer, quantity=3, by=None)

    saved = shops.member_client.post(reverse("orders:cart_save_list"), {"name": "每月机油"})
    purchase_list = PurchaseList.objects.get()
    CartLine.objects.all().delete()
    detail = shops.member_client.get(reverse("orders:purchase_list_detail", args=[purchase_list.pk]))
    back = shops.member_client.post(reverse("orders:purchase_list_to_cart", args=[purchase_list.pk]))

    assert saved["Location"] == reverse("orders:purchase_list_detail", args=[purchase_list.pk])
    assert "每月机油" in _content(detail)
    assert back["Location"] == reverse("orders:cart")
    assert list(CartLine.objects.values_list("offer_id", "quantity")) == [(offer.pk, 3)]


def test_purchase_lists_of_another_shop_are_not_found(shops):
    purchase_list = PurchaseListFactory.create(organization=shops.organization, name="本店清单")
    PurchaseListLineFactory.create(purchase_list=purchase_list)

    assert (
        shops.outsider_client.get(reverse("orders:purchase_list_detail", args=[purchase_list.pk])).status_code
        == 404
    )
    assert (
        shops.outsider_client.post(
            reverse("orders:purchase_list_to_cart", args=[purchase_list.pk])
        ).status_code
        == 404
    )
    assert "本店清单" not in _content(shops.outsider_client.get(reverse("orders:purchase_lists")))
    assert shops.colleague_client.get(reverse("orders:purchase_lists")).status_code == 403


# Quick order ---------------------------------------------------------------------------------


def test_quick_order_matches_pasted_lines_and_adds_the_picks(shops):
    single = OfferFactory.create(part=PartFactory.create(number="ONE-1"), stock_quantity=0)
    part = PartFactory.create(number="TWO-2")
    first = OfferFactory.create(part=part, price=Decimal("10.00"), stock_quantity=0)
    OfferFactory.create(part=part, price=Decimal("12.00"), stock_quantity=0)
    url = reverse("orders:quick_order")

    matched = shops.member_client.post(url, {"text": "ONE-1, 2\nTWO-2, 3\nNOPE, 1"})
    body = _content(matched)
    unpicked = shops.member_client.post(
        url,
        {
            "action": "add",
            "row": ["1", "2", "3"],
            "number_1": "ONE-1",
            "quantity_1": "2",
            "offer_1": str(single.pk),
            "number_2": "TWO-2",
            "quantity_2": "3",
            "number_3": "NOPE",
            "offer_3": "skip",
        },
    )
    added = shops.member_client.post(
        url,
        {
            "action": "add",
            "row": ["1", "2", "3"],
            "number_1": "ONE-1",
            "quantity_1": "2",
            "offer_1": str(single.pk),
            "number_2": "TWO-2",
            "quantity_2": "3",
            "offer_2": str(first.pk),
            "number_3": "NOPE",
            "offer_3": "skip",
        },
    )

    assert [body.count(f'data-status="{s}"') for s in ("matched", "ambiguous", "unmatched")] == [1, 1, 1]
    assert unpicked.status_code == 400
    assert "第 2 行：请选择一个报价。" in _content(unpicked)
    assert added["Location"] == reverse("orders:cart")
    assert sorted(CartLine.objects.values_list("offer_id", "quantity")) == sorted(
        [(single.pk, 2), (first.pk, 3)]
    )


def test_the_quick_order_template_downloads_as_a_workbook(shops):
    response = shops.member_client.get(reverse("orders:quick_order_template"))

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.worksheets[0]["A1"].value == "OE号/零件号"
    assert shops.colleague_client.get(reverse("orders:quick_order_template")).status_code == 403


def test_the_sidebar_of_a_shop_lists_the_buying_pages(owners):
    body = _content(owners.member_client.get(reverse("orders:cart")))
    purchaser = MembershipFactory.create(organization=owners.organization, role=Role.PURCHASER)
    purchaser_body = _content(login_client(purchaser).get(reverse("orders:cart")))

    for name in (
        "orders:cart",
        "orders:quick_order",
        "orders:purchase_lists",
        "orders:addresses",
        "orders:approvals",
    ):
        assert f'href="{reverse(name)}"' in body
    assert f'href="{reverse("orders:approvals")}"' not in purchaser_body
