"""Imports of the catalogue from Excel: upload → validation (staged rows, preview) → apply.

The ImportJob row is the source of truth; Celery tasks only wake it up, and every step
may run again: validation restarts from the file, apply skips the rows already applied.
Validation streams the file and stages ImportRow rows in bulk; apply writes chunks of
valid rows, each chunk in its own short transaction, in bulk, counting what it created,
updated or left unchanged (so importing the same file twice writes nothing the second
time). A file that cannot be read as the kind's template fails as a whole and stages
nothing.
"""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from typing import IO, TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partsmall.catalog.imports.base import DUPLICATE_KEY, ChunkResult, Context, ImportKind, Row, Staged
from partsmall.catalog.imports.bulk import insert_rows
from partsmall.catalog.imports.cells import json_safe
from partsmall.catalog.imports.kinds import CATALOG, KINDS, kind_of, kinds_for
from partsmall.catalog.imports.workbooks import (
    FatalError,
    open_sheet,
    report_bytes,
    rows_bytes,
    template_bytes,
)
from partsmall.catalog.indexing import refresh_offer_summary
from partsmall.catalog.models import Grade, ImportJob, ImportRow, Offer
from partsmall.catalog.services import part_reindex
from partsmall.core.errors import ApplicationError
from partsmall.notifications.services import message_send
from partsmall.organizations.models import Organization

if TYPE_CHECKING:
    from partsmall.accounts.models import User

MAX_UPLOAD_MB = 50
MAX_ROWS = 200_000
# Rows read between two progress updates (and staged in one bulk insert).
BATCH_ROWS = 500
# Rows applied in one transaction.
CHUNK_ROWS = 1000
# A running job that shows no progress for this long is woken up again by beat.
STALE_AFTER = timedelta(minutes=10)

KIND_REQUIRED = _("请选择导入类型。")
KIND_NOT_ALLOWED = _("贵组织不能导入「%(kind)s」。")
FILE_REQUIRED = _("请选择要上传的文件。")
FILE_NOT_XLSX = _("只支持 .xlsx 格式的 Excel 文件（Excel 2007 及以上版本）。")
FILE_EMPTY = _("上传的文件是空的。")
FILE_TOO_LARGE = _("文件不能超过 %(mb)s MB，请拆分后上传。")
TOO_MANY_ROWS = _("文件超过 %(limit)s 行，请拆分后分批上传。")
NO_DATA_ROWS = _("文件中没有数据行：第 1 行为列名，数据从第 2 行开始。")
NOT_VALIDATED = _("只有校验完成、待确认的导入才能确认导入。")
NOTHING_TO_APPLY = _("没有可导入的有效行。")
CANNOT_CANCEL = _("只有待确认的导入可以取消。")
APPLY_CONFLICT = _("与平台上的现有数据冲突（可能刚被修改），未导入，请重新上传。")
ROW_REASON = _("第 %(row)s 行")

VALIDATED_TITLE = _("导入校验完成：%(file)s")
VALIDATED_BODY = _("共 %(total)s 行：有效 %(valid)s 行，错误 %(errors)s 行。请确认后导入。")
FAILED_TITLE = _("导入失败：%(file)s")
DONE_TITLE = _("导入完成：%(file)s")
DONE_BODY = _("新增 %(created)s 行，更新 %(updated)s 行，未变 %(unchanged)s 行，错误 %(errors)s 行。")


# Upload ---------------------------------------------------------------------------------


def _check_kind(organization: Organization, kind: str, console: str) -> None:
    if kind not in KINDS:
        raise ApplicationError(KIND_REQUIRED, field="kind")
    if kind_of(kind) not in kinds_for(organization, console=console):
        raise ApplicationError(KIND_NOT_ALLOWED % {"kind": kind_of(kind).title}, field="kind")


def _check_upload(upload: UploadedFile | None) -> UploadedFile:
    if upload is None:
        raise ApplicationError(FILE_REQUIRED, field="file")
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise ApplicationError(FILE_NOT_XLSX, field="file")
    if not upload.size:
        raise ApplicationError(FILE_EMPTY, field="file")
    if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
        raise ApplicationError(FILE_TOO_LARGE % {"mb": MAX_UPLOAD_MB}, field="file")
    return upload


@transaction.atomic
def import_job_create(
    *,
    organization: Organization,
    by: "User | None",
    kind: str,
    upload: UploadedFile | None,
    console: str = CATALOG,
) -> ImportJob:
    """Stores the upload and queues its validation (a kind the pages of `console` serve)."""
    _check_kind(organization, kind, console)
    upload = _check_upload(upload)
    job = ImportJob(organization=organization, created_by=by, kind=kind, file_name=(upload.name or "")[-200:])
    job.file.save(f"import-{kind}.xlsx", upload, save=False)
    job.full_clean()
    job.save()
    transaction.on_commit(partial(_wake_validation, job.pk))
    return job


