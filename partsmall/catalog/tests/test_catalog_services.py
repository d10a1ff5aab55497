"""Catalogue writes: categories, brands, parts, OE numbers, links, fitment, offers and the
review of supplier-added rows. Every refusal names its field and changes nothing."""

from decimal import Decimal
from typing import Any

import pytest

from partsmall.accounts.tests.factories import UserFactory
from partsmall.catalog import errors, services
from partsmall.catalog.models import (
    Brand,
    Category,
    Fitment,
    Grade,
    OeNumber,
    Offer,
    Part,
    PartLink,
    Position,
    ReviewStatus,
)
from partsmall.catalog.services.review import ACTION_APPROVE, ACTION_REJECT
from partsmall.catalog.tests.factories import (
    BrandFactory,
    CategoryFactory,
    FitmentFactory,
    OeNumberFactory,
    OfferFactory,
    PartFactory,
)
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.inventory.tests.factories import stock_offer
from partsmall.notifications.models import Message
from partsmall.organizations.models import AuditLog, Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory
from partsmall.vehicles.tests.factories import VehicleTypeFactory

pytestmark = pytest.mark.django_db


def _refused(message, field, call, *args, **kwargs):
    with pytest.raises(ApplicationError) as refused:
        call(*args, **kwargs)
    assert (str(refused.value.message), refused.value.field) == (str(message), field)


