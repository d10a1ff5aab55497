from dataclasses import replace
from decimal import Decimal

import pytest
from django.http import Http404

from partsmall.catalog.models import Grade, Part
from partsmall.catalog.tests.factories import FitmentFactory
from partsmall.core.errors import ApplicationError
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Membership, Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory
from partsmall.search.selectors import FacetValue, SearchQuery, part_detail, search_parts
from partsmall.search.tests.conftest import Catalogue, index_parts
from partsmall.vehicles.services import vin_choice_remember
from partsmall.vehicles.tests.factories import VehicleTypeFactory, VinPatternFactory, WmiFactory
from partsmall.vehicles.vin import with_check_digit

# A China-built FAW Toyota VIN (check digit computed), model year K = 2019.
COROLLA_VIN = with_check_digit("LFMAP22E0K0123456")
AMBIGUOUS_VIN = with_check_digit("LFMBR33F0K0654321")


def _actor(membership: Membership) -> Actor:
    return Actor(
        user=membership.user,
        organization=membership.organization,
        membership=membership,
        role=membership.role,
    )


@pytest.fixture
def shop(db) -> Membership:
    org = OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP, name="深圳快修汽修门店")
    return MembershipFactory.create(organization=org, role=Role.PURCHASER)


@pytest.fixture
def actor(shop: Membership) -> Actor:
    return _actor(shop)


@pytest.fixture
def vin_patterns(catalogue: Catalogue) -> None:
    WmiFactory.create(code="LFM", manufacturer="FAW Toyota", country="China")
    VinPatternFactory.create(wmi="LFM", vds_prefix="AP22").vehicle_types.set([catalogue.corolla_12t])
    VinPatternFactory.create(wmi="LFM", vds_prefix="BR33").vehicle_types.set(
        [catalogue.corolla_12t, catalogue.camry]
    )


def _ids(actor: Actor, **criteria) -> list[int]:
    return [hit.part.pk for hit in search_parts(actor=actor, query=SearchQuery(**criteria)).hits]


# Keyword ------------------------------------------------------------------------------------


def test_a_chinese_keyword_is_cut_into_words_that_all_must_match(catalogue, actor):
    found = _ids(actor, q="卡罗拉机油滤清器")

    assert found == [catalogue.toyota_filter.pk]


def test_a_chinese_keyword_finds_names_and_categories_and_never_rejected_parts(catalogue, actor):
    found = set(_ids(actor, q="机油滤清器"))

    assert found == {
        catalogue.old_toyota_filter.pk,
        catalogue.toyota_filter.pk,
        catalogue.acdelco_filter.pk,
        catalogue.camry_filter.pk,
    }


def test_trade_synonyms_find_the_same_parts(catalogue, actor):
    assert set(_ids(actor, q="机滤")) == set(_ids(actor, q="机油滤清器"))


def test_a_word_jieba_does_not_know_still_finds_by_its_characters(catalogue, actor):
    assert set(_ids(actor, q="前刹")) == {catalogue.brake_pad.pk}


def test_pinyin_initials_find_the_part_and_work_as_prefixes(catalogue, actor):
    oil_filters = set(_ids(actor, q="机油滤清器"))

    assert set(_ids(actor, q="jylq")) == oil_filters
    assert set(_ids(actor, q="JYLQQ")) == oil_filters
    assert set(_ids(actor, q="sc")) == {catalogue.brake_pad.pk}


def test_a_brand_in_latin_letters_is_matched_as_a_prefix(catalogue, actor):
    assert _ids(actor, q="bosch") == [catalogue.air_filter_part.pk]
    assert _ids(actor, q="acdel") == [catalogue.acdelco_filter.pk]


def test_relevance_puts_names_that_contain_the_words_first(catalogue, actor):
    found = _ids(actor, q="凯美瑞")

    assert found == [catalogue.camry_filter.pk]
    # 凯美瑞机油滤芯 is a 丰田 part in 机油滤清器 but its name has neither word; in stock first.
    assert _ids(actor, q="丰田 机油滤清器") == [
        catalogue.toyota_filter.pk,
        catalogue.old_toyota_filter.pk,
        catalogue.camry_filter.pk,
    ]


# Numbers ------------------------------------------------------------------------------------


def test_an_oe_number_finds_its_part_first_then_interchange_and_supersession(catalogue, actor):
    result = search_parts(actor=actor, query=SearchQuery(oe="90915-10003"))

    assert [(h.part.pk, h.number_match) for h in result.hits] == [
        (catalogue.toyota_filter.pk, "exact"),
        (catalogue.acdelco_filter.pk, "interchange"),
        (catalogue.old_toyota_filter.pk, "interchange"),
    ]


