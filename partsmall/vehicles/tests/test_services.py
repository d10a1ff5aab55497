from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.organizations.models import Organization
from partsmall.organizations.tests.factories import OrganizationFactory
from partsmall.vehicles import errors
from partsmall.vehicles.models import Fuel, Make, VehicleModel, VehicleType, VinChoice, VinPattern, Wmi
from partsmall.vehicles.services import (
    make_get_or_create,
    make_initials,
    makes_get_or_create,
    vehicle_models_get_or_create,
    vehicle_type_create,
    vehicle_type_key,
    vehicle_type_update,
    vin_choice_remember,
    vin_decode,
    vin_pattern_create,
    vin_pattern_delete,
    vin_pattern_update,
    wmi_link_makes,
)
from partsmall.vehicles.tests.factories import (
    MakeFactory,
    VehicleModelFactory,
    VehicleTypeFactory,
    VinPatternFactory,
)
from partsmall.vehicles.vin import VIN_WRONG_CHECK_DIGIT, with_check_digit

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


def vin(text: str) -> str:
    """A VIN from 17 characters, its check digit put right."""
    return with_check_digit(text)


@pytest.fixture
def lavida() -> VehicleModel:
    # From partsmall/demo/data/vehicles_cn.csv: 上汽大众 朗逸.
    make = MakeFactory.create(name="大众", name_en="Volkswagen")
    return VehicleModelFactory.create(make=make, name="朗逸", name_en="Lavida", manufacturer="上汽大众")


@pytest.fixture
def first_generation(lavida: VehicleModel) -> list[VehicleType]:
    common = {"model": lavida, "generation": "第一代 (Typ 18, PQ34)", "fuel": Fuel.PETROL}
    return [
        VehicleTypeFactory.create(
            **common,
            engine_code="EA113/EA111 (family)",
            displacement_l=Decimal("1.6"),
            year_from=2008,
            year_to=2012,
        ),
        VehicleTypeFactory.create(
            **common,
            engine_code="EA113 (family)",
            displacement_l=Decimal("2.0"),
            year_from=2008,
            year_to=2012,
        ),
    ]


@pytest.fixture
def classic(lavida: VehicleModel) -> VehicleType:
    return VehicleTypeFactory.create(
        model=lavida, generation="第一代 (continued as Classic)", engine_code="", year_from=2012, year_to=2018
    )


def pattern(wmi: str, prefix: str, *types: VehicleType) -> VinPattern:
    made = VinPatternFactory.create(wmi=wmi, vds_prefix=prefix)
    made.vehicle_types.set(types)
    return made


# The WMI table (data migration) ---------------------------------------------------------


def test_the_wmi_table_holds_the_real_rows_with_their_source():
    lsv = Wmi.objects.get(code="LSV")

    assert Wmi.objects.count() == 69
    assert (lsv.manufacturer, lsv.make_name, lsv.country, lsv.make) == (
        "SAIC Volkswagen",
        "Volkswagen",
        "China",
        None,
    )
    assert lsv.source.startswith("github:idlesign/vininfo@123e7e61")
    assert Wmi.objects.get(code="LGH").manufacturer == (
        "Dong Feng (DFM), China / Qoros (formerly Dong Feng (DFM))"
    )
    assert Wmi.objects.get(code="LUC").manufacturer == "Honda / Guangqi Honda"


def test_wmis_are_linked_to_makes_named_by_their_source(lavida):
    linked = wmi_link_makes()

    assert linked == 4
    assert set(Wmi.objects.filter(make=lavida.make).values_list("code", flat=True)) == {
        "LFV",
        "LSV",
        "WVW",
        "WVG",
    }


# VIN decoding ---------------------------------------------------------------------------


def test_the_manufacturer_comes_from_the_platform_wmi_table_first():
    Wmi.objects.filter(code="LSV").update(manufacturer="上汽大众")

    decoding = vin_decode(vin=vin("LSVAB2180B0000001"), today=TODAY)

    assert (decoding.wmi, decoding.manufacturer, decoding.country) == ("LSV", "上汽大众", "China")