def _wake_validation(job_id: int) -> None:
    from partsmall.catalog.tasks import import_validate  # tasks import this module

    import_validate.delay(job_id)


def _wake_apply(job_id: int, user_id: int | None) -> None:
    from partsmall.catalog.tasks import import_apply  # tasks import this module

    import_apply.delay(job_id, user_id)


# Validation -----------------------------------------------------------------------------


def _claim(job: ImportJob, *, waiting: str, running: str) -> bool:
    """Moves the job from `waiting` to `running`, or takes over a `running` one gone quiet."""
    now = timezone.now()
    claimed = (
        ImportJob.objects.filter(pk=job.pk)
        .filter(Q(status=waiting) | Q(status=running, updated_at__lt=now - STALE_AFTER))
        .update(status=running, updated_at=now)
    )
    job.refresh_from_db()
    return bool(claimed)


def import_job_validate(*, job: ImportJob) -> ImportJob:
    """Streams the file and stages its rows with their errors; the job waits for confirmation.

    A fatal error (unreadable file, wrong template, no rows) marks the job FAILED with the
    message and leaves nothing staged.
    """
    if not _claim(job, waiting=ImportJob.Status.UPLOADED, running=ImportJob.Status.VALIDATING):
        return job
    ImportRow.objects.filter(job=job).delete()
    kind = kind_of(job.kind)
    context = Context(job=job, organization=job.organization, by=job.created_by)
    try:
        total, errors = _stage(job, kind, context)
    except FatalError as error:
        ImportRow.objects.filter(job=job).delete()
        return _fail(job, str(error.message))
    job.total_rows = job.processed_rows = total
    job.error_rows = errors
    job.valid_rows = total - errors
    job.status = ImportJob.Status.VALIDATED
    if errors:
        _write_report(job, kind)
    job.save()
    _notify(
        job, VALIDATED_TITLE, VALIDATED_BODY % {"total": total, "valid": job.valid_rows, "errors": errors}
    )
    return job


@contextmanager
def _local_copy(job: ImportJob) -> Iterator[IO[bytes]]:
    """The upload as a seekable local file (object storage streams are not)."""
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as copy, job.file.open("rb") as source:
        shutil.copyfileobj(source, copy)
        copy.seek(0)
        yield copy


def _stage(job: ImportJob, kind: ImportKind, context: Context) -> tuple[int, int]:
    """(rows, rows with errors), staged in batches with progress after each batch."""
    total = errors = 0
    seen: dict[str, int] = {}
    with _local_copy(job) as file, open_sheet(file, kind) as sheet:
        ImportJob.objects.filter(pk=job.pk).update(total_rows=min(sheet.estimated_rows, MAX_ROWS))
        batch: list[Row] = []
        for number, cells in sheet.rows():
            total += 1
            if total > MAX_ROWS:
                raise FatalError(TOO_MANY_ROWS % {"limit": f"{MAX_ROWS:,}"})
            row = Row(number=number, cells=cells)
            kind.clean(row, context)
            batch.append(row)
            if len(batch) == BATCH_ROWS:
                errors += _stage_batch(job, kind, context, batch, seen)
                _progress(job, total, sheet.estimated_rows)
                batch = []
        errors += _stage_batch(job, kind, context, batch, seen)
    if not total:
        raise FatalError(NO_DATA_ROWS)
    return total, errors


def _stage_batch(
    job: ImportJob, kind: ImportKind, context: Context, batch: list[Row], seen: dict[str, int]
) -> int:
    kind.check_batch(batch, context)
    for row in batch:
        if row.errors or not row.key:
            continue
        if row.key in seen:
            row.error(kind.key_header, DUPLICATE_KEY % {"row": seen[row.key]})
        else:
            seen[row.key] = row.number
    headers = kind.headers
    insert_rows(
        ImportRow,
        ("job_id", "row_number", "key", "data", "errors", "applied"),
        (
            (
                job.pk,
                row.number,
                row.key[:255],
                {
                    "values": {} if row.errors else row.values,
                    "raw": [json_safe(row.cells.get(header)) for header in headers],
                },
                row.errors,
                False,
            )
            for row in batch
        ),
    )
    return sum(1 for row in batch if row.errors)


def _progress(job: ImportJob, processed: int, estimated: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        processed_rows=processed,
        total_rows=max(processed, min(estimated, MAX_ROWS)),
        updated_at=timezone.now(),
    )


