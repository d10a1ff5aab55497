"""Imports over the API: upload, poll, apply, report, templates and the offers export."""

import pytest
from django.test import Client
from django.urls import reverse

from partsmall.catalog.imports import services
from partsmall.catalog.models import ImportJob, Offer
from partsmall.catalog.tests.factories import OfferFactory, PartFactory
from partsmall.catalog.tests.import_files import XLSX, read_rows, template_headers, upload, validated, xlsx
from partsmall.integrations.tests.factories import ApiKeyFactory, full_key
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role

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


def test_upload_poll_apply_and_fetch_the_report(actors, sheet, django_capture_on_commit_callbacks):
    client = actors.member_client
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            reverse("api-imports"), {"kind": "offers", "file": upload(sheet, "四月报价.xlsx")}
        )
    assert created.status_code == 201
    job_id = created.json()["id"]

    polled = client.get(reverse("api-import", args=[job_id])).json()
    assert {
        k: polled[k] for k in ("kind", "status", "progress", "total_rows", "valid_rows", "error_rows")
    } == {
        "kind": "offers",
        "status": "validated",
        "progress": 100,
        "total_rows": 2,
        "valid_rows": 1,
        "error_rows": 1,
    }
    assert polled["errors_sample"] == [
        {"row": 3, "column": "零件号", "message": "配件「ACDelco NOPE」不存在，请先导入配件。"}
    ]
    assert polled["has_report"] is True

    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(reverse("api-import-apply", args=[job_id]))
    assert (applied.status_code, applied.json()["status"]) == (202, "applying")
    assert client.get(reverse("api-import", args=[job_id])).json()["created_count"] == 1

    report = client.get(reverse("api-import-report", args=[job_id]))
    assert report["Content-Type"] == XLSX
    assert [r[0] for r in read_rows(report.content)] == ["商家编码", "AC-2"]


def test_applying_a_job_twice_is_refused_with_the_reason(actors, sheet):
    job = validated(actors.organization, actors.member.user, "offers", sheet)
    services.import_job_apply(job=job, by=actors.member.user)

    response = actors.member_client.post(reverse("api-import-apply", args=[job.pk]))

    assert response.status_code == 400
    assert response.json()["message"] == str(services.NOT_VALIDATED)


def test_a_wrong_upload_answers_400_naming_the_field(actors):
    response = actors.member_client.post(
        reverse("api-imports"), {"kind": "offers", "file": upload(b"x", "a.csv")}
    )
    vehicles = actors.member_client.post(
        reverse("api-imports"), {"kind": "vehicle_types", "file": upload(b"x")}
    )

    assert (response.status_code, response.json()["field"]) == (400, "file")
    assert (vehicles.status_code, vehicles.json()["field"]) == (400, "kind")
    assert vehicles.json()["message"] == str(services.KIND_NOT_ALLOWED % {"kind": "车型库"})
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("name", "method"), [("api-import", "get"), ("api-import-report", "get"), ("api-import-apply", "post")]
)
def test_a_job_is_for_its_organization_only(actors, sheet, name, method):
    job = validated(actors.organization, actors.member.user, "offers", sheet)
    url = reverse(name, args=[job.pk])

    assert getattr(actors.member_client, method)(url).status_code in {200, 202}
    assert getattr(actors.colleague_client, method)(url).status_code == 403
    assert getattr(actors.outsider_client, method)(url).status_code == 404


def test_the_list_holds_the_organizations_jobs_only(actors, sheet):
    mine = validated(actors.organization, actors.member.user, "offers", sheet)
    validated(actors.other_organization, actors.outsider.user, "offers", sheet)

    listed = actors.member_client.get(reverse("api-imports")).json()

    assert [j["id"] for j in listed["results"]] == [mine.pk]
    assert actors.colleague_client.get(reverse("api-imports")).status_code == 403


def test_templates_for_the_kinds_the_organization_may_import(actors):
    offers = actors.member_client.get(reverse("api-import-template", args=["offers"]))
    vehicles = actors.member_client.get(reverse("api-import-template", args=["vehicle_types"]))

    assert (offers.status_code, offers["Content-Type"]) == (200, XLSX)
    assert read_rows(offers.content)[0] == tuple(HEADERS)
    assert vehicles.status_code == 404
    assert actors.colleague_client.get(reverse("api-import-template", args=["offers"])).status_code == 403


def test_the_offers_export_holds_the_suppliers_offers(actors):
    OfferFactory.create(supplier=actors.organization, sku="MINE-1")
    OfferFactory.create(supplier=actors.other_organization, sku="THEIRS-1")

    response = actors.member_client.get(reverse("api-offers-export"))

    assert response["Content-Type"] == XLSX
    assert [r[0] for r in read_rows(response.content)] == ["商家编码", "MINE-1"]
    assert actors.colleague_client.get(reverse("api-offers-export")).status_code == 403


def test_an_erp_imports_with_an_api_key_and_the_keys_creator_hears_of_it(
    actors, sheet, django_capture_on_commit_callbacks
):
    key = ApiKeyFactory.create(
        organization=actors.organization, role=Role.SALES, created_by=actors.member.user
    )
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {full_key(key)}")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("api-imports"), {"kind": "offers", "file": upload(sheet)})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("api-import-apply", args=[response.json()["id"]]))

    job = ImportJob.objects.get()
    assert (job.status, job.created_by, job.organization) == ("done", actors.member.user, actors.organization)
    assert Offer.objects.filter(supplier=actors.organization).count() == 1
    assert actors.member.user.inbox_messages.filter(kind="catalog_import").count() == 2
