"""The stock sheet 库存表 (SKU, warehouse code, absolute quantity) in the catalogue's import
framework: preview, error report, idempotent re-upload, fatal errors change nothing."""

import pytest

from partsmall.catalog.imports import services as import_services
from partsmall.catalog.imports.base import DUPLICATE_KEY, REQUIRED
from partsmall.catalog.imports.selectors import import_job_preview
from partsmall.catalog.imports.workbooks import UNKNOWN_HEADERS
from partsmall.catalog.models import ImportJob, ImportRow, Offer
from partsmall.catalog.tests.factories import OfferFactory
from partsmall.catalog.tests.import_files import read_rows, template_headers, upload, xlsx
from partsmall.core.errors import ApplicationError
from partsmall.inventory import errors
from partsmall.inventory.exports import stock_workbook
from partsmall.inventory.imports import SKU_MISSING, WAREHOUSE_MISSING, WAREHOUSE_OFF
from partsmall.inventory.models import MovementKind, StockLevel, StockMovement
from partsmall.inventory.services import ReserveLine, stock_reserve
from partsmall.inventory.tests.factories import WarehouseFactory, stock_offer
from partsmall.organizations.models import Membership, Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory

HEADERS = template_headers("stock")


@pytest.fixture
def keeper(db) -> Membership:
    return MembershipFactory.create(role=Role.WAREHOUSE)


@pytest.fixture
def offers(keeper) -> list[Offer]:
    supplier = keeper.organization
    return [OfferFactory.create(supplier=supplier, sku=f"BS-{n}", stock_quantity=0) for n in range(3)]


@pytest.fixture
def warehouses(keeper) -> dict[str, object]:
    supplier = keeper.organization
    return {
        "GZ01": WarehouseFactory.create(organization=supplier, code="GZ01"),
        "HZ01": WarehouseFactory.create(organization=supplier, code="HZ01"),
        "OLD": WarehouseFactory.create(organization=supplier, code="OLD", is_active=False),
    }


def _validated(keeper: Membership, content: bytes) -> ImportJob:
    job = import_services.import_job_create(
        organization=keeper.organization,
        by=keeper.user,
        kind="stock",
        upload=upload(content, "库存表.xlsx"),
        console="inventory",
    )
    return import_services.import_job_validate(job=job)


def _imported(keeper: Membership, content: bytes) -> ImportJob:
    return import_services.import_job_apply(job=_validated(keeper, content), by=keeper.user)


def _stock(offer: Offer) -> dict[str, int]:
    return dict(
        StockLevel.objects.filter(part=offer.part, grade=offer.grade).values_list(
            "warehouse__code", "on_hand"
        )
    )


def test_the_sheet_sets_absolute_quantities_with_movements(keeper, offers, warehouses):
    first, second, _third = offers
    stock_offer(first, 10, warehouse=warehouses["GZ01"])
    content = xlsx(HEADERS, [["BS-0", "GZ01", 7], ["BS-0", "hz01", 5], ["BS-1", "GZ01", "12"]])

    job = _imported(keeper, content)

    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == (
        ImportJob.Status.DONE,
        2,
        1,
        0,
    )
    assert (_stock(first), _stock(second)) == ({"GZ01": 7, "HZ01": 5}, {"GZ01": 12})
    moves = StockMovement.objects.filter(ref_type="import_job", ref_id=job.pk).order_by("pk")
    assert [(m.kind, m.on_hand_delta) for m in moves] == [
        (MovementKind.ADJUSTMENT, -3),
        (MovementKind.ADJUSTMENT, 5),
        (MovementKind.ADJUSTMENT, 12),
    ]
    assert [o.stock_quantity for o in Offer.objects.filter(pk__in=[first.pk, second.pk]).order_by("sku")] == [
        12,
        12,
    ]


def test_the_preview_shows_the_rows_before_anything_is_written(keeper, offers, warehouses):
    job = _validated(keeper, xlsx(HEADERS, [["BS-0", "GZ01", 7]]))

    assert job.status == ImportJob.Status.VALIDATED
    assert import_job_preview(job=job) == [(2, ["BS-0", "GZ01", "7"])]
    assert StockLevel.objects.count() == 0