def test_vininfo_names_the_manufacturer_of_a_wmi_the_platform_does_not_know():
    decoding = vin_decode(vin="XTA21099043576182", today=TODAY)

    assert (decoding.manufacturer, decoding.country) == ("AvtoVAZ", "Russia")
    assert decoding.make is None


def test_the_longest_vds_prefix_wins(first_generation, classic):
    broad = pattern("LSV", "", classic)
    middle = pattern("LSV", "A", first_generation[1])
    narrow = pattern("LSV", "AB2", first_generation[0])

    assert vin_decode(vin=vin("LSVAB2180B0000001"), today=TODAY).pattern == narrow
    assert vin_decode(vin=vin("LSVAC2180B0000001"), today=TODAY).pattern == middle
    assert vin_decode(vin=vin("LSVZZ2180D0000001"), today=TODAY).pattern == broad
    assert vin_decode(vin=vin("LFVAB2180B0000001"), today=TODAY).pattern is None


def test_a_single_candidate_is_chosen_and_its_make_named(first_generation):
    pattern("LSV", "AB2", first_generation[0])

    decoding = vin_decode(vin=vin("LSVAB2180B0000001"), today=TODAY)

    assert decoding.candidates == [first_generation[0]]
    assert decoding.chosen == first_generation[0]
    assert decoding.make == first_generation[0].model.make
    assert (decoding.check_digit_valid, decoding.check_digit_required) == (True, True)


def test_model_years_are_resolved_with_the_production_years(first_generation, classic):
    pattern("LSV", "AB", *first_generation, classic)

    # Year code B: 1981 or 2011; the Classic (2012–2018) was not built then.
    decoding = vin_decode(vin=vin("LSVAB2180B0000001"), today=TODAY)

    assert decoding.model_years == [2011]
    assert decoding.candidates == first_generation
    assert decoding.chosen is None
    assert "此 VIN 对应多个车型，请选择一个。" in decoding.notes


def test_without_a_fitting_year_every_type_of_the_pattern_stays(first_generation):
    pattern("LSV", "AB", *first_generation)

    # Year code S: 1995 or 2025; neither is a first-generation year.
    decoding = vin_decode(vin=vin("LSVAB2180S0000001"), today=TODAY)

    assert decoding.model_years == [1995, 2025]
    assert decoding.candidates == first_generation


def test_a_type_without_a_start_year_stays_a_candidate_for_a_year_up_to_its_end(first_generation, classic):
    # vehicles_cn.csv states no start year for some rows (Lavida MQB generation 1.5 …).
    started_unknown = VehicleTypeFactory.create(
        model=first_generation[0].model, generation="MQB generation", year_from=None, year_to=2012
    )
    pattern("LSV", "AB", *first_generation, classic, started_unknown)

    # Year code B: 1981 or 2011; the Classic (2012–2018) drops out.
    decoding = vin_decode(vin=vin("LSVAB2180B0000001"), today=TODAY)

    assert decoding.candidates == [started_unknown, *first_generation]  # unknown start first
    # With its start unknown, that type does not rule out 1981.
    assert decoding.model_years == [1981, 2011]


def test_a_type_with_no_years_at_all_is_a_candidate_for_every_year():
    camry = VehicleTypeFactory.create(model__name="凯美瑞", year_from=None, year_to=None)
    pattern("LVG", "AB", camry)

    decoding = vin_decode(vin=vin("LVGAB2180B0000001"), today=TODAY)

    assert decoding.candidates == [camry]
    assert decoding.chosen == camry
    assert decoding.model_years == [1981, 2011]


def test_a_vin_without_a_pattern_says_so():
    decoding = vin_decode(vin=vin("LSVAB2180B0000001"), today=TODAY)

    assert decoding.candidates == []
    assert decoding.chosen is None
    assert decoding.notes == ["平台 VIN 规则库中暂无此 VIN 的车型，请按品牌、车系选择车型。"]


