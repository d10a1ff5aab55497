"""Price sheets (报价单) of 2,000 rows: failing rows come back in Excel, a second import of
the same file changes nothing, awkward cells are read right, the export re-imports as is."""

from decimal import Decimal

import pytest

from partsmall.catalog.imports import cells, services
from partsmall.catalog.imports.base import DUPLICATE_KEY, REQUIRED
from partsmall.catalog.imports.lookups import PART_MISSING
from partsmall.catalog.imports.offers import GRADE_TAKEN, PRICE_NOT_POSITIVE
from partsmall.catalog.models import Brand, Category, Grade, ImportJob, ImportRow, Offer, Part
from partsmall.catalog.normalize import normalize_name, normalize_number
from partsmall.catalog.tests.factories import BrandFactory, CategoryFactory, OfferFactory, PartFactory
from partsmall.catalog.tests.import_files import imported, read_rows, template_headers, validated, xlsx
from partsmall.notifications.models import Message
from partsmall.organizations.models import Membership
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory

ROWS = 2000
HEADERS = template_headers("offers")


@pytest.fixture
def sales(db) -> Membership:
    return MembershipFactory.create(role=Role.SALES)


@pytest.fixture
def parts(db) -> list[Part]:
    """2,000 ACDelco oil filters (the real PF304J among them) in one category."""
    brand = BrandFactory.create(name="ACDelco", name_norm=normalize_name("ACDelco"))
    category = CategoryFactory.create(code="oil-filter", name="机油滤清器")
    numbers = ["PF304J", "PX-1515", *[f"PF-{n:05d}" for n in range(ROWS - 2)]]
    Part.objects.bulk_create(
        Part(brand=brand, number=n, number_norm=normalize_number(n), name="机油滤清器", category=category)
        for n in numbers
    )
    return list(Part.objects.order_by("id"))


def sheet_rows(parts: list[Part]) -> list[list[object]]:
    return [
        [f"AC-{i:05d}", "ACDelco", part.number, "品牌件", f"{30 + i % 50}.50", 1, 1, 2, 12, "否", "是"]
        for i, part in enumerate(parts)
    ]


def test_failing_rows_come_back_in_an_excel_report(sales, parts):
    rows = sheet_rows(parts)
    rows[9][2] = "NOPE-1"  # row 11: no such part
    rows[19][4] = "abc"  # row 21: not an amount
    rows[29][3] = "好件"  # row 31: not a grade
    rows[39][0] = rows[1][0]  # row 41: the SKU of row 3 again
    rows[49][4] = "-3"  # row 51: not positive
    rows[59][1] = None  # row 61: brand missing

    job = validated(sales.organization, sales.user, "offers", xlsx(HEADERS, rows))

    assert (job.status, job.total_rows, job.valid_rows, job.error_rows) == (
        ImportJob.Status.VALIDATED,
        ROWS,
        1994,
        6,
    )
    report = read_rows(job.report.read())
    assert report[0] == (*HEADERS, "错误原因")
    assert [r[:11] for r in report[1:]] == [tuple(rows[i]) for i in (9, 19, 29, 39, 49, 59)]
    grades = "、".join(str(label) for _v, label in Grade.choices)
    assert [r[11] for r in report[1:]] == [
        f"第 11 行 · 零件号：{PART_MISSING % {'brand': 'ACDelco', 'number': 'NOPE-1'}}",
        f"第 21 行 · 单价：{cells.NOT_AN_AMOUNT}",
        f"第 31 行 · 品质：{cells.NOT_A_CHOICE % {'choices': grades}}",
        f"第 41 行 · 商家编码：{DUPLICATE_KEY % {'row': 3}}",
        f"第 51 行 · 单价：{PRICE_NOT_POSITIVE}",
        f"第 61 行 · 品牌：{REQUIRED}",
    ]
    assert Offer.objects.count() == 0

    job = services.import_job_apply(job=job, by=sales.user)

    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == ("done", 1994, 0, 0)
    assert Offer.objects.filter(supplier=sales.organization).count() == 1994
    assert len(read_rows(job.report.read())) == 7