def _fail(job: ImportJob, message: str) -> ImportJob:
    job.status = ImportJob.Status.FAILED
    job.fatal_error = message
    job.total_rows = job.processed_rows = job.valid_rows = job.error_rows = 0
    job.finished_at = timezone.now()
    job.save()
    _notify(job, FAILED_TITLE, message)
    return job


def _reason(row_number: int, errors: list[dict[str, str]]) -> str:
    details = "；".join(f"{e['column']}：{e['message']}" if e.get("column") else e["message"] for e in errors)
    return f"{ROW_REASON % {'row': row_number}} · {details}"


def _write_report(job: ImportJob, kind: ImportKind) -> None:
    """The failing rows as uploaded, each with its 错误原因, stored on the job."""
    failing = (
        ImportRow.objects.filter(job=job)
        .exclude(errors=[])
        .order_by("row_number")
        .values_list("row_number", "data", "errors")
    )
    content = report_bytes(
        kind, ((data["raw"], _reason(number, errors)) for number, data, errors in failing.iterator(2000))
    )
    if job.report:
        job.report.delete(save=False)
    job.report.save(f"import-{job.pk}-errors.xlsx", ContentFile(content), save=False)


# Confirmation, apply, cancellation ------------------------------------------------------


@transaction.atomic
def import_job_confirm(*, job: ImportJob, by: "User | None") -> ImportJob:
    """The uploader's go-ahead: queues the apply of the valid rows."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.VALIDATED:
        raise ApplicationError(NOT_VALIDATED)
    if not job.valid_rows:
        raise ApplicationError(NOTHING_TO_APPLY)
    job.status = ImportJob.Status.APPLYING
    job.save(update_fields=["status", "updated_at"])
    transaction.on_commit(partial(_wake_apply, job.pk, by.pk if by else None))
    return job


@transaction.atomic
def import_job_cancel(*, job: ImportJob, by: "User | None") -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.VALIDATED:
        raise ApplicationError(CANNOT_CANCEL)
    job.status = ImportJob.Status.CANCELLED
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at", "updated_at"])
    ImportRow.objects.filter(job=job).delete()
    return job


def import_job_apply(*, job: ImportJob, by: "User | None") -> ImportJob:
    """Applies the valid rows in chunks, each in its own transaction; skips rows applied by
    an earlier run; then writes the report of failed rows and tells the uploader."""
    job.refresh_from_db()
    if job.status == ImportJob.Status.VALIDATED:
        job = _start_applying(job)
    elif job.status == ImportJob.Status.DONE:
        return job
    elif job.status != ImportJob.Status.APPLYING:
        raise ApplicationError(NOT_VALIDATED)
    kind = kind_of(job.kind)
    context = Context(job=job, organization=job.organization, by=by or job.created_by)
    cursor: int | None = 0
    while cursor is not None:
        cursor = _apply_next_chunk(job, kind, context, cursor)
    return _finish_apply(job, kind)


@transaction.atomic
def _start_applying(job: ImportJob) -> ImportJob:
    """VALIDATED → APPLYING without queueing (the caller applies right away)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.VALIDATED or not job.valid_rows:
        raise ApplicationError(
            NOTHING_TO_APPLY if job.status == ImportJob.Status.VALIDATED else NOT_VALIDATED
        )
    job.status = ImportJob.Status.APPLYING
    job.save(update_fields=["status", "updated_at"])
    return job


def _apply_next_chunk(job: ImportJob, kind: ImportKind, context: Context, cursor: int) -> int | None:
    """Applies the next chunk after row `cursor`; the new cursor, or None when done."""
    with transaction.atomic():
        # The job's lock makes two runs of the same job take turns, chunk by chunk.
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportJob.Status.APPLYING:
            return None
        # Only the checked values travel: the raw cells stay in the database for the report.
        rows = list(
            ImportRow.objects.filter(job=job, applied=False, row_number__gt=cursor)
            .order_by("row_number")
            .values_list("pk", "row_number", "data__values", "errors")[:CHUNK_ROWS]
        )
        if not rows:
            return None
        staged = [
            Staged(id=pk, number=number, values=values) for pk, number, values, errors in rows if not errors
        ]
        result = _apply_rows(kind, staged, context)
        _refresh_parts(kind, result)
        _record(job, result)
        last_number: int = rows[-1][1]
        return last_number


