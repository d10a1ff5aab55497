"""The catalogue REST API (apis.py): each endpoint with the three actors."""

from decimal import Decimal

import pytest

from conftest import login_client
from partsmall.catalog import errors
from partsmall.catalog.models import Category, Grade, Offer, Part, ReviewStatus
from partsmall.catalog.tests.factories import BrandFactory, CategoryFactory, OfferFactory, PartFactory
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def suppliers(make_actors):
    return make_actors(kind=Organization.Kind.SUPPLIER, role=Role.SALES)


@pytest.fixture
def operators(make_actors):
    return make_actors(kind=Organization.Kind.PLATFORM, role=Role.PLATFORM_OPERATOR)


# /api/v1/offers/


def test_offers_list_three_actors(suppliers):
    mine = OfferFactory.create(supplier=suppliers.organization, sku="MINE", price=Decimal("35.5"))
    OfferFactory.create(supplier=suppliers.other_organization, sku="THEIRS")

    member = suppliers.member_client.get("/api/v1/offers/")
    colleague = suppliers.colleague_client.get("/api/v1/offers/")
    outsider = suppliers.outsider_client.get("/api/v1/offers/")

    assert member.status_code == 200
    assert [(o["id"], o["sku"], o["price"]) for o in member.json()["results"]] == [(mine.pk, "MINE", "35.50")]
    assert colleague.status_code == 403
    assert [o["sku"] for o in outsider.json()["results"]] == ["THEIRS"]


def test_offers_list_filters_by_status_and_grade(suppliers):
    OfferFactory.create(supplier=suppliers.organization, sku="A", grade=Grade.GENUINE)
    OfferFactory.create(supplier=suppliers.organization, sku="B", is_listed=False)
    client = suppliers.member_client

    delisted = client.get("/api/v1/offers/", {"status": "delisted"}).json()["results"]
    genuine = client.get("/api/v1/offers/", {"grade": Grade.GENUINE}).json()["results"]

    assert [o["sku"] for o in delisted] == ["B"]
    assert [o["sku"] for o in genuine] == ["A"]


def test_offer_create_and_its_field_errors(suppliers):
    part = PartFactory.create()
    client = suppliers.member_client
    body = {"part": part.pk, "grade": Grade.BRAND, "sku": "API-1", "price": "88.80", "made_to_order": True}

    created = client.post("/api/v1/offers/", body, content_type=JSON)
    wrong = client.post(
        "/api/v1/offers/",
        body | {"sku": "API-1", "price": "1.234", "min_order_quantity": 0},
        content_type=JSON,
    )

    assert created.status_code == 201
    assert created.json()["part"]["id"] == part.pk
    assert created.json()["price"] == "88.80"
    assert (created.json()["made_to_order"], created.json()["stock_quantity"]) == (True, 0)
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {
        "sku": [str(errors.OFFER_SKU_TAKEN)],
        "grade": [str(errors.OFFER_DUPLICATE_GRADE)],
        "price": [str(errors.OFFER_PRICE_DECIMALS)],
        "min_order_quantity": [str(errors.OFFER_MOQ_INVALID)],
    }
    assert Offer.objects.count() == 1


def test_offer_create_of_a_part_pending_elsewhere_is_404(suppliers):
    other_supplier = OrganizationFactory.create()
    pending = PartFactory.create(review_status=ReviewStatus.PENDING, source_organization=other_supplier)

    response = suppliers.member_client.post(
        "/api/v1/offers/",
        {"part": pending.pk, "grade": Grade.BRAND, "sku": "S", "price": "1"},
        content_type=JSON,
    )

    assert response.status_code == 404
    assert not Offer.objects.exists()


def test_offer_detail_three_actors(suppliers):
    offer = OfferFactory.create(supplier=suppliers.organization, price=Decimal("20"))
    url = f"/api/v1/offers/{offer.pk}/"

    member = suppliers.member_client.patch(url, {"price": "18.80", "is_listed": False}, content_type=JSON)
    colleague = suppliers.colleague_client.patch(url, {"price": "1"}, content_type=JSON)
    outsider_get = suppliers.outsider_client.get(url)
    outsider_patch = suppliers.outsider_client.patch(url, {"price": "1"}, content_type=JSON)

    assert member.status_code == 200
    assert (member.json()["price"], member.json()["is_listed"]) == ("18.80", False)
    assert (colleague.status_code, outsider_get.status_code, outsider_patch.status_code) == (403, 404, 404)
    offer.refresh_from_db()
    assert offer.price == Decimal("18.80")


def test_offer_patch_with_a_wrong_price_answers_400_and_changes_nothing(suppliers):
    offer = OfferFactory.create(supplier=suppliers.organization, price=Decimal("20"))

    response = suppliers.member_client.patch(f"/api/v1/offers/{offer.pk}/", {"price": "0"}, content_type=JSON)

    assert response.status_code == 400
    assert response.json()["errors"] == {"price": [str(errors.OFFER_PRICE_INVALID)]}
    assert Offer.objects.get().price == Decimal("20.00")


