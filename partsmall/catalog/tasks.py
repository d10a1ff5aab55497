"""Background work of the catalogue: imports. The ImportJob row is the truth; these tasks
only wake it up, and each may run again (beat re-queues jobs that went quiet)."""

from celery import shared_task

from partsmall.accounts.models import User
from partsmall.catalog.imports import services
from partsmall.catalog.models import ImportJob


@shared_task(name="catalog.import_validate", acks_late=True)
def import_validate(job_id: int) -> str:
    job = ImportJob.objects.filter(pk=job_id).select_related("organization", "created_by").first()
    if job is None:
        return "missing"
    return services.import_job_validate(job=job).status


@shared_task(name="catalog.import_apply", acks_late=True)
def import_apply(job_id: int, user_id: int | None = None) -> str:
    job = ImportJob.objects.filter(pk=job_id).select_related("organization", "created_by").first()
    if job is None or job.status not in {ImportJob.Status.VALIDATED, ImportJob.Status.APPLYING}:
        return job.status if job else "missing"
    by = User.objects.filter(pk=user_id).first() if user_id else None
    return services.import_job_apply(job=job, by=by).status


@shared_task(name="catalog.imports_requeue", acks_late=True)
def imports_requeue() -> int:
    """Beat: wakes imports stuck in upload, validation or apply for more than 10 minutes."""
    return services.import_jobs_requeue()
