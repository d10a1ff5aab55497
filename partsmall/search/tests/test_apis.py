import pytest
from django.urls import reverse

from partsmall.integrations.tests.factories import ApiKeyFactory, full_key
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role

SEARCH = reverse("api-search-parts")


@pytest.fixture
def shop_actors(make_actors):
    return make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.PURCHASER, wrong_role=Role.TECHNICIAN)


def test_the_search_api_answers_hits_and_facets(shop_actors, catalogue):
    response = shop_actors.member_client.get(
        SEARCH, {"vehicle_type": catalogue.corolla_12t.pk, "category": catalogue.filters.pk, "sort": "price"}
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["total"], body["page"], body["num_pages"]) == (3, 1, 1)
    assert [r["part"]["number"] for r in body["results"]] == ["90915-10003", "PF304J", "0 986 AF2 063"]
    assert body["results"][0] == {
        "part": {
            "id": catalogue.toyota_filter.pk,
            "number": "90915-10003",
            "name": "丰田卡罗拉机油滤清器",
            "brand": {"id": catalogue.toyota_filter.brand_id, "name": "丰田"},
            "category": {"id": catalogue.oil_filter.pk, "name": "机油滤清器", "code": "oil-filter"},
            "review_status": "approved",
        },
        "min_price": "18.00",
        "fastest_lead_days": 2,
        "supplier_count": 2,
        "offer_count": 3,
        "in_stock": True,
        "number_match": "",
        "price": {"unit_price": "18.00", "source": "standard"},
    }
    assert body["facets"]["category"][:3] == [
        {"value": catalogue.filters.pk, "label": "滤清器", "count": 3},
        {"value": catalogue.oil_filter.pk, "label": "机油滤清器", "count": 2},
        {"value": catalogue.air_filter.pk, "label": "空气滤清器", "count": 1},
    ]
    assert body["facets"]["in_stock"] == [{"value": True, "label": "有货", "count": 2}]
    assert body["facets"]["price_range"][0] == {"value": "0-50", "label": "¥0–50", "count": 2}
    assert [v["label"] for v in body["vehicles"]] == [catalogue.corolla_12t.label]


def test_the_search_api_takes_lists_and_numbers(shop_actors, catalogue):
    response = shop_actors.member_client.get(
        SEARCH, {"q": "９０９１５－１０００３", "grade": ["genuine", "brand"], "page_size": 2}
    )

    body = response.json()
    assert [(r["part"]["number"], r["number_match"]) for r in body["results"]] == [
        ("90915-10003", "exact"),
        ("PF304J", "interchange"),
    ]
    assert (body["total"], body["num_pages"]) == (2, 1)


def test_bad_parameters_are_refused_naming_the_parameter(shop_actors, catalogue):
    response = shop_actors.member_client.get(SEARCH, {"grade": "gold", "page_size": 500})

    assert response.status_code == 400
    assert set(response.json()) == {"grade", "page_size"}


def test_an_invalid_vin_is_refused_naming_the_vin(shop_actors, catalogue):
    response = shop_actors.member_client.get(SEARCH, {"vin": "LFMAP22E0K01234"})

    assert response.status_code == 400
    assert response.json()["field"] == "vin"


def test_the_part_api_answers_oe_numbers_links_fitment_and_offers(shop_actors, catalogue):
    response = shop_actors.member_client.get(reverse("api-part", args=[catalogue.toyota_filter.pk]))

    body = response.json()
    assert response.status_code == 200
    assert body["part"]["number"] == "90915-10003"
    assert [c["code"] for c in body["category_path"]] == ["filters", "oil-filter"]
    assert body["oe_numbers"] == [
        {
            "number": "90915-10003",
            "number_norm": "9091510003",
            "oe_brand": {"id": catalogue.toyota_filter.brand_id, "name": "丰田"},
        }
    ]
    assert sorted((link["relation"], link["part"]["number"]) for link in body["links"]) == [
        ("interchange", "PF304J"),
        ("supersedes", "90915-10001"),
    ]
    assert body["fitment"][0]["make"]["name"] == "丰田"
    assert [len(m["fitments"]) for m in body["fitment"][0]["models"]] == [2]
    assert [(o["supplier"]["name"], o["grade"], o["price"]) for o in body["offers"]] == [
        ("北京京北汽配有限公司", "aftermarket", "18.00"),
        ("北京京北汽配有限公司", "genuine", "39.50"),
        ("广州华南汽配有限公司", "genuine", "45.00"),
    ]
    assert body["best_price_offer_id"] == body["offers"][0]["id"]


def test_three_actors_on_the_part_api(shop_actors, catalogue):
    url = reverse("api-part", args=[catalogue.toyota_filter.pk])

    assert shop_actors.member_client.get(url).status_code == 200
    assert shop_actors.colleague_client.get(url).status_code == 403
    # Shared catalogue data: another organization reads the same part.
    assert shop_actors.outsider_client.get(url).json()["part"]["id"] == catalogue.toyota_filter.pk
    assert shop_actors.member_client.get(reverse("api-part", args=[catalogue.rejected.pk])).status_code == 404


def test_an_api_key_with_the_purchaser_role_searches(shop_actors, catalogue, client):
    key = ApiKeyFactory.create(organization=shop_actors.organization, role=Role.PURCHASER)

    response = client.get(SEARCH, {"q": "jylq"}, HTTP_AUTHORIZATION=f"Api-Key {full_key(key)}")

    assert response.status_code == 200
    assert response.json()["total"] == 4
