"""A supplier's salesperson writes a contract price list for a key-account shop in
Chromium (the buyer picker is htmx + a little script), checks the price the shop pays,
and the shop then sees its contract price, tagged 协议价, in search and on the part page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from partsmall.accounts.tests.factories import PASSWORD
from partsmall.catalog.models import Grade
from partsmall.catalog.services import brand_create, category_create, offer_create, part_create
from partsmall.organizations.models import Membership, Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory
from partsmall.pricing.models import ContractPriceList
from tests.e2e.conftest import save_screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(migrated_data):
    supplier = OrganizationFactory.create(kind=Organization.Kind.SUPPLIER, name="广州骏驰汽配有限公司")
    shop = OrganizationFactory.create(
        kind=Organization.Kind.REPAIR_SHOP,
        name="上海安途汽车服务连锁有限公司",
        tier=Organization.Tier.KEY_ACCOUNT,
    )
    OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP, name="上海安途待审门店", status="pending")
    oil = category_create(name="机油滤清器", code="oil-filter", by=None)
    acdelco = brand_create(name="ACDelco", by=None)
    part = part_create(brand=acdelco, number="PF304J", name="机油滤清器", category=oil, by=None)
    offer_create(
        supplier=supplier, part=part, grade=Grade.BRAND, sku="JC-PF304J", price=Decimal("28.00"), by=None
    )
    return {
        "sales": MembershipFactory.create(organization=supplier, role=Role.SALES),
        "purchaser": MembershipFactory.create(organization=shop, role=Role.PURCHASER),
        "shop": shop,
        "part": part,
    }


def _log_in(page: Page, member: Membership) -> None:
    page.goto(reverse("accounts:login"))
    form = page.get_by_test_id("password-login-form")
    form.get_by_label("手机号").fill(member.user.phone)
    form.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_test_id("login-submit").click()


def _pick_buyer(page: Page, name: str) -> None:
    page.get_by_test_id("buyer-search").fill("上海安途")
    options = page.get_by_test_id("buyer-option")
    expect(options).to_have_count(1)
    options.first.click()
    expect(page.get_by_test_id("buyer-chosen")).to_contain_text(name)


def test_a_salesperson_writes_a_contract_and_the_shop_sees_its_price(page, other_page, world, screenshot):
    today = timezone.localdate()
    shop = world["shop"]
    _log_in(page, world["sales"])
    page.goto(reverse("pricing:contracts"))
    expect(page.get_by_test_id("empty")).to_contain_text("暂无协议价")
    page.get_by_test_id("contract-create").click()

    _pick_buyer(page, shop.name)
    page.get_by_label("协议名称").fill(f"{today.year} 年度协议价")
    page.get_by_label("生效日期").fill((today - timedelta(days=1)).isoformat())
    screenshot("pricing-01-contract-form")
    page.get_by_test_id("contract-submit").click()

    expect(page.get_by_test_id("contract-buyer")).to_have_text(shop.name)
    form = page.get_by_test_id("line-form")
    form.get_by_label("商家编码").fill("JC-PF304J")
    form.get_by_label("协议价(含税)").fill("24")
    page.get_by_test_id("line-submit").click()
    form.get_by_label("商家编码").fill("JC-PF304J")
    form.get_by_label("起始数量").fill("10")
    form.get_by_label("协议价(含税)").fill("22.5")
    page.get_by_test_id("line-submit").click()
    expect(page.get_by_test_id("contract-price")).to_have_text(["¥24.00", "¥22.50"])
    screenshot("pricing-02-contract-lines")
    assert ContractPriceList.objects.get().buyer == shop

    page.goto(reverse("pricing:price_check"))
    _pick_buyer(page, shop.name)
    page.get_by_label("商家编码").fill("JC-PF304J")
    page.get_by_label("数量").fill("12")
    page.get_by_test_id("check-submit").click()
    expect(page.get_by_test_id("check-price")).to_have_text("¥22.50")
    expect(page.get_by_test_id("check-source")).to_contain_text("(≥10 件)")
    screenshot("pricing-03-price-check")

    buyer = other_page()
    _log_in(buyer, world["purchaser"])
    buyer.goto(reverse("search:index") + "?q=PF304J")
    row = buyer.get_by_test_id("result-row")
    expect(row.get_by_test_id("result-price")).to_contain_text("¥24.00")
    expect(row.get_by_test_id("price-badge")).to_have_text("协议价")
    buyer.goto(reverse("search:part", args=[world["part"].pk]))
    expect(buyer.get_by_test_id("offer-price")).to_contain_text("¥24.00")
    expect(buyer.get_by_test_id("offer-standard-price")).to_have_text("¥28.00")
    save_screenshot(buyer, "pricing-04-shop-part-page")


def test_a_salesperson_groups_shops_and_sets_a_group_price(page, world, screenshot):
    shop = world["shop"]
    _log_in(page, world["sales"])
    page.goto(reverse("pricing:groups"))
    page.get_by_test_id("group-create").click()

    page.get_by_label("客户组名称").fill("华东连锁门店")
    page.get_by_label("优惠百分比").fill("5")
    screenshot("pricing-05-group-form")
    page.get_by_test_id("group-submit").click()

    expect(page.get_by_test_id("group-percent")).to_contain_text("5%")
    _pick_buyer(page, shop.name)
    page.get_by_test_id("member-submit").click()
    expect(page.get_by_test_id("members-table")).to_contain_text(shop.name)
    form = page.get_by_test_id("price-form")
    form.get_by_label("商家编码").fill("JC-PF304J")
    form.get_by_label("客户组价(含税)").fill("25.80")
    page.get_by_test_id("price-submit").click()
    expect(page.get_by_test_id("group-price")).to_have_text("¥25.80")
    screenshot("pricing-06-group-detail")
    page.goto(reverse("pricing:groups"))
    expect(page.get_by_test_id("groups-table")).to_contain_text("指定客户 1 家")
    screenshot("pricing-07-groups")