def test_an_oe_number_prefix_finds_every_number_that_starts_with_it(catalogue, actor):
    result = search_parts(actor=actor, query=SearchQuery(q="90915"))

    matches = {h.part.pk: h.number_match for h in result.hits}
    assert matches == {
        catalogue.old_toyota_filter.pk: "prefix",
        catalogue.toyota_filter.pk: "prefix",
        catalogue.camry_filter.pk: "prefix",
        catalogue.acdelco_filter.pk: "interchange",
    }
    assert result.hits[-1].part.pk == catalogue.acdelco_filter.pk


@pytest.mark.parametrize(
    "written", ["９０９１５－１０００３", "90915.10003", "90915 10003", " 90915-10003 ", "9091510003"]
)
def test_an_oe_number_is_normalised_as_people_write_it(catalogue, actor, written):
    result = search_parts(actor=actor, query=SearchQuery(q=written))

    assert result.hits[0].part.pk == catalogue.toyota_filter.pk
    assert result.hits[0].number_match == "exact"


def test_interchange_is_found_from_either_side(catalogue, actor):
    from_aftermarket = search_parts(actor=actor, query=SearchQuery(oe="pf304j"))

    assert [(h.part.pk, h.number_match) for h in from_aftermarket.hits] == [
        (catalogue.acdelco_filter.pk, "exact"),
        (catalogue.toyota_filter.pk, "interchange"),
    ]


def test_a_superseded_number_finds_the_part_that_replaces_it(catalogue, actor):
    found = _ids(actor, oe="90915-10001")

    assert found == [catalogue.old_toyota_filter.pk, catalogue.toyota_filter.pk]


def test_a_part_number_is_found_exactly(catalogue, actor):
    assert _ids(actor, q="45022-T6A-J00") == [catalogue.brake_pad.pk]
    assert _ids(actor, q="0986 AF2063") == [catalogue.air_filter_part.pk]


def test_a_rejected_part_is_not_found_even_by_its_own_number(catalogue, actor):
    assert _ids(actor, q="0 986 AF0 999") == []
    assert catalogue.rejected.pk not in _ids(actor, vehicle_type_ids=(catalogue.corolla_12t.pk,))


def test_a_number_nothing_carries_finds_nothing(catalogue, actor):
    result = search_parts(actor=actor, query=SearchQuery(oe="ZZ-000"))

    assert (result.total, result.hits) == (0, [])


# Vehicle ------------------------------------------------------------------------------------


def test_a_vin_finds_only_the_parts_that_fit_its_vehicle(catalogue, actor, vin_patterns):
    result = search_parts(actor=actor, query=SearchQuery(vin=COROLLA_VIN))

    assert {h.part.pk for h in result.hits} == {
        catalogue.toyota_filter.pk,
        catalogue.acdelco_filter.pk,
        catalogue.air_filter_part.pk,
        catalogue.brake_pad.pk,
    }
    assert result.vin_decoding is not None
    assert result.vin_decoding.chosen == catalogue.corolla_12t


def test_an_ambiguous_vin_finds_the_parts_of_every_candidate_until_one_is_picked(
    catalogue, actor, vin_patterns
):
    every = set(_ids(actor, vin=AMBIGUOUS_VIN))
    picked = set(_ids(actor, vin=AMBIGUOUS_VIN, vehicle_type_ids=(catalogue.camry.pk,)))

    assert every == set(_ids(actor, vehicle_type_ids=(catalogue.corolla_12t.pk, catalogue.camry.pk)))
    assert picked == {catalogue.camry_filter.pk, catalogue.old_toyota_filter.pk}


def test_the_organizations_remembered_choice_narrows_its_vin_and_no_one_elses(
    catalogue, actor, shop, vin_patterns
):
    vin_choice_remember(
        organization=shop.organization, vin=AMBIGUOUS_VIN, vehicle_type=catalogue.camry, by=shop.user
    )
    other_shop = _actor(
        MembershipFactory.create(
            organization=OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP), role=Role.PURCHASER
        )
    )

    mine = set(_ids(actor, vin=AMBIGUOUS_VIN))
    theirs = set(_ids(other_shop, vin=AMBIGUOUS_VIN))

    assert mine == {catalogue.camry_filter.pk, catalogue.old_toyota_filter.pk}
    assert len(theirs) == 6


