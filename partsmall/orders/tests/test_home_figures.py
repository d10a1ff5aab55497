"""The workspace home's figures (orders:home_figures): what waits on a supplier, a shop and
platform staff, counted for the acting organization only, each card linking to its list
and shown only to roles that may open that list."""

import re

import pytest
from django.urls import reverse

from conftest import login_client
from partsmall.catalog.models import ReviewStatus
from partsmall.catalog.tests.factories import OfferFactory, PartFactory
from partsmall.inventory.tests.factories import WarehouseFactory, stock_offer
from partsmall.orders.models import ReturnRequest, SupplierOrder
from partsmall.orders.tests.factories import CartFactory, CartLineFactory
from partsmall.orders.tests.lifecycle_helpers import (
    ReturnRequestFactory,
    confirmed,
    paid,
    placed_order,
    shipped,
)
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus
URL = "orders:home_figures"


def _figures(client) -> dict[str, int]:
    response = client.get(reverse(URL))
    assert response.status_code == 200
    html = response.content.decode()
    return {
        key: int(value.replace(",", ""))
        for key, value in re.findall(r'data-testid="kpi-([a-z_]+)">([\d,]+)<', html)
    }


def _links(client) -> list[str]:
    return re.findall(r'class="pm-kpi pm-kpi-link" href="([^"]+)"', client.get(reverse(URL)).content.decode())


def test_a_supplier_sees_its_own_offers_orders_returns_and_low_stock(suppliers, shops):
    mine = suppliers.organization
    warehouse = WarehouseFactory.create(organization=mine)

    def order() -> SupplierOrder:
        return placed_order(supplier=mine, buyer=shops.organization, warehouse=warehouse)

    order()  # unpaid: not yet to confirm
    paid(order())  # to confirm
    confirmed(order())  # to ship, twice
    confirmed(order())
    received = shipped(order())
    ReturnRequestFactory.create(line=received.lines.first())
    ReturnRequestFactory.create(line=received.lines.first(), status=ReturnRequest.Status.RECEIVED)
    OfferFactory.create(supplier=mine, is_listed=False)
    stock_offer(OfferFactory.create(supplier=mine), 3)  # low: 3 ≤ 5 (the default threshold)
    # Another supplier's of each kind counts for that supplier only.
    theirs = suppliers.other_organization
    paid(placed_order(supplier=theirs, buyer=shops.organization))
    stock_offer(OfferFactory.create(supplier=theirs), 1)

    figures = _figures(suppliers.member_client)

    # 5 orders of 1 offer each + the low one (the delisted one is not on sale).
    assert figures == {
        "offers_listed": 6,
        "to_confirm": 1,
        "to_ship": 2,
        "low_stock": 1,
        "sales_returns_open": 1,
    }
    assert _figures(suppliers.outsider_client) == {
        "offers_listed": 2,
        "to_confirm": 1,
        "to_ship": 0,
        "low_stock": 1,
        "sales_returns_open": 0,
    }
    assert _links(suppliers.member_client) == [
        reverse("catalog:offers") + "?status=listed",
        reverse("orders:sales_to_confirm"),
        reverse("orders:sales_to_ship"),
        reverse("inventory:low_stock"),
        reverse("orders:sales_returns") + "?tab=open",
    ]


def test_a_supplier_colleague_sees_only_the_lists_its_role_opens(suppliers):
    paid(placed_order(supplier=suppliers.organization))

    figures = _figures(suppliers.colleague_client)  # finance: orders, no catalogue, no stock

    assert figures == {"to_confirm": 1, "to_ship": 0, "sales_returns_open": 0}


def test_a_shop_sees_its_own_orders_returns_and_cart(suppliers, shops):
    shop = shops.organization
    placed_order(buyer=shop)  # awaiting payment
    placed_order(buyer=shop, status=Status.AWAITING_APPROVAL)
    received = shipped(placed_order(buyer=shop))  # to receive
    ReturnRequestFactory.create(line=received.lines.first())
    CartLineFactory.create_batch(2, cart=CartFactory.create(organization=shop))
    placed_order(buyer=shops.other_organization)

    figures = _figures(shops.member_client)

    assert figures == {
        "awaiting_approval": 1,
        "awaiting_payment": 1,
        "to_receive": 1,
        "cart_lines": 2,
        "purchase_returns_open": 1,
    }
    assert reverse("orders:purchase_returns") + "?tab=open" in _links(shops.member_client)
    assert _figures(shops.outsider_client) == {
        "awaiting_approval": 0,
        "awaiting_payment": 1,
        "to_receive": 0,
        "cart_lines": 0,
        "purchase_returns_open": 0,
    }
    # Finance of the shop reads the orders but does not buy: no cart.
    assert "cart_lines" not in _figures(shops.colleague_client)
    # An owner, who may approve, is taken to the approvals.
    owner = login_client(MembershipFactory.create(organization=shop, role=Role.OWNER))
    assert _links(owner)[0] == reverse("orders:approvals")
    assert _links(shops.member_client)[0] == reverse("orders:purchase_orders") + "?tab=awaiting_approval"


def test_platform_finance_sees_transfers_and_operators_disputes(make_actors, shops):
    declared = placed_order(buyer=shops.organization, payment_status=Payment.AWAITING_CONFIRMATION)
    placed_order(buyer=shops.organization)
    disputed = shipped(placed_order(buyer=shops.organization))
    ReturnRequestFactory.create(line=disputed.lines.first(), status=ReturnRequest.Status.DISPUTED)
    finance = make_actors(
        kind=Organization.Kind.PLATFORM, role=Role.PLATFORM_FINANCE, wrong_role=Role.PLATFORM_OPERATOR
    )

    assert declared.payment_status == Payment.AWAITING_CONFIRMATION
    assert _figures(finance.member_client) == {"transfers_declared": 1, "payable": 2}
    PartFactory.create(review_status=ReviewStatus.PENDING)  # a supplier's part, not yet reviewed
    PartFactory.create()
    assert _figures(finance.colleague_client) == {"disputes": 1, "data_to_review": 1}
    reviewer = MembershipFactory.create(organization=finance.organization, role=Role.PLATFORM_REVIEWER)
    assert _figures(login_client(reviewer)) == {}


def test_nothing_for_an_organization_under_review_and_login_for_anonymous(client):
    applicant = OrganizationFactory.create(
        kind=Organization.Kind.SUPPLIER, status=Organization.Status.PENDING
    )
    member = MembershipFactory.create(organization=applicant, role=Role.OWNER)

    assert _figures(login_client(member)) == {}
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_homes_load_the_figures_and_no_longer_promise_landed_capabilities(suppliers, shops):
    for actors in (suppliers, shops):
        html = actors.member_client.get(reverse("organizations:home")).content.decode()
        assert f'hx-get="{reverse(URL)}"' in html
        assert "「订单」能力上线后" not in html
        assert "「商品目录」能力上线后" not in html
