"""The pricing REST API with the three actors; bad input answers 400 naming the field."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from partsmall.catalog.tests.factories import OfferFactory
from partsmall.integrations.tests.factories import ApiKeyFactory, full_key
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.pricing import errors
from partsmall.pricing.models import (
    ContractPrice,
    ContractPriceList,
    CustomerGroup,
    CustomerGroupMember,
    GroupPrice,
)
from partsmall.pricing.tests.factories import (
    ContractPriceFactory,
    ContractPriceListFactory,
    CustomerGroupFactory,
    CustomerGroupMemberFactory,
    GroupPriceFactory,
    ShopFactory,
)

JSON = "application/json"


@pytest.fixture
def actors(make_actors):
    return make_actors(kind=Organization.Kind.SUPPLIER, role=Role.SALES, wrong_role=Role.WAREHOUSE)


@pytest.fixture
def shop(db) -> Organization:
    return ShopFactory.create(name="上海安途汽车服务连锁有限公司")


def _objects(actors, shop):
    group = CustomerGroupFactory.create(supplier=actors.organization, name="甲方专属客户组")
    return {
        "group": group,
        "member": CustomerGroupMemberFactory.create(group=group, buyer=shop),
        "price": GroupPriceFactory.create(group=group),
        "list": (price_list := ContractPriceListFactory.create(supplier=actors.organization, buyer=shop)),
        "line": ContractPriceFactory.create(price_list=price_list),
    }


OBJECT_ENDPOINTS = [
    ("api-pricing-group", "group", "get"),
    ("api-pricing-group", "group", "patch"),
    ("api-pricing-group", "group", "delete"),
    ("api-pricing-group-members", "group", "post"),
    ("api-pricing-group-member", "member", "delete"),
    ("api-pricing-group-prices", "group", "post"),
    ("api-pricing-group-price", "price", "patch"),
    ("api-pricing-group-price", "price", "delete"),
    ("api-pricing-contract", "list", "get"),
    ("api-pricing-contract", "list", "patch"),
    ("api-pricing-contract", "list", "delete"),
    ("api-pricing-contract-lines", "list", "post"),
    ("api-pricing-contract-line", "line", "patch"),
    ("api-pricing-contract-line", "line", "delete"),
]


@pytest.mark.parametrize(("name", "kind", "method"), OBJECT_ENDPOINTS)
def test_an_outsider_gets_404_and_a_colleague_403_on_every_object(actors, shop, name, kind, method):
    objects = _objects(actors, shop)
    url = reverse(name, args=[objects[kind].pk])
    body = {"name": "改", "price": "1", "buyer": shop.pk, "offer": 1}

    outsider = getattr(actors.outsider_client, method)(url, body, content_type=JSON)
    colleague = getattr(actors.colleague_client, method)(url, body, content_type=JSON)

    assert (outsider.status_code, colleague.status_code) == (404, 403)
    assert CustomerGroup.objects.get().name == "甲方专属客户组"
    assert (
        CustomerGroupMember.objects.count(),
        GroupPrice.objects.count(),
        ContractPrice.objects.count(),
    ) == (1, 1, 1)


@pytest.mark.parametrize("name", ["api-pricing-groups", "api-pricing-contracts"])
def test_lists_are_the_suppliers_own(actors, shop, name):
    _objects(actors, shop)

    mine = actors.member_client.get(reverse(name)).json()
    theirs = actors.outsider_client.get(reverse(name)).json()

    assert (mine["count"], theirs["count"]) == (1, 0)
    assert actors.colleague_client.get(reverse(name)).status_code == 403


def test_a_group_through_the_api(actors, shop):
    offer = OfferFactory.create(supplier=actors.organization, price=Decimal("45.00"))
    client = actors.member_client

    created = client.post(
        reverse("api-pricing-groups"), {"name": "华东连锁", "discount_percent": "5"}, content_type=JSON
    )
    pk = created.json()["id"]
    member = client.post(
        reverse("api-pricing-group-members", args=[pk]), {"buyer": shop.pk}, content_type=JSON
    )
    price = client.post(
        reverse("api-pricing-group-prices", args=[pk]),
        {"offer": offer.pk, "price": "40.00"},
        content_type=JSON,
    )
    changed = client.patch(
        reverse("api-pricing-group-price", args=[price.json()["id"]]), {"price": "41.00"}, content_type=JSON
    )
    detail = client.get(reverse("api-pricing-group", args=[pk])).json()

    assert (created.status_code, member.status_code, price.status_code, changed.status_code) == (
        201,
        201,
        200,
        200,
    )
    assert (detail["name"], detail["basis"], detail["discount_percent"]) == ("华东连锁", "members", "5.00")
    assert [m["buyer"]["name"] for m in detail["members"]] == [shop.name]
    assert [(p["offer"]["id"], p["price"]) for p in detail["prices"]] == [(offer.pk, "41.00")]


def test_a_refused_group_names_the_fields(actors):
    response = actors.member_client.post(
        reverse("api-pricing-groups"),
        {"name": "", "basis": "tier", "discount_percent": "x"},
        content_type=JSON,
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "name": [str(errors.GROUP_NAME_REQUIRED)],
        "tier": [str(errors.GROUP_TIER_REQUIRED)],
        "discount_percent": [str(errors.GROUP_PERCENT_INVALID)],
    }
    assert not CustomerGroup.objects.exists()


def test_another_suppliers_offer_is_not_found_for_a_group_price(actors):
    group = CustomerGroupFactory.create(supplier=actors.organization)
    foreign = OfferFactory.create(supplier=actors.other_organization)

    response = actors.member_client.post(
        reverse("api-pricing-group-prices", args=[group.pk]),
        {"offer": foreign.pk, "price": "1"},
        content_type=JSON,
    )

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"offer": [str(errors.OFFER_NOT_FOUND)]},
    )


def test_a_contract_through_the_api(actors, shop):
    offer = OfferFactory.create(supplier=actors.organization, price=Decimal("45.00"))
    client = actors.member_client

    created = client.post(
        reverse("api-pricing-contracts"),
        {
            "buyer": shop.pk,
            "name": "2026 年度协议价",
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
        },
        content_type=JSON,
    )
    pk = created.json()["id"]
    line = client.post(
        reverse("api-pricing-contract-lines", args=[pk]),
        {"offer": offer.pk, "min_quantity": 10, "price": "39.50"},
        content_type=JSON,
    )
    client.patch(
        reverse("api-pricing-contract-line", args=[line.json()["id"]]), {"price": "38.00"}, content_type=JSON
    )
    patched = client.patch(
        reverse("api-pricing-contract", args=[pk]), {"is_active": False}, content_type=JSON
    )
    detail = client.get(reverse("api-pricing-contract", args=[pk])).json()

    assert (created.status_code, line.status_code, patched.status_code) == (201, 201, 200)
    assert (detail["buyer"]["id"], detail["valid_from"], detail["list_status"]) == (
        shop.pk,
        "2026-01-01",
        "inactive",
    )
    assert [(x["offer"]["id"], x["min_quantity"], x["price"]) for x in detail["lines"]] == [
        (offer.pk, 10, "38.00")
    ]


def test_a_refused_contract_names_the_fields(actors):
    response = actors.member_client.post(
        reverse("api-pricing-contracts"),
        {"buyer": actors.other_organization.pk, "name": "协议", "valid_from": ""},
        content_type=JSON,
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "buyer": [str(errors.BUYER_REQUIRED)],
        "valid_from": [str(errors.CONTRACT_VALID_FROM_REQUIRED)],
    }
    assert not ContractPriceList.objects.exists()


def test_deleting_through_the_api(actors, shop):
    objects = _objects(actors, shop)
    client = actors.member_client

    answers = [
        client.delete(reverse("api-pricing-group-member", args=[objects["member"].pk])).status_code,
        client.delete(reverse("api-pricing-group-price", args=[objects["price"].pk])).status_code,
        client.delete(reverse("api-pricing-contract-line", args=[objects["line"].pk])).status_code,
        client.delete(reverse("api-pricing-contract", args=[objects["list"].pk])).status_code,
        client.delete(reverse("api-pricing-group", args=[objects["group"].pk])).status_code,
    ]

    assert answers == [204] * 5
    assert not CustomerGroup.objects.exists()
    assert not ContractPriceList.objects.exists()


def test_the_price_check_api(actors, shop):
    offer = OfferFactory.create(supplier=actors.organization, price=Decimal("45.00"))
    line = ContractPriceFactory.create(
        price_list__supplier=actors.organization,
        price_list__buyer=shop,
        price_list__name="2026 年度协议价",
        offer=offer,
        min_quantity=10,
        price=Decimal("39.50"),
    )

    below = actors.member_client.get(
        reverse("api-pricing-price-check"),
        {"buyer": shop.pk, "offer": offer.pk, "quantity": 9, "on": "2026-06-01"},
    ).json()
    at = actors.member_client.get(
        reverse("api-pricing-price-check"),
        {"buyer": shop.pk, "offer": offer.pk, "quantity": 10, "on": "2026-06-01"},
    ).json()

    assert (below["resolved"]["unit_price"], below["resolved"]["source"]) == ("45.00", "standard")
    assert [c["verdict"] for c in below["contracts"]] == ["break_above_quantity"]
    assert at["resolved"] == {
        "unit_price": "39.50",
        "source": "contract",
        "ref_type": "contract_price",
        "ref_id": line.pk,
        "ref_label": "2026 年度协议价 (≥10 件)",
    }
    assert (at["standard_price"], at["on"], at["quantity"]) == ("45.00", str(date(2026, 6, 1)), 10)


def test_the_price_check_api_names_bad_input(actors):
    foreign = OfferFactory.create(supplier=actors.other_organization)

    response = actors.member_client.get(
        reverse("api-pricing-price-check"),
        {"buyer": actors.other_organization.pk, "offer": foreign.pk, "quantity": 0, "on": "tomorrow"},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "buyer": [str(errors.BUYER_NOT_SHOP)],
        "offer": [str(errors.OFFER_NOT_FOUND)],
        "quantity": [str(errors.QUANTITY_INVALID)],
        "on": [str(errors.CONTRACT_DATE_INVALID)],
    }


def test_the_buyers_api_finds_shops(actors, shop):
    found = actors.member_client.get(reverse("api-pricing-buyers"), {"q": "安途"}).json()

    assert found == [{"id": shop.pk, "name": shop.name, "tier": "standard"}]


def test_an_api_key_of_the_supplier_reads_its_groups(actors, shop, client):
    _objects(actors, shop)
    key = ApiKeyFactory.create(organization=actors.organization)

    response = client.get(reverse("api-pricing-groups"), HTTP_AUTHORIZATION=f"Api-Key {full_key(key)}")

    assert response.status_code == 200
    assert [g["name"] for g in response.json()["results"]] == ["甲方专属客户组"]