def test_a_china_built_vin_with_a_wrong_check_digit_is_refused():
    with pytest.raises(ApplicationError) as caught:
        vin_decode(vin="LSVAU2187N2183294")

    assert caught.value.field == "vin"
    assert str(caught.value.message) == VIN_WRONG_CHECK_DIGIT % {"expected": "X", "actual": "7"}


def test_a_european_vin_with_a_wrong_check_digit_decodes_with_a_note():
    right = vin("WVWZZZ1KZ8W000001")
    wrong = right[:8] + ("1" if right[8] != "1" else "2") + right[9:]

    decoding = vin_decode(vin=wrong, today=TODAY)

    assert (decoding.check_digit_valid, decoding.check_digit_required) == (False, False)
    assert decoding.manufacturer == "Volkswagen"
    assert any("欧洲车辆不强制校验位" in note for note in decoding.notes)


# The remembered choice ------------------------------------------------------------------


def test_an_ambiguous_vin_remembers_the_organizations_choice_for_that_organization_only(first_generation):
    pattern("LSV", "AB", *first_generation)
    number = vin("LSVAB2180B0000001")
    shop = OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP)
    other_shop = OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP)

    vin_choice_remember(organization=shop, vin=number.lower(), vehicle_type=first_generation[1], by=None)

    assert vin_decode(vin=number, organization=shop).chosen == first_generation[1]
    assert vin_decode(vin=number, organization=other_shop).chosen is None
    assert vin_decode(vin=number).chosen is None
    assert vin_decode(vin=number, organization=shop).candidates == first_generation


def test_choosing_again_replaces_the_choice(first_generation):
    pattern("LSV", "AB", *first_generation)
    number = vin("LSVAB2180B0000001")
    shop = OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP)
    vin_choice_remember(organization=shop, vin=number, vehicle_type=first_generation[0], by=None)

    vin_choice_remember(organization=shop, vin=number, vehicle_type=first_generation[1], by=None)

    assert list(VinChoice.objects.values_list("vin", "vehicle_type")) == [(number, first_generation[1].pk)]


def test_only_a_candidate_of_the_vin_may_be_chosen(first_generation, classic):
    pattern("LSV", "AB", *first_generation)
    shop = OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP)

    with pytest.raises(ApplicationError) as caught:
        vin_choice_remember(organization=shop, vin=vin("LSVAB2180B0000001"), vehicle_type=classic, by=None)

    assert (caught.value.message, caught.value.field) == (errors.NOT_A_CANDIDATE, "vehicle_type")
    assert not VinChoice.objects.exists()


def test_a_remembered_choice_that_is_no_longer_a_candidate_is_not_chosen(first_generation, classic):
    shop = OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP)
    number = vin("LSVAB2180B0000001")
    VinChoice.objects.create(organization=shop, vin=number, vehicle_type=classic)
    pattern("LSV", "AB", *first_generation)

    assert vin_decode(vin=number, organization=shop).chosen is None


# Vehicle types --------------------------------------------------------------------------


def test_the_vehicle_type_key_is_stable_for_case_spaces_and_full_width():
    key = vehicle_type_key(
        make="大众",
        model="朗逸",
        generation="第一代 (Typ 18, PQ34)",
        engine_code="EA113",
        displacement_l=Decimal("1.6"),
        fuel=Fuel.PETROL,
        transmission="5MT",
        year_from=2008,
        year_to=2012,
    )
    same = vehicle_type_key(
        make=" 大众 ",
        model="朗逸",
        generation="第一代  (typ 18,  PQ34)",
        engine_code="ｅａ113",
        displacement_l="1.60",
        fuel="petrol",
        transmission="5mt",
        year_from="2008",
        year_to="2012",
    )

    assert key == same == "大众|朗逸|第一代 (typ 18, pq34)|ea113|1.6|petrol|5mt|2008-2012"


