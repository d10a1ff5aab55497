"""适配车型: which part fits which vehicle type, keyed by part + vehicle type + position.

The vehicle type is named by its key (车型键) or by make, model, year and engine code; a
row that names several vehicle types is refused so that nothing fits by accident. Rows a
supplier adds wait for review; a supplier changes only fitment it added itself.
"""

import re
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext_lazy as _

from partsmall.catalog.imports import cells
from partsmall.catalog.imports.base import (
    CREATED,
    REQUIRED,
    UNCHANGED,
    UPDATED,
    ChunkResult,
    Column,
    Context,
    ImportKind,
    Row,
    Staged,
    clean_rows,
)
from partsmall.catalog.imports.lookups import resolve_parts
from partsmall.catalog.models import Fitment, Position, ReviewStatus
from partsmall.catalog.normalize import normalize_name, normalize_number
from partsmall.organizations.models import Organization
from partsmall.vehicles.models import Make, VehicleType

VEHICLE_KEY_UNKNOWN = _("车型键不存在。")
VEHICLE_NOT_FOUND = _("找不到 %(vehicle)s 的车型。")
VEHICLE_AMBIGUOUS = _("%(vehicle)s 对应 %(count)s 个车型，请填写发动机型号或车型键。")
VEHICLE_MISSING = _("请填写车型键，或车辆品牌、车系和年份。")

_POSITIONS = tuple((value, str(label)) for value, label in Position.choices)

BRAND = Column("品牌", "brand", _("配件品牌。"), "博世", True, width=12)
NUMBER = Column(
    "零件号", "number", _("配件须已在平台上（可先导入配件）。"), "0986AF0063", True, width=18, as_text=True
)
VEHICLE_KEY = Column(
    "车型键",
    "vehicle_key",
    _("平台车型库的车型键；填了它就不必填下面四列。"),
    "",
    width=36,
    header_required=False,
)
MAKE = Column("车辆品牌", "make", _("如 大众、丰田。"), "丰田", width=10, header_required=False)
MODEL = Column("车系", "model", _("如 卡罗拉。"), "卡罗拉", width=12, header_required=False)
YEAR = Column("年份", "year", _("车辆年款，如 2019。"), "2019", width=8, header_required=False)
ENGINE = Column(
    "发动机型号",
    "engine_code",
    _("同一车系同一年有多个车型时必填。"),
    "8ZR-FXE",
    width=12,
    header_required=False,
)
POSITION = Column(
    "位置",
    "position",
    _("前、后、左、右、左前、右前、左后、右后，或空着（不限）。"),
    "",
    width=8,
    options=tuple(label for value, label in _POSITIONS if value),
    labels=_POSITIONS,
)
QUANTITY = Column("用量", "quantity", _("每车用量，空着为 1。"), "1", width=8)
NOTES = Column("备注", "notes", _("限定条件，如 带ESP、2019-03 以后。"), "", width=24)

_VEHICLE_BY_NAME = (MAKE, MODEL, YEAR)


def lookup_key(value: str) -> str:
    """A 车型键 as typed → as stored (keys are case-folded, spaces collapsed)."""
    return re.sub(r"\s+", " ", cells.fold(value)).casefold()


