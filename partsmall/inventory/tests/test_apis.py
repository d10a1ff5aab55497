"""The inventory API with three actors, bad input naming the field, and the OpenAPI schema."""

from collections.abc import Callable

import pytest
from django.urls import reverse

from conftest import Actors
from partsmall.catalog.models import Grade, Offer
from partsmall.catalog.tests.factories import OfferFactory, PartFactory
from partsmall.catalog.tests.import_files import template_headers, upload, xlsx
from partsmall.inventory import errors
from partsmall.inventory.models import StockLevel, Warehouse
from partsmall.inventory.tests.factories import WarehouseFactory, stock_level_of, stock_offer
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import CITY, DISTRICT, PROVINCE

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def actors(make_actors: Callable[..., Actors]) -> Actors:
    return make_actors(kind=Organization.Kind.SUPPLIER, role=Role.WAREHOUSE, wrong_role=Role.SALES)


def test_warehouses_are_created_listed_and_changed(actors):
    client = actors.member_client
    body = {"name": "杭州仓", "code": "hz01", "province": PROVINCE, "city": CITY, "district": DISTRICT}

    created = client.post(reverse("api-warehouses"), body, content_type=JSON)
    pk = created.json()["id"]
    changed = client.patch(reverse("api-warehouse", args=[pk]), {"is_active": False}, content_type=JSON)
    listed = client.get(reverse("api-warehouses"))

    assert created.status_code == 201
    assert created.json()["code"] == "HZ01"
    assert changed.status_code == 200
    assert changed.json()["is_active"] is False
    assert [w["id"] for w in listed.json()["results"]] == [pk]


def test_a_wrong_warehouse_names_every_field(actors):
    response = actors.member_client.post(
        reverse("api-warehouses"), {"name": "", "code": "不行", "province": "99"}, content_type=JSON
    )

    assert response.status_code == 400
    found = response.json()["errors"]
    assert found["name"] == [str(errors.WAREHOUSE_NAME_REQUIRED)]
    assert found["code"] == [str(errors.WAREHOUSE_CODE_INVALID)]
    assert "province" in found
    assert not Warehouse.objects.exists()


def test_a_colleague_without_stock_rights_is_refused_and_an_outsider_sees_nothing(actors):
    level = stock_level_of(actors.organization)
    urls = [
        reverse("api-warehouses"),
        reverse("api-stock-levels"),
        reverse("api-stock-levels-low"),
        reverse("api-stock-movements"),
        reverse("api-stocktakes"),
        reverse("api-stock-imports"),
    ]

    colleague = [actors.colleague_client.get(url).status_code for url in urls]
    outsider = [actors.outsider_client.get(url).json()["count"] for url in urls]
    detail = [
        actors.outsider_client.get(reverse("api-stock-level", args=[level.pk])).status_code,
        actors.outsider_client.get(reverse("api-warehouse", args=[level.warehouse_id])).status_code,
        actors.outsider_client.post(
            reverse("api-stock-level-adjust", args=[level.pk]),
            {"delta": -1, "reason": "x"},
            content_type=JSON,
        ).status_code,
    ]

    assert colleague == [403] * len(urls)
    assert outsider == [0] * len(urls)
    assert detail == [404, 404, 404]
    assert StockLevel.objects.get(pk=level.pk).on_hand == 5


def test_stock_levels_answer_with_filters(actors):
    offer = OfferFactory.create(supplier=actors.organization, stock_quantity=0)
    level = stock_offer(offer, 3)
    stock_level_of(actors.organization, quantity=40)

    low = actors.member_client.get(reverse("api-stock-levels-low"))
    by_number = actors.member_client.get(reverse("api-stock-levels"), {"keyword": offer.part.number})

    assert [row["id"] for row in low.json()["results"]] == [level.pk]
    row = by_number.json()["results"][0]
    assert (row["id"], row["on_hand"], row["reserved"], row["available"], row["grade"]) == (
        level.pk,
        3,
        0,
        3,
        offer.grade,
    )


