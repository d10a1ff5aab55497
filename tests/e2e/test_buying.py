"""Acceptance: a shop finds parts for a VIN from two suppliers, checks out and sees two
orders; platform finance marks them paid; each supplier confirms its own; the shop
requests a return of one line and the supplier accepts (issue 4, point 7).

Built on the real OE numbers of partsmall/demo/data/oe_parts.csv: Toyota 90915-10003 and
its ACDelco equivalent PF304J, offered by two suppliers. Shipping the order (a page of its
own, tested in partsmall/orders) is done through the service between the page steps.
"""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from partsmall.accounts.tests.factories import PASSWORD
from partsmall.catalog.models import Grade
from partsmall.catalog.services import brand_create, category_create, fitment_add, offer_create, part_create
from partsmall.orders.models import ReturnRequest, SupplierOrder
from partsmall.orders.services.lifecycle import order_confirm_delivery
from partsmall.orders.services.shipments import ShipItem, order_ship
from partsmall.orders.tests.factories import AddressFactory, stock
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory
from partsmall.vehicles.services import vehicle_type_create, vin_pattern_create
from partsmall.vehicles.vin import with_check_digit
from tests.e2e.conftest import save_screenshot

pytestmark = pytest.mark.e2e

VIN = with_check_digit("LFMZE18B0L0356120")


@pytest.fixture
def market(migrated_data):
    corolla = vehicle_type_create(
        make_name="丰田",
        model_name="卡罗拉",
        year_from=2017,
        year_to=2022,
        engine_code="9NR-FTS",
        displacement_l="1.2",
        fuel="petrol",
        transmission="CVT",
        generation="E210",
    )
    vin_pattern_create(wmi="LFM", vds_prefix="ZE18", vehicle_types=[corolla], by=None)
    filters = category_create(name="滤清器", code="filters", by=None)
    oil = category_create(name="机油滤清器", parent=filters, code="oil-filter", by=None)
    toyota = brand_create(name="丰田", is_oe=True, by=None)
    acdelco = brand_create(name="ACDelco", by=None)
    genuine = part_create(brand=toyota, number="90915-10003", name="机油滤清器", category=oil, by=None)
    equivalent = part_create(brand=acdelco, number="PF304J", name="机油滤清器", category=oil, by=None)
    for part in (genuine, equivalent):
        fitment_add(part=part, vehicle_type=corolla, by=None)

    guangzhou = OrganizationFactory.create(kind=Organization.Kind.SUPPLIER, name="广州丰众汽配")
    hangzhou = OrganizationFactory.create(kind=Organization.Kind.SUPPLIER, name="杭州德配汽车零部件")
    offers = [
        offer_create(
            supplier=guangzhou,
            part=genuine,
            grade=Grade.GENUINE,
            sku="GZ-90915-10003",
            price=Decimal("48.00"),
            lead_time_days=1,
            by=None,
        ),
        offer_create(
            supplier=hangzhou,
            part=equivalent,
            grade=Grade.BRAND,
            sku="HZ-PF304J",
            price=Decimal("26.80"),
            lead_time_days=2,
            by=None,
        ),
    ]
    for offer in offers:
        stock(offer, 30)
    shop = OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP, name="广州天河车之道汽车维修")
    AddressFactory.create(organization=shop, is_default=True)
    platform = OrganizationFactory.create(kind=Organization.Kind.PLATFORM, name="汽配商城平台")
    return {
        "purchaser": MembershipFactory.create(organization=shop, role=Role.PURCHASER),
        "finance": MembershipFactory.create(organization=platform, role=Role.PLATFORM_FINANCE),
        "guangzhou": MembershipFactory.create(organization=guangzhou, role=Role.OWNER),
        "hangzhou": MembershipFactory.create(organization=hangzhou, role=Role.OWNER),
        "shop": shop,
    }


def _login(page: Page, phone: str) -> None:
    page.goto(reverse("accounts:login"))
    form = page.get_by_test_id("password-login-form")
    form.get_by_label("手机号").fill(phone)
    form.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("password-login-form")).to_have_count(0)


def _add_to_cart(page: Page, results: str, number: str) -> None:
    page.goto(results)
    page.get_by_test_id("result-row").filter(has_text=number).get_by_test_id("result-link").click()
    expect(page.get_by_test_id("part-number")).to_contain_text(number)
    page.get_by_test_id("add-to-cart").first.click()
    expect(page.locator(".alert-success")).to_contain_text("购物车")