def test_a_vin_no_pattern_knows_finds_nothing_and_says_why(catalogue, actor, vin_patterns):
    result = search_parts(actor=actor, query=SearchQuery(vin=with_check_digit("LFMZZ99Z0K0000001")))

    assert (result.total, result.hits) == (0, [])
    assert result.vin_decoding is not None
    assert result.vin_decoding.candidates == []
    assert result.vin_decoding.notes == ["平台 VIN 规则库中暂无此 VIN 的车型，请按品牌、车系选择车型。"]


def test_an_invalid_vin_is_refused_naming_the_vin_field(catalogue, actor):
    with pytest.raises(ApplicationError) as refused:
        search_parts(actor=actor, query=SearchQuery(vin="LFMAP22E0K012345"))

    assert refused.value.field == "vin"


def test_make_model_year_and_engine_narrow_to_the_fitting_parts(catalogue, actor):
    corolla = catalogue.corolla_12t.model

    by_model = set(_ids(actor, model_id=catalogue.camry.model_id))
    by_engine = set(_ids(actor, make_id=corolla.make_id, year=2020, engine_code="8ZR-FXE"))
    by_year = set(_ids(actor, model_id=corolla.pk, year=2015))
    by_make_and_year = set(_ids(actor, make_id=corolla.make_id, year=2010))

    assert by_model == {catalogue.camry_filter.pk, catalogue.old_toyota_filter.pk}
    assert by_engine == {catalogue.toyota_filter.pk}
    assert by_year == {catalogue.toyota_filter.pk}  # only the hybrid was built in 2015
    # No Corolla E180 was built in 2010; the Camry's years are not stated, so it is not ruled out.
    assert by_make_and_year == {catalogue.camry_filter.pk, catalogue.old_toyota_filter.pk}


# Category and combined ------------------------------------------------------------------------


def test_a_category_includes_its_descendants(catalogue, actor):
    filters = set(_ids(actor, category_id=catalogue.filters.pk))
    air = set(_ids(actor, category_id=catalogue.air_filter.pk))

    assert filters == catalogue.visible - {catalogue.brake_pad.pk}
    assert air == {catalogue.air_filter_part.pk}


def test_criteria_combine_with_and(catalogue, actor, vin_patterns):
    found = _ids(actor, vin=COROLLA_VIN, category_id=catalogue.oil_filter.pk, q="丰田")

    assert found == [catalogue.toyota_filter.pk]
    assert set(_ids(actor, vin=COROLLA_VIN, category_id=catalogue.oil_filter.pk)) == {
        catalogue.toyota_filter.pk,
        catalogue.acdelco_filter.pk,
    }


def test_brand_grade_price_and_stock_filters(catalogue, actor):
    toyota = catalogue.toyota_filter.brand_id

    assert set(_ids(actor, category_id=catalogue.filters.pk, brand_ids=(toyota,))) == {
        catalogue.old_toyota_filter.pk,
        catalogue.toyota_filter.pk,
        catalogue.camry_filter.pk,
    }
    assert set(_ids(actor, grades=(Grade.AFTERMARKET,))) == {catalogue.toyota_filter.pk}
    assert set(_ids(actor, grades=(Grade.USED,))) == set()  # the used offer is delisted
    assert set(_ids(actor, price_min=Decimal("50"), price_max=Decimal("200"))) == {
        catalogue.camry_filter.pk,
        catalogue.air_filter_part.pk,
    }
    assert set(_ids(actor, category_id=catalogue.filters.pk, in_stock=True)) == {
        catalogue.toyota_filter.pk,
        catalogue.acdelco_filter.pk,
        catalogue.camry_filter.pk,
    }


