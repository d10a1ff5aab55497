"""A file that cannot be imported as a whole (wrong template, unreadable, empty) fails the
job with a clear message, stages nothing and leaves the catalogue as it was."""

import io

import pytest
from openpyxl import Workbook

from partsmall.catalog.imports import services, workbooks
from partsmall.catalog.models import ImportJob, ImportRow, Offer, Part
from partsmall.catalog.tests.factories import OfferFactory, PartFactory
from partsmall.catalog.tests.import_files import template_headers, upload, validated, xlsx
from partsmall.core.errors import ApplicationError
from partsmall.notifications.models import Message
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory

HEADERS = template_headers("offers")


@pytest.fixture
def sales(db):
    return MembershipFactory.create(role=Role.SALES)


@pytest.fixture
def catalogue(sales):
    """An offer already on the platform, to show that nothing changes."""
    offer = OfferFactory.create(
        supplier=sales.organization, sku="KEEP-1", part=PartFactory.create(number="PF304J")
    )
    return offer


def _snapshot() -> list[tuple]:
    return list(Offer.objects.order_by("id").values_list("id", "sku", "price", "updated_at")) + list(
        Part.objects.order_by("id").values_list("id", "number", "updated_at")
    )


def _offer_row(sku: str = "KEEP-1") -> list[object]:
    return [sku, "品牌0", "PF304J", "品牌件", "99", 1, 1, 1, 0, 1, "是"]


def _empty_workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            xlsx([h for h in HEADERS if h != "单价"], [_offer_row()[:4]]),
            workbooks.MISSING_HEADERS % {"columns": "单价"},
        ),
        (
            xlsx([*HEADERS, "折扣"], [_offer_row()]),
            workbooks.UNKNOWN_HEADERS % {"columns": "折扣"},
        ),
        (
            xlsx(template_headers("parts"), [["博世", "0986AF0063", "机油滤清器", "oil-filter"]]),
            workbooks.UNKNOWN_HEADERS % {"columns": "名称、分类编码、原厂品牌、原厂编号、属性"},
        ),
        (
            xlsx([*HEADERS, "单价"], [_offer_row()]),
            workbooks.DUPLICATE_HEADERS % {"columns": "单价"},
        ),
        (b"this is not a spreadsheet at all", workbooks.UNREADABLE),
        (b"PK\x03\x04 a broken zip", workbooks.UNREADABLE),
        (_empty_workbook(), workbooks.NO_HEADER),
        (xlsx(HEADERS, []), services.NO_DATA_ROWS),
        (xlsx(HEADERS, [[None] * 11, [""] * 11]), services.NO_DATA_ROWS),
    ],
    ids=[
        "missing",
        "unknown",
        "other-template",
        "twice",
        "text",
        "broken-zip",
        "empty",
        "header-only",
        "blank",
    ],
)
def test_a_fatal_error_changes_nothing(sales, catalogue, content, message):
    before = _snapshot()

    job = validated(sales.organization, sales.user, "offers", content)

    assert (job.status, job.fatal_error) == (ImportJob.Status.FAILED, str(message))
    assert (job.total_rows, job.valid_rows, job.error_rows) == (0, 0, 0)
    assert not ImportRow.objects.filter(job=job).exists()
    assert _snapshot() == before
    assert Message.objects.get(recipient=sales.user).title == f"导入失败：{job.file_name}"
    with pytest.raises(ApplicationError) as refused:
        services.import_job_confirm(job=job, by=sales.user)
    assert refused.value.message == services.NOT_VALIDATED


def test_a_wrong_header_written_in_full_width_or_with_a_required_mark_still_counts():
    kind_headers = [
        f"*{h}" if i == 0 else h.replace("(", "（").replace(")", "）") for i, h in enumerate(HEADERS)
    ]

    names = [workbooks.header_name(h) for h in kind_headers]

    assert names == HEADERS


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("price.xls", b"\xd0\xcf\x11\xe0 old excel", services.FILE_NOT_XLSX),
        ("price.csv", b"sku,price\n", services.FILE_NOT_XLSX),
        ("price.xlsx", b"", services.FILE_EMPTY),
    ],
)
def test_an_upload_that_is_no_xlsx_is_refused_before_a_job_exists(sales, name, content, message):
    with pytest.raises(ApplicationError) as refused:
        services.import_job_create(
            organization=sales.organization, by=sales.user, kind="offers", upload=upload(content, name)
        )

    assert (refused.value.field, refused.value.message) == ("file", message)
    assert not ImportJob.objects.exists()


def test_a_file_with_too_many_rows_fails_as_a_whole(sales, catalogue, monkeypatch):
    monkeypatch.setattr(services, "MAX_ROWS", 3)
    before = _snapshot()

    job = validated(
        sales.organization, sales.user, "offers", xlsx(HEADERS, [_offer_row(f"S{i}") for i in range(4)])
    )

    assert (job.status, job.fatal_error) == (
        ImportJob.Status.FAILED,
        str(services.TOO_MANY_ROWS % {"limit": "3"}),
    )
    assert not ImportRow.objects.filter(job=job).exists()
    assert _snapshot() == before
