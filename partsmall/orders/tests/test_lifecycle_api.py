"""The REST API of orders and after-sales, each endpoint with three actors: a supplier
sees only its own orders, a shop only its own; another party's object answers 404;
wrong input is a 400 that names the field."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from partsmall.catalog.tests.factories import FitmentFactory
from partsmall.integrations.tests.factories import ApiKeyFactory, full_key
from partsmall.orders.models import ReturnRequest, SupplierOrder
from partsmall.orders.services import returns
from partsmall.orders.tests.lifecycle_helpers import (
    confirmed,
    delivered,
    paid,
    placed_order,
    shipped,
    warehouse_of,
)
from partsmall.orders.tests.test_returns import photo
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role

pytestmark = pytest.mark.django_db

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus
RStatus = ReturnRequest.Status
JSON = "application/json"


@pytest.fixture
def finance(make_actors):
    return make_actors(
        kind=Organization.Kind.PLATFORM, role=Role.PLATFORM_FINANCE, wrong_role=Role.PLATFORM_OPERATOR
    )


@pytest.fixture
def operators(make_actors):
    return make_actors(kind=Organization.Kind.PLATFORM, role=Role.PLATFORM_OPERATOR)


@pytest.fixture
def order(suppliers, shops) -> SupplierOrder:
    return placed_order(supplier=suppliers.organization, buyer=shops.organization, quantities=(2, 1))


def test_sales_orders_list_three_actors(suppliers, order):
    placed_order(supplier=suppliers.other_organization)

    member = suppliers.member_client.get("/api/v1/sales/orders/")
    outsider = suppliers.outsider_client.get("/api/v1/sales/orders/")

    assert member.status_code == 200
    assert [
        (o["id"], o["number"], o["status"], o["goods_total"], o["freight"]) for o in member.json()["results"]
    ] == [(order.pk, order.number, Status.SUBMITTED, "105.00", None)]
    assert order.pk not in [o["id"] for o in outsider.json()["results"]]
    assert suppliers.colleague_client.get("/api/v1/sales/orders/").status_code == 200


def test_sales_orders_list_filters_by_tab(suppliers, order):
    paid(order)
    placed_order(supplier=suppliers.organization)

    to_confirm = suppliers.member_client.get("/api/v1/sales/orders/", {"tab": "to_confirm"}).json()["results"]

    assert [o["id"] for o in to_confirm] == [order.pk]


def test_sales_order_detail_has_lines_events_shipments(suppliers, order):
    response = suppliers.member_client.get(f"/api/v1/sales/orders/{order.pk}/")

    body = response.json()
    assert response.status_code == 200
    assert sorted(line["quantity"] for line in body["lines"]) == [1, 2]
    assert [(e["from_status"], e["to_status"]) for e in body["events"]] == [("", Status.SUBMITTED)]
    assert body["shipments"] == []
    assert body["address"]["contact_name"] == order.checkout.contact_name
    assert suppliers.outsider_client.get(f"/api/v1/sales/orders/{order.pk}/").status_code == 404


def test_confirm_three_actors_and_the_payment_rule(suppliers, order):
    url = f"/api/v1/sales/orders/{order.pk}/confirm/"

    unpaid = suppliers.member_client.post(url)
    paid(order)
    colleague = suppliers.colleague_client.post(url)
    outsider = suppliers.outsider_client.post(url)
    member = suppliers.member_client.post(url)

    assert unpaid.status_code == 400
    assert unpaid.json()["code"] == "not_paid"
    assert (colleague.status_code, outsider.status_code) == (403, 404)
    assert member.status_code == 200
    assert member.json()["status"] == Status.CONFIRMED


def test_reject_names_the_missing_reason(suppliers, order):
    url = f"/api/v1/sales/orders/{order.pk}/reject/"

    empty = suppliers.member_client.post(url, {"reason": ""}, content_type=JSON)
    done = suppliers.member_client.post(url, {"reason": "停产"}, content_type=JSON)

    assert empty.status_code == 400
    assert empty.json() == {
        "code": "error",
        "message": "请填写原因。",
        "field": "reason",
    }
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["reject_reason"]) == (Status.CANCELLED, "停产")


def test_ship_through_the_api(suppliers, order):
    confirmed(order)
    first, second = order.lines.order_by("id")
    warehouse = warehouse_of(order).pk
    url = f"/api/v1/sales/orders/{order.pk}/shipments/"

    partial = suppliers.member_client.post(
        url,
        {
            "carrier": "顺丰速运",
            "tracking_number": "SF1",
            "items": [{"line": first.pk, "warehouse": warehouse, "quantity": 1}],
        },
        content_type=JSON,
    )
    too_many = suppliers.member_client.post(
        url,
        {"carrier": "顺丰速运", "items": [{"line": second.pk, "warehouse": warehouse, "quantity": 5}]},
        content_type=JSON,
    )
    listed = suppliers.member_client.get(url)

    assert partial.status_code == 201
    assert partial.json()["status"] == Status.PARTIALLY_SHIPPED
    assert too_many.status_code == 400
    assert too_many.json()["field"] == "items"
    assert [(s["carrier"], s["lines"][0]["quantity"]) for s in listed.json()] == [("顺丰速运", 1)]
    assert suppliers.colleague_client.post(url, {}, content_type=JSON).status_code == 403
    assert suppliers.outsider_client.post(url, {}, content_type=JSON).status_code == 404


def test_exports_through_the_api(suppliers, shops, order):
    sales = suppliers.member_client.get("/api/v1/sales/orders/export/")
    purchases = shops.member_client.get("/api/v1/purchase/orders/export/")
    other = shops.outsider_client.get("/api/v1/purchase/orders/export/")

    def numbers(response) -> list[str]:
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        return [str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert numbers(sales) == numbers(purchases) == [order.number]
    assert numbers(other) == []


def test_purchase_orders_three_actors(shops, order):
    placed_order(buyer=shops.other_organization)

    member = shops.member_client.get("/api/v1/purchase/orders/").json()["results"]
    outsider = shops.outsider_client.get("/api/v1/purchase/orders/").json()["results"]

    assert [o["id"] for o in member] == [order.pk]
    assert order.pk not in [o["id"] for o in outsider]
    assert shops.outsider_client.get(f"/api/v1/purchase/orders/{order.pk}/").status_code == 404


def test_cancel_declare_and_confirm_delivery(shops, order):
    other = placed_order(buyer=shops.organization)

    declared = shops.member_client.post(
        f"/api/v1/purchase/orders/{order.pk}/declare-transfer/", {"note": "已转账"}, content_type=JSON
    )
    cancelled = shops.member_client.post(f"/api/v1/purchase/orders/{other.pk}/cancel/", {}, content_type=JSON)
    colleague = shops.colleague_client.post(
        f"/api/v1/purchase/orders/{order.pk}/cancel/", {}, content_type=JSON
    )
    early = shops.member_client.post(f"/api/v1/purchase/orders/{order.pk}/confirm-delivery/")
    shipped(order)
    received = shops.member_client.post(f"/api/v1/purchase/orders/{order.pk}/confirm-delivery/")

    assert declared.json()["payment_status"] == Payment.AWAITING_CONFIRMATION
    assert cancelled.json()["status"] == Status.CANCELLED
    assert colleague.status_code == 403
    assert early.status_code == 400
    assert received.json()["status"] == Status.DELIVERED


def test_platform_finance_marks_paid_and_rejects_transfers(finance, shops, order):
    shops.member_client.post(f"/api/v1/purchase/orders/{order.pk}/declare-transfer/", {}, content_type=JSON)
    other = placed_order(buyer=shops.organization)
    shops.member_client.post(f"/api/v1/purchase/orders/{other.pk}/declare-transfer/", {}, content_type=JSON)

    queue = finance.member_client.get("/api/v1/platform/orders/payments/").json()["results"]
    marked = finance.member_client.post(
        f"/api/v1/platform/orders/{order.pk}/mark-paid/", {"note": "流水 1"}, content_type=JSON
    )
    rejected = finance.member_client.post(
        f"/api/v1/platform/orders/{other.pk}/reject-transfer/", {"reason": "未到账"}, content_type=JSON
    )

    assert {o["id"] for o in queue} == {order.pk, other.pk}
    assert marked.json()["payment_status"] == Payment.PAID
    assert rejected.json()["payment_status"] == Payment.UNPAID
    assert finance.colleague_client.get("/api/v1/platform/orders/payments/").status_code == 403
    assert shops.member_client.get("/api/v1/platform/orders/payments/").status_code == 403


def test_an_api_key_acts_for_its_organization(suppliers, order):
    key = ApiKeyFactory.create(organization=suppliers.organization, role=Role.SALES)
    paid(order)

    response = Client(HTTP_AUTHORIZATION=f"Api-Key {full_key(key)}").post(
        f"/api/v1/sales/orders/{order.pk}/confirm/"
    )

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED


# After-sales.


@pytest.fixture
def delivered_order(order) -> SupplierOrder:
    return delivered(order)


def test_request_a_return_through_the_api(shops, delivered_order):
    line = delivered_order.lines.order_by("id").first()
    assert line is not None
    fitment = FitmentFactory.create(part=line.part)
    url = f"/api/v1/purchase/order-lines/{line.pk}/returns/"

    created = shops.member_client.post(
        url, {"quantity": "1", "reason": "doesnt_fit", "fitment": str(fitment.pk), "photos": [photo()]}
    )
    wrong = shops.member_client.post(url, {"quantity": "5", "reason": "x"})

    body = created.json()
    assert created.status_code == 201
    assert (body["status"], body["quantity"], body["fitment_id"], len(body["photos"])) == (
        RStatus.REQUESTED,
        1,
        fitment.pk,
        1,
    )
    assert wrong.status_code == 400
    assert set(wrong.json()["errors"]) == {"quantity", "reason", "photos"}
    assert shops.outsider_client.post(url, {"quantity": "1"}).status_code == 404
    assert shops.colleague_client.post(url, {"quantity": "1"}).status_code == 403


def test_the_return_flow_through_the_api(shops, suppliers, operators, delivered_order):
    line = delivered_order.lines.order_by("id").first()
    assert line is not None
    request = returns.return_request_create(
        line=line, quantity=1, reason="damaged", photos=[photo()], by=None
    )

    rejected = suppliers.member_client.post(
        f"/api/v1/sales/returns/{request.pk}/reject/", {"reason": "人为"}, content_type=JSON
    )
    disputed = shops.member_client.post(
        f"/api/v1/purchase/returns/{request.pk}/dispute/", {"reason": "收货即坏"}, content_type=JSON
    )
    disputes = operators.member_client.get("/api/v1/platform/returns/").json()["results"]
    arbitrated = operators.member_client.post(
        f"/api/v1/platform/returns/{request.pk}/arbitrate/",
        {"decision": "approve", "reason": "支持买家"},
        content_type=JSON,
    )
    back = shops.member_client.post(
        f"/api/v1/purchase/returns/{request.pk}/ship-back/",
        {"carrier": "顺丰", "tracking_number": "SF2"},
        content_type=JSON,
    )
    received = suppliers.member_client.post(
        f"/api/v1/sales/returns/{request.pk}/receive/",
        {"warehouse": warehouse_of(delivered_order).pk},
        content_type=JSON,
    )

    assert rejected.json()["status"] == RStatus.REJECTED
    assert disputed.json()["status"] == RStatus.DISPUTED
    assert [r["id"] for r in disputes] == [request.pk]
    assert arbitrated.json()["status"] == RStatus.APPROVED
    assert back.json()["status"] == RStatus.SHIPPED_BACK
    assert received.json()["status"] == RStatus.RECEIVED
    assert [e["to_status"] for e in received.json()["events"]] == [
        RStatus.REQUESTED,
        RStatus.REJECTED,
        RStatus.DISPUTED,
        RStatus.APPROVED,
        RStatus.SHIPPED_BACK,
        RStatus.RECEIVED,
    ]


def test_returns_lists_and_details_three_actors(shops, suppliers, delivered_order):
    line = delivered_order.lines.order_by("id").first()
    assert line is not None
    request = returns.return_request_create(
        line=line, quantity=1, reason="quality", photos=[photo()], by=None
    )

    assert [r["id"] for r in shops.member_client.get("/api/v1/purchase/returns/").json()["results"]] == [
        request.pk
    ]
    assert [r["id"] for r in suppliers.member_client.get("/api/v1/sales/returns/").json()["results"]] == [
        request.pk
    ]
    assert shops.outsider_client.get("/api/v1/purchase/returns/").json()["results"] == []
    assert suppliers.outsider_client.get("/api/v1/sales/returns/").json()["results"] == []
    assert shops.outsider_client.get(f"/api/v1/purchase/returns/{request.pk}/").status_code == 404
    assert suppliers.outsider_client.get(f"/api/v1/sales/returns/{request.pk}/").status_code == 404
    assert suppliers.colleague_client.post(f"/api/v1/sales/returns/{request.pk}/approve/").status_code == 403
    assert (
        suppliers.member_client.post(f"/api/v1/sales/returns/{request.pk}/approve/").json()["status"]
        == RStatus.APPROVED
    )


def test_doesnt_fit_counts_through_the_api(operators, shops, delivered_order):
    line = delivered_order.lines.order_by("id").first()
    assert line is not None
    fitment = FitmentFactory.create(part=line.part)
    returns.return_request_create(
        line=line, quantity=2, reason="doesnt_fit", fitment=fitment, photos=[photo()], by=None
    )

    parts = operators.member_client.get("/api/v1/platform/returns/doesnt-fit/parts/").json()["results"]
    fitments = operators.member_client.get(
        "/api/v1/platform/returns/doesnt-fit/fitments/", {"part": line.part_id}
    ).json()["results"]

    assert [(p["part_id"], p["requests"], p["units"]) for p in parts] == [(line.part_id, 1, 2)]
    assert [(f["fitment_id"], f["requests"]) for f in fitments] == [(fitment.pk, 1)]
    assert shops.member_client.get("/api/v1/platform/returns/doesnt-fit/parts/").status_code == 403
