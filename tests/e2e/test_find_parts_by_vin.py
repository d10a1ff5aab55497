"""Acceptance: a shop enters a VIN, picks the vehicle, opens 机油滤清器, sees only the
parts that fit, opens one and compares its offers (issue 3, point 5).

Built on the real OE numbers of partsmall/demo/data/oe_parts.csv: Toyota 90915-10003
(Corolla) with its ACDelco equivalent PF304J, and 90915-10009, which fits the RAV4 only.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partsmall.accounts.tests.factories import PASSWORD
from partsmall.catalog.models import Grade, PartLink
from partsmall.catalog.services import (
    brand_create,
    category_create,
    fitment_add,
    offer_create,
    part_create,
    part_link_add,
)
from partsmall.inventory.tests.factories import stock_offer
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory
from partsmall.vehicles.services import vehicle_type_create, vin_pattern_create
from partsmall.vehicles.vin import with_check_digit

pytestmark = pytest.mark.e2e

VIN = with_check_digit("LFMZE18B0L0356120")


@pytest.fixture
def catalogue(migrated_data):
    corolla_12t = vehicle_type_create(
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
    corolla_hybrid = vehicle_type_create(
        make_name="丰田",
        model_name="卡罗拉",
        year_from=2019,
        year_to=2022,
        engine_code="8ZR-FXE",
        displacement_l="1.8",
        fuel="hybrid",
        transmission="E-CVT",
        generation="E210 双擎",
    )
    rav4 = vehicle_type_create(
        make_name="丰田",
        model_name="RAV4荣放",
        year_from=2019,
        year_to=2023,
        engine_code="M20C",
        displacement_l="2.0",
        fuel="petrol",
        transmission="CVT",
    )
    vin_pattern_create(wmi="LFM", vds_prefix="ZE18", vehicle_types=[corolla_12t, corolla_hybrid], by=None)

    filters = category_create(name="滤清器", code="filters", by=None)
    oil = category_create(name="机油滤清器", parent=filters, code="oil-filter", by=None)
    toyota = brand_create(name="丰田", is_oe=True, by=None)
    acdelco = brand_create(name="ACDelco", by=None)
    genuine = part_create(
        brand=toyota,
        number="90915-10003",
        name="机油滤清器",
        category=oil,
        by=None,
        oe_numbers=[(toyota, "90915-10003")],
    )
    equivalent = part_create(brand=acdelco, number="PF304J", name="机油滤清器", category=oil, by=None)
    rav4_filter = part_create(brand=toyota, number="90915-10009", name="机油滤清器", category=oil, by=None)
    part_link_add(from_part=equivalent, to_part=genuine, kind=PartLink.Kind.INTERCHANGE, by=None)
    for vehicle in (corolla_12t, corolla_hybrid):
        fitment_add(part=genuine, vehicle_type=vehicle, by=None)
        fitment_add(part=equivalent, vehicle_type=vehicle, by=None)
    fitment_add(part=rav4_filter, vehicle_type=rav4, by=None)

    guangzhou = OrganizationFactory.create(name="广州骏驰汽配有限公司")
    hangzhou = OrganizationFactory.create(name="杭州顺达汽车配件有限公司")
    gz_offer = offer_create(
        supplier=guangzhou,
        part=genuine,
        grade=Grade.GENUINE,
        sku="GZ-90915-10003",
        price=Decimal("48.00"),
        lead_time_days=1,
        by=None,
    )
    hz_offer = offer_create(
        supplier=hangzhou,
        part=genuine,
        grade=Grade.BRAND,
        sku="HZ-90915-10003",
        price=Decimal("32.50"),
        lead_time_days=3,
        by=None,
    )
    # Stock comes from the suppliers' warehouses (inventory), not from the offers.
    stock_offer(gz_offer, 120)
    stock_offer(hz_offer, 40)
    offer_create(
        supplier=hangzhou,
        part=rav4_filter,
        grade=Grade.GENUINE,
        sku="HZ-90915-10009",
        price=Decimal("52.00"),
        by=None,
    )
    shop = OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP, name="广州天河车之道汽车维修")
    return {
        "purchaser": MembershipFactory.create(organization=shop, role=Role.PURCHASER),
        "corolla_hybrid": corolla_hybrid,
        "genuine": genuine,
    }


def test_a_shop_finds_the_oil_filter_that_fits_its_vin_and_compares_offers(page, catalogue, screenshot):
    page.goto(reverse("accounts:login"))
    form = page.get_by_test_id("password-login-form")
    form.get_by_label("手机号").fill(catalogue["purchaser"].user.phone)
    form.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.goto(reverse("search:index"))

    page.get_by_test_id("vin-input").fill(VIN)
    page.get_by_test_id("vin-submit").click()
    expect(page.get_by_test_id("vin-candidates")).to_be_visible()
    screenshot("catalogue-01-vin-candidates")

    hybrid = catalogue["corolla_hybrid"]
    page.get_by_test_id(f"vin-candidate-{hybrid.pk}").check()
    expect(page.get_by_test_id("vin-chosen-label")).to_contain_text("双擎")
    page.get_by_test_id("vin-submit").click()
    expect(page.get_by_test_id("vehicle-chip")).to_contain_text("卡罗拉")

    page.get_by_test_id("category-filters").click()
    page.get_by_test_id("category-oil-filter").click()
    expect(page.get_by_test_id("category-chip")).to_contain_text("机油滤清器")
    rows = page.get_by_test_id("result-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("results-table")).to_contain_text("90915-10003")
    expect(page.get_by_test_id("results-table")).to_contain_text("PF304J")
    expect(page.get_by_test_id("results-table")).not_to_contain_text("90915-10009")
    screenshot("catalogue-02-fitting-oil-filters")

    rows.filter(has_text="90915-10003").get_by_test_id("result-link").click()
    expect(page.get_by_test_id("part-number")).to_contain_text("90915-10003")
    offers = page.get_by_test_id("offer-col")
    expect(offers).to_have_count(2)
    expect(page.get_by_test_id("offers-compare")).to_contain_text("¥32.50")
    expect(page.get_by_test_id("offers-compare")).to_contain_text("¥48.00")
    expect(page.get_by_test_id("interchange-card")).to_contain_text("PF304J")
    screenshot("catalogue-03-offers-compared")