def test_no_criteria_finds_nothing_and_counts_nothing(catalogue, actor, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        result = search_parts(actor=actor, query=SearchQuery())

    assert (result.total, result.hits, result.has_criteria) == (0, [], False)


# Facets -------------------------------------------------------------------------------------


def test_facet_counts_are_exact_over_the_filtered_parts(catalogue, actor):
    result = search_parts(actor=actor, query=SearchQuery(vehicle_type_ids=(catalogue.corolla_12t.pk,)))
    facets = result.facets
    toyota, acdelco, bosch = (
        catalogue.toyota_filter.brand,
        catalogue.acdelco_filter.brand,
        catalogue.air_filter_part.brand,
    )

    assert result.total == 4
    assert facets.category == [
        FacetValue(catalogue.filters.pk, "滤清器", 3),
        FacetValue(catalogue.oil_filter.pk, "机油滤清器", 2),
        FacetValue(catalogue.air_filter.pk, "空气滤清器", 1),
        FacetValue(catalogue.brakes.pk, "制动系统", 1),
        FacetValue(catalogue.brake_pads.pk, "刹车片", 1),
    ]
    assert facets.brand == [
        FacetValue(toyota.pk, "丰田", 2),
        FacetValue(acdelco.pk, "ACDelco", 1),
        FacetValue(bosch.pk, "博世", 1),
    ]
    assert facets.grade == [
        FacetValue("genuine", "原厂件", 2),
        FacetValue("brand", "品牌件", 2),
        FacetValue("aftermarket", "副厂件", 1),
    ]
    assert facets.price_range == [
        FacetValue("0-50", "¥0–50", 2),
        FacetValue("50-100", "¥50–100", 0),
        FacetValue("100-200", "¥100–200", 1),
        FacetValue("200-500", "¥200–500", 0),
        FacetValue("500-", "¥500+", 1),
    ]
    assert facets.in_stock == [FacetValue(True, "有货", 3)]


def test_each_facet_counts_without_its_own_filter(catalogue, actor):
    toyota = catalogue.toyota_filter.brand
    query = SearchQuery(
        vehicle_type_ids=(catalogue.corolla_12t.pk,),
        brand_ids=(toyota.pk,),
        price_min=Decimal("0"),
        price_max=Decimal("50"),
    )

    result = search_parts(actor=actor, query=query)

    assert [h.part.pk for h in result.hits] == [catalogue.toyota_filter.pk]
    assert [(f.label, f.count) for f in result.facets.brand] == [("ACDelco", 1), ("丰田", 1)]
    assert [f.count for f in result.facets.price_range] == [1, 0, 0, 0, 1]
    assert result.facets.in_stock == [FacetValue(True, "有货", 1)]
    assert [(f.label, f.count) for f in result.facets.category] == [("滤清器", 1), ("机油滤清器", 1)]


def test_the_category_facet_counts_below_the_chosen_category(catalogue, actor):
    result = search_parts(actor=actor, query=SearchQuery(q="丰田", category_id=catalogue.filters.pk))

    assert result.facets.category == [
        FacetValue(catalogue.filters.pk, "滤清器", 3),
        FacetValue(catalogue.oil_filter.pk, "机油滤清器", 3),
    ]


def test_filters_alone_narrow_every_count(catalogue, actor):
    acdelco = catalogue.acdelco_filter.brand

    result = search_parts(actor=actor, query=SearchQuery(brand_ids=(acdelco.pk,)))

    assert [h.part.pk for h in result.hits] == [catalogue.acdelco_filter.pk]
    assert result.facets.brand == [FacetValue(acdelco.pk, "ACDelco", 1)]
    assert result.facets.grade == [FacetValue("brand", "品牌件", 1)]


# Sorting and pages ----------------------------------------------------------------------------


def test_sort_by_price_puts_the_cheapest_first_and_parts_without_offers_last(catalogue, actor):
    nothing = Part.objects.create(
        brand=catalogue.air_filter_part.brand,
        number="0 986 AF2 064",
        number_norm="0986AF2064",
        name="空气滤清器 大号",
        category=catalogue.air_filter,
    )
    index_parts([nothing])

    found = _ids(actor, category_id=catalogue.filters.pk, sort="price")

    assert found == [
        catalogue.toyota_filter.pk,  # ¥18.00
        catalogue.acdelco_filter.pk,  # ¥28.00
        catalogue.camry_filter.pk,  # ¥62.00
        catalogue.air_filter_part.pk,  # ¥120.00
        catalogue.old_toyota_filter.pk,  # no offer
        nothing.pk,  # no offer
    ]


def test_sort_by_delivery_puts_the_fastest_first(catalogue, actor):
    found = _ids(actor, vehicle_type_ids=(catalogue.corolla_12t.pk,), sort="delivery")

    assert found == [
        catalogue.acdelco_filter.pk,  # 1 day, ¥28
        catalogue.air_filter_part.pk,  # 1 day, ¥120
        catalogue.toyota_filter.pk,  # 2 days
        catalogue.brake_pad.pk,  # 7 days
    ]


def test_pages_carry_the_total_and_stop_at_the_last(catalogue, actor):
    query = SearchQuery(category_id=catalogue.filters.pk, sort="price", page_size=2)

    first = search_parts(actor=actor, query=query)
    last = search_parts(actor=actor, query=replace(query, page=3))
    beyond = search_parts(actor=actor, query=replace(query, page=9))

    assert (first.total, first.num_pages, first.page) == (5, 3, 1)
    assert [h.part.pk for h in first.hits] == [catalogue.toyota_filter.pk, catalogue.acdelco_filter.pk]
    assert [h.part.pk for h in last.hits] == [catalogue.old_toyota_filter.pk]
    assert (beyond.page, [h.part.pk for h in beyond.hits]) == (3, [catalogue.old_toyota_filter.pk])


def test_a_keyword_search_is_three_statements_however_many_parts_it_shows(
    catalogue, actor, django_assert_num_queries
):
    query = SearchQuery(q="滤清器", category_id=catalogue.filters.pk, grades=(Grade.GENUINE,), page_size=100)

    # The categories, the page with the total and every facet, the page's parts.
    with django_assert_num_queries(3):
        result = search_parts(actor=actor, query=query)
        names = [(h.part.brand.name, h.part.category.name) for h in result.hits]

    assert names == [("丰田", "机油滤清器"), ("丰田", "机油滤清器")]


def test_a_vin_search_adds_only_the_vin_decoding(
    catalogue, actor, vin_patterns, django_assert_max_num_queries
):
    query = SearchQuery(vin=COROLLA_VIN, q="滤清器", category_id=catalogue.filters.pk, page_size=100)

    with django_assert_max_num_queries(8):
        result = search_parts(actor=actor, query=query)
        names = [(h.part.brand.name, h.part.category.name) for h in result.hits]

    assert len(names) == 3


# Part detail --------------------------------------------------------------------------------


def test_part_detail_groups_fitment_by_make_and_model_and_orders_offers_by_price(catalogue, actor):
    detail = part_detail(actor=actor, part_id=catalogue.toyota_filter.pk)

    assert [o.price for o in detail.offers] == [Decimal("18.00"), Decimal("39.50"), Decimal("45.00")]
    assert detail.best_price_offer_id == detail.offers[0].pk
    assert detail.fastest_offer_id == detail.offers[2].pk
    assert [o.number for o in detail.oe_numbers] == ["90915-10003"]
    assert [(g.make.name, [(m.model.name, len(m.fitments)) for m in g.models]) for g in detail.fitment] == [
        ("丰田", [("卡罗拉", 2)])
    ]
    assert {(link.part.pk, link.relation) for link in detail.links} == {
        (catalogue.acdelco_filter.pk, "interchange"),
        (catalogue.old_toyota_filter.pk, "supersedes"),
    }
    assert [c.name for c in detail.category_path] == ["滤清器", "机油滤清器"]


def test_part_detail_lists_a_type_without_a_start_year_before_the_others_of_its_model(catalogue, actor):
    # vehicles_cn.csv: 一汽丰田 卡罗拉 Corolla 1.8, no start year stated.
    corolla_18 = VehicleTypeFactory.create(
        model=catalogue.corolla_12t.model,
        generation="",
        engine_code="",
        displacement_l=Decimal("1.8"),
        year_from=None,
        year_to=None,
    )
    FitmentFactory.create(part=catalogue.toyota_filter, vehicle_type=corolla_18)

    detail = part_detail(actor=actor, part_id=catalogue.toyota_filter.pk)

    [toyota] = detail.fitment
    [corolla] = toyota.models
    assert [f.vehicle_type for f in corolla.fitments] == [
        corolla_18,
        catalogue.corolla_hybrid,
        catalogue.corolla_12t,
    ]
    assert [f.vehicle_type.years for f in corolla.fitments] == ["–", "2015–", "2016–"]


def test_part_detail_of_the_superseded_part_names_its_successor(catalogue, actor):
    detail = part_detail(actor=actor, part_id=catalogue.old_toyota_filter.pk)

    assert [(link.part.pk, link.relation) for link in detail.links] == [
        (catalogue.toyota_filter.pk, "superseded_by")
    ]
    assert detail.offers == []


def test_part_detail_hides_delisted_offers(catalogue, actor):
    detail = part_detail(actor=actor, part_id=catalogue.brake_pad.pk)

    assert [(o.grade, o.price) for o in detail.offers] == [(Grade.GENUINE, Decimal("680.00"))]
    assert detail.fitment[0].models[0].fitments[0].position == "front"


def test_a_rejected_or_unknown_part_is_not_found(catalogue, actor):
    with pytest.raises(Http404):
        part_detail(actor=actor, part_id=catalogue.rejected.pk)
    with pytest.raises(Http404):
        part_detail(actor=actor, part_id=999_999)