def test_importing_the_same_file_twice_changes_nothing_the_second_time(sales, parts):
    content = xlsx(HEADERS, sheet_rows(parts))
    first = imported(sales.organization, sales.user, "offers", content)
    offers_before = dict(Offer.objects.values_list("sku", "updated_at"))
    parts_before = dict(Part.objects.values_list("id", "updated_at"))

    second = imported(sales.organization, sales.user, "offers", content)

    assert (first.created_count, first.updated_count, first.unchanged_count) == (ROWS, 0, 0)
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, ROWS)
    assert dict(Offer.objects.values_list("sku", "updated_at")) == offers_before
    assert dict(Part.objects.values_list("id", "updated_at")) == parts_before
    assert second.error_rows == 0
    assert not second.report


def test_a_changed_row_is_updated_and_only_that_one(sales, parts):
    rows = sheet_rows(parts)
    imported(sales.organization, sales.user, "offers", xlsx(HEADERS, rows))
    before = dict(Offer.objects.values_list("sku", "updated_at"))
    rows[5][4] = "¥99.00"
    rows[6][10] = "否"

    job = imported(sales.organization, sales.user, "offers", xlsx(HEADERS, rows))

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 2, ROWS - 2)
    after = dict(Offer.objects.values_list("sku", "updated_at"))
    assert {sku for sku in after if after[sku] != before[sku]} == {"AC-00005", "AC-00006"}
    assert Offer.objects.get(sku="AC-00005").price == Decimal("99.00")
    assert Offer.objects.get(sku="AC-00006").is_listed is False


def test_the_offer_summary_of_the_parts_is_refreshed(sales, parts):
    rows = sheet_rows(parts[:3])
    rows[2][10] = "否"

    imported(sales.organization, sales.user, "offers", xlsx(HEADERS, rows))

    first, second, third = (Part.objects.get(pk=p.pk) for p in parts[:3])
    assert (first.offer_count, first.min_price, first.fastest_lead_days, first.in_stock) == (
        1,
        Decimal("30.50"),
        2,
        False,
    )
    assert second.min_price == Decimal("31.50")
    assert (third.offer_count, third.min_price) == (0, None)


def test_awkward_cells_are_read_right(sales, db):
    category = CategoryFactory.create(code="oil-filter")
    toyota = BrandFactory.create(name="丰田", name_norm="丰田")
    genuine = PartFactory.create(brand=toyota, number="9091510003", category=category)
    scientific = PartFactory.create(brand=toyota, number="9091500000", category=category)
    wide = PartFactory.create(brand=BrandFactory.create(name="ABC", name_norm="ABC"), number="ABC123")
    rows: list[list[object]] = [
        [10001.0, "丰田", 9091510003.0, "原厂件", "¥1,234.50", 2.0, "1", "3", "12", "Y", "Y"],
        ["SKU-2\u00a0", " 丰田 ", "9.0915E+09", " 原厂件", "￥35", "", "", "", "", "", "N"],
        ["ＳＫＵ－３", "ＡＢＣ", "ＡＢＣ１２３", "副厂件", "1，234.5", 1, 1, 0, 0, 0, 1],
        [None, None, None, None, None, None, None, None, None, None, None],
        ["", " ", "\u00a0", "", "", "", "", "", "", "", ""],
    ]

    job = imported(sales.organization, sales.user, "offers", xlsx(HEADERS, rows))

    assert (job.total_rows, job.error_rows, job.created_count) == (3, 0, 3)
    offers = {o.sku: o for o in Offer.objects.all()}
    assert set(offers) == {"10001", "SKU-2", "SKU-3"}
    first, second, third = offers["10001"], offers["SKU-2"], offers["SKU-3"]
    assert (first.part, first.grade, first.price) == (genuine, Grade.GENUINE, Decimal("1234.50"))
    assert (first.min_order_quantity, first.order_multiple, first.lead_time_days) == (2, 1, 3)
    assert (first.warranty_months, first.made_to_order, first.is_listed) == (12, True, True)
    assert (second.part, second.price, second.min_order_quantity, second.lead_time_days) == (
        scientific,
        Decimal("35.00"),
        1,
        1,
    )
    assert (second.made_to_order, second.is_listed, second.stock_quantity) == (False, False, 0)
    assert (third.part, third.grade, third.price, third.is_listed) == (
        wide,
        Grade.AFTERMARKET,
        Decimal("1234.50"),
        True,
    )


