"""The frame every import kind fills in: its columns, how a row is read, checked and applied.

A kind reads one row without the database (`clean`), checks a batch of rows against the
database in a few queries (`check_batch`), and writes a chunk of valid rows in bulk
(`apply_chunk`), answering for each row whether it created, updated or left things as
they were, so that importing the same file again writes nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from partsmall.accounts.models import User
from partsmall.catalog.imports import cells as readers
from partsmall.catalog.models import ImportJob
from partsmall.organizations.models import Organization

REQUIRED = _("必填。")
TOO_LONG = _("不能超过 %(max)s 个字符。")
OUT_OF_RANGE = _("应在 %(min)s 到 %(max)s 之间。")
DUPLICATE_KEY = _("与第 %(row)s 行重复。")

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# The template's own column for the error report, accepted (and ignored) on re-upload.
REASON_HEADER = "错误原因"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    help: str | Promise = ""
    example: str = ""
    required: bool = False
    # The column must be in the file (a missing one would reset its values).
    header_required: bool = True
    width: int = 14
    # A drop-down list in the template.
    options: tuple[str, ...] = ()
    # Kept as text in the template so Excel does not turn 0012 into 12.
    as_text: bool = False
    # Stored value → label, for the preview.
    labels: tuple[tuple[str, str], ...] = ()


@dataclass
class Row:
    """One row of the file while it is read and checked."""

    number: int
    cells: dict[str, object]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    key: str = ""

    def error(self, column: str, message: object) -> None:
        self.errors.append({"column": column, "message": str(message)})

    def read(self, column: Column, reader: Callable[[object], Any], default: Any = None) -> Any:
        """The cell read by `reader`; None (with the row's error) when it is wrong or missing."""
        raw = self.cells.get(column.header)
        if raw is None or (isinstance(raw, str) and not readers.fold(raw)):
            if column.required:
                self.error(column.header, REQUIRED)
                return None
            return default
        try:
            return reader(raw)
        except readers.CellError as error:
            self.error(column.header, error.message)
            return None

    def text(self, column: Column, max_length: int, reader: Callable[[object], str] = readers.text) -> str:
        value = self.read(column, reader, default="") or ""
        if len(value) > max_length:
            self.error(column.header, TOO_LONG % {"max": max_length})
            return ""
        return value

    def integer(self, column: Column, *, default: int | None, low: int, high: int) -> int | None:
        value = self.read(column, readers.integer, default=default)
        if value is not None and not low <= value <= high:
            self.error(column.header, OUT_OF_RANGE % {"min": low, "max": high})
            return None
        return value


@dataclass
class Context:
    """What one run of one job knows: who imports, and caches its batches share."""

    job: ImportJob
    organization: Organization
    by: User | None
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def is_operator(self) -> bool:
        return self.organization.is_platform

    @property
    def source(self) -> str:
        return f"{self.organization.name} 导入 #{self.job.pk}"[:500]


@dataclass
class ChunkResult:
    """Outcome per staged row id: CREATED / UPDATED / UNCHANGED, or its errors."""

    outcomes: dict[int, str] = field(default_factory=dict)
    failures: dict[int, list[dict[str, str]]] = field(default_factory=dict)
    touched_part_ids: set[int] = field(default_factory=set)
    # Parts whose search text must be rebuilt (name, brand or OE numbers changed).
    reindex_part_ids: set[int] = field(default_factory=set)


@dataclass
class Staged:
    """A staged row handed to `apply_chunk`: its id, number and checked values."""

    id: int
    number: int
    values: dict[str, Any]


class ImportKind:
    kind: str
    title: str | Promise
    columns: tuple[Column, ...]
    # Organization kinds that may import this kind (the platform is "platform").
    allowed: frozenset[str]
    # The column a duplicate key is reported on.
    key_header: str
    # Applying it changes offers: the parts' offer summaries are recomputed.
    summarises_offers: bool = False
    # The pages that serve its jobs: "catalog" (商品 › 导入, 数据 › 导入) or the app of a
    # kind loaded from settings.CATALOG_IMPORT_KINDS (inventory's 库存表), and the route of
    # a job's page there (the link of the inbox message).
    console: str = "catalog"
    detail_route: str = "catalog_imports:detail"

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def missing_headers(self, present: set[str]) -> list[str]:
        return [c.header for c in self.columns if c.header_required and c.header not in present]

    def clean(self, row: Row, context: Context) -> None:
        raise NotImplementedError

    def check_batch(self, rows: list[Row], context: Context) -> None:
        """Database checks of rows that read cleanly (a few queries per batch)."""

    def apply_chunk(self, rows: list[Staged], context: Context) -> ChunkResult:
        raise NotImplementedError

    def preview(self, values: dict[str, Any]) -> list[str]:
        """The checked values of a row as the preview table shows them, per column."""
        return [_shown(values.get(c.field), c) for c in self.columns]


def _shown(value: object, column: Column) -> str:
    if column.labels and isinstance(value, str):
        return str(dict(column.labels).get(value, value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def clean_rows(rows: Iterable[Row]) -> list[Row]:
    """The rows that read without an error (the ones worth a database check)."""
    return [row for row in rows if not row.errors]
