"""车型库, VIN 规则 (operators only) and 适配车型: the real vehicle types sold in China
(demo/data/vehicles_cn.csv) imported, keyed, re-imported unchanged; fitment by key or by
make / model / year / engine."""

import csv
from pathlib import Path

import pytest

from partsmall.catalog.imports import services, workbooks
from partsmall.catalog.imports.base import DUPLICATE_KEY, REQUIRED
from partsmall.catalog.imports.fitment import VEHICLE_AMBIGUOUS, VEHICLE_KEY_UNKNOWN
from partsmall.catalog.imports.lookups import PART_MISSING
from partsmall.catalog.imports.vin_patterns import KEYS_UNKNOWN
from partsmall.catalog.models import Fitment, ImportJob, ImportRow, Position, ReviewStatus
from partsmall.catalog.tests.factories import BrandFactory, PartFactory
from partsmall.catalog.tests.import_files import imported, template_headers, upload, validated, xlsx
from partsmall.core.errors import ApplicationError
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory
from partsmall.vehicles import errors as vehicle_errors
from partsmall.vehicles.models import Fuel, Make, VehicleModel, VehicleType, VinPattern
from partsmall.vehicles.services import vehicle_type_key
from partsmall.vehicles.tests.factories import MakeFactory, VehicleModelFactory, VehicleTypeFactory

DATA = Path(__file__).resolve().parents[2] / "demo" / "data" / "vehicles_cn.csv"
COLUMNS = (
    "make_zh", "make_en", "manufacturer_zh", "model_zh", "model_en", "generation", "body", "engine_code",
    "displacement_l", "fuel", "transmission", "year_from", "year_to", "source",
)  # fmt: skip


def real_vehicle_rows() -> list[list[str]]:
    with DATA.open(encoding="utf-8") as file:
        return [[row.get(column, "") for column in COLUMNS] for row in csv.DictReader(file)]


@pytest.fixture
def operator(platform_org):
    return MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_OPERATOR)


@pytest.fixture
def sales(db):
    return MembershipFactory.create(role=Role.SALES)


@pytest.mark.parametrize("kind", ["vehicle_types", "vin_patterns"])
def test_a_supplier_cannot_import_platform_vehicle_data(sales, kind):
    content = xlsx(template_headers(kind), [["大众", "", "", "朗逸"]])

    with pytest.raises(ApplicationError) as refused:
        services.import_job_create(
            organization=sales.organization, by=sales.user, kind=kind, upload=upload(content)
        )

    title = {"vehicle_types": "车型库", "vin_patterns": "VIN 规则"}[kind]
    assert (refused.value.field, refused.value.message) == (
        "kind",
        services.KIND_NOT_ALLOWED % {"kind": title},
    )
    assert not ImportJob.objects.exists()
    assert not VehicleType.objects.exists()


def test_the_real_vehicle_types_are_imported_by_their_key(operator):
    rows = real_vehicle_rows()

    job = imported(
        operator.organization, operator.user, "vehicle_types", xlsx(template_headers("vehicle_types"), rows)
    )

    errors = {r.row_number: r.errors for r in ImportRow.objects.filter(job=job).exclude(errors=[])}
    duplicates = {n for n, e in errors.items() if e[0]["message"].startswith("与第")}
    assert len(duplicates) == 4
    # A start year the source does not state is no error: it stays empty.
    assert set(errors) == duplicates
    assert (job.created_count, job.total_rows) == (len(rows) - len(errors), len(rows))
    assert VehicleType.objects.filter(year_from__isnull=True).count() == sum(not row[11] for row in rows)
    camry = VehicleType.objects.get(model__name="凯美瑞")
    assert (camry.year_from, camry.year_to) == (None, None)
    lavida = VehicleType.objects.get(model__name="朗逸", engine_code="EA113 (family)")
    assert (lavida.model.make.name, lavida.model.make.name_en, lavida.model.manufacturer) == (
        "大众",
        "Volkswagen",
        "上汽大众",
    )
    assert (str(lavida.displacement_l), lavida.fuel, lavida.year_from, lavida.year_to) == (
        "2.0",
        Fuel.PETROL,
        2008,
        2012,
    )
    assert lavida.key == vehicle_type_key(
        make="大众",
        model="朗逸",
        generation="第一代 (Typ 18, PQ34)",
        engine_code="EA113 (family)",
        displacement_l="2.0",
        fuel=Fuel.PETROL,
        transmission=lavida.transmission,
        year_from=2008,
        year_to=2012,
    )
    assert lavida.source.startswith("https://en.wikipedia-on-ipfs.org/wiki/Volkswagen_Lavida")
    assert (
        VehicleType.objects.get(model__name="卡罗拉", engine_code="8ZR-FXE (per Q&A page)").fuel
        == Fuel.HYBRID
    )


