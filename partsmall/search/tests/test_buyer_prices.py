"""The buyer's own price in search results and on the part page (pages and API): a key
account sees its contract price, a shop in a customer group its group price, another shop
the standard price. Facets and the price sort stay on the standard summary."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partsmall.catalog.models import Grade, Offer
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.pricing.models import ContractPrice, ContractPriceList, CustomerGroup
from partsmall.search.selectors import SearchQuery, part_detail, price_hits, search_parts


@pytest.fixture
def shops(make_actors):
    """The key account (member) and another shop (outsider), both purchasers."""
    actors = make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.PURCHASER, wrong_role=Role.TECHNICIAN)
    Organization.objects.filter(pk=actors.organization.pk).update(tier=Organization.Tier.KEY_ACCOUNT)
    actors.organization.refresh_from_db()
    return actors


@pytest.fixture
def contract(catalogue, shops) -> ContractPriceList:
    """Supplier A's contract with the key account: ACDelco PF304J ¥28.00 → ¥24.00, and the
    Toyota filter (genuine, ¥45.00) ¥36.00 from 1 piece, ¥33.00 from 10."""
    today = timezone.localdate()
    price_list = ContractPriceList.objects.create(
        supplier=catalogue.supplier_a,
        buyer=shops.organization,
        name="2026 年度协议价",
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=355),
    )
    acdelco = Offer.objects.get(supplier=catalogue.supplier_a, part=catalogue.acdelco_filter)
    genuine = Offer.objects.get(supplier=catalogue.supplier_a, part=catalogue.toyota_filter)
    ContractPrice.objects.create(price_list=price_list, offer=acdelco, min_quantity=1, price=Decimal("24.00"))
    ContractPrice.objects.create(price_list=price_list, offer=genuine, min_quantity=1, price=Decimal("36.00"))
    ContractPrice.objects.create(
        price_list=price_list, offer=genuine, min_quantity=10, price=Decimal("33.00")
    )
    return price_list


def _row(html: str, part_id: int) -> str:
    start = html.index(f'data-part="{part_id}"')
    return html[start : html.index("</tr>", start)]


def _actor(membership) -> Actor:
    return Actor(user=membership.user, organization=membership.organization, role=membership.role)


# Search results ---------------------------------------------------------------------------------------


def test_a_key_account_sees_its_contract_price_in_search_results(catalogue, shops, contract):
    url = reverse("search:index")

    mine = shops.member_client.get(url, {"q": "PF304J"}).content.decode()
    theirs = shops.outsider_client.get(url, {"q": "PF304J"}).content.decode()

    my_row, their_row = _row(mine, catalogue.acdelco_filter.pk), _row(theirs, catalogue.acdelco_filter.pk)
    assert "¥24.00" in my_row
    assert 'data-source="contract">协议价</span>' in my_row
    assert "¥28.00" in their_row
    assert "¥24.00" not in their_row
    assert "price-badge" not in their_row


def test_the_search_api_answers_the_buyers_own_price(catalogue, shops, contract):
    url = reverse("api-search-parts")

    mine = shops.member_client.get(url, {"oe": "PF304J"}).json()
    theirs = shops.outsider_client.get(url, {"oe": "PF304J"}).json()

    def price_of(body):
        return next(r for r in body["results"] if r["part"]["id"] == catalogue.acdelco_filter.pk)

    assert (price_of(mine)["price"], price_of(mine)["min_price"]) == (
        {"unit_price": "24.00", "source": "contract"},
        "28.00",
    )
    assert price_of(theirs)["price"] == {"unit_price": "28.00", "source": "standard"}


def test_a_row_shows_the_cheapest_of_the_buyers_prices_over_the_parts_offers(catalogue, shops, contract):
    # The Toyota filter: contract ¥36.00 on A's genuine offer, but B's aftermarket offer is ¥18.00.
    group = CustomerGroup.objects.create(
        supplier=catalogue.supplier_b,
        name="大客户九折",
        basis=CustomerGroup.Basis.TIER,
        tier=Organization.Tier.KEY_ACCOUNT,
        discount_percent=Decimal("10"),
    )

    html = shops.member_client.get(reverse("search:index"), {"oe": "90915-10003"}).content.decode()

    row = _row(html, catalogue.toyota_filter.pk)
    assert "¥16.20" in row  # ¥18.00 less 10 %
    assert 'data-source="group">客户价</span>' in row
    assert group.name not in html  # the supplier's own label for its group stays its own


def test_facets_and_the_price_sort_stay_on_the_standard_price(catalogue, shops, contract):
    query = SearchQuery(q="机油滤清器", sort="price", page_size=100)

    mine = search_parts(actor=_actor(shops.member), query=query)
    theirs = search_parts(actor=_actor(shops.outsider), query=query)

    assert [h.part.pk for h in mine.hits] == [h.part.pk for h in theirs.hits]
    assert mine.facets.price_range == theirs.facets.price_range


def test_pricing_a_page_of_hits_takes_a_constant_number_of_statements(
    catalogue, shops, contract, django_assert_max_num_queries
):
    result = search_parts(actor=_actor(shops.member), query=SearchQuery(q="滤清器", page_size=100))

    # The listed offers of the page, then the resolver (contracts, groups, group prices).
    with django_assert_max_num_queries(4):
        price_hits(actor=_actor(shops.member), hits=result.hits)

    assert len(result.hits) >= 4
    assert all(hit.price is not None for hit in result.hits if hit.offer_count)


# The part page ------------------------------------------------------------------------------------------


def _offer_prices(html: str) -> list[str]:
    return re.findall(r'data-testid="offer-price">(¥[\d,.]+)', html)


def test_a_key_account_sees_its_contract_price_on_the_part_page(catalogue, shops, contract):
    url = reverse("search:part", args=[catalogue.toyota_filter.pk])

    mine = shops.member_client.get(url).content.decode()
    theirs = shops.outsider_client.get(url).content.decode()

    assert _offer_prices(mine) == ["¥18.00", "¥36.00", "¥39.50"]
    assert mine.count('data-source="contract"') == 1
    assert 'data-testid="offer-standard-price">¥45.00' in mine
    assert _offer_prices(theirs) == ["¥18.00", "¥39.50", "¥45.00"]
    assert "price-badge" not in theirs


def test_the_part_page_compares_offers_at_the_buyers_prices(catalogue, shops, contract):
    genuine_a = Offer.objects.get(supplier=catalogue.supplier_a, part=catalogue.toyota_filter)
    ContractPrice.objects.filter(offer=genuine_a, min_quantity=1).update(price=Decimal("17.00"))

    detail = part_detail(actor=_actor(shops.member), part_id=catalogue.toyota_filter.pk)
    other = part_detail(actor=_actor(shops.outsider), part_id=catalogue.toyota_filter.pk)

    assert detail.best_price_offer_id == genuine_a.pk
    assert [detail.prices[o.pk].unit_price for o in detail.offers] == [
        Decimal("17.00"),
        Decimal("18.00"),
        Decimal("39.50"),
    ]
    assert other.offers[0].grade == Grade.AFTERMARKET


def test_the_part_api_answers_each_offers_price_for_the_buyer(catalogue, shops, contract):
    url = reverse("api-part", args=[catalogue.toyota_filter.pk])

    mine = shops.member_client.get(url).json()
    theirs = shops.outsider_client.get(url).json()

    assert [(o["price"], o["buyer_price"]) for o in mine["offers"]] == [
        ("18.00", {"unit_price": "18.00", "source": "standard"}),
        ("45.00", {"unit_price": "36.00", "source": "contract"}),
        ("39.50", {"unit_price": "39.50", "source": "standard"}),
    ]
    assert {o["buyer_price"]["source"] for o in theirs["offers"]} == {"standard"}


def test_an_expired_contract_no_longer_shows(catalogue, shops, contract):
    today = timezone.localdate()
    ContractPriceList.objects.filter(pk=contract.pk).update(
        valid_from=today - timedelta(days=400), valid_until=today - timedelta(days=1)
    )

    html = shops.member_client.get(reverse("search:part", args=[catalogue.toyota_filter.pk])).content.decode()

    assert _offer_prices(html) == ["¥18.00", "¥39.50", "¥45.00"]