def _field_errors(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(FieldErrors) as refused:
        call(**kwargs)
    return refused.value.errors


@pytest.fixture
def operator():
    return UserFactory.create()


@pytest.fixture
def supplier():
    return OrganizationFactory.create(kind=Organization.Kind.SUPPLIER)


# --- Categories ------------------------------------------------------------------------------


def test_category_create_derives_code_and_pinyin_initials(operator):
    filters = services.category_create(name="滤清器", by=operator)

    oil = services.category_create(name="机油滤清器", parent=filters, by=operator)

    assert (oil.parent, oil.code, oil.initials) == (filters, "ji-you-lv-qing-qi", "jylqq")
    assert AuditLog.objects.filter(action="catalog.category_create", actor=operator).count() == 2


def test_category_codes_stay_unique_when_derived(operator):
    services.category_create(name="机油滤清器", by=operator)
    parent = services.category_create(name="进口", by=operator)

    second = services.category_create(name="机油滤清器", parent=parent, by=operator)

    assert second.code == "ji-you-lv-qing-qi-2"


@pytest.mark.parametrize(
    ("kwargs", "message", "field"),
    [
        ({"name": "  "}, errors.CATEGORY_NAME_REQUIRED, "name"),
        ({"name": "分" * 51}, errors.CATEGORY_NAME_TOO_LONG, "name"),
        ({"name": "刹车片", "code": "Brake Pad"}, errors.CATEGORY_CODE_INVALID, "code"),
        ({"name": "刹车片", "code": "taken"}, errors.CATEGORY_CODE_TAKEN, "code"),
        ({"name": "已有"}, errors.CATEGORY_NAME_TAKEN, "name"),
    ],
)
def test_category_create_refusals_change_nothing(operator, kwargs, message, field):
    CategoryFactory.create(code="taken", name="已有")

    _refused(message, field, services.category_create, by=operator, **kwargs)

    assert Category.objects.count() == 1


def test_a_category_never_moves_under_itself_or_a_descendant(operator):
    top = services.category_create(name="制动系统", by=operator)
    child = services.category_create(name="刹车片", parent=top, by=operator)
    grandchild = services.category_create(name="前刹车片", parent=child, by=operator)

    _refused(
        errors.CATEGORY_PARENT_CYCLE,
        "parent",
        services.category_update,
        category=top,
        parent=grandchild,
        by=operator,
    )
    _refused(
        errors.CATEGORY_PARENT_CYCLE,
        "parent",
        services.category_update,
        category=top,
        parent=top,
        by=operator,
    )

    top.refresh_from_db()
    assert top.parent is None


def test_renaming_a_category_rewrites_the_search_tokens_of_its_parts(operator):
    category = services.category_create(name="刹车片", by=operator)
    part = PartFactory.create(category=category, name="前片")
    services.part_reindex(part_ids=[part.pk])

    services.category_update(category=category, name="制动片", by=operator)

    part.refresh_from_db()
    assert category.initials == "zdp"
    assert "制动片" in part.search_text.split()


# --- Brands ---------------------------------------------------------------------------------


def test_brand_create_normalises_the_name(operator):
    brand = services.brand_create(name=" Bosch ", name_en="Bosch", by=operator)

    assert (brand.name, brand.name_norm) == ("Bosch", "BOSCH")


@pytest.mark.parametrize("name", ["BOSCH", "ｂｏｓｃｈ", "bosch "])
def test_brand_names_are_unique_whatever_their_case_or_width(operator, name):
    BrandFactory.create(name="Bosch")

    _refused(errors.BRAND_NAME_TAKEN, "name", services.brand_create, name=name, by=operator)

    assert Brand.objects.count() == 1


def test_brand_update_refuses_another_brands_name_and_changes_nothing(operator):
    BrandFactory.create(name="马勒")
    brand = BrandFactory.create(name="曼牌")

    _refused(errors.BRAND_NAME_TAKEN, "name", services.brand_update, brand=brand, name="马勒", by=operator)

    assert Brand.objects.get(pk=brand.pk).name == "曼牌"


def test_renaming_a_brand_rewrites_the_search_tokens_of_its_parts(operator):
    brand = BrandFactory.create(name="博世")
    part = PartFactory.create(brand=brand)

    services.brand_update(brand=brand, name="博世汽车", name_en="Bosch", by=operator)

    part.refresh_from_db()
    assert "bosch" in part.search_text.split()


# --- Parts, OE numbers, links ----------------------------------------------------------------------


def test_the_platform_creates_an_approved_part_with_normalised_numbers(operator):
    toyota = BrandFactory.create(name="丰田", is_oe=True)
    category = CategoryFactory.create(name="机油滤清器")

    part = services.part_create(
        brand=toyota,
        number=" 90915-YZZD4 ",
        name="机油滤清器",
        category=category,
        oe_numbers=[(toyota, "90915-10003")],
        by=operator,
    )

    assert (part.number, part.number_norm, part.review_status) == (
        "90915-YZZD4",
        "90915YZZD4",
        ReviewStatus.APPROVED,
    )
    assert list(part.oe_numbers.values_list("number", "number_norm")) == [("90915-10003", "9091510003")]
    tokens = part.search_text.split()
    assert {"机油滤清器", "jylqq", "90915yzzd4", "9091510003"} <= set(tokens)


def test_a_supplier_created_part_waits_for_review_with_its_source(operator, supplier):
    brand = BrandFactory.create()

    part = services.part_create(
        brand=brand,
        number="A-1",
        name="刹车片",
        category=CategoryFactory.create(),
        oe_numbers=[(brand, "OE-1")],
        organization=supplier,
        by=operator,
    )

    assert (part.review_status, part.source_organization) == (ReviewStatus.PENDING, supplier)
    assert part.oe_numbers.get().review_status == ReviewStatus.PENDING


@pytest.mark.parametrize(
    ("number", "name", "message", "field"),
    [
        ("90915 10003", "机滤", errors.PART_DUPLICATE, "number"),
        ("９０９１５－１０００３", "机滤", errors.PART_DUPLICATE, "number"),
        (" - ", "机滤", errors.PART_NUMBER_REQUIRED, "number"),
        ("X" * 51, "机滤", errors.PART_NUMBER_TOO_LONG, "number"),
        ("NEW-1", " ", errors.PART_NAME_REQUIRED, "name"),
    ],
)
def test_part_create_refusals_change_nothing(operator, number, name, message, field):
    existing = PartFactory.create(number="90915-10003", number_norm="9091510003")

    _refused(
        message,
        field,
        services.part_create,
        brand=existing.brand,
        number=number,
        name=name,
        category=existing.category,
        by=operator,
    )

    assert Part.objects.count() == 1


def test_part_update_renormalises_and_refuses_a_taken_number(operator):
    part = PartFactory.create(number="A-1")
    PartFactory.create(brand=part.brand, number="B-2", number_norm="B2")

    updated = services.part_update(part=part, number="a 9", name="新名称", by=operator)

    assert (updated.number, updated.number_norm, updated.name) == ("a 9", "A9", "新名称")
    _refused(errors.PART_DUPLICATE, "number", services.part_update, part=part, number="b-2", by=operator)
    assert Part.objects.get(pk=part.pk).number_norm == "A9"


def test_oe_number_add_indexes_the_number_and_refuses_it_twice(operator):
    part = PartFactory.create()
    toyota = BrandFactory.create(name="丰田")

    services.oe_number_add(part=part, oe_brand=toyota, number="90915-10003", by=operator)

    part.refresh_from_db()
    assert "9091510003" in part.search_text.split()
    _refused(
        errors.OE_NUMBER_DUPLICATE,
        "oe_number",
        services.oe_number_add,
        part=part,
        oe_brand=toyota,
        number="90915 10003",
        by=operator,
    )
    assert OeNumber.objects.count() == 1


def test_part_links_refuse_the_part_itself_and_a_repeated_interchange(operator):
    a, b = PartFactory.create(), PartFactory.create()

    link = services.part_link_add(from_part=a, to_part=b, kind=PartLink.Kind.INTERCHANGE, by=operator)

    assert link.review_status == ReviewStatus.APPROVED
    _refused(
        errors.LINK_TO_ITSELF,
        "to_part",
        services.part_link_add,
        from_part=a,
        to_part=a,
        kind="interchange",
        by=operator,
    )
    _refused(
        errors.LINK_DUPLICATE,
        "to_part",
        services.part_link_add,
        from_part=b,
        to_part=a,
        kind="interchange",
        by=operator,
    )
    _refused(
        errors.LINK_KIND_INVALID,
        "kind",
        services.part_link_add,
        from_part=a,
        to_part=b,
        kind="same",
        by=operator,
    )
    assert PartLink.objects.count() == 1
    services.part_link_add(from_part=b, to_part=a, kind=PartLink.Kind.SUPERSESSION, by=operator)
    assert PartLink.objects.count() == 2


def test_supplier_added_fitment_waits_for_review(operator, supplier):
    part, vehicle_type = PartFactory.create(), VehicleTypeFactory.create()

    fitment = services.fitment_add(
        part=part,
        vehicle_type=vehicle_type,
        position=Position.FRONT,
        quantity=1,
        notes="带ESP",
        organization=supplier,
        by=operator,
    )

    assert (fitment.review_status, fitment.source_organization, fitment.notes) == (
        ReviewStatus.PENDING,
        supplier,
        "带ESP",
    )


@pytest.mark.parametrize(
    ("kwargs", "message", "field"),
    [
        ({"position": Position.FRONT}, errors.FITMENT_DUPLICATE, "vehicle_type"),
        ({"quantity": 0}, errors.FITMENT_QUANTITY_INVALID, "quantity"),
        ({"position": "top"}, errors.FITMENT_POSITION_INVALID, "position"),
        ({"notes": "长" * 201}, errors.FITMENT_NOTES_TOO_LONG, "notes"),
    ],
)
def test_fitment_add_refusals_change_nothing(operator, kwargs, message, field):
    existing = FitmentFactory.create(position=Position.FRONT)

    _refused(
        message,
        field,
        services.fitment_add,
        part=existing.part,
        vehicle_type=existing.vehicle_type,
        by=operator,
        **kwargs,
    )

    assert Fitment.objects.count() == 1


# --- Offers ---------------------------------------------------------------------------------


def _offer(supplier, part, **overrides: Any) -> Offer:
    terms: dict[str, Any] = {"grade": Grade.BRAND, "sku": "BS-1", "price": Decimal("35.50")} | overrides
    return services.offer_create(supplier=supplier, part=part, by=None, **terms)


def test_offer_create_refreshes_the_parts_offer_summary(supplier):
    part = PartFactory.create()
    OfferFactory.create(part=part, price=Decimal("40.00"), lead_time_days=5, stock_quantity=0)

    offer = _offer(supplier, part, price="¥1,234.50", lead_time_days=1, min_order_quantity=2)
    cheap = _offer(supplier, part, grade=Grade.AFTERMARKET, sku="BS-2", price="12.3")
    part.refresh_from_db()
    in_stock_before = part.in_stock
    # Stock comes from the supplier's warehouses (inventory), never from the offer's terms.
    stock_offer(offer, 3)

    part.refresh_from_db()
    assert (in_stock_before, offer.stock_quantity) == (False, 3)
    assert (offer.price, offer.min_order_quantity, cheap.price) == (Decimal("1234.50"), 2, Decimal("12.30"))
    assert (part.offer_count, part.supplier_count, part.min_price, part.fastest_lead_days, part.in_stock) == (
        3,
        2,
        Decimal("12.30"),
        1,
        True,
    )


def test_offer_create_names_every_wrong_term_at_once_and_creates_nothing(supplier):
    part = PartFactory.create()

    found = _field_errors(
        services.offer_create,
        supplier=supplier,
        part=part,
        grade="new",
        sku="",
        price="0",
        min_order_quantity=0,
        order_multiple=0,
        lead_time_days=400,
        warranty_months=-1,
        by=None,
    )

    assert found == {
        "grade": [str(errors.OFFER_GRADE_INVALID)],
        "sku": [str(errors.OFFER_SKU_REQUIRED)],
        "price": [str(errors.OFFER_PRICE_INVALID)],
        "min_order_quantity": [str(errors.OFFER_MOQ_INVALID)],
        "order_multiple": [str(errors.OFFER_MULTIPLE_INVALID)],
        "lead_time_days": [str(errors.OFFER_LEAD_TIME_INVALID)],
        "warranty_months": [str(errors.OFFER_WARRANTY_INVALID)],
    }
    assert Offer.objects.count() == 0


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("", errors.OFFER_PRICE_REQUIRED),
        ("-1", errors.OFFER_PRICE_INVALID),
        ("abc", errors.OFFER_PRICE_INVALID),
        ("12.345", errors.OFFER_PRICE_DECIMALS),
        ("10000000000", errors.OFFER_PRICE_TOO_HIGH),
        (Decimal("NaN"), errors.OFFER_PRICE_INVALID),
    ],
)
def test_a_wrong_price_is_named(supplier, price, message):
    found = _field_errors(
        services.offer_create,
        supplier=supplier,
        part=PartFactory.create(),
        grade=Grade.BRAND,
        sku="S",
        price=price,
        by=None,
    )

    assert found == {"price": [str(message)]}
    assert Offer.objects.count() == 0


