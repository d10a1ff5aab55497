"""The buying REST API with the three actors; bad input answers 400 naming the field."""

from decimal import Decimal

import pytest

from conftest import Actors
from partsmall.catalog.models import Offer
from partsmall.catalog.tests.factories import OfferFactory, PartFactory
from partsmall.inventory.models import StockLevel
from partsmall.orders.models import Address, CartLine, Checkout, SupplierOrder
from partsmall.orders.services.cart import cart_add
from partsmall.orders.tests.factories import AddressFactory, ApprovalRuleFactory, CartLineFactory, stock
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import CITY, DISTRICT, PROVINCE

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def shops(make_actors) -> Actors:
    return make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.PURCHASER, wrong_role=Role.TECHNICIAN)


@pytest.fixture
def owners(make_actors) -> Actors:
    return make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.OWNER, wrong_role=Role.PURCHASER)


def _stocked(quantity: int = 10, **terms: object) -> Offer:
    offer = OfferFactory.create(stock_quantity=0, **terms)
    stock(offer, quantity)
    return offer


# /api/v1/cart/ -------------------------------------------------------------------------------


def test_cart_add_read_change_and_remove(shops):
    offer = _stocked(price=Decimal("35.50"), min_order_quantity=2)
    client = shops.member_client

    added = client.post("/api/v1/cart/lines/", {"offer": offer.pk, "quantity": 4}, content_type=JSON)
    line_id = added.json()["id"]
    read = client.get("/api/v1/cart/")
    changed = client.patch(f"/api/v1/cart/lines/{line_id}/", {"quantity": 6}, content_type=JSON)
    refused = client.patch(f"/api/v1/cart/lines/{line_id}/", {"quantity": 1}, content_type=JSON)
    removed = client.delete(f"/api/v1/cart/lines/{line_id}/")

    assert added.status_code == 201
    assert (added.json()["quantity"], added.json()["amount"], added.json()["price"]["source"]) == (
        4,
        "142.00",
        "standard",
    )
    body = read.json()
    assert (body["count"], body["total"]) == (1, "142.00")
    assert body["groups"][0]["supplier"]["id"] == offer.supplier_id
    assert body["groups"][0]["lines"][0]["offer"]["stock_quantity"] == 10
    assert changed.json()["quantity"] == 6
    assert refused.status_code == 400
    assert refused.json()["field"] == "quantity"
    assert "起订量为 2 件" in refused.json()["message"]
    assert removed.status_code == 204
    assert not CartLine.objects.exists()


def test_cart_three_actors(shops):
    line = CartLineFactory.create(cart__organization=shops.organization)

    assert shops.colleague_client.get("/api/v1/cart/").status_code == 403
    assert shops.outsider_client.get("/api/v1/cart/").json()["count"] == 0
    assert (
        shops.outsider_client.patch(
            f"/api/v1/cart/lines/{line.pk}/", {"quantity": 2}, content_type=JSON
        ).status_code
        == 404
    )
    assert shops.outsider_client.delete(f"/api/v1/cart/lines/{line.pk}/").status_code == 404
    assert CartLine.objects.filter(pk=line.pk, quantity=1).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"offer": 999_999, "quantity": 1}, "offer"),
        ({"offer": "x", "quantity": 1}, "offer"),
        ({"quantity": 1}, "offer"),
    ],
)
def test_adding_an_unknown_offer_names_the_field(shops, payload, field):
    response = shops.member_client.post("/api/v1/cart/lines/", payload, content_type=JSON)

    assert response.status_code == 400
    body = response.json()
    assert body.get("field") == field or field in body
    assert not CartLine.objects.exists()


def test_quick_order_matching_through_the_api(shops):
    offer = OfferFactory.create(part=PartFactory.create(number="QO-1"), stock_quantity=0)

    response = shops.member_client.post(
        "/api/v1/cart/quick-order/", {"text": "qo1, 3\nNONE"}, content_type=JSON
    )
    empty = shops.member_client.post("/api/v1/cart/quick-order/", {"text": ""}, content_type=JSON)

    rows = response.json()
    assert [(r["row"], r["status"], r["quantity"]) for r in rows] == [(1, "matched", 3), (2, "unmatched", 1)]
    assert rows[0]["options"][0]["offer"]["id"] == offer.pk
    assert (empty.status_code, empty.json()["field"]) == (400, "text")


