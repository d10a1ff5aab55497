"""The job row is the truth; tasks only wake it, may run again, and beat re-queues jobs
that went quiet."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from partsmall.catalog import tasks
from partsmall.catalog.imports import services
from partsmall.catalog.imports.offers import OffersKind
from partsmall.catalog.models import ImportJob, Offer, Part
from partsmall.catalog.normalize import normalize_number
from partsmall.catalog.tests.factories import BrandFactory, CategoryFactory
from partsmall.catalog.tests.import_files import template_headers, upload, validated, xlsx
from partsmall.config.celery import app
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory

ROWS = 30


@pytest.fixture
def sales(db):
    return MembershipFactory.create(role=Role.SALES)


@pytest.fixture
def content(db) -> bytes:
    brand = BrandFactory.create(name="博世", name_norm="博世")
    category = CategoryFactory.create(code="oil-filter")
    numbers = [f"0986AF{n:04d}" for n in range(ROWS)]
    Part.objects.bulk_create(
        Part(brand=brand, number=n, number_norm=normalize_number(n), name="机油滤清器", category=category)
        for n in numbers
    )
    rows = [[f"BS-{n}", "博世", number, "品牌件", "35.50"] + [""] * 6 for n, number in enumerate(numbers)]
    return xlsx(template_headers("offers"), rows)


def test_upload_and_confirm_run_in_the_background_after_commit(
    sales, content, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(
            organization=sales.organization, by=sales.user, kind="offers", upload=upload(content)
        )
    job.refresh_from_db()
    assert (job.status, job.valid_rows) == (ImportJob.Status.VALIDATED, ROWS)

    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_confirm(job=job, by=sales.user)

    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, ROWS)


def test_a_killed_apply_resumes_where_it_stopped(sales, content, monkeypatch):
    job = validated(sales.organization, sales.user, "offers", content)
    monkeypatch.setattr(services, "CHUNK_ROWS", 10)
    calls = {"n": 0}
    apply_chunk = OffersKind.apply_chunk

    def dies_on_the_second_chunk(self, rows, context):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return apply_chunk(self, rows, context)

    monkeypatch.setattr(OffersKind, "apply_chunk", dies_on_the_second_chunk)
    with pytest.raises(RuntimeError):
        services.import_job_apply(job=job, by=sales.user)
    job.refresh_from_db()
    assert (job.status, job.created_count, Offer.objects.count()) == (ImportJob.Status.APPLYING, 10, 10)

    assert tasks.import_apply(job.pk, sales.user.pk) == ImportJob.Status.DONE

    job.refresh_from_db()
    assert (job.created_count, job.updated_count, job.unchanged_count) == (ROWS, 0, 0)
    assert Offer.objects.count() == ROWS
    assert tasks.import_apply(job.pk) == ImportJob.Status.DONE
    assert Offer.objects.count() == ROWS


def test_beat_requeues_jobs_that_went_quiet_and_leaves_running_ones_alone(sales, content):
    stuck_validation = services.import_job_create(
        organization=sales.organization, by=sales.user, kind="offers", upload=upload(content)
    )
    stuck_apply = validated(sales.organization, sales.user, "offers", content)
    busy = services.import_job_create(
        organization=sales.organization, by=sales.user, kind="offers", upload=upload(content)
    )
    long_ago = timezone.now() - timedelta(minutes=11)
    ImportJob.objects.filter(pk=stuck_validation.pk).update(
        status=ImportJob.Status.VALIDATING, updated_at=long_ago
    )
    ImportJob.objects.filter(pk=stuck_apply.pk).update(status=ImportJob.Status.APPLYING, updated_at=long_ago)
    ImportJob.objects.filter(pk=busy.pk).update(status=ImportJob.Status.VALIDATING, updated_at=timezone.now())

    assert tasks.imports_requeue() == 2

    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {
        stuck_validation.pk: ImportJob.Status.VALIDATED,
        stuck_apply.pk: ImportJob.Status.DONE,
        busy.pk: ImportJob.Status.VALIDATING,
    }
    assert tasks.import_validate(busy.pk) == ImportJob.Status.VALIDATING


def test_the_requeue_runs_on_beat_and_the_tasks_are_registered():
    entry = settings.CELERY_BEAT_SCHEDULE["catalog-imports-requeue"]

    assert entry == {"task": "catalog.imports_requeue", "schedule": 300.0}
    assert {"catalog.import_validate", "catalog.import_apply", "catalog.imports_requeue"} <= set(app.tasks)
    assert all(app.tasks[name].acks_late for name in ("catalog.import_validate", "catalog.import_apply"))


def test_a_task_for_a_job_that_is_gone_does_nothing(db):
    assert tasks.import_validate(123456) == "missing"
    assert tasks.import_apply(123456) == "missing"


def test_a_cancelled_job_is_never_applied(sales, content):
    job = validated(sales.organization, sales.user, "offers", content)
    services.import_job_cancel(job=job, by=sales.user)

    assert tasks.import_apply(job.pk) == ImportJob.Status.CANCELLED
    assert not Offer.objects.exists()
    with pytest.raises(services.ApplicationError) as refused:
        services.import_job_cancel(job=job, by=sales.user)
    assert refused.value.message == services.CANNOT_CANCEL