def test_a_supplier_uses_a_sku_once_and_a_grade_once_per_part(supplier):
    part = PartFactory.create()
    _offer(supplier, part, sku="BS-1")
    OfferFactory.create(part=part, sku="BS-2")  # another supplier's SKU is no clash

    sku_taken = _field_errors(
        services.offer_create,
        supplier=supplier,
        part=PartFactory.create(),
        grade=Grade.BRAND,
        sku="BS-1",
        price="9",
        by=None,
    )
    grade_taken = _field_errors(
        services.offer_create, supplier=supplier, part=part, grade=Grade.BRAND, sku="BS-2", price="9", by=None
    )

    assert sku_taken == {"sku": [str(errors.OFFER_SKU_TAKEN)]}
    assert grade_taken == {"grade": [str(errors.OFFER_DUPLICATE_GRADE)]}
    assert Offer.objects.filter(supplier=supplier).count() == 1


def test_only_suppliers_offer_and_never_a_rejected_part(supplier):
    shop = OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP)
    rejected = PartFactory.create(review_status=ReviewStatus.REJECTED)

    _refused(errors.OFFER_SUPPLIER_ONLY, None, _offer, shop, PartFactory.create())
    _refused(errors.PART_REJECTED, "part", _offer, supplier, rejected)

    assert Offer.objects.count() == 0