def test_vehicle_types_imported_twice_change_nothing_the_second_time(operator):
    content = xlsx(template_headers("vehicle_types"), real_vehicle_rows())
    first = imported(operator.organization, operator.user, "vehicle_types", content)
    before = list(VehicleType.objects.order_by("id").values())
    names = list(VehicleModel.objects.order_by("id").values()) + list(Make.objects.order_by("id").values())

    second = imported(operator.organization, operator.user, "vehicle_types", content)

    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, first.created_count)
    assert list(VehicleType.objects.order_by("id").values()) == before
    assert (
        list(VehicleModel.objects.order_by("id").values()) + list(Make.objects.order_by("id").values())
        == names
    )


def test_a_make_written_in_english_is_the_same_make(operator):
    MakeFactory.create(name="大众", name_en="Volkswagen")
    row = ["volkswagen", "", "", "朗逸", "", "", "", "EA211", "1.5L", "汽油", "6AT", 2018, "", ""]

    job = imported(
        operator.organization, operator.user, "vehicle_types", xlsx(template_headers("vehicle_types"), [row])
    )

    assert job.created_count == 1
    assert list(Make.objects.values_list("name", flat=True)) == ["大众"]
    assert VehicleType.objects.get().key.startswith("大众|朗逸||ea211|1.5|petrol|6at|2018-")


def test_vehicle_type_rows_that_are_wrong_say_why(operator):
    rows = [
        ["大众", "", "", "朗逸", "", "", "", "", "12.5", "汽油", "", 2018, "", ""],
        ["大众", "", "", "朗逸", "", "", "", "", "1.5", "火箭燃料", "", 2018, 2010, ""],
    ]

    job = validated(
        operator.organization, operator.user, "vehicle_types", xlsx(template_headers("vehicle_types"), rows)
    )

    errors = list(ImportRow.objects.filter(job=job).order_by("row_number").values_list("errors", flat=True))
    assert errors[0] == [{"column": "排量(L)", "message": str(vehicle_errors.DISPLACEMENT_INVALID)}]
    assert [e["column"] for e in errors[1]] == ["燃料", "终止年份"]
    assert errors[1][1]["message"] == str(vehicle_errors.YEARS_REVERSED)


def _lavida_types() -> list[VehicleType]:
    model = VehicleModelFactory.create(make=MakeFactory.create(name="大众"), name="朗逸")
    return [
        VehicleTypeFactory.create(
            model=model, key="大众|朗逸|第一代||1.6|petrol||2008-2012", year_from=2008, year_to=2012
        ),
        VehicleTypeFactory.create(
            model=model, key="大众|朗逸|第一代||2.0|petrol||2008-2012", year_from=2008, year_to=2012
        ),
    ]


def test_vin_patterns_link_the_types_they_name_and_reimport_unchanged(operator):
    first, second = _lavida_types()
    headers = template_headers("vin_patterns")
    rows = [["lsv", "gh1", f"{first.key}；{second.key}", "上汽大众 朗逸 第一代"], ["LFV", "", second.key, ""]]

    job = imported(operator.organization, operator.user, "vin_patterns", xlsx(headers, rows))
    again = imported(operator.organization, operator.user, "vin_patterns", xlsx(headers, rows))

    assert (job.created_count, again.unchanged_count, again.created_count, again.updated_count) == (
        2,
        2,
        0,
        0,
    )
    pattern = VinPattern.objects.get(wmi="LSV", vds_prefix="GH1")
    assert set(pattern.vehicle_types.all()) == {first, second}
    assert (pattern.note, pattern.created_by) == ("上汽大众 朗逸 第一代", operator.user)

    rows[0][2] = first.key.upper()
    changed = imported(operator.organization, operator.user, "vin_patterns", xlsx(headers, rows))

    assert (changed.updated_count, changed.unchanged_count) == (1, 1)
    assert list(pattern.vehicle_types.all()) == [first]