def test_bulk_listing_three_actors(suppliers):
    offers = OfferFactory.create_batch(2, supplier=suppliers.organization)
    body = {"offers": [o.pk for o in offers], "listed": False}

    colleague = suppliers.colleague_client.post("/api/v1/offers/bulk-listing/", body, content_type=JSON)
    outsider = suppliers.outsider_client.post("/api/v1/offers/bulk-listing/", body, content_type=JSON)
    member = suppliers.member_client.post("/api/v1/offers/bulk-listing/", body, content_type=JSON)
    empty = suppliers.member_client.post(
        "/api/v1/offers/bulk-listing/", {"offers": [], "listed": True}, content_type=JSON
    )

    assert (colleague.status_code, outsider.status_code) == (403, 404)
    assert (member.status_code, member.json()) == (200, {"changed": 2})
    assert (empty.status_code, empty.json()["field"]) == (400, "offers")
    assert not Offer.objects.filter(is_listed=True).exists()


def test_a_repair_shop_has_no_offers_endpoint(make_actors):
    shops = make_actors(kind=Organization.Kind.REPAIR_SHOP)

    assert shops.member_client.get("/api/v1/offers/").status_code == 403


# /api/v1/categories/ and /api/v1/brands/


def test_categories_and_brands_are_shared_reads(suppliers, make_actors):
    top = CategoryFactory.create(code="filter", name="滤清器", sort=1)
    CategoryFactory.create(code="oil-filter", name="机油滤清器", parent=top)
    BrandFactory.create(name="博世", name_en="BOSCH")
    shop = make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.PURCHASER)

    categories = suppliers.member_client.get("/api/v1/categories/").json()
    brands = shop.member_client.get("/api/v1/brands/", {"keyword": "bosch"}).json()["results"]

    assert [(c["code"], c["parent"]) for c in categories] == [("filter", None), ("oil-filter", top.pk)]
    assert [b["name"] for b in brands] == ["博世"]
    assert login_client(user=suppliers.member.user).get("/api/v1/categories/").status_code == 200


# Platform: /api/v1/platform/categories/, /platform/brands/, /platform/review/


def test_platform_categories_are_for_operators_only(operators, suppliers):
    body = {"name": "滤清器"}

    staff = operators.colleague_client.post("/api/v1/platform/categories/", body, content_type=JSON)
    supplier = suppliers.member_client.post("/api/v1/platform/categories/", body, content_type=JSON)
    created = operators.member_client.post("/api/v1/platform/categories/", body, content_type=JSON)

    assert (staff.status_code, supplier.status_code) == (403, 403)
    assert created.status_code == 201
    assert (created.json()["code"], created.json()["initials"]) == ("lv-qing-qi", "lqq")
    assert Category.objects.count() == 1


def test_platform_category_patch_refuses_a_cycle_and_an_unknown_parent(operators):
    top = CategoryFactory.create(name="制动系统")
    child = CategoryFactory.create(name="刹车片", parent=top)
    client = operators.member_client

    cycle = client.patch(f"/api/v1/platform/categories/{top.pk}/", {"parent": child.pk}, content_type=JSON)
    unknown = client.patch(f"/api/v1/platform/categories/{top.pk}/", {"parent": 999999}, content_type=JSON)
    renamed = client.patch(f"/api/v1/platform/categories/{child.pk}/", {"name": "制动片"}, content_type=JSON)

    assert (cycle.status_code, cycle.json()["field"]) == (400, "parent")
    assert unknown.status_code == 400
    assert "parent" in unknown.json()
    assert renamed.json()["name"] == "制动片"
    assert Category.objects.get(pk=top.pk).parent is None


def test_platform_brands_create_and_update(operators):
    BrandFactory.create(name="马勒")
    client = operators.member_client

    created = client.post(
        "/api/v1/platform/brands/", {"name": "布雷博", "name_en": "Brembo"}, content_type=JSON
    )
    taken = client.patch(
        f"/api/v1/platform/brands/{created.json()['id']}/", {"name": "马勒"}, content_type=JSON
    )

    assert created.status_code == 201
    assert created.json()["name_norm"] == "布雷博"
    assert (taken.status_code, taken.json()["field"], taken.json()["message"]) == (
        400,
        "name",
        str(errors.BRAND_NAME_TAKEN),
    )


def test_platform_review_lists_and_decides(operators):
    supplier = OrganizationFactory.create(name="苏州昊天滤清器有限公司")
    part = PartFactory.create(review_status=ReviewStatus.PENDING, source_organization=supplier)
    client = operators.member_client

    queue = client.get("/api/v1/platform/review/").json()["results"]
    no_reason = client.post(
        "/api/v1/platform/review/", {"action": "reject", "parts": [part.pk]}, content_type=JSON
    )
    approved = client.post(
        "/api/v1/platform/review/", {"action": "approve", "parts": [part.pk]}, content_type=JSON
    )
    again = client.post(
        "/api/v1/platform/review/", {"action": "approve", "parts": [part.pk]}, content_type=JSON
    )

    assert [(r["kind"], r["id"], r["source_organization"]) for r in queue] == [
        ("part", part.pk, "苏州昊天滤清器有限公司")
    ]
    assert (no_reason.status_code, no_reason.json()["field"]) == (400, "reason")
    assert approved.json() == {"decided": 1}
    assert (again.status_code, again.json()["message"]) == (400, str(errors.REVIEW_NOT_PENDING))
    assert Part.objects.get().review_status == ReviewStatus.APPROVED


def test_platform_review_refuses_other_platform_roles(operators):
    finance = MembershipFactory.create(organization=operators.organization, role=Role.PLATFORM_FINANCE)

    assert login_client(finance).get("/api/v1/platform/review/").status_code == 403
