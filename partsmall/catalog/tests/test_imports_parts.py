"""配件与原厂编号: 2,000 parts with their OE numbers, keyed by brand + normalised number."""

import pytest

from partsmall.catalog.imports import services
from partsmall.catalog.imports.base import REQUIRED
from partsmall.catalog.imports.parts import ATTRIBUTES_INVALID, CATEGORY_UNKNOWN, OE_BRAND_REQUIRED
from partsmall.catalog.models import Brand, ImportRow, OeNumber, Part, ReviewStatus
from partsmall.catalog.tests.factories import BrandFactory, CategoryFactory, PartFactory
from partsmall.catalog.tests.import_files import imported, template_headers, validated, xlsx
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory

HEADERS = template_headers("parts")
# Real aftermarket filters and the Toyota / Honda OE numbers they replace (demo/data/oe_parts.csv).
REAL = [
    ["ACDelco", "PF304J", "机油滤清器", "oil-filter", "Toyota", "90915-10001; 90915-10003", ""],
    ["ACDelco", "PX-1502", "机油滤清器", "oil-filter", "Toyota", "90915-20001；90915-20003", ""],
    [
        "MANN-FILTER",
        "W 610/6",
        "机油滤清器",
        "oil-filter",
        "Honda",
        "15400-RTA-003",
        "高度=85mm；螺纹=3/4-16UNF",
    ],
]


def sheet(rows: int = 2000) -> list[list[str]]:
    generated = [
        ["博世", f"0986AF{n:04d}", "机油滤清器", "oil-filter", "Toyota", f"90915-Y{n:04d}", "高度=85mm"]
        for n in range(rows - len(REAL))
    ]
    return [list(r) for r in REAL] + generated


@pytest.fixture
def category(db):
    return CategoryFactory.create(code="oil-filter", name="机油滤清器")


@pytest.fixture
def sales(db):
    return MembershipFactory.create(role=Role.SALES)


@pytest.fixture
def operator(platform_org):
    return MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_OPERATOR)


def test_a_supplier_adds_2000_parts_with_their_oe_numbers_for_review(sales, category):
    job = imported(sales.organization, sales.user, "parts", xlsx(HEADERS, sheet()))

    assert (job.created_count, job.updated_count, job.unchanged_count, job.error_rows) == (2000, 0, 0, 0)
    part = Part.objects.get(brand__name="ACDelco", number="PF304J")
    assert (part.name, part.category, part.review_status) == ("机油滤清器", category, ReviewStatus.PENDING)
    assert (part.source_organization, part.source_import) == (sales.organization, job)
    assert sorted(part.oe_numbers.values_list("number", "number_norm", "oe_brand__name")) == [
        ("90915-10001", "9091510001", "Toyota"),
        ("90915-10003", "9091510003", "Toyota"),
    ]
    assert "9091510003" in part.search_text.split()
    mann = Part.objects.get(number_norm="W6106")
    assert (mann.number, mann.attributes) == ("W 610/6", {"高度": "85mm", "螺纹": "3/4-16UNF"})
    assert OeNumber.objects.count() == 2002
    assert set(Brand.objects.filter(is_oe=True).values_list("name", flat=True)) == {"Toyota", "Honda"}
    assert set(OeNumber.objects.values_list("review_status", flat=True)) == {ReviewStatus.PENDING}


def test_importing_the_same_parts_twice_changes_nothing_the_second_time(sales, category):
    content = xlsx(HEADERS, sheet())
    imported(sales.organization, sales.user, "parts", content)
    before = dict(Part.objects.values_list("id", "updated_at"))
    texts = dict(Part.objects.values_list("id", "search_text"))

    job = imported(sales.organization, sales.user, "parts", content)

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2000)
    assert dict(Part.objects.values_list("id", "updated_at")) == before
    assert dict(Part.objects.values_list("id", "search_text")) == texts
    assert (Part.objects.count(), OeNumber.objects.count(), Brand.objects.count()) == (2000, 2002, 5)