# /api/v1/addresses/ --------------------------------------------------------------------------


def test_address_book_through_the_api(shops):
    client = shops.member_client
    payload = {
        "contact_name": "王五",
        "contact_phone": "13800138000",
        "province": PROVINCE,
        "city": CITY,
        "district": DISTRICT,
        "detail": "环市西路 1 号",
    }

    created = client.post("/api/v1/addresses/", payload, content_type=JSON)
    pk = created.json()["id"]
    bad = client.post(
        "/api/v1/addresses/", {**payload, "contact_phone": "1", "district": "110101"}, content_type=JSON
    )
    patched = client.patch(f"/api/v1/addresses/{pk}/", {"label": "二仓"}, content_type=JSON)
    listed = client.get("/api/v1/addresses/")

    assert created.status_code == 201
    assert (created.json()["is_default"], created.json()["full_address"]) == (
        True,
        "广东省广州市荔湾区环市西路 1 号",
    )
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"contact_phone", "district"}
    assert patched.json()["label"] == "二仓"
    assert [a["id"] for a in listed.json()] == [pk]
    assert client.delete(f"/api/v1/addresses/{pk}/").status_code == 204
    assert not Address.objects.exists()


def test_addresses_three_actors(shops):
    address = AddressFactory.create(organization=shops.organization)

    assert shops.colleague_client.get("/api/v1/addresses/").status_code == 403
    assert shops.outsider_client.get("/api/v1/addresses/").json() == []
    assert shops.outsider_client.get(f"/api/v1/addresses/{address.pk}/").status_code == 404
    assert shops.outsider_client.delete(f"/api/v1/addresses/{address.pk}/").status_code == 404
    assert Address.objects.filter(pk=address.pk).exists()


# /api/v1/checkouts/ --------------------------------------------------------------------------