def _apply_rows(kind: ImportKind, rows: list[Staged], context: Context) -> ChunkResult:
    """The chunk in bulk; if it collides with a concurrent change, row by row."""
    if not rows:
        return ChunkResult()
    try:
        with transaction.atomic():
            return kind.apply_chunk(rows, context)
    except IntegrityError:
        pass
    result = ChunkResult()
    for row in rows:
        try:
            with transaction.atomic():
                one = kind.apply_chunk([row], context)
        except IntegrityError:
            result.failures[row.id] = [{"column": "", "message": str(APPLY_CONFLICT)}]
            continue
        result.outcomes.update(one.outcomes)
        result.touched_part_ids |= one.touched_part_ids
        result.reindex_part_ids |= one.reindex_part_ids
    return result


def _refresh_parts(kind: ImportKind, result: ChunkResult) -> None:
    if result.reindex_part_ids:
        part_reindex(part_ids=result.reindex_part_ids)
    if kind.summarises_offers and result.touched_part_ids:
        refresh_offer_summary(result.touched_part_ids)


def _record(job: ImportJob, result: ChunkResult) -> None:
    ImportRow.objects.filter(pk__in=list(result.outcomes)).update(applied=True)
    failed = [ImportRow(pk=pk, errors=errors) for pk, errors in result.failures.items()]
    ImportRow.objects.bulk_update(failed, ["errors"])
    outcomes = list(result.outcomes.values())
    ImportJob.objects.filter(pk=job.pk).update(
        created_count=F("created_count") + outcomes.count("created"),
        updated_count=F("updated_count") + outcomes.count("updated"),
        unchanged_count=F("unchanged_count") + outcomes.count("unchanged"),
        valid_rows=F("valid_rows") - len(failed),
        error_rows=F("error_rows") + len(failed),
        updated_at=timezone.now(),
    )


def _finish_apply(job: ImportJob, kind: ImportKind) -> ImportJob:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportJob.Status.APPLYING:
            return job
        if job.error_rows:
            _write_report(job, kind)
        job.status = ImportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save()
        counts = {
            "created": job.created_count,
            "updated": job.updated_count,
            "unchanged": job.unchanged_count,
            "errors": job.error_rows,
        }
        _notify(job, DONE_TITLE, DONE_BODY % counts)
    return job


def _notify(job: ImportJob, title: Any, body: Any) -> None:
    if job.created_by is None:
        return
    route = (
        "catalog_imports:platform_detail" if job.organization.is_platform else kind_of(job.kind).detail_route
    )
    message_send(
        recipient=job.created_by,
        title=str(title % {"file": job.file_name})[:200],
        body=str(body),
        link=reverse(route, args=[job.pk]),
        kind="catalog_import",
        organization_id=job.organization_id,
    )


# Beat -----------------------------------------------------------------------------------


def import_jobs_stale() -> list[ImportJob]:
    """Jobs whose background work should be running but shows no progress for a while."""
    waiting = (ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING)
    return list(
        ImportJob.objects.filter(status__in=waiting, updated_at__lt=timezone.now() - STALE_AFTER).order_by(
            "id"
        )
    )


def import_jobs_requeue() -> int:
    """Wakes every stale job again (the tasks are idempotent); how many were queued."""
    jobs = import_jobs_stale()
    for job in jobs:
        if job.status == ImportJob.Status.APPLYING:
            _wake_apply(job.pk, None)
        else:
            _wake_validation(job.pk)
    return len(jobs)


# Templates and export -------------------------------------------------------------------


def template_workbook(kind: str) -> bytes:
    """The empty template of a kind: styled headers, drop-downs, and a hidden 说明 sheet."""
    if kind not in KINDS:
        raise ApplicationError(KIND_REQUIRED, field="kind")
    return template_bytes(kind_of(kind))


def export_offers_workbook(*, supplier: Organization) -> bytes:
    """The supplier's offers in the columns of the offers template (re-imports unchanged)."""
    labels = dict(Grade.choices)
    offers = (
        Offer.objects.filter(supplier=supplier)
        .select_related("part__brand")
        .order_by("sku")
        .values_list(
            "sku",
            "part__brand__name",
            "part__number",
            "grade",
            "price",
            "min_order_quantity",
            "order_multiple",
            "lead_time_days",
            "warranty_months",
            "made_to_order",
            "is_listed",
        )
    )
    rows = (
        [
            sku,
            brand,
            number,
            str(labels[grade]),
            price,
            moq,
            multiple,
            lead,
            warranty,
            "是" if made_to_order else "否",
            "是" if listed else "否",
        ]
        for (
            sku,
            brand,
            number,
            grade,
            price,
            moq,
            multiple,
            lead,
            warranty,
            made_to_order,
            listed,
        ) in offers.iterator(2000)
    )
    return rows_bytes(kind_of(ImportJob.Kind.OFFERS), rows)