def test_vin_pattern_rows_that_are_wrong_say_why(operator):
    headers = template_headers("vin_patterns")
    rows = [
        ["LS", "", "x", ""],
        ["LSV", "GHI", "大众|朗逸", ""],
        ["LSV", "", "不存在的车型", ""],
        ["LSV", "", "", ""],
    ]

    job = validated(operator.organization, operator.user, "vin_patterns", xlsx(headers, rows))

    errors = list(ImportRow.objects.filter(job=job).order_by("row_number").values_list("errors", flat=True))
    assert errors == [
        [{"column": "WMI", "message": str(vehicle_errors.WMI_INVALID)}],
        [{"column": "VDS前缀", "message": str(vehicle_errors.VDS_PREFIX_INVALID)}],
        [{"column": "车型键", "message": str(KEYS_UNKNOWN % {"keys": "不存在的车型"})}],
        [{"column": "车型键", "message": str(REQUIRED)}],
    ]


@pytest.fixture
def corolla_types():
    model = VehicleModelFactory.create(make=MakeFactory.create(name="丰田", name_en="Toyota"), name="卡罗拉")
    return [
        VehicleTypeFactory.create(
            model=model, key="corolla-1.2t", engine_code="8NR-FTS", year_from=2016, year_to=2018
        ),
        VehicleTypeFactory.create(
            model=model, key="corolla-hybrid", engine_code="8ZR-FXE", year_from=2015, year_to=2018
        ),
    ]


@pytest.fixture
def filter_part():
    return PartFactory.create(brand=BrandFactory.create(name="ACDelco", name_norm="ACDELCO"), number="PF304J")


def test_fitment_by_key_or_by_make_model_year_and_engine(sales, corolla_types, filter_part):
    headers = template_headers("fitment")
    rows: list[list[object]] = [
        ["ACDelco", "PF304J", "corolla-1.2t", "", "", "", "", "", 1, "带ESP"],
        ["ACDelco", "PF-304J", "", "Toyota", "卡罗拉", 2017, "8zr-fxe", "前", 2, "2019-03 以后"],
        ["ACDelco", "PF304J", "", "丰田", "卡罗拉", 2017, "", "", "", ""],
        ["ACDelco", "NOPE", "no-such-key", "", "", "", "", "", "", ""],
        ["ACDelco", "PF304J", "CORoLLA-1.2T", "", "", "", "", "", "", ""],
    ]

    job = imported(sales.organization, sales.user, "fitment", xlsx(headers, rows))

    errors = dict(ImportRow.objects.filter(job=job).exclude(errors=[]).values_list("row_number", "errors"))
    assert errors == {
        4: [
            {
                "column": "发动机型号",
                "message": str(VEHICLE_AMBIGUOUS % {"vehicle": "丰田 卡罗拉 2017", "count": 2}),
            }
        ],
        5: [
            {"column": "零件号", "message": str(PART_MISSING % {"brand": "ACDelco", "number": "NOPE"})},
            {"column": "车型键", "message": str(VEHICLE_KEY_UNKNOWN)},
        ],
        6: [{"column": "零件号", "message": str(DUPLICATE_KEY % {"row": 2})}],
    }
    fitments = list(
        Fitment.objects.order_by("id").values_list("vehicle_type", "position", "quantity", "notes")
    )
    assert fitments == [
        (corolla_types[0].pk, Position.ANY, 1, "带ESP"),
        (corolla_types[1].pk, Position.FRONT, 2, "2019-03 以后"),
    ]
    assert set(Fitment.objects.values_list("review_status", "source_organization", "source_import")) == {
        (ReviewStatus.PENDING, sales.organization.pk, job.pk)
    }


def test_fitment_imported_twice_changes_nothing_and_a_supplier_leaves_others_fitment_alone(
    sales, operator, corolla_types, filter_part
):
    headers = template_headers("fitment")
    rows = [["ACDelco", "PF304J", "corolla-1.2t", "", "", "", "", "", 1, ""]]
    imported(operator.organization, operator.user, "fitment", xlsx(headers, rows))
    again = imported(operator.organization, operator.user, "fitment", xlsx(headers, rows))
    rows[0][8] = 4

    supplier = imported(sales.organization, sales.user, "fitment", xlsx(headers, rows))

    assert (again.unchanged_count, supplier.unchanged_count) == (1, 1)
    fitment = Fitment.objects.get()
    assert (fitment.quantity, fitment.review_status) == (1, ReviewStatus.APPROVED)


def test_a_fitment_file_needs_the_vehicle_key_or_the_make_model_and_year_columns(sales):
    headers = [h for h in template_headers("fitment") if h not in {"车型键", "年份"}]

    job = validated(
        sales.organization, sales.user, "fitment", xlsx(headers, [["ACDelco", "PF304J", "丰田", "卡罗拉"]])
    )

    assert (job.status, job.fatal_error) == ("failed", str(workbooks.MISSING_HEADERS % {"columns": "年份"}))
