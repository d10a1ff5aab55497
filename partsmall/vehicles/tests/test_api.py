from decimal import Decimal

import pytest

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
    common = {"model": model, "generation": "第一代", "year_from": 2008, "year_to": 2012}
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


def test_the_api_decodes_a_vin(shop, ambiguous, lavidas):
    response = shop.member_client.get(f"/api/v1/vin/{VIN.lower()}/")

    body = response.json()
    assert response.status_code == 200
    assert {k: body[k] for k in ("vin", "wmi", "manufacturer", "model_years", "check_digit_valid")} == {
        "vin": VIN,
        "wmi": "LSV",
        "manufacturer": "SAIC Volkswagen",
        "model_years": [2011],
        "check_digit_valid": True,
    }
    assert body["make"]["name"] == "大众"
    assert [c["id"] for c in body["candidates"]] == [lavidas[0].pk, lavidas[1].pk]
    assert body["chosen"] is None
    assert body["pattern"] == {"id": ambiguous.pk, "wmi": "LSV", "vds_prefix": "AB"}


def test_an_invalid_vin_answers_400_naming_the_field(shop):
    response = shop.member_client.get("/api/v1/vin/LSVAB2187B0000001/")

    assert response.status_code == 400
    assert response.json()["field"] == "vin"
    assert response.json()["message"].startswith("VIN 校验位错误：第 9 位应为 ")


