"""VIN 规则: WMI + VDS prefix → vehicle types (operators only), keyed by WMI + VDS prefix.

A row states the whole list of vehicle types of its pattern: types it no longer names are
unlinked.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from partsmall.catalog.imports import cells
from partsmall.catalog.imports.base import (
    CREATED,
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
from partsmall.catalog.imports.fitment import lookup_key
from partsmall.core.errors import FieldErrors
from partsmall.organizations.models import Organization
from partsmall.vehicles.models import VehicleType, VinPattern
from partsmall.vehicles.services import vin_pattern_normalize

KEYS_UNKNOWN = _("车型键不存在：%(keys)s。")

WMI = Column("WMI", "wmi", _("VIN 前 3 位。"), "LSV", True, width=8, as_text=True)
VDS = Column(
    "VDS前缀",
    "vds_prefix",
    _("VIN 第 4–8 位的开头 0–5 位；空着表示该 WMI 的全部车型。"),
    "AB",
    width=10,
    as_text=True,
)
KEYS = Column("车型键", "vehicle_keys", _("平台车型库的车型键，多个用分号隔开。"), "", True, width=60)
NOTE = Column("备注", "note", _("说明，最多 200 字。"), "", width=24)

_KEY_SEPARATOR = re.compile(r"[;\n]+")


def _keys(value: object) -> list[str]:
    found = [lookup_key(item) for item in _KEY_SEPARATOR.split(cells.fold(str(value)))]
    return sorted({key for key in found if key})


class VinPatternsKind(ImportKind):
    kind = "vin_patterns"
    title = _("VIN 规则")
    columns = (WMI, VDS, KEYS, NOTE)
    allowed = frozenset({Organization.Kind.PLATFORM})
    key_header = VDS.header

    def clean(self, row: Row, context: Context) -> None:
        wmi, vds = row.text(WMI, 10, cells.code), row.text(VDS, 10, cells.code)
        if wmi:
            try:
                wmi, vds = vin_pattern_normalize(wmi=wmi, vds_prefix=vds)
            except FieldErrors as error:
                for field, messages in error.errors.items():
                    row.error(WMI.header if field == "wmi" else VDS.header, messages[0])
        row.values = {
            "wmi": wmi,
            "vds_prefix": vds,
            "vehicle_keys": row.read(KEYS, _keys, default=[]) or [],
            "note": row.text(NOTE, 200),
        }
        row.key = f"{wmi}|{vds}"

    def check_batch(self, rows: list[Row], context: Context) -> None:
        rows = clean_rows(rows)
        wanted = {key for row in rows for key in row.values["vehicle_keys"]}
        found = dict(VehicleType.objects.filter(key__in=wanted).values_list("key", "id"))
        for row in rows:
            unknown = [key for key in row.values["vehicle_keys"] if key not in found]
            if unknown:
                row.error(KEYS.header, KEYS_UNKNOWN % {"keys": "；".join(unknown)})
            else:
                row.values["vehicle_type_ids"] = sorted(found[key] for key in row.values["vehicle_keys"])

    def apply_chunk(self, rows: list[Staged], context: Context) -> ChunkResult:
        patterns = _patterns(rows)
        result = ChunkResult()
        new = [
            VinPattern(
                wmi=row.values["wmi"],
                vds_prefix=row.values["vds_prefix"],
                note=row.values["note"],
                source=context.source,
                created_by=context.by,
            )
            for row in rows
            if (row.values["wmi"], row.values["vds_prefix"]) not in patterns
        ]
        created = {(p.wmi, p.vds_prefix) for p in new}
        VinPattern.objects.bulk_create(new)
        patterns = _patterns(rows)
        links = _links(patterns.values())
        through = VinPattern.vehicle_types.through
        add: list[Any] = []
        remove: dict[int, set[int]] = {}
        notes: list[VinPattern] = []
        for row in rows:
            key = (row.values["wmi"], row.values["vds_prefix"])
            pattern = patterns[key]
            wanted, current = set(row.values["vehicle_type_ids"]), links.get(pattern.pk, set())
            add += [through(vinpattern_id=pattern.pk, vehicletype_id=t) for t in sorted(wanted - current)]
            if current - wanted:
                remove[pattern.pk] = current - wanted
            note_changed = pattern.note != row.values["note"]
            if note_changed:
                pattern.note = row.values["note"]
                notes.append(pattern)
            if key in created:
                result.outcomes[row.id] = CREATED
            elif note_changed or wanted != current:
                result.outcomes[row.id] = UPDATED
            else:
                result.outcomes[row.id] = UNCHANGED
        through.objects.bulk_create(add, ignore_conflicts=True)
        for pattern_id, type_ids in remove.items():
            through.objects.filter(vinpattern_id=pattern_id, vehicletype_id__in=type_ids).delete()
        VinPattern.objects.bulk_update(notes, ["note"])
        return result


def _patterns(rows: list[Staged]) -> dict[tuple[str, str], VinPattern]:
    keys = {(row.values["wmi"], row.values["vds_prefix"]) for row in rows}
    found = VinPattern.objects.filter(wmi__in={w for w, _v in keys}, vds_prefix__in={v for _w, v in keys})
    return {(p.wmi, p.vds_prefix): p for p in found if (p.wmi, p.vds_prefix) in keys}


def _links(patterns: Iterable[VinPattern]) -> dict[int, set[int]]:
    ids = [p.pk for p in patterns]
    links: dict[int, set[int]] = {}
    through = VinPattern.vehicle_types.through
    for pattern_id, type_id in through.objects.filter(vinpattern_id__in=ids).values_list(
        "vinpattern_id", "vehicletype_id"
    ):
        links.setdefault(pattern_id, set()).add(type_id)
    return links
