from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import login_client
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory
from partsmall.vehicles import errors
from partsmall.vehicles.models import VehicleType, VinChoice, VinPattern
from partsmall.vehicles.tests.factories import (
    MakeFactory,
    VehicleModelFactory,
    VehicleTypeFactory,
    VinPatternFactory,
)
from partsmall.vehicles.vin import with_check_digit

pytestmark = pytest.mark.django_db
VIN = with_check_digit("LSVAB2180B0000001")


@pytest.fixture
def shop(make_actors):
    return make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.PURCHASER, wrong_role=Role.TECHNICIAN)


@pytest.fixture
def lavidas():
    make = MakeFactory.create(name="大众", name_en="Volkswagen", initials="DZ")
    model = VehicleModelFactory.create(make=make, name="朗逸", manufacturer="上汽大众")
    common = {"model": model, "generation": "第一代 (Typ 18, PQ34)", "year_from": 2008, "year_to": 2012}
    return [
        VehicleTypeFactory.create(**common, engine_code="EA111", displacement_l=Decimal("1.6")),
        VehicleTypeFactory.create(**common, engine_code="EA113", displacement_l=Decimal("2.0")),
    ]


@pytest.fixture
def ambiguous(lavidas):
    pattern = VinPatternFactory.create(wmi="LSV", vds_prefix="AB")
    pattern.vehicle_types.set(lavidas)
    return pattern


@pytest.fixture
def operator(platform_org):
    return login_client(MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_OPERATOR))


def _decode(client, vin=VIN):
    return client.get(reverse("vehicles:vin_decode"), {"vin": vin})


# The VIN decoding fragment --------------------------------------------------------------


def test_a_purchaser_sees_the_candidates_of_an_ambiguous_vin(shop, ambiguous, lavidas):
    response = _decode(shop.member_client)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="vin-manufacturer">SAIC Volkswagen<' in html
    assert 'data-testid="vin-model-years">2011<' in html
    assert f'data-testid="vin-candidate-{lavidas[0].pk}"' in html
    assert f'data-testid="vin-candidate-{lavidas[1].pk}"' in html
    assert 'name="vehicle_type"' not in html


def test_a_single_candidate_comes_with_the_hidden_vehicle_type(shop, lavidas):
    VinPatternFactory.create(wmi="LSV", vds_prefix="AB2").vehicle_types.set([lavidas[0]])

    html = _decode(shop.member_client).content.decode()

    assert f'<input type="hidden" name="vehicle_type" value="{lavidas[0].pk}"' in html


def test_an_invalid_vin_says_what_is_wrong(shop):
    html = _decode(shop.member_client, vin="LSVAB2180B000000").content.decode()

    assert 'data-testid="vin-error"' in html
    assert "VIN 应为 17 位，当前为 16 位。" in html


def test_choosing_a_candidate_is_remembered_for_the_organization_only(shop, ambiguous, lavidas):
    response = shop.member_client.post(
        reverse("vehicles:vin_choose"), {"vin": VIN, "vehicle_type": lavidas[1].pk}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "vinChosen"
    assert f'<input type="hidden" name="vehicle_type" value="{lavidas[1].pk}"' in html
    assert f'name="vehicle_type" value="{lavidas[1].pk}"' in _decode(shop.member_client).content.decode()
    assert 'name="vehicle_type"' not in _decode(shop.outsider_client).content.decode()
    assert list(VinChoice.objects.values_list("organization", "vehicle_type")) == [
        (shop.organization.pk, lavidas[1].pk)
    ]


def test_a_vehicle_type_that_is_no_candidate_is_refused(shop, ambiguous):
    other = VehicleTypeFactory.create()

    response = shop.member_client.post(reverse("vehicles:vin_choose"), {"vin": VIN, "vehicle_type": other.pk})

    assert str(errors.NOT_A_CANDIDATE) in response.content.decode()
    assert not response.has_header("HX-Trigger")
    assert not VinChoice.objects.exists()


def test_a_colleague_without_purchase_is_refused_and_nothing_is_remembered(shop, ambiguous, lavidas):
    decode = _decode(shop.colleague_client)
    choose = shop.colleague_client.post(
        reverse("vehicles:vin_choose"), {"vin": VIN, "vehicle_type": lavidas[0].pk}
    )

    assert (decode.status_code, choose.status_code) == (403, 403)
    assert not VinChoice.objects.exists()


def test_an_outsider_never_sees_another_organizations_choice(shop, ambiguous, lavidas):
    VinChoice.objects.create(organization=shop.organization, vin=VIN, vehicle_type=lavidas[0])

    response = _decode(shop.outsider_client)

    assert response.status_code == 200
    assert 'name="vehicle_type"' not in response.content.decode()
    assert "checked" not in response.content.decode()


def test_platform_staff_cannot_use_the_shop_fragment(operator, ambiguous):
    assert _decode(operator).status_code == 403


# The cascading selects ------------------------------------------------------------------


def test_the_selects_cascade_from_make_to_engine(shop, lavidas):
    url = reverse("vehicles:vehicle_selects")
    make = lavidas[0].model.make
    model = lavidas[0].model

    start = shop.member_client.get(url).content.decode()
    with_make = shop.member_client.get(url, {"make": make.pk}).content.decode()
    full = shop.member_client.get(url, {"make": make.pk, "model": model.pk, "year": 2010}).content.decode()

    assert f'<option value="{make.pk}">D · 大众</option>' in start
    assert 'data-testid="select-model" disabled' in start
    assert f'<option value="{model.pk}">朗逸</option>' in with_make
    assert '<option value="2010" selected>2010</option>' in full
    assert '<option value="EA111">EA111</option>' in full
    assert '<option value="EA113">EA113</option>' in full


def test_a_model_of_another_make_is_dropped_from_the_selects(shop, lavidas):
    toyota = VehicleTypeFactory.create(model__make__name="丰田")

    html = shop.member_client.get(
        reverse("vehicles:vehicle_selects"), {"make": lavidas[0].model.make_id, "model": toyota.model_id}
    ).content.decode()

    assert 'data-testid="select-year" disabled' in html


# The operator console -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["vehicle_types", "vehicle_type_create", "vin_patterns", "vin_pattern_create", "wmis"]
)
def test_only_operators_reach_the_console(name, operator, shop, platform_org):
    reviewer = login_client(MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_REVIEWER))
    url = reverse(f"vehicles:{name}")

    assert operator.get(url).status_code == 200
    assert reviewer.get(url).status_code == 403
    assert shop.member_client.get(url).status_code == 403


