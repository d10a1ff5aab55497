"""Reads of imports, each scoped to the acting organization (another's job answers 404)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from partsmall.catalog.imports.kinds import CATALOG, kind_of, kinds_of_console
from partsmall.catalog.models import ImportJob, ImportRow
from partsmall.organizations.actor import Actor

RUNNING = frozenset({ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING})
STATUS_TAGS = {
    ImportJob.Status.UPLOADED: "blue",
    ImportJob.Status.VALIDATING: "blue",
    ImportJob.Status.VALIDATED: "orange",
    ImportJob.Status.APPLYING: "blue",
    ImportJob.Status.DONE: "green",
    ImportJob.Status.FAILED: "red",
    ImportJob.Status.CANCELLED: "grey",
}


@dataclass(frozen=True)
class RowError:
    row_number: int
    column: str
    message: str


def import_jobs_of(*, actor: Actor, console: str = CATALOG) -> QuerySet[ImportJob]:
    """The acting organization's jobs of the kinds the pages of `console` serve."""
    if actor.organization is None:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(
        organization=actor.organization, kind__in=kinds_of_console(console)
    ).select_related("created_by")


def import_job_get(*, actor: Actor, pk: int, console: str = CATALOG) -> ImportJob:
    """One of the acting organization's import jobs; anyone else's answers 404 (and so does
    a job the pages of `console` do not serve)."""
    return get_object_or_404(
        import_jobs_of(actor=actor, console=console).select_related("organization"), pk=pk
    )


def import_job_errors(*, job: ImportJob, limit: int = 50) -> list[RowError]:
    """The first errors of the job, one line per row and column (行号 / 列 / 错误)."""
    found: list[RowError] = []
    rows = ImportRow.objects.filter(job=job).exclude(errors=[]).order_by("row_number")
    for number, errors in rows.values_list("row_number", "errors")[:limit].iterator():
        for error in errors:
            found.append(RowError(number, error.get("column", ""), error.get("message", "")))
    return found[:limit]


def import_job_preview(*, job: ImportJob, limit: int = 10) -> list[tuple[int, list[str]]]:
    """The first valid rows as they will be imported (values after cleaning)."""
    kind = kind_of(job.kind)
    rows = (
        ImportRow.objects.filter(job=job, errors=[]).order_by("row_number").values_list("row_number", "data")
    )
    return [(number, kind.preview(data.get("values", {}))) for number, data in rows[:limit]]


def import_job_percent(job: ImportJob) -> int:
    """Progress of the running step: rows read while validating, rows written while applying."""
    if job.status in {ImportJob.Status.DONE, ImportJob.Status.VALIDATED}:
        return 100
    if job.status == ImportJob.Status.VALIDATING and job.total_rows:
        return min(99, job.processed_rows * 100 // job.total_rows)
    if job.status == ImportJob.Status.APPLYING and job.valid_rows:
        done = job.created_count + job.updated_count + job.unchanged_count
        return min(99, done * 100 // job.valid_rows)
    return 0


def import_job_is_running(job: ImportJob) -> bool:
    return job.status in RUNNING