def test_an_unknown_year_is_empty_in_the_key():
    common = {"make": "丰田", "model": "凯美瑞", "engine_code": "AR (family)", "displacement_l": "2.5"}

    assert vehicle_type_key(**common) == "丰田|凯美瑞||ar (family)|2.5|||-"
    assert vehicle_type_key(**common, year_from="", year_to=2023) == "丰田|凯美瑞||ar (family)|2.5|||-2023"
    assert vehicle_type_key(**common, year_from=2016) == "丰田|凯美瑞||ar (family)|2.5|||2016-"


def test_a_long_vehicle_type_key_fits_its_column_and_stays_distinct():
    long_a = vehicle_type_key(make="大众", model="朗逸", generation="代" * 300, year_from=2008)
    long_b = vehicle_type_key(make="大众", model="朗逸", generation="代" * 301, year_from=2008)

    assert len(long_a) == len(long_b) == 255
    assert long_a != long_b


def test_an_operator_creates_a_vehicle_type_with_a_new_make_and_model():
    created = vehicle_type_create(
        make_name="丰田",
        model_name="卡罗拉",
        manufacturer="一汽丰田",
        generation="E180 (China)",
        engine_code="8NR-FTS",
        displacement_l="1.2",
        fuel=Fuel.PETROL,
        transmission="CVT",
        year_from="2016",
        source="https://example.org/corolla",
    )

    assert created.key == "丰田|卡罗拉|e180 (china)|8nr-fts|1.2|petrol|cvt|2016-"
    assert (created.model.make.name, created.model.make.initials, created.model.manufacturer) == (
        "丰田",
        "FT",
        "一汽丰田",
    )
    assert (created.displacement_l, created.year_to) == (Decimal("1.2"), None)


def test_a_vehicle_type_without_a_start_year_saves_and_shows_no_made_up_year():
    # vehicles_cn.csv: 广汽丰田 凯美瑞 Camry 2.5, AR (family), no years stated.
    camry = vehicle_type_create(
        make_name="丰田",
        model_name="凯美瑞",
        manufacturer="广汽丰田",
        engine_code="AR (family)",
        displacement_l="2.5",
        fuel=Fuel.PETROL,
        year_from="",
    )
    # vehicles_cn.csv: 东风本田 CR-V e:PHEV, 第五代, only the end year 2023 stated.
    crv = vehicle_type_create(
        make_name="本田",
        model_name="CR-V",
        generation="第五代",
        engine_code="LFB-13",
        displacement_l="2.0",
        fuel=Fuel.PHEV,
        transmission="E-CVT",
        year_to="2023",
    )

    camry.refresh_from_db()
    crv.refresh_from_db()
    assert (camry.year_from, camry.year_to, camry.years) == (None, None, "–")
    assert camry.key == "丰田|凯美瑞||ar (family)|2.5|petrol||-"
    assert camry.label == "丰田 凯美瑞 2.5L AR (family)"
    assert (crv.year_from, crv.year_to, crv.years) == (None, 2023, "–2023")
    assert crv.label == "本田 CR-V 2.0L LFB-13 E-CVT –2023 第五代"
    assert crv.key == "本田|cr-v|第五代|lfb-13|2.0|phev|e-cvt|-2023"


def test_years_show_what_is_known():
    assert [
        VehicleType(year_from=start, year_to=end).years
        for start, end in ((2008, 2012), (2008, None), (None, 2018), (None, None))
    ] == ["2008–2012", "2008–", "–2018", "–"]


def test_an_unknown_year_is_open_when_covering_a_year():
    def covers(start: int | None, end: int | None, year: int) -> bool:
        return VehicleType(year_from=start, year_to=end).covers_year(year)

    assert (covers(None, 2018, 1990), covers(None, 2018, 2018), covers(None, 2018, 2019)) == (
        True,
        True,
        False,
    )
    assert (covers(None, None, 2026), covers(2008, None, 2007), covers(2008, 2012, 2013)) == (
        True,
        False,
        False,
    )


