"""Import pages: the supplier's 商品 › 导入 and the console's 数据 › 导入, with three actors."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login_client
from partsmall.catalog.imports import services, workbooks
from partsmall.catalog.models import ImportJob, Offer
from partsmall.catalog.tests.factories import ImportJobFactory, PartFactory
from partsmall.catalog.tests.import_files import XLSX, read_rows, template_headers, upload, validated, xlsx
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory
from partsmall.vehicles.models import VehicleType

HEADERS = template_headers("offers")


@pytest.fixture
def actors(make_actors):
    return make_actors(kind=Organization.Kind.SUPPLIER, role=Role.SALES)


@pytest.fixture
def sheet(db) -> bytes:
    part = PartFactory.create(number="PF304J", brand__name="ACDelco", brand__name_norm="ACDELCO")
    return xlsx(
        HEADERS,
        [
            ["AC-1", "ACDelco", part.number, "品牌件", "¥35.50", 1, 1, 2, 12, "否", "是"],
            ["AC-2", "ACDelco", "NOPE", "品牌件", "12", 1, 1, 2, 12, "否", "是"],
        ],
    )


def _job(actors, sheet) -> ImportJob:
    return validated(actors.organization, actors.member.user, "offers", sheet, name="四月报价.xlsx")


@pytest.mark.parametrize("name", ["detail", "progress", "report"])
def test_a_job_page_is_for_its_organization_only(actors, sheet, name):
    job = _job(actors, sheet)
    url = reverse(f"catalog_imports:{name}", args=[job.pk])

    assert actors.member_client.get(url).status_code == 200
    assert actors.colleague_client.get(url).status_code == 403
    assert actors.outsider_client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["confirm", "cancel"])
def test_a_job_is_confirmed_or_cancelled_only_by_its_organization(actors, sheet, name):
    job = _job(actors, sheet)
    url = reverse(f"catalog_imports:{name}", args=[job.pk])

    assert actors.colleague_client.post(url).status_code == 403
    assert actors.outsider_client.post(url).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED
    assert not Offer.objects.exists()


@pytest.mark.parametrize("name", ["index", "upload", "template"])
def test_the_list_upload_and_template_pages_need_the_catalogue_permission(actors, name):
    url = reverse(f"catalog_imports:{name}") + "?kind=offers"

    assert actors.member_client.get(url).status_code == 200
    assert actors.colleague_client.get(url).status_code == 403


def test_the_list_shows_the_organizations_jobs_only(actors, sheet):
    job = _job(actors, sheet)
    ImportJobFactory.create(organization=actors.other_organization, file_name="别家的报价.xlsx")

    page = actors.member_client.get(reverse("catalog_imports:index")).content.decode()

    assert f'data-testid="import-row-{job.pk}"' in page
    assert "四月报价.xlsx" in page
    assert "别家的报价.xlsx" not in page
    assert "待确认" in page
    assert reverse("catalog_imports:template") + "?kind=offers" in page


def test_an_empty_list_invites_an_import(actors):
    page = actors.member_client.get(reverse("catalog_imports:index")).content.decode()

    assert 'data-testid="imports-empty"' in page
    assert "暂无导入记录" in page


def test_upload_preview_confirm_and_report(actors, sheet, django_capture_on_commit_callbacks):
    client = actors.member_client
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("catalog_imports:upload"), {"kind": "offers", "file": upload(sheet, "四月报价.xlsx")}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog_imports:detail", args=[job.pk])

    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-preview"' in page
    assert "35.50" in page
    assert 'data-testid="import-error-row"' in page
    assert "配件「ACDelco NOPE」不存在，请先导入配件。" in page
    assert "确认导入 1 行" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog_imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (response.status_code, job.status, job.created_count) == (302, ImportJob.Status.DONE, 1)
    assert Offer.objects.get().sku == "AC-1"

    report = client.get(reverse("catalog_imports:report", args=[job.pk]))
    assert report["Content-Type"] == XLSX
    assert "attachment" in report["Content-Disposition"]
    rows = read_rows(report.content)
    assert [r[0] for r in rows] == ["商家编码", "AC-2"]


def test_a_wrong_file_is_refused_under_the_field(actors):
    response = actors.member_client.post(
        reverse("catalog_imports:upload"), {"kind": "offers", "file": upload(b"a,b\n", "price.csv")}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-file"' in page
    assert str(services.FILE_NOT_XLSX) in page
    assert not ImportJob.objects.exists()


def test_a_supplier_is_not_offered_the_platforms_kinds(actors):
    page = actors.member_client.get(reverse("catalog_imports:upload")).content.decode()
    template = actors.member_client.get(reverse("catalog_imports:template") + "?kind=vehicle_types")

    assert 'value="offers"' in page
    assert 'value="vehicle_types"' not in page
    assert template.status_code == 404


def test_a_template_is_an_excel_file_with_its_headers_and_a_hidden_help_sheet(actors):
    response = actors.member_client.get(reverse("catalog_imports:template") + "?kind=offers")

    workbook = load_workbook(io.BytesIO(response.content))
    assert response["Content-Type"] == XLSX
    assert [c.value for c in workbook.worksheets[0][1]] == HEADERS
    assert workbook["说明"].sheet_state == "hidden"
    lists = {dv.formula1 for dv in workbook.worksheets[0].data_validations.dataValidation}
    assert lists == {'"原厂件,品牌件,副厂件,拆车件"', '"是,否"'}


def test_the_progress_polls_while_running_and_reloads_the_page_when_done(actors, sheet):
    running = ImportJobFactory.create(organization=actors.organization, status=ImportJob.Status.VALIDATING)
    finished = _job(actors, sheet)

    polling = actors.member_client.get(reverse("catalog_imports:progress", args=[running.pk]))
    done = actors.member_client.get(reverse("catalog_imports:progress", args=[finished.pk]))

    assert 'hx-trigger="every 1s"' in polling.content.decode()
    assert "HX-Refresh" not in polling
    assert done["HX-Refresh"] == "true"


def test_a_failed_job_shows_its_fatal_error(actors):
    job = validated(actors.organization, actors.member.user, "offers", b"not a workbook")

    page = actors.member_client.get(reverse("catalog_imports:detail", args=[job.pk])).content.decode()

    assert 'data-testid="import-fatal"' in page
    assert str(workbooks.UNREADABLE) in page


@pytest.fixture
def operator(platform_org):
    return MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_OPERATOR)


def test_the_operator_imports_vehicle_types_in_the_console(operator, django_capture_on_commit_callbacks):
    client = login_client(operator)
    content = xlsx(
        template_headers("vehicle_types"),
        [["大众", "Volkswagen", "上汽大众", "朗逸", "", "", "", "EA211", "1.5", "汽油", "6AT", 2018, "", ""]],
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("catalog_imports:platform_upload"), {"kind": "vehicle_types", "file": upload(content)}
        )
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("catalog_imports:platform_confirm", args=[job.pk]))

    assert response["Location"] == reverse("catalog_imports:platform_detail", args=[job.pk])
    assert VehicleType.objects.get().engine_code == "EA211"
    page = client.get(reverse("catalog_imports:platform_index")).content.decode()
    assert "车型库" in page
    assert "数据导入" in page


@pytest.mark.parametrize("name", ["platform_index", "platform_upload", "platform_template"])
def test_console_pages_are_for_operators_only(operator, actors, platform_org, name):
    url = reverse(f"catalog_imports:{name}") + "?kind=vin_patterns"
    finance = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_FINANCE)

    assert login_client(operator).get(url).status_code == 200
    assert login_client(finance).get(url).status_code == 403
    assert actors.member_client.get(url).status_code == 403


def test_the_sidebar_leads_to_the_imports(actors, operator):
    supplier_page = actors.member_client.get(reverse("catalog_imports:index")).content.decode()
    console_page = login_client(operator).get(reverse("catalog_imports:platform_index")).content.decode()

    assert f'href="{reverse("catalog_imports:index")}"' in supplier_page
    assert f'href="{reverse("catalog_imports:platform_index")}"' in console_page
