"""Excel files for the import tests, built the way Excel writes them (openpyxl)."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from partsmall.accounts.models import User
from partsmall.catalog.imports import services
from partsmall.catalog.imports.kinds import kind_of
from partsmall.catalog.models import ImportJob
from partsmall.organizations.models import Organization

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_headers(kind: str) -> list[str]:
    return kind_of(kind).headers


def upload(content: bytes, name: str = "导入.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def validated(
    organization: Organization, by: User, kind: str, content: bytes, name: str = "导入.xlsx"
) -> ImportJob:
    """Upload + validation, run here (the on-commit queueing does not fire inside a test)."""
    job = services.import_job_create(
        organization=organization, by=by, kind=kind, upload=upload(content, name)
    )
    return services.import_job_validate(job=job)


def imported(organization: Organization, by: User, kind: str, content: bytes) -> ImportJob:
    job = validated(organization, by, kind, content)
    return services.import_job_apply(job=job, by=by)


def read_rows(content: bytes) -> list[tuple[object, ...]]:
    """The rows of the first sheet of a workbook (header included)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    try:
        return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()