def test_a_second_offer_in_the_same_grade_is_refused(sales, parts):
    OfferFactory.create(supplier=sales.organization, part=parts[0], grade=Grade.BRAND, sku="OLD-1")
    rows = sheet_rows(parts[:2])

    job = validated(sales.organization, sales.user, "offers", xlsx(HEADERS, rows))

    row = ImportRow.objects.get(job=job, row_number=2)
    assert row.errors == [{"column": "品质", "message": str(GRADE_TAKEN % {"sku": "OLD-1"})}]
    assert job.valid_rows == 1


def test_the_export_reimports_unchanged(sales, parts):
    imported(sales.organization, sales.user, "offers", xlsx(HEADERS, sheet_rows(parts[:50])))
    Offer.objects.filter(sku="AC-00003").update(price=Decimal("1234567.89"), is_listed=False)
    before = dict(Offer.objects.values_list("sku", "updated_at"))

    exported = services.export_offers_workbook(supplier=sales.organization)
    job = imported(sales.organization, sales.user, "offers", exported)

    assert read_rows(exported)[0] == tuple(HEADERS)
    assert read_rows(exported)[4] == (
        "AC-00003",
        "ACDelco",
        "PF-00001",
        "品牌件",
        1234567.89,
        1,
        1,
        2,
        12,
        "否",
        "否",
    )
    assert (job.total_rows, job.unchanged_count, job.error_rows) == (50, 50, 0)
    assert dict(Offer.objects.values_list("sku", "updated_at")) == before


def test_the_export_holds_only_the_suppliers_own_offers(sales, parts):
    OfferFactory.create(part=parts[0], sku="SOMEONE-ELSE")
    OfferFactory.create(supplier=sales.organization, part=parts[1], sku="MINE")

    rows = read_rows(services.export_offers_workbook(supplier=sales.organization))

    assert [r[0] for r in rows[1:]] == ["MINE"]


def test_the_uploader_finds_the_result_in_the_inbox(sales, parts):
    job = imported(sales.organization, sales.user, "offers", xlsx(HEADERS, sheet_rows(parts[:10])))

    titles = list(
        Message.objects.filter(recipient=sales.user).order_by("id").values_list("title", "body", "link")
    )
    assert titles == [
        (
            f"导入校验完成：{job.file_name}",
            "共 10 行：有效 10 行，错误 0 行。请确认后导入。",
            f"/catalog/imports/{job.pk}/",
        ),
        (
            f"导入完成：{job.file_name}",
            "新增 10 行，更新 0 行，未变 0 行，错误 0 行。",
            f"/catalog/imports/{job.pk}/",
        ),
    ]


def test_missing_brand_is_named_by_the_part_error(sales, db):
    Brand.objects.all().delete()
    Category.objects.all().delete()

    job = validated(
        sales.organization, sales.user, "offers", xlsx(HEADERS, [["S1", "博世", "0986AF0063", "品牌件", 10]])
    )

    assert ImportRow.objects.get(job=job).errors == [
        {"column": "零件号", "message": str(PART_MISSING % {"brand": "博世", "number": "0986AF0063"})}
    ]