def test_an_adjustment_and_a_threshold_over_the_api(actors):
    level = stock_level_of(actors.organization, quantity=5)
    client = actors.member_client

    refused = client.post(
        reverse("api-stock-level-adjust", args=[level.pk]), {"delta": -1, "reason": ""}, content_type=JSON
    )
    adjusted = client.post(
        reverse("api-stock-level-adjust", args=[level.pk]), {"delta": 4, "reason": "找回"}, content_type=JSON
    )
    threshold = client.patch(
        reverse("api-stock-level", args=[level.pk]), {"low_stock_threshold": 20}, content_type=JSON
    )

    assert refused.status_code == 400
    assert refused.json() == {
        "code": "error",
        "message": str(errors.REASON_REQUIRED),
        "field": "reason",
    }
    assert adjusted.status_code == 201
    assert adjusted.json()["on_hand_after"] == 9
    assert threshold.json()["low_stock_threshold"] == 20


def test_a_receipt_and_a_stocktake_over_the_api(actors):
    warehouse = WarehouseFactory.create(organization=actors.organization)
    part = PartFactory.create()
    client = actors.member_client

    received = client.post(
        reverse("api-stock-receipts"),
        {"warehouse": warehouse.pk, "part": part.pk, "grade": Grade.BRAND, "quantity": 6},
        content_type=JSON,
    )
    level = StockLevel.objects.get(warehouse=warehouse)
    counted = client.post(
        reverse("api-stocktakes"),
        {"warehouse": warehouse.pk, "counts": [{"stock_level": level.pk, "quantity": 4}], "note": "抽盘"},
        content_type=JSON,
    )
    foreign = client.post(
        reverse("api-stock-receipts"),
        {
            "warehouse": WarehouseFactory.create(organization=actors.other_organization).pk,
            "part": part.pk,
            "grade": Grade.BRAND,
            "quantity": 1,
        },
        content_type=JSON,
    )

    assert received.status_code == 201
    assert received.json()["on_hand_after"] == 6
    assert counted.status_code == 201
    assert (counted.json()["counted"], counted.json()["changed"]) == (1, 1)
    assert foreign.status_code == 400
    assert foreign.json()["field"] == "warehouse"
    assert StockLevel.objects.get(pk=level.pk).on_hand == 4


def test_a_stock_sheet_over_the_api(actors, django_capture_on_commit_callbacks):
    offer = OfferFactory.create(supplier=actors.organization, sku="BS-1", stock_quantity=0)
    WarehouseFactory.create(organization=actors.organization, code="GZ01")
    content = xlsx(template_headers("stock"), [["BS-1", "GZ01", 3], ["NOPE", "GZ01", 1]])
    client = actors.member_client

    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(reverse("api-stock-imports"), {"file": upload(content)})
    pk = created.json()["id"]
    polled = client.get(reverse("api-stock-import", args=[pk]))
    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(reverse("api-stock-import-apply", args=[pk]))
    report = client.get(reverse("api-stock-import-report", args=[pk]))
    outsider = actors.outsider_client.get(reverse("api-stock-import", args=[pk]))

    assert created.status_code == 201
    assert (polled.json()["status"], polled.json()["valid_rows"], polled.json()["error_rows"]) == (
        "validated",
        1,
        1,
    )
    assert applied.status_code == 202
    assert report.status_code == 200
    assert outsider.status_code == 404
    assert Offer.objects.get(pk=offer.pk).stock_quantity == 3


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    paths = set(schema["paths"])
    assert {
        "/api/v1/inventory/warehouses/",
        "/api/v1/inventory/stock-levels/",
        "/api/v1/inventory/stock-levels/{id}/adjust/",
        "/api/v1/inventory/movements/",
        "/api/v1/inventory/stocktakes/",
        "/api/v1/inventory/imports/",
    } <= paths