def test_the_vehicle_database_filters_and_counts(operator, lavidas):
    VehicleTypeFactory.create(model__make__name="丰田", model__name="卡罗拉", fuel="hybrid", year_from=2015)
    url = reverse("vehicles:vehicle_types")

    everything = operator.get(url).content.decode()
    by_make = operator.get(url, {"make": lavidas[0].model.make_id}).content.decode()
    by_keyword = operator.get(url, {"keyword": "EA113"}).content.decode()
    by_year_and_fuel = operator.get(url, {"year": 2016, "fuel": "hybrid"}).content.decode()

    assert "共 3 条" in everything
    assert 'data-testid="count-hybrid">1<' in everything
    assert "共 2 条" in by_make
    assert f'data-testid="vehicle-type-row-{lavidas[1].pk}"' in by_keyword
    assert f'data-testid="vehicle-type-row-{lavidas[0].pk}"' not in by_keyword
    assert "共 1 条" in by_year_and_fuel
    assert "卡罗拉" in by_year_and_fuel


def test_an_operator_creates_a_vehicle_type(operator):
    response = operator.post(
        reverse("vehicles:vehicle_type_create"),
        {
            "make_name": "丰田",
            "model_name": "卡罗拉",
            "engine_code": "8NR-FTS",
            "displacement_l": "1.2",
            "fuel": "petrol",
            "transmission": "CVT",
            "year_from": "2016",
        },
        follow=True,
    )

    created = VehicleType.objects.get()
    assert created.key == "丰田|卡罗拉||8nr-fts|1.2|petrol|cvt|2016-"
    assert f"车型「{created.label}」已新建。" in response.content.decode()


def test_an_operator_creates_a_vehicle_type_without_a_start_year(operator):
    form = operator.get(reverse("vehicles:vehicle_type_create")).content.decode()
    # vehicles_cn.csv: 东风本田 CR-V e:PHEV, only the end year 2023 stated.
    response = operator.post(
        reverse("vehicles:vehicle_type_create"),
        {
            "make_name": "本田",
            "model_name": "CR-V",
            "generation": "第五代",
            "engine_code": "LFB-13",
            "displacement_l": "2.0",
            "fuel": "phev",
            "transmission": "E-CVT",
            "year_from": "",
            "year_to": "2023",
        },
        follow=True,
    )

    created = VehicleType.objects.get()
    html = response.content.decode()
    assert 'form-label required" for="id_make_name"' in form
    assert 'form-label" for="id_year_from"' in form
    assert (created.year_from, created.year_to) == (None, 2023)
    assert created.label == "本田 CR-V 2.0L LFB-13 E-CVT –2023 第五代"
    assert f"车型「{created.label}」已新建。" in html
    assert "None" not in html


def test_the_vehicle_database_shows_unstated_years_without_inventing_them(operator):
    only_end = VehicleTypeFactory.create(model__name="CR-V", year_from=None, year_to=2023)
    neither = VehicleTypeFactory.create(model__name="凯美瑞", year_from=None, year_to=None)

    html = operator.get(reverse("vehicles:vehicle_types")).content.decode()
    edit = operator.get(reverse("vehicles:vehicle_type_edit", args=[neither.pk])).content.decode()

    assert '<td class="text-nowrap">–2023</td>' in html.split(f"vehicle-type-row-{only_end.pk}")[1]
    assert '<td class="text-nowrap">—</td>' in html.split(f"vehicle-type-row-{neither.pk}")[1]
    assert "None" not in html
    assert "None" not in edit