def test_the_api_remembers_a_choice_for_the_organization_only(shop, ambiguous, lavidas):
    response = shop.member_client.post(
        f"/api/v1/vin/{VIN}/choice/", {"vehicle_type": lavidas[1].pk}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["chosen"]["id"] == lavidas[1].pk
    assert shop.member_client.get(f"/api/v1/vin/{VIN}/").json()["chosen"]["id"] == lavidas[1].pk
    assert shop.outsider_client.get(f"/api/v1/vin/{VIN}/").json()["chosen"] is None


def test_the_api_refuses_a_vehicle_type_that_is_no_candidate(shop, ambiguous):
    response = shop.member_client.post(
        f"/api/v1/vin/{VIN}/choice/", {"vehicle_type": 999_999}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "error",
        "message": str(errors.NOT_A_CANDIDATE),
        "field": "vehicle_type",
    }
    assert not VinChoice.objects.exists()


def test_a_colleague_without_purchase_is_refused_by_the_api(shop, ambiguous, lavidas):
    decode = shop.colleague_client.get(f"/api/v1/vin/{VIN}/")
    choose = shop.colleague_client.post(
        f"/api/v1/vin/{VIN}/choice/", {"vehicle_type": lavidas[0].pk}, content_type="application/json"
    )

    assert (decode.status_code, choose.status_code) == (403, 403)
    assert not VinChoice.objects.exists()


def test_the_cascade_endpoints(shop, lavidas):
    make, model = lavidas[0].model.make, lavidas[0].model
    VehicleTypeFactory.create(model=model, engine_code="EA211", year_from=2013, year_to=2018)

    makes = shop.member_client.get("/api/v1/vehicles/makes/").json()
    models = shop.member_client.get(f"/api/v1/vehicles/models/?make={make.pk}").json()
    types = shop.member_client.get(f"/api/v1/vehicles/types/?model={model.pk}&year=2010&engine=EA113").json()
    bad = shop.member_client.get("/api/v1/vehicles/types/?year=abc")

    assert [m["name"] for m in makes] == ["大众"]
    assert [m["name"] for m in models] == ["朗逸"]
    assert (types["count"], types["results"][0]["id"]) == (1, lavidas[1].pk)
    assert types["results"][0]["make"]["name"] == "大众"
    assert bad.status_code == 400
    assert bad.json()["field"] == "year"


def test_operators_create_and_update_vehicle_types(operator):
    created = operator.post(
        "/api/v1/platform/vehicle-types/",
        {
            "make_name": "丰田",
            "model_name": "卡罗拉",
            "displacement_l": "1.2",
            "fuel": "petrol",
            "year_from": 2016,
        },
        content_type="application/json",
    )
    pk = created.json()["id"]
    updated = operator.patch(
        f"/api/v1/platform/vehicle-types/{pk}/", {"year_to": 2019}, content_type="application/json"
    )

    assert created.status_code == 201
    assert updated.status_code == 200
    assert updated.json()["key"] == "丰田|卡罗拉|||1.2|petrol||2016-2019"
    assert operator.get("/api/v1/platform/vehicle-types/?keyword=卡罗拉").json()["count"] == 1


def test_operators_create_a_vehicle_type_without_a_start_year_and_clear_one(operator):
    # vehicles_cn.csv: 东风本田 CR-V e:PHEV, only the end year 2023 stated.
    created = operator.post(
        "/api/v1/platform/vehicle-types/",
        {"make_name": "本田", "model_name": "CR-V", "fuel": "phev", "year_to": 2023},
        content_type="application/json",
    )
    # 广汽丰田 凯美瑞 2.5: no years stated.
    camry = operator.post(
        "/api/v1/platform/vehicle-types/",
        {"make_name": "丰田", "model_name": "凯美瑞", "displacement_l": "2.5", "year_from": None},
        content_type="application/json",
    )
    pk = created.json()["id"]
    started = operator.patch(
        f"/api/v1/platform/vehicle-types/{pk}/", {"year_from": 2021}, content_type="application/json"
    )
    cleared = operator.patch(
        f"/api/v1/platform/vehicle-types/{pk}/", {"year_from": None}, content_type="application/json"
    )

    assert (created.status_code, camry.status_code, started.status_code, cleared.status_code) == (
        201,
        201,
        200,
        200,
    )
    assert {k: created.json()[k] for k in ("year_from", "year_to", "key", "label")} == {
        "year_from": None,
        "year_to": 2023,
        "key": "本田|cr-v||||phev||-2023",
        "label": "本田 CR-V –2023",
    }
    assert (camry.json()["year_from"], camry.json()["label"]) == (None, "丰田 凯美瑞 2.5L")
    assert (started.json()["year_from"], started.json()["key"]) == (2021, "本田|cr-v||||phev||2021-2023")
    assert (cleared.json()["year_from"], cleared.json()["key"]) == (None, "本田|cr-v||||phev||-2023")
    assert VehicleType.objects.get(pk=pk).year_from is None


def test_the_cascade_finds_a_type_without_a_start_year_up_to_its_end_year(shop, lavidas):
    mqb = VehicleTypeFactory.create(model=lavidas[0].model, engine_code="EA211", year_from=None, year_to=2018)
    url = f"/api/v1/vehicles/types/?model={mqb.model_id}"

    early = shop.member_client.get(f"{url}&year=2005").json()
    late = shop.member_client.get(f"{url}&year=2019").json()

    assert [t["id"] for t in early["results"]] == [mqb.pk]
    assert early["results"][0]["year_from"] is None
    assert late["count"] == 0


def test_the_vehicle_type_api_names_the_wrong_field(operator):
    response = operator.post(
        "/api/v1/platform/vehicle-types/",
        {"make_name": "丰田", "model_name": "", "year_from": 2016},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"model_name": ["请输入车系。"]}
    assert not VehicleType.objects.exists()


def test_operators_keep_vin_patterns_through_the_api(operator, lavidas):
    created = operator.post(
        "/api/v1/platform/vin-patterns/",
        {"wmi": "LSV", "vds_prefix": "AB", "vehicle_types": [lavidas[0].pk]},
        content_type="application/json",
    )
    pk = created.json()["id"]
    updated = operator.patch(
        f"/api/v1/platform/vin-patterns/{pk}/",
        {"vehicle_types": [t.pk for t in lavidas]},
        content_type="application/json",
    )
    listed = operator.get("/api/v1/platform/vin-patterns/?wmi=lsv").json()
    deleted = operator.delete(f"/api/v1/platform/vin-patterns/{pk}/")

    assert created.status_code == 201
    assert [t["id"] for t in updated.json()["vehicle_types"]] == [lavidas[0].pk, lavidas[1].pk]
    assert updated.json()["vds_prefix"] == "AB"
    assert listed["count"] == 1
    assert deleted.status_code == 204
    assert not VinPattern.objects.exists()


def test_the_platform_api_refuses_shops_and_other_platform_roles(shop, platform_org, lavidas):
    reviewer = login_client(MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_REVIEWER))
    body = {"wmi": "LSV", "vds_prefix": "", "vehicle_types": [lavidas[0].pk]}

    for client in (shop.member_client, reviewer):
        assert client.get("/api/v1/platform/vehicle-types/").status_code == 403
        assert (
            client.post("/api/v1/platform/vin-patterns/", body, content_type="application/json").status_code
            == 403
        )
    assert not VinPattern.objects.exists()