def test_offer_update_changes_terms_and_the_summary(supplier):
    part = PartFactory.create()
    offer = _offer(supplier, part, price="50")

    services.offer_update(offer=offer, price="45.80", made_to_order=True, by=None)

    part.refresh_from_db()
    offer.refresh_from_db()
    assert (part.min_price, offer.made_to_order, offer.stock_quantity) == (Decimal("45.80"), True, 0)


def test_stock_is_no_term_of_an_offer(supplier):
    offer = _offer(supplier, PartFactory.create())

    with pytest.raises(TypeError):
        services.offer_update(offer=offer, stock_quantity=5, by=None)
    with pytest.raises(TypeError):
        _offer(supplier, PartFactory.create(), sku="BS-9", stock_quantity=5)

    assert Offer.objects.get(pk=offer.pk).stock_quantity == 0


def test_a_new_grade_drops_the_stock_of_the_old_one(supplier):
    offer = _offer(supplier, PartFactory.create())
    stock_offer(offer, 4)

    services.offer_update(offer=offer, grade=Grade.GENUINE, by=None)

    assert Offer.objects.get(pk=offer.pk).stock_quantity == 0


def test_offer_update_refusal_changes_nothing(supplier):
    part = PartFactory.create()
    _offer(supplier, part, sku="A")
    offer = _offer(supplier, part, sku="B", grade=Grade.USED, price="20")

    found = _field_errors(services.offer_update, offer=offer, sku="A", price="0", by=None)

    assert found == {"sku": [str(errors.OFFER_SKU_TAKEN)], "price": [str(errors.OFFER_PRICE_INVALID)]}
    assert Offer.objects.filter(pk=offer.pk).values_list("sku", "price").get() == ("B", Decimal("20.00"))


