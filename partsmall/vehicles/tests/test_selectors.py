"""The cascade reads: a vehicle type whose start year no source states is open on that side."""

from datetime import date

import pytest

from partsmall.vehicles.models import VehicleModel, VehicleType
from partsmall.vehicles.selectors import engines_for, vehicle_types_for, years_for
from partsmall.vehicles.tests.factories import MakeFactory, VehicleModelFactory, VehicleTypeFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture
def crv() -> VehicleModel:
    # From partsmall/demo/data/vehicles_cn.csv: 东风本田 CR-V.
    make = MakeFactory.create(name="本田", name_en="Honda", initials="BT")
    return VehicleModelFactory.create(make=make, name="CR-V", manufacturer="东风本田")


@pytest.fixture
def fifth(crv: VehicleModel) -> VehicleType:
    # CR-V SPORT TURBO 1.5T: 2017–2023.
    return VehicleTypeFactory.create(
        model=crv, generation="第五代", engine_code="L15B", year_from=2017, year_to=2023
    )


@pytest.fixture
def phev(crv: VehicleModel) -> VehicleType:
    # CR-V e:PHEV: only the end year 2023 stated.
    return VehicleTypeFactory.create(
        model=crv, generation="第五代", engine_code="LFB-13", year_from=None, year_to=2023
    )


@pytest.fixture
def unstated(crv: VehicleModel) -> VehicleType:
    return VehicleTypeFactory.create(
        model=crv, generation="", engine_code="R20", year_from=None, year_to=None
    )


def test_a_type_without_a_start_year_is_found_for_any_year_up_to_its_end(fifth, phev):
    found = {
        year: list(vehicle_types_for(model_id=fifth.model_id, year=year)) for year in (2010, 2020, 2023, 2024)
    }

    assert found == {2010: [phev], 2020: [phev, fifth], 2023: [phev, fifth], 2024: []}


def test_a_type_with_no_years_is_found_for_every_year(fifth, unstated):
    assert list(vehicle_types_for(model_id=fifth.model_id, year=1990)) == [unstated]
    assert list(vehicle_types_for(model_id=fifth.model_id, year=2030)) == [unstated]
    assert list(vehicle_types_for(model_id=fifth.model_id)) == [unstated, fifth]


def test_unknown_start_years_come_first_on_every_database(fifth, phev, unstated):
    # PostgreSQL puts NULL last by default, SQLite first: the order is stated.
    # Then by engine code (cascade) or by id (the model's default order).
    assert list(vehicle_types_for(model_id=fifth.model_id)) == [phev, unstated, fifth]
    assert list(VehicleType.objects.filter(model_id=fifth.model_id)) == [phev, unstated, fifth]


def test_years_offer_only_the_years_stated(fifth, phev, unstated):
    years = years_for(model_id=fifth.model_id, today=TODAY)

    assert years == list(range(2023, 2016, -1))


def test_years_of_a_model_whose_types_state_only_an_end_year(phev):
    assert years_for(model_id=phev.model_id, today=TODAY) == [2023]


def test_engines_of_a_year_include_a_type_without_a_start_year(fifth, phev):
    assert engines_for(model_id=fifth.model_id, year=2015) == ["LFB-13"]
    assert engines_for(model_id=fifth.model_id, year=2019) == ["L15B", "LFB-13"]