def _photo() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, format="PNG")
    return {"name": "滤清器.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_two_suppliers_one_checkout_paid_confirmed_and_a_return_accepted(
    page, other_page, market, screenshot
):
    # The shop: VIN → 机油滤清器 → one part from each supplier into the cart.
    _login(page, market["purchaser"].user.phone)
    page.goto(reverse("search:index"))
    page.get_by_test_id("vin-input").fill(VIN)
    page.get_by_test_id("vin-submit").click()
    expect(page.get_by_test_id("vehicle-chip")).to_contain_text("卡罗拉")
    page.get_by_test_id("category-filters").click()
    page.get_by_test_id("category-oil-filter").click()
    expect(page.get_by_test_id("result-row")).to_have_count(2)
    results = page.url
    _add_to_cart(page, results, "90915-10003")
    _add_to_cart(page, results, "PF304J")

    page.goto(reverse("orders:cart"))
    expect(page.get_by_test_id("supplier-group")).to_have_count(2)
    screenshot("buying-01-cart-two-suppliers")
    page.get_by_test_id("go-checkout").click()
    expect(page.get_by_test_id("checkout-supplier")).to_have_count(2)
    screenshot("buying-02-checkout")
    page.get_by_test_id("checkout-submit").click()
    expect(page.get_by_test_id("result-order")).to_have_count(2)
    screenshot("buying-03-two-orders")
    orders = {
        o.supplier.name: o
        for o in SupplierOrder.objects.filter(buyer=market["shop"]).select_related("supplier")
    }
    assert set(orders) == {"广州丰众汽配", "杭州德配汽车零部件"}

    # Platform finance marks both orders paid (an offline transfer).
    finance = other_page()
    _login(finance, market["finance"].user.phone)
    finance.goto(reverse("orders:platform_payments"))
    for order in orders.values():
        finance.get_by_test_id(f"mark-paid-{order.pk}").click()
        expect(finance.get_by_test_id(f"mark-paid-{order.pk}")).to_have_count(0)
    save_screenshot(finance, "buying-04-finance-marked-paid")

    # Each supplier sees only its own order, and confirms it.
    for name, member in (("广州丰众汽配", market["guangzhou"]), ("杭州德配汽车零部件", market["hangzhou"])):
        seller = other_page()
        _login(seller, member.user.phone)
        other = next(o for n, o in orders.items() if n != name)
        # The home counts the paid order to confirm and links to that list.
        seller.goto(reverse("organizations:home"))
        expect(seller.get_by_test_id("kpi-to_confirm")).to_have_text("1")
        if member is market["guangzhou"]:
            save_screenshot(seller, "buying-04b-supplier-home")
        seller.get_by_test_id("kpi-to_confirm").click()
        expect(seller).to_have_url(re.compile(re.escape(reverse("orders:sales_to_confirm")) + "$"))
        expect(seller.get_by_test_id(f"order-row-{orders[name].pk}")).to_be_visible()
        seller.goto(reverse("orders:sales_orders"))
        expect(seller.get_by_test_id(f"order-row-{orders[name].pk}")).to_be_visible()
        expect(seller.get_by_test_id(f"order-row-{other.pk}")).to_have_count(0)
        seller.goto(reverse("orders:sales_order", args=[orders[name].pk]))
        seller.get_by_test_id("order-confirm").click()
        expect(seller.get_by_test_id("order-confirm")).to_have_count(0)
        assert seller.goto(reverse("orders:sales_order", args=[other.pk])).status == 404
    for order in orders.values():
        order.refresh_from_db()
        assert (order.status, order.payment_status) == ("confirmed", "paid")

    # Guangzhou ships; the shop confirms delivery and asks to return the part.
    gz_order = orders["广州丰众汽配"]
    line = gz_order.lines.get()
    warehouse = line.offer.supplier.warehouses.first()
    assert warehouse is not None
    order_ship(
        order=gz_order,
        items=[ShipItem(line.pk, warehouse.pk, line.quantity)],
        carrier="顺丰速运",
        tracking_number="SF1234567890",
        by=market["guangzhou"].user,
    )
    order_confirm_delivery(order=gz_order, by=market["purchaser"].user)
    page.goto(reverse("orders:purchase_order", args=[gz_order.pk]))
    page.get_by_test_id(f"line-return-{line.pk}").click()
    page.get_by_label("退货数量").fill("1")
    page.get_by_label("退货原因").select_option("doesnt_fit")
    page.locator("input[type=file]").set_input_files([_photo()])
    screenshot("buying-05-return-request")
    page.get_by_test_id("return-submit").click()
    expect(page.get_by_test_id("return-reason")).to_contain_text("不适配")
    request = ReturnRequest.objects.get(line=line)

    seller = other_page()
    _login(seller, market["guangzhou"].user.phone)
    seller.goto(reverse("orders:sales_return", args=[request.pk]))
    seller.get_by_test_id("return-approve").click()
    expect(seller.get_by_test_id("return-approve")).to_have_count(0)
    save_screenshot(seller, "buying-06-return-accepted")
    request.refresh_from_db()
    assert request.status == ReturnRequest.Status.APPROVED