def test_failing_rows_come_back_in_the_report_and_the_others_are_imported(keeper, offers, warehouses):
    held = offers[2]
    stock_offer(held, 6, warehouse=warehouses["GZ01"])
    stock_reserve(
        lines=[ReserveLine(offer=held, quantity=4, ref_id=1)],
        ref_type="order_line",
        ref_label="SO-1",
        province_code=None,
        by=None,
    )
    rows: list[list[object]] = [
        ["BS-0", "GZ01", 3],
        ["NOPE", "GZ01", 3],
        ["BS-1", "XX99", 3],
        ["BS-1", "OLD", 3],
        ["BS-1", "HZ01", -1],
        ["BS-1", "HZ01", None],
        ["BS-0", "GZ01", 4],
        ["BS-2", "GZ01", 3],
    ]

    job = _imported(keeper, xlsx(HEADERS, rows))

    errors_of = dict(ImportRow.objects.filter(job=job).exclude(errors=[]).values_list("row_number", "errors"))
    assert errors_of == {
        3: [{"column": "商家编码", "message": str(SKU_MISSING % {"sku": "NOPE"})}],
        4: [{"column": "仓库编码", "message": str(WAREHOUSE_MISSING % {"code": "XX99"})}],
        5: [{"column": "仓库编码", "message": str(WAREHOUSE_OFF % {"code": "OLD"})}],
        6: [{"column": "在库数量", "message": "应在 0 到 2000000000 之间。"}],
        7: [{"column": "在库数量", "message": str(REQUIRED)}],
        8: [{"column": "商家编码", "message": str(DUPLICATE_KEY % {"row": 2})}],
        9: [{"column": "在库数量", "message": str(errors.BELOW_RESERVED % {"on_hand": 3, "reserved": 4})}],
    }
    assert (job.created_count, job.error_rows) == (1, 7)
    report = read_rows(job.report.read())
    assert report[0] == (*HEADERS, "错误原因")
    assert [r[0] for r in report[1:]] == ["NOPE", "BS-1", "BS-1", "BS-1", "BS-1", "BS-0", "BS-2"]
    assert (_stock(offers[0]), _stock(held)) == ({"GZ01": 3}, {"GZ01": 6})


def test_uploading_the_same_sheet_again_writes_nothing(keeper, offers, warehouses):
    content = xlsx(HEADERS, [["BS-0", "GZ01", 7], ["BS-1", "HZ01", 0], ["BS-2", "HZ01", 2]])
    _imported(keeper, content)
    movements = StockMovement.objects.count()

    again = _imported(keeper, content)

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert StockMovement.objects.count() == movements
    # A zero for a level that does not exist creates none.
    assert not StockLevel.objects.filter(part=offers[1].part).exists()


def test_a_sheet_of_the_wrong_template_fails_whole_and_changes_nothing(keeper, offers, warehouses):
    stock_offer(offers[0], 5, warehouse=warehouses["GZ01"])
    before = list(StockLevel.objects.values_list("pk", "on_hand"))

    job = _validated(keeper, xlsx([*HEADERS, "库存"], [["BS-0", "GZ01", 1, 9]]))

    assert job.status == ImportJob.Status.FAILED
    assert job.fatal_error == UNKNOWN_HEADERS % {"columns": "库存"}
    assert not ImportRow.objects.filter(job=job).exists()
    assert list(StockLevel.objects.values_list("pk", "on_hand")) == before
    with pytest.raises(ApplicationError):
        import_services.import_job_apply(job=job, by=keeper.user)
    assert StockMovement.objects.count() == 1


def test_the_export_reimports_unchanged(keeper, offers, warehouses):
    stock_offer(offers[0], 5, warehouse=warehouses["GZ01"])
    stock_offer(offers[1], 8, warehouse=warehouses["HZ01"])

    exported = stock_workbook(organization=keeper.organization)
    job = _imported(keeper, exported)

    assert read_rows(exported) == [tuple(HEADERS), ("BS-0", "GZ01", 5), ("BS-1", "HZ01", 8)]
    assert (job.unchanged_count, job.updated_count, job.created_count) == (2, 0, 0)


def test_stock_sheets_are_a_suppliers_and_only_on_the_inventory_pages(keeper, offers):
    shop = MembershipFactory.create(organization__kind=Organization.Kind.REPAIR_SHOP, role=Role.OWNER)
    content = xlsx(HEADERS, [["BS-0", "GZ01", 7]])

    with pytest.raises(ApplicationError) as on_catalog_pages:
        import_services.import_job_create(
            organization=keeper.organization, by=keeper.user, kind="stock", upload=upload(content)
        )
    with pytest.raises(ApplicationError) as by_a_shop:
        import_services.import_job_create(
            organization=shop.organization,
            by=shop.user,
            kind="stock",
            upload=upload(content),
            console="inventory",
        )

    assert (on_catalog_pages.value.field, by_a_shop.value.field) == ("kind", "kind")
    assert not ImportJob.objects.exists()
