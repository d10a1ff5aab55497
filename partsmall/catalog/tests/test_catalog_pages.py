"""Catalogue pages: the supplier's 商品 group and the operator's 数据 group, each tried by
the three actors (conftest.make_actors)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login_client
from partsmall.catalog import errors
from partsmall.catalog.models import Category, Fitment, Grade, Offer, Part, ReviewStatus
from partsmall.catalog.tests.factories import (
    BrandFactory,
    CategoryFactory,
    FitmentFactory,
    OfferFactory,
    PartFactory,
)
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def suppliers(make_actors):
    """Member (sales), colleague (finance: no catalog.manage), outsider (another supplier's sales)."""
    return make_actors(kind=Organization.Kind.SUPPLIER, role=Role.SALES)


@pytest.fixture
def operators(make_actors):
    return make_actors(kind=Organization.Kind.PLATFORM, role=Role.PLATFORM_OPERATOR)


# --- 商品列表 -------------------------------------------------------------------------------


def test_offers_list_three_actors(suppliers):
    part = PartFactory.create(
        brand=BrandFactory.create(name="博世"), number="0 986 AF0 063", name="机油滤清器"
    )
    mine = OfferFactory.create(
        supplier=suppliers.organization, part=part, sku="MY-SKU-1", price=Decimal("1234.5")
    )
    OfferFactory.create(supplier=suppliers.other_organization, sku="THEIR-SKU")
    url = reverse("catalog:offers")

    member = suppliers.member_client.get(url)
    colleague = suppliers.colleague_client.get(url)
    outsider = suppliers.outsider_client.get(url)

    html = _html(member)
    assert member.status_code == 200
    assert f'data-testid="offer-row-{mine.pk}"' in html
    assert "¥1,234.50" in html
    assert "博世" in html
    assert "0 986 AF0 063" in html
    assert "THEIR-SKU" not in html
    assert 'data-testid="count-all">1<' in html
    assert colleague.status_code == 403
    assert outsider.status_code == 200
    assert "MY-SKU-1" not in _html(outsider)


def test_offers_list_filters_and_status_tabs(suppliers):
    org = suppliers.organization
    filters = CategoryFactory.create(code="filter", name="滤清器")
    oil = CategoryFactory.create(code="oil-filter", name="机油滤清器", parent=filters)
    OfferFactory.create(supplier=org, sku="OIL-1", part=PartFactory.create(category=oil), grade=Grade.GENUINE)
    OfferFactory.create(supplier=org, sku="PAD-1", is_listed=False)
    client = suppliers.member_client
    url = reverse("catalog:offers")

    by_category = _html(client.get(url, {"category": filters.pk}))
    delisted = _html(client.get(url, {"status": "delisted"}))
    by_keyword = _html(client.get(url, {"keyword": "pad"}))
    by_grade = _html(client.get(url, {"grade": Grade.GENUINE}))

    assert "OIL-1" in by_category
    assert "PAD-1" not in by_category
    assert "PAD-1" in delisted
    assert "OIL-1" not in delisted
    assert 'data-testid="count-listed">1<' in delisted
    assert 'data-testid="count-delisted">1<' in delisted
    assert "PAD-1" in by_keyword
    assert "OIL-1" not in by_keyword
    assert "OIL-1" in by_grade
    assert "PAD-1" not in by_grade


def test_an_empty_offers_list_says_how_to_fill_it(suppliers):
    html = _html(suppliers.member_client.get(reverse("catalog:offers")))

    assert 'data-testid="empty"' in html
    assert "暂无商品" in html


def test_a_repair_shop_has_no_offers_pages(make_actors):
    shops = make_actors(kind=Organization.Kind.REPAIR_SHOP)

    assert shops.member_client.get(reverse("catalog:offers")).status_code == 403


def test_the_sidebar_shows_the_goods_group_to_sales_only(suppliers):
    assert reverse("catalog:offers") in _html(suppliers.member_client.get(reverse("organizations:home")))
    assert reverse("catalog:offers") not in _html(
        suppliers.colleague_client.get(reverse("organizations:home"))
    )


# --- 新建 / 编辑报价 ------------------------------------------------------------------------------


def _terms(**overrides: object) -> dict[str, object]:
    return {
        "grade": Grade.BRAND,
        "sku": "BS-0063",
        "price": "35.50",
        "min_order_quantity": "1",
        "order_multiple": "1",
        "lead_time_days": "2",
        "warranty_months": "12",
        "is_listed": "on",
    } | overrides


def test_offer_create_picks_the_part_by_brand_and_number(suppliers):
    part = PartFactory.create(number="90915-10003", number_norm="9091510003")
    client = suppliers.member_client

    form = client.get(reverse("catalog:offer_create"))
    response = client.post(reverse("catalog:offer_create"), _terms(brand=part.brand_id, number="90915 10003"))

    assert form.status_code == 200
    assert response.status_code == 302
    offer = Offer.objects.get(supplier=suppliers.organization)
    assert (offer.part, offer.sku, offer.price, offer.is_listed) == (part, "BS-0063", Decimal("35.50"), True)
    follow = _html(client.get(response["Location"]))
    assert "已新建报价 BS-0063" in follow


def test_offer_create_adds_a_missing_part_for_review(suppliers):
    brand, category = BrandFactory.create(), CategoryFactory.create()

    response = suppliers.member_client.post(
        reverse("catalog:offer_create"),
        _terms(brand=brand.pk, number="NEW-1", part_name="刹车片 前", category=category.pk),
    )

    assert response.status_code == 302
    part = Part.objects.get(number="NEW-1")
    assert (part.review_status, part.source_organization) == (ReviewStatus.PENDING, suppliers.organization)
    assert Offer.objects.get().part == part


def test_offer_create_shows_errors_under_the_fields_and_creates_nothing(suppliers):
    brand = BrandFactory.create()

    unknown = suppliers.member_client.post(
        reverse("catalog:offer_create"), _terms(brand=brand.pk, number="NOPE")
    )
    part = PartFactory.create(brand=brand, number="P-1", number_norm="P1")
    wrong = suppliers.member_client.post(
        reverse("catalog:offer_create"),
        _terms(brand=brand.pk, number="P-1", price="12.345", min_order_quantity="0"),
    )

    assert unknown.status_code == 200
    assert str(errors.PART_NOT_FOUND_FOR_OFFER) in _html(unknown)
    html = _html(wrong)
    assert f'data-testid="error-price">{errors.OFFER_PRICE_DECIMALS}<' in html
    assert f'data-testid="error-min_order_quantity">{errors.OFFER_MOQ_INVALID}<' in html
    assert not Offer.objects.exists()
    assert Part.objects.get() == part


def test_offer_edit_three_actors(suppliers):
    offer = OfferFactory.create(supplier=suppliers.organization, sku="E-1", price=Decimal("10"))
    url = reverse("catalog:offer_edit", args=[offer.pk])

    colleague = suppliers.colleague_client.post(url, _terms(sku="X", price="1"))
    outsider = suppliers.outsider_client.post(url, _terms(sku="X", price="1"))
    form = suppliers.member_client.get(url)
    saved = suppliers.member_client.post(url, _terms(sku="E-1", price="9.90", grade=offer.grade))

    assert (colleague.status_code, outsider.status_code) == (403, 404)
    assert form.status_code == 200
    assert 'value="E-1"' in _html(form)
    assert saved.status_code == 302
    offer.refresh_from_db()
    assert (offer.sku, offer.price) == ("E-1", Decimal("9.90"))


def test_part_lookup_finds_parts_by_number_prefix(suppliers):
    part = PartFactory.create(number="90915-10003", number_norm="9091510003", name="机油滤清器")
    pending_elsewhere = PartFactory.create(
        number="90915-99999", number_norm="9091599999", review_status=ReviewStatus.PENDING
    )

    html = _html(suppliers.member_client.get(reverse("catalog:part_lookup"), {"q": "90915"}))

    assert f'data-testid="pick-part-{part.pk}"' in html
    assert f'data-testid="pick-part-{pending_elsewhere.pk}"' not in html


# --- 上架 / 下架 -------------------------------------------------------------------------------


def test_bulk_listing_three_actors(suppliers):
    offers = OfferFactory.create_batch(2, supplier=suppliers.organization)
    url = reverse("catalog:offers_listing")
    data = {"offers": [o.pk for o in offers], "action": "delist"}

    colleague = suppliers.colleague_client.post(url, data)
    outsider = suppliers.outsider_client.post(url, data)
    assert (colleague.status_code, outsider.status_code) == (403, 404)
    assert Offer.objects.filter(is_listed=True).count() == 2

    client = suppliers.member_client
    member = client.post(url, data)

    assert member.status_code == 302
    assert Offer.objects.filter(is_listed=True).count() == 0
    assert "已下架 2 条报价" in _html(client.get(member["Location"]))


def test_bulk_listing_without_offers_says_so(suppliers):
    client = suppliers.member_client
    response = client.post(reverse("catalog:offers_listing"), {"action": "list"})

    assert str(errors.OFFERS_REQUIRED) in _html(client.get(response["Location"]))


# --- Operator console: categories, brands, parts -------------------------------------------------


@pytest.mark.parametrize(
    "name", ["catalog:platform_categories", "catalog:platform_brands", "catalog:platform_review"]
)
def test_operator_pages_are_for_platform_operators_only(operators, name):
    supplier_owner = MembershipFactory.create(organization=OrganizationFactory.create(), role=Role.OWNER)

    assert operators.member_client.get(reverse(name)).status_code == 200
    assert operators.colleague_client.get(reverse(name)).status_code == 403
    assert login_client(supplier_owner).get(reverse(name)).status_code == 403


def test_the_category_tree_with_create_and_edit(operators):
    client = operators.member_client
    top = client.post(reverse("catalog:platform_category_create"), {"name": "滤清器", "sort": "1"})
    filters = Category.objects.get(name="滤清器")
    child = client.post(
        reverse("catalog:platform_category_create"), {"name": "机油滤清器", "parent": filters.pk}
    )
    oil = Category.objects.get(name="机油滤清器")

    cycle = client.post(
        reverse("catalog:platform_category_edit", args=[filters.pk]), {"name": "滤清器", "parent": oil.pk}
    )
    tree = _html(client.get(reverse("catalog:platform_categories")))

    assert (top.status_code, child.status_code) == (302, 302)
    assert (oil.parent, oil.initials, oil.code) == (filters, "jylqq", "ji-you-lv-qing-qi")
    assert f'data-testid="error-parent">{errors.CATEGORY_PARENT_CYCLE}<' in _html(cycle)
    assert Category.objects.get(pk=filters.pk).parent is None
    assert tree.index("滤清器") < tree.index("机油滤清器")


def test_brands_list_create_and_a_taken_name(operators):
    BrandFactory.create(name="博世")
    client = operators.member_client

    created = client.post(reverse("catalog:platform_brand_create"), {"name": "马勒", "name_en": "MAHLE"})
    taken = client.post(reverse("catalog:platform_brand_create"), {"name": " 博世 "})
    listed = _html(client.get(reverse("catalog:platform_brands"), {"keyword": "mahle"}))

    assert created.status_code == 302
    assert f'data-testid="error-name">{errors.BRAND_NAME_TAKEN}<' in _html(taken)
    assert "马勒" in listed
    assert "博世" not in listed


def test_platform_parts_list_with_review_tabs(operators):
    PartFactory.create(name="已审核配件")
    PartFactory.create(name="待审核配件", review_status=ReviewStatus.PENDING)

    html = _html(
        operators.member_client.get(reverse("catalog:platform_parts"), {"status": ReviewStatus.PENDING})
    )

    assert "待审核配件" in html
    assert "已审核配件" not in html
    assert 'data-testid="count-all">2<' in html


# --- 数据审核 -------------------------------------------------------------------------------


def test_review_shows_supplier_added_rows_with_their_source(operators):
    supplier = OrganizationFactory.create(name="杭州恒润汽车零部件有限公司")
    part = PartFactory.create(
        review_status=ReviewStatus.PENDING, source_organization=supplier, number="NEW-9"
    )
    fitment = FitmentFactory.create(review_status=ReviewStatus.PENDING, source_organization=supplier)
    client = operators.member_client

    parts_tab = _html(client.get(reverse("catalog:platform_review")))
    fitment_tab = _html(client.get(reverse("catalog:platform_review"), {"tab": "fitment"}))

    assert f'data-testid="review-part-{part.pk}"' in parts_tab
    assert "杭州恒润汽车零部件有限公司" in parts_tab
    assert f'data-testid="review-fitment-{fitment.pk}"' in fitment_tab
    assert 'data-testid="count-parts">1<' in parts_tab
    assert 'data-testid="count-fitment">1<' in parts_tab


def test_review_approves_and_rejects_in_bulk(operators):
    parts = PartFactory.create_batch(2, review_status=ReviewStatus.PENDING)
    fitment = FitmentFactory.create(review_status=ReviewStatus.PENDING)
    client = operators.member_client
    url = reverse("catalog:platform_review")

    approved = client.post(url, {"action": "approve", "parts": [p.pk for p in parts]})
    rejected = client.post(
        url + "?tab=fitment", {"action": "reject", "fitments": [fitment.pk], "reason": "车型不符"}
    )

    assert (approved.status_code, rejected.status_code) == (302, 302)
    assert set(Part.objects.values_list("review_status", flat=True)) == {ReviewStatus.APPROVED}
    assert Fitment.objects.get().review_status == ReviewStatus.REJECTED
    assert "已驳回 1 条数据" in _html(client.get(rejected["Location"]))


def test_rejecting_without_a_reason_shows_the_error_and_keeps_the_ticks(operators):
    part = PartFactory.create(review_status=ReviewStatus.PENDING)

    response = operators.member_client.post(
        reverse("catalog:platform_review"), {"action": "reject", "parts": [part.pk]}
    )

    html = _html(response)
    assert response.status_code == 400
    assert f'data-testid="error-reason">{errors.REVIEW_REASON_REQUIRED}<' in html
    assert f'value="{part.pk}" checked' in html
    assert Part.objects.get().review_status == ReviewStatus.PENDING


def _sheet_values(content: bytes) -> list[object]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [
        cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    ]


def test_offers_export_three_actors(suppliers):
    OfferFactory.create(supplier=suppliers.organization, sku="EXPORT-ME")
    url = reverse("catalog:offers_export")

    member = suppliers.member_client.get(url)
    colleague = suppliers.colleague_client.get(url)
    outsider = suppliers.outsider_client.get(url)

    assert member.status_code == 200
    assert member["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "EXPORT-ME" in _sheet_values(member.content)
    assert colleague.status_code == 403
    assert "EXPORT-ME" not in _sheet_values(outsider.content)