def test_the_vehicle_type_form_shows_errors_under_the_fields(operator):
    response = operator.post(
        reverse("vehicles:vehicle_type_create"), {"make_name": "丰田", "year_from": "2018", "year_to": "2010"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="invalid-feedback" data-testid="error-model_name">请输入车系。</div>' in html
    assert (
        '<div class="invalid-feedback" data-testid="error-year_to">终止年份不能早于起始年份。</div>' in html
    )
    assert not VehicleType.objects.exists()


def test_an_operator_edits_a_vehicle_type(operator, lavidas):
    url = reverse("vehicles:vehicle_type_edit", args=[lavidas[0].pk])

    form = operator.get(url).content.decode()
    operator.post(
        url,
        {
            "make_name": "大众",
            "model_name": "朗逸",
            "engine_code": "EA111",
            "displacement_l": "1.4",
            "year_from": "2009",
            "year_to": "2012",
        },
    )

    assert 'value="朗逸"' in form
    lavidas[0].refresh_from_db()
    assert (lavidas[0].displacement_l, lavidas[0].year_from) == (Decimal("1.4"), 2009)


def test_an_operator_creates_a_vin_pattern_from_ticked_types_and_an_id_list(operator, lavidas):
    response = operator.post(
        reverse("vehicles:vin_pattern_create"),
        {
            "wmi": "lsv",
            "vds_prefix": "ab",
            "vehicle_types": [lavidas[0].pk],
            "vehicle_type_ids": f"{lavidas[1].pk}",
        },
        follow=True,
    )

    created = VinPattern.objects.get()
    assert (created.wmi, created.vds_prefix) == ("LSV", "AB")
    assert set(created.vehicle_types.all()) == set(lavidas)
    assert "VIN 规则「LSVAB*」已保存。" in response.content.decode()


def test_the_vin_pattern_form_names_its_errors(operator):
    response = operator.post(
        reverse("vehicles:vin_pattern_create"), {"wmi": "LS", "vds_prefix": "", "vehicle_type_ids": "12, x"}
    )

    html = response.content.decode()
    assert "车型 ID 应为数字，用逗号分隔（“x”不是数字）。" in html
    assert not VinPattern.objects.exists()


def test_the_vin_pattern_form_asks_for_vehicle_types(operator):
    response = operator.post(reverse("vehicles:vin_pattern_create"), {"wmi": "LSV", "vds_prefix": ""})

    assert 'data-testid="error-vehicle_types">请至少选择一个车型。<' in response.content.decode()


def test_the_picker_finds_vehicle_types_by_keyword_or_id(operator, lavidas):
    url = reverse("vehicles:vehicle_type_picker")

    by_keyword = operator.get(url, {"q": "EA113"}).content.decode()
    by_id = operator.get(url, {"q": str(lavidas[0].pk)}).content.decode()
    already = operator.get(url, {"q": "朗逸", "vehicle_types": [lavidas[0].pk]}).content.decode()

    assert f'data-testid="pick-type-{lavidas[1].pk}"' in by_keyword
    assert f'data-testid="pick-type-{lavidas[0].pk}"' not in by_keyword
    assert f'data-testid="pick-type-{lavidas[0].pk}"' in by_id
    assert f'data-testid="pick-type-{lavidas[0].pk}"' not in already


def test_the_pattern_list_shows_types_and_decodes_a_trial_vin(operator, ambiguous, lavidas):
    html = operator.get(reverse("vehicles:vin_patterns"), {"test_vin": VIN}).content.decode()

    assert f'data-testid="vin-pattern-row-{ambiguous.pk}"' in html
    assert lavidas[0].label in html
    assert 'data-testid="test-vin-result"' in html


def test_an_operator_edits_and_deletes_a_vin_pattern(operator, ambiguous, lavidas):
    operator.post(
        reverse("vehicles:vin_pattern_edit", args=[ambiguous.pk]),
        {"wmi": "LSV", "vds_prefix": "AB2", "vehicle_types": [lavidas[1].pk]},
    )
    ambiguous.refresh_from_db()
    assert (ambiguous.vds_prefix, list(ambiguous.vehicle_types.all())) == ("AB2", [lavidas[1]])

    response = operator.post(reverse("vehicles:vin_pattern_delete", args=[ambiguous.pk]), follow=True)

    assert "VIN 规则「LSVAB2*」已删除。" in response.content.decode()
    assert not VinPattern.objects.exists()


def test_the_wmi_list_shows_the_loaded_codes(operator):
    html = operator.get(reverse("vehicles:wmis"), {"keyword": "volkswagen"}).content.decode()

    assert 'data-testid="wmi-row-LSV"' in html
    assert 'data-testid="wmi-row-LFV"' in html
    assert 'data-testid="wmi-row-LGB"' not in html


def test_the_sidebar_of_operators_has_the_data_group(operator):
    html = operator.get(reverse("vehicles:wmis")).content.decode()

    assert "数据" in html
    assert reverse("vehicles:vehicle_types") in html
    assert reverse("vehicles:vin_patterns") in html
