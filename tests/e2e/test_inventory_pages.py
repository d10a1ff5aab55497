"""A supplier's warehouse keeper in Chromium: creates a warehouse with the province / city /
district pickers (htmx), puts stock in, corrects it with a reason, and reads the stock,
movement and low-stock pages. Screenshots saved."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from partsmall.accounts.tests.factories import PASSWORD
from partsmall.catalog.models import Grade, Offer
from partsmall.catalog.services import brand_create, category_create, offer_create, part_create
from partsmall.inventory.models import StockLevel, Warehouse
from partsmall.organizations.models import Membership, Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory
from tests.e2e.conftest import save_screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def keeper(migrated_data) -> Membership:
    supplier = OrganizationFactory.create(kind=Organization.Kind.SUPPLIER, name="广州骏驰汽配有限公司")
    oil = category_create(name="机油滤清器", code="oil-filter", by=None)
    acdelco = brand_create(name="ACDelco", by=None)
    part = part_create(brand=acdelco, number="PF304J", name="机油滤清器", category=oil, by=None)
    offer_create(supplier=supplier, part=part, grade=Grade.BRAND, sku="JC-PF304J", price="28.00", by=None)
    return MembershipFactory.create(organization=supplier, role=Role.WAREHOUSE)


def _log_in(page: Page, member: Membership) -> None:
    page.goto(reverse("accounts:login"))
    form = page.get_by_test_id("password-login-form")
    form.get_by_label("手机号").fill(member.user.phone)
    form.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_test_id("login-submit").click()


def test_a_keeper_sets_up_a_warehouse_and_its_stock(page: Page, keeper: Membership):
    _log_in(page, keeper)
    page.goto(reverse("inventory:warehouse_create"))
    page.get_by_label("仓库名称").fill("广州白云仓")
    page.get_by_label("仓库编码").fill("gz01")
    page.get_by_test_id("select-province").select_option(label="广东省")
    expect(page.get_by_test_id("select-city").locator("option", has_text="广州市")).to_be_attached()
    page.get_by_test_id("select-city").select_option(label="广州市")
    expect(page.get_by_test_id("select-district").locator("option", has_text="白云区")).to_be_attached()
    page.get_by_test_id("select-district").select_option(label="白云区")
    page.get_by_label("详细地址").fill("石井街道石槎路 888 号")
    save_screenshot(page, "inventory-warehouse-form")
    page.get_by_test_id("warehouse-submit").click()
    expect(page.get_by_test_id("warehouses-table")).to_contain_text("广州白云仓")
    save_screenshot(page, "inventory-warehouses")
    warehouse = Warehouse.objects.get(code="GZ01")

    page.goto(reverse("inventory:receive"))
    page.get_by_label("入库仓库").select_option(str(warehouse.pk))
    page.get_by_label("品牌").select_option(label="ACDelco")
    page.get_by_label("零件号").fill("PF304J")
    page.get_by_label("品质").select_option(Grade.BRAND)
    page.get_by_label("入库数量").fill("6")
    page.get_by_test_id("receive-submit").click()
    expect(page.get_by_test_id("detail-on-hand")).to_have_text("6")

    page.get_by_label("调整数量").fill("-2")
    page.get_by_label("调整原因").fill("包装破损报废")
    page.get_by_test_id("adjust-submit").click()
    expect(page.get_by_test_id("detail-on-hand")).to_have_text("4")
    expect(page.get_by_test_id("movements-table")).to_contain_text("包装破损报废")
    save_screenshot(page, "inventory-level-detail")

    page.goto(reverse("inventory:levels"))
    expect(page.get_by_test_id("levels-table")).to_contain_text("PF304J")
    save_screenshot(page, "inventory-levels")
    page.goto(reverse("inventory:low_stock"))
    expect(page.get_by_test_id("low-stock-table")).to_contain_text("PF304J")
    save_screenshot(page, "inventory-low-stock")
    page.goto(reverse("inventory:movements"))
    save_screenshot(page, "inventory-movements")

    assert StockLevel.objects.get(warehouse=warehouse).on_hand == 4
    assert Offer.objects.get(sku="JC-PF304J").stock_quantity == 4