class FitmentKind(ImportKind):
    kind = "fitment"
    title = _("适配车型")
    columns = (BRAND, NUMBER, VEHICLE_KEY, MAKE, MODEL, YEAR, ENGINE, POSITION, QUANTITY, NOTES)
    allowed = frozenset({Organization.Kind.SUPPLIER, Organization.Kind.PLATFORM})
    key_header = NUMBER.header

    def missing_headers(self, present: set[str]) -> list[str]:
        missing = super().missing_headers(present)
        if VEHICLE_KEY.header in present:
            return missing
        return missing + [c.header for c in _VEHICLE_BY_NAME if c.header not in present]

    def clean(self, row: Row, context: Context) -> None:
        brand = row.text(BRAND, 50)
        number = row.text(NUMBER, 50, cells.code)
        vehicle_key = row.text(VEHICLE_KEY, 255)
        make, model = row.text(MAKE, 50), row.text(MODEL, 80)
        year = row.integer(YEAR, default=None, low=1900, high=2100)
        if not vehicle_key and not (make and model and year):
            for column in _VEHICLE_BY_NAME:
                if not row.cells.get(column.header):
                    row.error(column.header, REQUIRED)
            row.error(VEHICLE_KEY.header, VEHICLE_MISSING)
        row.values = {
            "brand": brand,
            "brand_norm": normalize_name(brand),
            "number": number,
            "number_norm": normalize_number(number),
            "vehicle_key": lookup_key(vehicle_key),
            "make": make,
            "model": model,
            "year": year,
            "engine_code": row.text(ENGINE, 50, cells.code),
            "position": row.read(POSITION, lambda v: cells.choice(v, dict(_POSITIONS)), default=""),
            "quantity": row.integer(QUANTITY, default=1, low=1, high=999),
            "notes": row.text(NOTES, 200),
        }

    def check_batch(self, rows: list[Row], context: Context) -> None:
        rows = clean_rows(rows)
        resolve_parts(rows, number_column=NUMBER)
        _resolve_by_key([row for row in rows if row.values["vehicle_key"]])
        _resolve_by_name([row for row in rows if not row.values["vehicle_key"]])
        for row in clean_rows(rows):
            row.key = f"{row.values['part_id']}|{row.values['vehicle_type_id']}|{row.values['position']}"

    def apply_chunk(self, rows: list[Staged], context: Context) -> ChunkResult:
        existing = {
            (f.part_id, f.vehicle_type_id, f.position): f
            for f in Fitment.objects.filter(
                part_id__in={row.values["part_id"] for row in rows},
                vehicle_type_id__in={row.values["vehicle_type_id"] for row in rows},
            )
        }
        result = ChunkResult()
        new: list[Fitment] = []
        changed: list[Fitment] = []
        review = ReviewStatus.APPROVED if context.is_operator else ReviewStatus.PENDING
        for row in rows:
            values = row.values
            fitment = existing.get((values["part_id"], values["vehicle_type_id"], values["position"]))
            wanted = {"quantity": values["quantity"], "notes": values["notes"]}
            if fitment is None:
                new.append(
                    Fitment(
                        part_id=values["part_id"],
                        vehicle_type_id=values["vehicle_type_id"],
                        position=values["position"],
                        source=context.source,
                        source_organization=context.organization,
                        source_import=context.job,
                        review_status=review,
                        **wanted,
                    )
                )
                result.outcomes[row.id] = CREATED
            elif _may_change(fitment, context) and _differs(fitment, wanted):
                for attr, value in wanted.items():
                    setattr(fitment, attr, value)
                changed.append(fitment)
                result.outcomes[row.id] = UPDATED
            else:
                result.outcomes[row.id] = UNCHANGED
        Fitment.objects.bulk_create(new, ignore_conflicts=True)
        Fitment.objects.bulk_update(changed, ["quantity", "notes"])
        return result


def _may_change(fitment: Fitment, context: Context) -> bool:
    return context.is_operator or fitment.source_organization_id == context.organization.pk


def _differs(fitment: Fitment, wanted: dict[str, Any]) -> bool:
    return any(getattr(fitment, attr) != value for attr, value in wanted.items())


def _resolve_by_key(rows: list[Row]) -> None:
    found = dict(
        VehicleType.objects.filter(key__in={row.values["vehicle_key"] for row in rows}).values_list(
            "key", "id"
        )
    )
    for row in rows:
        vehicle_type_id = found.get(row.values["vehicle_key"])
        if vehicle_type_id is None:
            row.error(VEHICLE_KEY.header, VEHICLE_KEY_UNKNOWN)
        else:
            row.values["vehicle_type_id"] = vehicle_type_id


def _resolve_by_name(rows: list[Row]) -> None:
    """Make + model + year (+ engine code) → the one vehicle type, in two queries per batch."""
    wanted = {row.values["make"].casefold() for row in rows}
    make_ids = {
        make.pk
        for make in Make.objects.only("id", "name", "name_en")
        if {make.name.casefold(), make.name_en.casefold()} & wanted
    }
    types: dict[tuple[str, str], list[VehicleType]] = defaultdict(list)
    for vehicle_type in VehicleType.objects.filter(model__make_id__in=make_ids).select_related("model__make"):
        model, make = vehicle_type.model, vehicle_type.model.make
        for make_name in {make.name.casefold(), make.name_en.casefold()} - {""}:
            for model_name in {model.name.casefold(), model.name_en.casefold()} - {""}:
                types[(make_name, model_name)].append(vehicle_type)
    for row in rows:
        _pick_vehicle(row, types)


def _pick_vehicle(row: Row, types: dict[tuple[str, str], list[VehicleType]]) -> None:
    values = row.values
    engine = normalize_number(values["engine_code"])
    matching = [
        t
        for t in types.get((values["make"].casefold(), values["model"].casefold()), [])
        if t.covers_year(values["year"]) and (not engine or normalize_number(t.engine_code) == engine)
    ]
    vehicle = " ".join(
        str(v) for v in (values["make"], values["model"], values["year"], values["engine_code"]) if v
    )
    if not matching:
        row.error(MODEL.header, VEHICLE_NOT_FOUND % {"vehicle": vehicle})
    elif len(matching) > 1:
        row.error(ENGINE.header, VEHICLE_AMBIGUOUS % {"vehicle": vehicle, "count": len(matching)})
    else:
        values["vehicle_type_id"] = matching[0].pk
