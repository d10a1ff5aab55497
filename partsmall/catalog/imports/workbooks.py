"""Excel in and out: the streamed reader, the templates, the error report and the export.

Large files are read with openpyxl's read-only mode and written with its write-only mode,
so memory stays flat whatever the number of rows.
"""

import io
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from partsmall.catalog.imports.base import REASON_HEADER, Column, ImportKind
from partsmall.core.errors import ApplicationError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HELP_SHEET = "说明"
# Data validation lists and text formats reach this far down the template.
TEMPLATE_ROWS = 100_000

UNREADABLE = _("文件无法读取：请上传用 Excel 保存的 .xlsx 文件（不支持 .xls、.csv 或加密的文件）。")
NO_SHEET = _("文件中没有可读取的工作表。")
NO_HEADER = _("文件是空的：第 1 行应为列名，数据从第 2 行开始。")
MISSING_HEADERS = _("模板不对：缺少列 %(columns)s。请下载最新的导入模板。")
UNKNOWN_HEADERS = _("模板不对：无法识别的列 %(columns)s。请下载最新的导入模板。")
DUPLICATE_HEADERS = _("模板不对：列 %(columns)s 出现了多次。")

_HEADER_FONT = Font(bold=True, color="1F1F1F")
_REQUIRED_FONT = Font(bold=True, color="C00000")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REASON_FILL = PatternFill("solid", fgColor="FDE9E7")


class FatalError(ApplicationError):
    """The file as a whole cannot be imported: nothing is staged, nothing changes."""

    code = "fatal"


def header_name(value: object) -> str:
    """A header as typed: full-width folded, spaces and required marks dropped."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(text.split()).strip("*")


class Sheet:
    """The data sheet of an uploaded file: its headers mapped to columns, then its rows."""

    def __init__(self, worksheet: Any, kind: ImportKind) -> None:
        self._rows = _guarded(worksheet.iter_rows(values_only=True))
        self.estimated_rows = max((worksheet.max_row or 1) - 1, 0)
        header = next(self._rows, None)
        names = [header_name(value) for value in header or ()]
        if not any(names):
            raise FatalError(NO_HEADER)
        self.positions = _check_headers(names, kind)

    def rows(self) -> Iterator[tuple[int, dict[str, object]]]:
        """(Excel row number, header → cell) of every row that is not blank."""
        for number, values in enumerate(self._rows, start=2):
            cells = {header: values[i] if i < len(values) else None for header, i in self.positions.items()}
            if any(_filled(value) for value in cells.values()):
                yield number, cells


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip(" \t\r\n\u00a0\u3000"))


def _guarded(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """A broken file can fail half-way through: that is the file's fault, not a crash."""
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl raises whatever its XML and zip layers raise
            raise FatalError(UNREADABLE) from exc
        yield values


def _check_headers(names: list[str], kind: ImportKind) -> dict[str, int]:
    known = set(kind.headers)
    positions: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, name in enumerate(names):
        if not name or name == REASON_HEADER:
            continue
        if name not in known:
            unknown.append(name)
        elif name in positions:
            repeated.append(name)
        else:
            positions[name] = index
    if unknown:
        raise FatalError(UNKNOWN_HEADERS % {"columns": "、".join(unknown)})
    if repeated:
        raise FatalError(DUPLICATE_HEADERS % {"columns": "、".join(repeated)})
    missing = kind.missing_headers(set(positions))
    if missing:
        raise FatalError(MISSING_HEADERS % {"columns": "、".join(missing)})
    return positions


@contextmanager
def open_sheet(file: IO[bytes], kind: ImportKind) -> Iterator[Sheet]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # not a zip, not a workbook, encrypted …: all unreadable
        raise FatalError(UNREADABLE) from exc
    try:
        sheets = [ws for ws in workbook.worksheets if ws.title != HELP_SHEET and ws.sheet_state == "visible"]
        if not sheets:
            raise FatalError(NO_SHEET)
        yield Sheet(sheets[0], kind)
    finally:
        workbook.close()


def _header_cells(sheet: Any, columns: Iterable[Column], *, reason: bool = False) -> list[Any]:
    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = _REQUIRED_FONT if column.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cells.append(cell)
    if reason:
        cell = WriteOnlyCell(sheet, value=REASON_HEADER)
        cell.font = _REQUIRED_FONT
        cell.fill = _REASON_FILL
        cells.append(cell)
    return cells


def _data_sheet(workbook: Workbook, kind: ImportKind, *, reason: bool = False) -> Any:
    sheet = workbook.create_sheet(str(kind.title)[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.as_text:
            sheet.column_dimensions[letter].number_format = "@"
        if column.options:
            listed = ",".join(column.options)
            validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
            validation.error = str(_("请从下拉列表中选择。"))
            validation.showErrorMessage = True
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.data_validations.append(validation)
    if reason:
        sheet.column_dimensions[get_column_letter(len(kind.columns) + 1)].width = 60
    sheet.append(_header_cells(sheet, kind.columns, reason=reason))
    return sheet


def _help_sheet(workbook: Workbook, kind: ImportKind) -> None:
    sheet = workbook.create_sheet(HELP_SHEET)
    sheet.sheet_state = "hidden"
    for letter, width in zip("ABCD", (14, 8, 60, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append([str(_("列名")), str(_("必填")), str(_("说明")), str(_("示例"))])
    for column in kind.columns:
        sheet.append([column.header, "是" if column.required else "", str(column.help), column.example])
    sheet.append([])
    for note in (
        _("第 1 行是列名，请勿修改；数据从第 2 行开始，每行一条。"),
        _("红色列名为必填列。同一个文件再次导入不会重复添加：已有的行按键更新或保持不变。"),
        _("出错的行可下载为「错误行」文件：改正后可直接重新上传（错误原因列会被忽略）。"),
    ):
        sheet.append([str(note)])


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_bytes(kind: ImportKind) -> bytes:
    workbook = Workbook(write_only=True)
    _data_sheet(workbook, kind)
    _help_sheet(workbook, kind)
    return _saved(workbook)


def report_bytes(kind: ImportKind, rows: Iterable[tuple[list[Any], str]]) -> bytes:
    """The failing rows as they were uploaded, each with its 错误原因."""
    workbook = Workbook(write_only=True)
    sheet = _data_sheet(workbook, kind, reason=True)
    for raw, reason in rows:
        sheet.append([*raw, reason])
    _help_sheet(workbook, kind)
    return _saved(workbook)


def rows_bytes(kind: ImportKind, rows: Iterable[list[Any]]) -> bytes:
    """Rows in the kind's template (the export of a supplier's offers)."""
    workbook = Workbook(write_only=True)
    sheet = _data_sheet(workbook, kind)
    for row in rows:
        sheet.append(row)
    _help_sheet(workbook, kind)
    return _saved(workbook)