def test_a_checkout_needs_an_idempotency_key_and_a_replay_returns_the_first(shops):
    a, b = _stocked(price=Decimal("10.00")), _stocked(price=Decimal("20.00"))
    cart_add(buyer=shops.organization, offer=a, quantity=1, by=None)
    cart_add(buyer=shops.organization, offer=b, quantity=2, by=None)
    address = AddressFactory.create(organization=shops.organization)
    client = shops.member_client

    no_key = client.post("/api/v1/checkouts/", {"address": address.pk}, content_type=JSON)
    first = client.post(
        "/api/v1/checkouts/", {"address": address.pk}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    replay = client.post(
        "/api/v1/checkouts/", {"address": address.pk}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="abc-1"
    )

    assert (no_key.status_code, no_key.json()["field"]) == (400, "idempotency_key")
    assert first.status_code == 201
    assert replay.status_code == 200
    assert replay.json()["id"] == first.json()["id"]
    body = first.json()
    assert body["total"] == "50.00"
    assert len(body["orders"]) == 2
    assert {o["freight"] for o in body["orders"]} == {None}
    lines = [line for order in body["orders"] for line in order["lines"]]
    assert {(line["sku"], line["unit_price"], line["price_source"], line["vat_rate"]) for line in lines} == {
        (a.sku, "10.00", "standard", "0.1300"),
        (b.sku, "20.00", "standard", "0.1300"),
    }
    assert Checkout.objects.count() == 1
    assert StockLevel.objects.get(part=b.part).reserved == 2


def test_a_checkout_with_a_foreign_address_is_refused(shops):
    cart_add(buyer=shops.organization, offer=_stocked(), quantity=1, by=None)
    theirs = AddressFactory.create(organization=shops.other_organization)

    response = shops.member_client.post(
        "/api/v1/checkouts/", {"address": theirs.pk}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="k"
    )

    assert (response.status_code, response.json()["field"]) == (400, "address")
    assert not Checkout.objects.exists()


def test_insufficient_stock_answers_400_naming_the_offer(shops):
    offer = _stocked(2)
    cart_add(buyer=shops.organization, offer=offer, quantity=3, by=None)
    address = AddressFactory.create(organization=shops.organization)

    response = shops.member_client.post(
        "/api/v1/checkouts/", {"address": address.pk}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="k"
    )

    assert response.status_code == 400
    assert offer.sku in response.json()["message"]
    assert not Checkout.objects.exists()


def test_checkouts_three_actors(shops):
    cart_add(buyer=shops.organization, offer=_stocked(), quantity=1, by=None)
    address = AddressFactory.create(organization=shops.organization)
    made = shops.member_client.post(
        "/api/v1/checkouts/", {"address": address.pk}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="k"
    ).json()

    assert shops.member_client.get(f"/api/v1/checkouts/{made['id']}/").status_code == 200
    assert shops.outsider_client.get(f"/api/v1/checkouts/{made['id']}/").status_code == 404
    assert shops.colleague_client.get(f"/api/v1/checkouts/{made['id']}/").status_code == 403
    assert shops.colleague_client.post("/api/v1/checkouts/", {}, content_type=JSON).status_code == 403


# /api/v1/approvals/ --------------------------------------------------------------------------


def _pending(actors: Actors) -> Checkout:
    ApprovalRuleFactory.create(organization=actors.organization, threshold=Decimal("1.00"))
    cart_add(buyer=actors.organization, offer=_stocked(), quantity=1, by=None)
    address = AddressFactory.create(organization=actors.organization)
    response = actors.colleague_client.post(
        "/api/v1/checkouts/", {"address": address.pk}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="p"
    )
    return Checkout.objects.get(pk=response.json()["id"])


def test_approvals_list_approve_and_three_actors(owners):
    pending = _pending(owners)

    listed = owners.member_client.get("/api/v1/approvals/")
    colleague = owners.colleague_client.post(
        f"/api/v1/approvals/{pending.pk}/approve/", {}, content_type=JSON
    )
    outsider = owners.outsider_client.post(f"/api/v1/approvals/{pending.pk}/approve/", {}, content_type=JSON)
    approved = owners.member_client.post(f"/api/v1/approvals/{pending.pk}/approve/", {}, content_type=JSON)

    assert [c["id"] for c in listed.json()] == [pending.pk]
    assert listed.json()[0]["approval_status"] == "pending"
    assert (colleague.status_code, outsider.status_code) == (403, 404)
    assert approved.status_code == 200
    assert approved.json()["approval_status"] == "approved"
    assert approved.json()["orders"][0]["status"] == SupplierOrder.Status.SUBMITTED


def test_self_approval_and_a_rejection_without_reason_are_400(owners):
    checkout = _pending(owners)
    Checkout.objects.filter(pk=checkout.pk).update(created_by=owners.member.user)

    self_approval = owners.member_client.post(
        f"/api/v1/approvals/{checkout.pk}/approve/", {}, content_type=JSON
    )
    no_reason = owners.member_client.post(f"/api/v1/approvals/{checkout.pk}/reject/", {}, content_type=JSON)

    assert (self_approval.status_code, self_approval.json()["message"]) == (400, "不能审批自己提交的采购单。")
    assert no_reason.status_code == 400
    checkout.refresh_from_db()
    assert checkout.approval_status == Checkout.ApprovalStatus.PENDING


def test_rejection_through_the_api_cancels_and_releases(owners):
    checkout = _pending(owners)

    response = owners.member_client.post(
        f"/api/v1/approvals/{checkout.pk}/reject/", {"reason": "超预算"}, content_type=JSON
    )

    assert response.json()["approval_status"] == "rejected"
    assert response.json()["orders"][0]["status"] == SupplierOrder.Status.CANCELLED
    assert StockLevel.objects.get().reserved == 0


def test_the_approval_rule_through_the_api(owners):
    client = owners.member_client

    put = client.put("/api/v1/approvals/rule/", {"threshold": "5000"}, content_type=JSON)
    bad = client.put("/api/v1/approvals/rule/", {"threshold": "x"}, content_type=JSON)
    off = client.put("/api/v1/approvals/rule/", {"threshold": None}, content_type=JSON)

    assert put.json() == {"threshold": "5000.00"}
    assert (bad.status_code, bad.json()["field"]) == (400, "threshold")
    assert off.json() == {"threshold": None}
    assert owners.colleague_client.get("/api/v1/approvals/rule/").status_code == 403


def test_the_schema_lists_the_buying_endpoints(shops):
    schema = shops.member_client.get("/api/schema/").content.decode()

    for path in (
        "/api/v1/cart/",
        "/api/v1/cart/lines/",
        "/api/v1/addresses/",
        "/api/v1/checkouts/",
        "/api/v1/approvals/",
    ):
        assert f"{path}:" in schema
    assert "Idempotency-Key" in schema
