import re

import pytest
from django.urls import reverse

from partsmall.organizations.models import Organization
from partsmall.organizations.navigation import navigation_for
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory
from partsmall.search.tests.test_selectors import COROLLA_VIN, _actor
from partsmall.vehicles.tests.factories import VinPatternFactory, WmiFactory

SEARCH = reverse("search:index")


@pytest.fixture
def shop_actors(make_actors):
    return make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.PURCHASER, wrong_role=Role.TECHNICIAN)


def _rows(html: str) -> list[str]:
    return re.findall(r'data-testid="result-row" data-part="(\d+)"', html)


def test_the_search_page_puts_the_vin_box_first(shop_actors):
    response = shop_actors.member_client.get(SEARCH)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('data-testid="vin-input"') < html.index('data-testid="keyword-input"')
    assert 'placeholder="名称、拼音首字母、原厂编号或零件号"' in html
    assert 'data-testid="results-empty"' in html


def test_a_colleague_without_the_purchase_permission_is_refused(shop_actors, catalogue):
    assert shop_actors.colleague_client.get(SEARCH, {"q": "机油滤清器"}).status_code == 403
    part_url = reverse("search:part", args=[catalogue.toyota_filter.pk])
    assert shop_actors.colleague_client.get(part_url).status_code == 403


def test_another_organization_reads_the_same_shared_catalogue(shop_actors, catalogue):
    part_url = reverse("search:part", args=[catalogue.toyota_filter.pk])

    mine = shop_actors.member_client.get(SEARCH, {"q": "jylq"})
    theirs = shop_actors.outsider_client.get(SEARCH, {"q": "jylq"})

    assert _rows(mine.content.decode()) == _rows(theirs.content.decode())
    assert len(_rows(mine.content.decode())) == 4
    assert shop_actors.outsider_client.get(part_url).status_code == 200


def test_results_show_one_row_per_part_with_its_offer_summary(shop_actors, catalogue):
    response = shop_actors.member_client.get(SEARCH, {"oe": "90915-10003"})

    html = response.content.decode()
    assert _rows(html) == [
        str(p.pk) for p in (catalogue.toyota_filter, catalogue.acdelco_filter, catalogue.old_toyota_filter)
    ]
    first_row = html[
        html.index('data-testid="result-row"') : html.index("</tr>", html.index('data-testid="result-row"'))
    ]
    assert "丰田卡罗拉机油滤清器" in first_row
    assert "¥18.00" in first_row
    assert "2 天" in first_row
    assert "编号匹配" in first_row
    assert 'data-testid="total">共 3 条' in html


def test_a_vin_search_shows_the_vehicle_chip_and_only_fitting_parts(shop_actors, catalogue):
    WmiFactory.create(code="LFM", manufacturer="FAW Toyota", country="China")
    VinPatternFactory.create(wmi="LFM", vds_prefix="AP22").vehicle_types.set([catalogue.corolla_12t])

    response = shop_actors.member_client.get(
        SEARCH, {"vin": COROLLA_VIN, "category": catalogue.oil_filter.pk}
    )

    html = response.content.decode()
    assert sorted(_rows(html)) == sorted([str(catalogue.toyota_filter.pk), str(catalogue.acdelco_filter.pk)])
    assert 'data-testid="vehicle-chip"' in html
    assert catalogue.corolla_12t.label in html
    assert 'data-testid="category-oil-filter"' in html


def test_an_invalid_vin_is_shown_under_the_vin_box_and_the_rest_still_searches(shop_actors, catalogue):
    response = shop_actors.member_client.get(SEARCH, {"vin": "LFMAP22E0K012345", "q": "刹车片"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="vin-error"' in html
    assert "17" in html[html.index('data-testid="vin-error"') :][:200]
    assert _rows(html) == [str(catalogue.brake_pad.pk)]


def test_facets_show_counts_and_link_to_their_filter(shop_actors, catalogue):
    response = shop_actors.member_client.get(SEARCH, {"vehicle_type": catalogue.corolla_12t.pk})

    html = response.content.decode()
    brand = catalogue.toyota_filter.brand_id
    link = re.search(rf'<a href="([^"]+)" class="pm-facet[^"]*" data-testid="facet-brand-{brand}">', html)
    facet = html[html.index(f'data-testid="facet-brand-{brand}"') :][:200]
    assert "丰田" in facet
    assert ">2<" in facet
    assert link is not None
    assert link.group(1) == f"?vehicle_type={catalogue.corolla_12t.pk}&amp;brand={brand}"
    tree = html[html.index('data-testid="category-filters"') :][:300]
    assert ">3<" in tree


def test_sorting_and_pagination_keep_the_other_criteria(shop_actors, catalogue):
    response = shop_actors.member_client.get(
        SEARCH, {"category": catalogue.filters.pk, "sort": "price", "per_page": 20}
    )

    html = response.content.decode()
    assert _rows(html)[:2] == [str(catalogue.toyota_filter.pk), str(catalogue.acdelco_filter.pk)]
    assert f"category={catalogue.filters.pk}" in html[html.index('data-testid="sort-delivery"') - 200 :][:400]


def test_the_part_page_compares_its_offers_side_by_side(shop_actors, catalogue):
    response = shop_actors.member_client.get(reverse("search:part", args=[catalogue.toyota_filter.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    columns = re.findall(r'data-testid="offer-col" data-offer="(\d+)"', html)
    assert len(columns) == 3
    prices = re.findall(r'data-testid="offer-price">([^<]+)<', html)
    assert prices == ["¥18.00", "¥39.50", "¥45.00"]
    assert html.count('data-testid="best-price"') == 1
    assert "广州华南汽配有限公司" in html
    assert "北京京北汽配有限公司" in html
    assert 'data-testid="fitment-group"' in html
    assert "卡罗拉" in html
    assert "2019-03 以后" in html
    assert "90915-10003" in html
    assert "PF304J" in html
    assert "可互换" in html


def test_a_rejected_part_page_is_not_found(shop_actors, catalogue):
    response = shop_actors.member_client.get(reverse("search:part", args=[catalogue.rejected.pk]))

    assert response.status_code == 404


def test_the_shop_sidebar_has_find_parts_under_purchasing(db):
    shop = MembershipFactory.create(
        organization=OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP), role=Role.PURCHASER
    )
    technician = MembershipFactory.create(organization=shop.organization, role=Role.TECHNICIAN)

    groups = navigation_for(_actor(shop))

    assert {"label": "找配件", "url": SEARCH, "icon": "search"} in [
        {**e, "label": str(e["label"])} for g in groups if str(g["label"]) == "采购" for e in g["entries"]
    ]
    assert all(e["url"] != SEARCH for g in navigation_for(_actor(technician)) for e in g["entries"])


def test_a_made_to_order_offer_shows_made_to_order_not_to_be_ordered(shop_actors, catalogue):
    offers = list(catalogue.toyota_filter.offers.order_by("price"))
    offers[0].made_to_order = True
    offers[0].save(update_fields=["made_to_order"])
    url = reverse("search:part", args=[catalogue.toyota_filter.pk])

    html = shop_actors.member_client.get(url).content.decode()
    body = shop_actors.member_client.get(reverse("api-part", args=[catalogue.toyota_filter.pk])).json()

    assert html.count('data-testid="made-to-order"') == 1
    assert [o["made_to_order"] for o in body["offers"]] == [True, False, False]