def test_offer_set_listed_delists_in_bulk_and_updates_the_summary(supplier):
    part = PartFactory.create()
    a = _offer(supplier, part, sku="A", price="10")
    b = _offer(supplier, part, sku="B", grade=Grade.USED, price="20")

    changed = services.offer_set_listed(offers=[a, b], listed=False, by=None)
    again = services.offer_set_listed(offers=[a], listed=False, by=None)

    part.refresh_from_db()
    assert (changed, again) == (2, 0)
    assert (part.offer_count, part.min_price) == (0, None)
    assert services.offer_set_listed(offers=[b], listed=True, by=None) == 1
    part.refresh_from_db()
    assert part.min_price == Decimal("20.00")


def test_offer_set_listed_needs_an_offer():
    _refused(errors.OFFERS_REQUIRED, "offers", services.offer_set_listed, offers=[], listed=True, by=None)


# --- Review ---------------------------------------------------------------------------------


def _pending(supplier):
    part = PartFactory.create(review_status=ReviewStatus.PENDING, source_organization=supplier)
    OeNumberFactory.create(part=part, review_status=ReviewStatus.PENDING)
    fitment = FitmentFactory.create(
        part=part, review_status=ReviewStatus.PENDING, source_organization=supplier
    )
    return part, fitment


def test_review_approve_approves_the_part_with_its_oe_numbers_and_audits(operator, supplier):
    part, fitment = _pending(supplier)

    count = services.review_approve(rows=[part, fitment], by=operator)

    assert count == 2
    assert Part.objects.get(pk=part.pk).review_status == ReviewStatus.APPROVED
    assert OeNumber.objects.get(part=part).review_status == ReviewStatus.APPROVED
    assert Fitment.objects.get(pk=fitment.pk).review_status == ReviewStatus.APPROVED
    audit = AuditLog.objects.filter(action=ACTION_APPROVE).order_by("id")
    assert [(a.organization, a.actor, a.details["kind"]) for a in audit] == [
        (supplier, operator, "part"),
        (supplier, operator, "fitment"),
    ]


def test_review_reject_needs_a_reason_and_changes_nothing_without_one(operator, supplier):
    part, _fitment = _pending(supplier)

    _refused(
        errors.REVIEW_REASON_REQUIRED, "reason", services.review_reject, rows=[part], by=operator, reason=" "
    )

    assert Part.objects.get(pk=part.pk).review_status == ReviewStatus.PENDING
    assert not AuditLog.objects.exists()


def test_rejecting_a_part_rejects_its_pending_fitment_and_tells_the_supplier(operator, supplier):
    sales = MembershipFactory.create(organization=supplier, role=Role.SALES)
    MembershipFactory.create(organization=supplier, role=Role.WAREHOUSE)
    part, fitment = _pending(supplier)

    services.review_reject(rows=[part], by=operator, reason="零件号与品牌不符")

    assert Part.objects.get(pk=part.pk).review_status == ReviewStatus.REJECTED
    assert Fitment.objects.get(pk=fitment.pk).review_status == ReviewStatus.REJECTED
    assert AuditLog.objects.get(action=ACTION_REJECT).details["reason"] == "零件号与品牌不符"
    message = Message.objects.get()
    assert (message.recipient, message.title) == (sales.user, "平台驳回了您提交的 1 条配件数据")
    assert "零件号与品牌不符" in message.body


def test_review_refuses_rows_already_decided_and_changes_nothing(operator, supplier):
    part, fitment = _pending(supplier)
    approved = PartFactory.create()

    _refused(errors.REVIEW_NOT_PENDING, "rows", services.review_approve, rows=[part, approved], by=operator)
    _refused(errors.REVIEW_NOTHING_SELECTED, "rows", services.review_approve, rows=[], by=operator)

    assert Part.objects.get(pk=part.pk).review_status == ReviewStatus.PENDING
    assert Fitment.objects.get(pk=fitment.pk).review_status == ReviewStatus.PENDING
    assert not AuditLog.objects.exists()