def test_the_database_refuses_an_end_year_before_the_start_year(lavida):
    # Either year may be empty; when both are there, the end is not before the start.
    VehicleTypeFactory.create(model=lavida, year_from=None, year_to=2012)
    VehicleTypeFactory.create(model=lavida, year_from=2008, year_to=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        VehicleTypeFactory.create(model=lavida, year_from=2012, year_to=2008)

    assert VehicleType.objects.count() == 2


def test_a_vehicle_type_names_each_wrong_field_and_nothing_is_created():
    with pytest.raises(FieldErrors) as caught:
        vehicle_type_create(
            make_name="",
            model_name="卡罗拉",
            year_from="2018",
            year_to="2016",
            displacement_l="abc",
            fuel="coal",
        )

    assert caught.value.errors == {
        "make_name": ["请输入品牌。"],
        "fuel": ["请选择燃料类型。"],
        "displacement_l": ["排量应为 0.1 到 30 之间的数字（单位 L），如 1.6。"],
        "year_to": ["终止年份不能早于起始年份。"],
    }
    assert not VehicleType.objects.exists()
    assert not VehicleModel.objects.filter(name="卡罗拉").exists()


def test_a_year_outside_the_range_is_named():
    with pytest.raises(FieldErrors) as caught:
        vehicle_type_create(make_name="大众", model_name="朗逸", year_from="1890")

    assert caught.value.errors == {
        "year_from": [errors.YEAR_OUT_OF_RANGE % {"min": 1950, "max": timezone.localdate().year + 2}]
    }


def test_the_same_vehicle_type_twice_is_refused(first_generation):
    existing = first_generation[0]
    existing.key = vehicle_type_key(
        make="大众",
        model="朗逸",
        generation=existing.generation,
        engine_code=existing.engine_code,
        displacement_l=existing.displacement_l,
        fuel=existing.fuel,
        transmission=existing.transmission,
        year_from=existing.year_from,
        year_to=existing.year_to,
    )
    existing.save()

    with pytest.raises(ApplicationError) as caught:
        vehicle_type_create(
            make_name="Volkswagen",
            model_name="朗逸",
            generation=existing.generation,
            engine_code=existing.engine_code,
            displacement_l=existing.displacement_l,
            fuel=existing.fuel,
            transmission=existing.transmission,
            year_from=existing.year_from,
            year_to=existing.year_to,
        )

    assert caught.value.message == errors.DUPLICATE_VEHICLE_TYPE
    assert VehicleType.objects.count() == 2


def test_updating_a_vehicle_type_recomputes_its_key(classic):
    updated = vehicle_type_update(
        vehicle_type=classic,
        make_name="大众",
        model_name="朗逸经典",
        generation="第一代 (continued as Classic)",
        year_from=2012,
        year_to=2018,
    )

    assert updated.key == "大众|朗逸经典|第一代 (continued as classic)|||||2012-2018"
    assert VehicleType.objects.get(pk=classic.pk).model.name == "朗逸经典"


def test_a_start_year_can_be_cleared_and_the_key_follows(classic):
    updated = vehicle_type_update(
        vehicle_type=classic,
        make_name="大众",
        model_name="朗逸",
        generation="第一代 (continued as Classic)",
        year_from="",
        year_to=2018,
    )

    assert (updated.year_from, updated.year_to) == (None, 2018)
    assert updated.key == "大众|朗逸|第一代 (continued as classic)|||||-2018"
    assert VehicleType.objects.get(pk=classic.pk).year_from is None


# Makes and models in bulk (imports) -----------------------------------------------------


def test_makes_are_found_by_chinese_or_english_name_and_missing_ones_created(lavida):
    makes = makes_get_or_create(
        names=["volkswagen", "大众", "丰田", " 丰田 ", "Ｈｏｎｄａ", ""], source="导入"
    )

    assert makes["volkswagen"] == makes["大众"] == lavida.make
    assert makes["丰田"].initials == "FT"
    assert makes["Honda"].name == "Honda"
    assert Make.objects.count() == 3


def test_make_get_or_create_names_a_missing_name():
    with pytest.raises(ApplicationError) as caught:
        make_get_or_create(name="  ")

    assert (caught.value.message, caught.value.field) == (errors.MAKE_REQUIRED, "make_name")


def test_models_are_found_case_insensitively_and_missing_ones_created(lavida):
    models = vehicle_models_get_or_create(pairs=[(lavida.make, "朗逸"), (lavida.make, "Sagitar")])

    assert models[(lavida.make.pk, "朗逸")] == lavida
    assert models[(lavida.make.pk, "Sagitar")].name == "Sagitar"
    again = vehicle_models_get_or_create(pairs=[(lavida.make, "SAGITAR")])
    assert again[(lavida.make.pk, "SAGITAR")] == models[(lavida.make.pk, "Sagitar")]


def test_pinyin_initials():
    assert (make_initials("大众"), make_initials("BMW"), make_initials("长安")) == ("DZ", "BMW", "CA")


# VIN patterns ---------------------------------------------------------------------------


def test_an_operator_creates_a_vin_pattern(first_generation, django_user_model):
    created = vin_pattern_create(
        wmi=" lsv ", vds_prefix="ab2", vehicle_types=[first_generation[0].pk, first_generation[1]], by=None
    )

    assert (created.wmi, created.vds_prefix) == ("LSV", "AB2")
    assert set(created.vehicle_types.all()) == set(first_generation)


def test_a_vin_pattern_names_its_wrong_fields(first_generation):
    with pytest.raises(FieldErrors) as caught:
        vin_pattern_create(wmi="LS", vds_prefix="AOB", vehicle_types=[first_generation[0]], by=None)

    assert caught.value.errors == {"wmi": [errors.WMI_INVALID], "vds_prefix": [errors.VDS_PREFIX_INVALID]}
    assert not VinPattern.objects.exists()


def test_a_vin_pattern_needs_known_vehicle_types():
    with pytest.raises(FieldErrors) as empty:
        vin_pattern_create(wmi="LSV", vds_prefix="", vehicle_types=[], by=None)
    with pytest.raises(FieldErrors) as unknown:
        vin_pattern_create(wmi="LSV", vds_prefix="", vehicle_types=[999_998, 999_999], by=None)

    assert empty.value.errors == {"vehicle_types": [errors.VEHICLE_TYPES_REQUIRED]}
    assert unknown.value.errors == {"vehicle_types": ["车型不存在：999998, 999999。"]}
    assert not VinPattern.objects.exists()


def test_the_same_wmi_and_prefix_twice_is_refused(first_generation):
    existing = pattern("LSV", "AB", first_generation[0])

    with pytest.raises(FieldErrors) as caught:
        vin_pattern_create(wmi="LSV", vds_prefix="ab", vehicle_types=[first_generation[1]], by=None)

    assert caught.value.errors == {"vds_prefix": [errors.DUPLICATE_VIN_PATTERN]}
    assert list(VinPattern.objects.all()) == [existing]


def test_updating_and_deleting_a_vin_pattern(first_generation, classic):
    existing = pattern("LSV", "AB", first_generation[0])

    vin_pattern_update(
        pattern=existing, wmi="LSV", vds_prefix="AB2", vehicle_types=[classic], note="经典", by=None
    )

    existing.refresh_from_db()
    assert (existing.vds_prefix, existing.note, list(existing.vehicle_types.all())) == (
        "AB2",
        "经典",
        [classic],
    )
    vin_pattern_delete(pattern=existing, by=None)
    assert not VinPattern.objects.exists()
    assert VehicleType.objects.filter(pk=classic.pk).exists()