def test_the_same_number_written_differently_is_the_same_part(sales, category):
    imported(sales.organization, sales.user, "parts", xlsx(HEADERS, REAL))

    job = imported(
        sales.organization,
        sales.user,
        "parts",
        xlsx(
            HEADERS,
            [["acdelco", "pf-304j", "机油滤清器", "oil-filter", "TOYOTA", "９０９１５－１０００３", ""]],
        ),
    )

    assert (job.created_count, job.unchanged_count) == (0, 1)
    assert Part.objects.filter(number_norm="PF304J").count() == 1


def test_an_operators_parts_are_approved_and_an_operator_rewrites_what_differs(operator, category):
    imported(operator.organization, operator.user, "parts", xlsx(HEADERS, REAL))
    rows = [list(r) for r in REAL]
    rows[0][2] = "机油滤清器（长款）"
    before = dict(Part.objects.values_list("number", "updated_at"))

    job = imported(operator.organization, operator.user, "parts", xlsx(HEADERS, rows))

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 2)
    part = Part.objects.get(number="PF304J")
    assert (part.name, part.review_status) == ("机油滤清器(长款)", ReviewStatus.APPROVED)
    assert part.updated_at > before["PF304J"]
    assert Part.objects.get(number="PX-1502").updated_at == before["PX-1502"]


def test_a_supplier_adds_oe_numbers_to_a_curated_part_but_never_rewrites_it(sales, category):
    toyota = BrandFactory.create(name="Toyota", name_norm="TOYOTA", is_oe=True)
    part = PartFactory.create(
        brand=BrandFactory.create(name="ACDelco", name_norm="ACDELCO"),
        number="PF304J",
        name="机滤",
        category=category,
    )
    row = ["ACDelco", "PF304J", "别的名称", "oil-filter", "Toyota", "90915-10003", ""]

    job = imported(sales.organization, sales.user, "parts", xlsx(HEADERS, [row]))

    part.refresh_from_db()
    assert (job.updated_count, part.name) == (1, "机滤")
    oe = part.oe_numbers.get()
    assert (oe.oe_brand, oe.number, oe.review_status, oe.source_organization) == (
        toyota,
        "90915-10003",
        ReviewStatus.PENDING,
        sales.organization,
    )


def test_row_errors_name_their_column(sales, category):
    rows = [
        ["博世", "0986AF0063", "机油滤清器", "no-such-code", "", "", ""],
        ["博世", "0986AF0064", "机油滤清器", "oil-filter", "", "90915-10003", ""],
        ["博世", "0986AF0065", "", "oil-filter", "", "", "高度"],
    ]

    job = validated(sales.organization, sales.user, "parts", xlsx(HEADERS, rows))

    errors = list(
        ImportRow.objects.filter(job=job).order_by("row_number").values_list("row_number", "errors")
    )
    assert errors == [
        (2, [{"column": "分类编码", "message": str(CATEGORY_UNKNOWN % {"code": "no-such-code"})}]),
        (3, [{"column": "原厂品牌", "message": str(OE_BRAND_REQUIRED)}]),
        (
            4,
            [
                {"column": "名称", "message": str(REQUIRED)},
                {"column": "属性", "message": str(ATTRIBUTES_INVALID)},
            ],
        ),
    ]
    assert (job.valid_rows, job.error_rows) == (0, 3)
    assert not Part.objects.exists()


def test_a_repair_shop_imports_no_parts(db):
    owner = MembershipFactory.create(organization__kind="repair_shop")

    with pytest.raises(services.ApplicationError) as refused:
        services.import_job_create(organization=owner.organization, by=owner.user, kind="parts", upload=None)

    assert (refused.value.field, refused.value.message) == (
        "kind",
        services.KIND_NOT_ALLOWED % {"kind": "配件与原厂编号"},
    )
