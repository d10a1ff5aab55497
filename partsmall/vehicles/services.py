"""Writes of the vehicles app, and VIN decoding (what a VIN says, for a buying organization).

Makes, models, vehicle types and VIN patterns are shared platform data that operators
curate; imports create them in bulk through `makes_get_or_create`,
`vehicle_models_get_or_create` and the pure `vehicle_type_key`.
"""

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin
from vininfo import Vin

from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.core.rawrows import model_from_row, quoted_columns, quoted_table
from partsmall.organizations.models import Organization
from partsmall.organizations.services.common import save_validated
from partsmall.vehicles import errors
from partsmall.vehicles.models import Fuel, Make, VehicleModel, VehicleType, VinChoice, VinPattern, Wmi
from partsmall.vehicles.vin import (
    ALLOWED,
    NOTE_UNKNOWN_YEAR,
    check_digit_inspect,
    model_years,
    vin_normalize,
    vin_validate,
)

if TYPE_CHECKING:
    from partsmall.accounts.models import User

NOTE_NO_PATTERN = _("平台 VIN 规则库中暂无此 VIN 的车型，请按品牌、车系选择车型。")
NOTE_SEVERAL_CANDIDATES = _("此 VIN 对应多个车型，请选择一个。")

YEAR_MIN = 1950
KEY_MAX_LENGTH = 255


def _clean_name(raw: object) -> str:
    """Full-width folded, outer spaces stripped, inner runs of spaces made one."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(raw or ""))).strip()


# VIN decoding --------------------------------------------------------------------------


@dataclass
class VinDecoding:
    vin: str
    wmi: str
    manufacturer: str
    make: Make | None
    model_years: list[int]
    check_digit_valid: bool | None
    check_digit_required: bool
    notes: list[str]
    candidates: list[VehicleType]
    # The organization's remembered choice among the candidates, or the only candidate.
    chosen: VehicleType | None
    pattern: VinPattern | None = None
    country: str = ""
    expected_check_digit: str = field(default="", repr=False)


def _lookup_sql(prefix_count: int) -> str:
    type_columns = quoted_columns(VehicleType, "vt")
    model_columns = quoted_columns(VehicleModel, "vm")
    make_columns = quoted_columns(Make, "mk")
    wmi_columns = quoted_columns(Wmi, "w")
    pattern_columns = quoted_columns(VinPattern, "p")
    through = VinPattern.vehicle_types.through
    marks = ", ".join(["%s"] * prefix_count)
    return (
        f"SELECT {', '.join([*wmi_columns, *pattern_columns, *type_columns, *model_columns, *make_columns])},"
        " c.vehicle_type_id"
        " FROM (SELECT 1 AS one) base"
        f" LEFT JOIN {quoted_table(Wmi)} w ON w.code = %s"
        f" LEFT JOIN (SELECT * FROM {quoted_table(VinPattern)} WHERE wmi = %s AND vds_prefix IN ({marks})"
        " ORDER BY LENGTH(vds_prefix) DESC LIMIT 1) p ON 1 = 1"
        f" LEFT JOIN {quoted_table(through)} pv ON pv.vinpattern_id = p.id"
        f" LEFT JOIN {quoted_table(VehicleType)} vt ON vt.id = pv.vehicletype_id"
        f" LEFT JOIN {quoted_table(VehicleModel)} vm ON vm.id = vt.model_id"
        f" LEFT JOIN {quoted_table(Make)} mk ON mk.id = vm.make_id"
        f" LEFT JOIN {quoted_table(VinChoice)} c ON c.organization_id = %s AND c.vin = %s"
        # VehicleType's ordering: model (make: initials, name; model name), unknown start
        # years first, id.
        " ORDER BY mk.initials, mk.name, vm.name, (vt.year_from IS NULL) DESC, vt.year_from, vt.id"
    )


@dataclass
class _Found:
    wmi: Wmi | None
    pattern: VinPattern | None
    types: list[VehicleType]
    remembered_type_id: int | None


def _lookup(vin: str, organization: Organization | None) -> _Found:
    """In one statement: the WMI row, the pattern of this WMI whose VDS prefix is the
    longest prefix of positions 4–8, its vehicle types (with model and make) and the
    organization's remembered choice for this VIN."""
    vds = vin[3:8]
    prefixes = [vds[:length] for length in range(len(vds) + 1)]
    params = [vin[:3], vin[:3], *prefixes, organization.pk if organization else None, vin]
    with connection.cursor() as cursor:
        cursor.execute(_lookup_sql(len(prefixes)), params)
        rows = cursor.fetchall()
    models: tuple[type[Model], ...] = (Wmi, VinPattern, VehicleType, VehicleModel, Make)
    widths = [len(m._meta.concrete_fields) for m in models]
    found = _Found(None, None, [], None)
    makes: dict[int, Make] = {}
    for row in rows:
        cells, start = [], 0
        for width in widths:
            cells.append(row[start : start + width])
            start += width
        found.wmi = found.wmi or model_from_row(Wmi, cells[0])
        found.pattern = found.pattern or model_from_row(VinPattern, cells[1])
        found.remembered_type_id = row[-1]
        vehicle_type = model_from_row(VehicleType, cells[2])
        model = model_from_row(VehicleModel, cells[3])
        make = model_from_row(Make, cells[4])
        if vehicle_type is None or model is None or make is None:  # no type (the keys are not null)
            continue
        make = makes.setdefault(make.pk, make)
        model.make = make
        vehicle_type.model = model
        found.types.append(vehicle_type)
    if found.wmi is not None and found.wmi.make_id in makes:
        found.wmi.make = makes[found.wmi.make_id]  # known already: no query for it
    return found


def _narrow_by_year(types: list[VehicleType], years: list[int]) -> tuple[list[VehicleType], list[int]]:
    """Types built in one of the candidate model years, and the years they explain.

    A type whose production years miss every candidate year drops out, unless none fits;
    a type with an unknown start (or end) year is open on that side, so it stays.
    """
    fitting = [t for t in types if any(t.covers_year(y) for y in years)]
    if not fitting:
        return types, years
    return fitting, [y for y in years if any(t.covers_year(y) for t in fitting)]


def _manufacturer_of(vin: str, wmi: Wmi | None) -> tuple[str, str]:
    """(manufacturer, country): the platform's WMI table first, vininfo's list after."""
    if wmi is not None:
        return wmi.manufacturer, wmi.country
    info = Vin(vin)
    name = info.manufacturer
    return ("" if name == "UnsupportedBrand" else name), info.country or ""


def _make_of(wmi: Wmi | None, candidates: list[VehicleType], manufacturer: str) -> Make | None:
    if wmi is not None and wmi.make is not None:
        return wmi.make
    makes = {t.model.make for t in candidates}
    if len(makes) == 1:
        return makes.pop()
    names = [n for n in (wmi.make_name if wmi else "", manufacturer) if n]
    for name in names:
        make = (
            Make.objects.filter(name__iexact=name).first()
            or Make.objects.filter(name_en__iexact=name).first()
        )
        if make is not None:
            return make
    return None


def _chosen(remembered_type_id: int | None, candidates: list[VehicleType]) -> VehicleType | None:
    remembered = next((t for t in candidates if t.pk == remembered_type_id), None)
    if remembered is not None:
        return remembered
    return candidates[0] if len(candidates) == 1 else None


def vin_decode(
    *, vin: str, organization: Organization | None = None, today: date | None = None
) -> VinDecoding:
    """What the VIN says: maker, model years, check digit and the candidate vehicle types.

    Raises ApplicationError(field="vin") for a VIN that is not one (vin.vin_validate).
    """
    number = vin_validate(vin)
    found = _lookup(number, organization)
    wmi, pattern = found.wmi, found.pattern
    manufacturer, country = _manufacturer_of(number, wmi)
    check = check_digit_inspect(number)
    notes = [check.note] if check.note else []
    years = model_years(number, today=today)
    if not years:
        notes.append(str(NOTE_UNKNOWN_YEAR % {"char": number[9]}))
    candidates, years = _narrow_by_year(found.types, years)
    if pattern is None:
        notes.append(str(NOTE_NO_PATTERN))
    elif len(candidates) > 1:
        notes.append(str(NOTE_SEVERAL_CANDIDATES))
    return VinDecoding(
        vin=number,
        wmi=number[:3],
        manufacturer=manufacturer,
        make=_make_of(wmi, candidates, manufacturer),
        model_years=years,
        check_digit_valid=check.valid,
        check_digit_required=check.required,
        notes=notes,
        candidates=candidates,
        chosen=_chosen(found.remembered_type_id, candidates),
        pattern=pattern,
        country=country,
        expected_check_digit=check.expected,
    )


@transaction.atomic
def vin_choice_remember(
    *, organization: Organization, vin: str, vehicle_type: VehicleType, by: "User | None"
) -> VinChoice:
    """Remember which candidate the organization picked for this VIN (one choice per VIN)."""
    decoding = vin_decode(vin=vin)
    if vehicle_type.pk not in {t.pk for t in decoding.candidates}:
        raise ApplicationError(errors.NOT_A_CANDIDATE, code="not_a_candidate", field="vehicle_type")
    candidate = VinChoice(
        organization=organization, vin=decoding.vin, vehicle_type=vehicle_type, chosen_by=by
    )
    candidate.full_clean(validate_unique=False, validate_constraints=False)
    choice, _created = VinChoice.objects.update_or_create(
        organization=organization,
        vin=decoding.vin,
        defaults={"vehicle_type": vehicle_type, "chosen_by": by},
    )
    return choice


# Makes and models ----------------------------------------------------------------------


def make_initials(name: str) -> str:
    """Pinyin initials for sorting and quick finding: 大众 → DZ, BMW → BMW."""
    letters = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default"))
    return re.sub(r"[^0-9A-Za-z]", "", letters).upper()[:20]


def _index_makes(makes: Iterable[Make]) -> dict[str, Make]:
    index: dict[str, Make] = {}
    for make in makes:
        for name in (make.name_en, make.name):  # the Chinese name wins a clash
            if name:
                index[name.casefold()] = make
    return index


def makes_get_or_create(*, names: Iterable[str], source: str = "") -> dict[str, Make]:
    """Bulk: each name (Chinese or English, any case) → its Make, creating missing ones.

    The keys are the cleaned names as given (stripped, full-width folded).
    """
    wanted = {n for n in (_clean_name(name) for name in names) if n}
    index = _index_makes(Make.objects.all())
    missing = sorted({n for n in wanted if n.casefold() not in index}, key=str.casefold)
    new = [Make(name=n[:50], initials=make_initials(n), source=source[:500]) for n in missing]
    Make.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        index = _index_makes(Make.objects.all())
    return {n: index[n.casefold()] for n in wanted if n.casefold() in index}


def make_get_or_create(*, name: str, name_en: str = "", source: str = "") -> Make:
    cleaned = _clean_name(name)
    if not cleaned:
        raise ApplicationError(errors.MAKE_REQUIRED, field="make_name")
    if len(cleaned) > 50:
        raise ApplicationError(errors.MAKE_TOO_LONG, field="make_name")
    make = makes_get_or_create(names=[cleaned], source=source)[cleaned]
    if name_en and not make.name_en:
        make.name_en = _clean_name(name_en)[:50]
        save_validated(make)
    return make


def vehicle_models_get_or_create(
    *, pairs: Iterable[tuple[Make, str]], source: str = ""
) -> dict[tuple[int, str], VehicleModel]:
    """Bulk: (make, model name) → VehicleModel, creating missing ones.

    Keys are (make id, cleaned model name); names match case-insensitively.
    """
    wanted = {(make.pk, n) for make, name in pairs if (n := _clean_name(name))}
    make_ids = {make_id for make_id, _name in wanted}

    def existing() -> dict[tuple[int, str], VehicleModel]:
        rows = VehicleModel.objects.filter(make_id__in=make_ids).select_related("make")
        return {(m.make_id, m.name.casefold()): m for m in rows}

    index = existing()
    missing = sorted({(mid, n) for mid, n in wanted if (mid, n.casefold()) not in index})
    if missing:
        VehicleModel.objects.bulk_create(
            [VehicleModel(make_id=mid, name=n[:80], source=source[:500]) for mid, n in missing],
            ignore_conflicts=True,
        )
        index = existing()
    return {(mid, n): index[(mid, n.casefold())] for mid, n in wanted if (mid, n.casefold()) in index}


def vehicle_model_get_or_create(
    *, make: Make, name: str, name_en: str = "", manufacturer: str = "", source: str = ""
) -> VehicleModel:
    cleaned = _clean_name(name)
    if not cleaned:
        raise ApplicationError(errors.MODEL_REQUIRED, field="model_name")
    if len(cleaned) > 80:
        raise ApplicationError(errors.MODEL_TOO_LONG, field="model_name")
    model = vehicle_models_get_or_create(pairs=[(make, cleaned)], source=source)[(make.pk, cleaned)]
    changed = False
    for attr, value in (("name_en", name_en), ("manufacturer", manufacturer)):
        if value and not getattr(model, attr):
            setattr(model, attr, _clean_name(value)[:80])
            changed = True
    if changed:
        save_validated(model)
    return model


# Vehicle types -------------------------------------------------------------------------


def _key_part(value: object) -> str:
    return _clean_name(value).casefold().replace("|", "/")


def _displacement_text(value: object) -> str:
    if value in (None, ""):
        return ""
    try:
        return str(Decimal(str(value)).quantize(Decimal("0.1")))
    except InvalidOperation:
        return _key_part(value)


def vehicle_type_key(
    *,
    make: str,
    model: str,
    generation: str = "",
    engine_code: str = "",
    displacement_l: Decimal | str | float | None = None,
    fuel: str = "",
    transmission: str = "",
    year_from: int | str | None = None,
    year_to: int | str | None = None,
) -> str:
    """The stable key of a vehicle type: make|model|generation|engine|displacement|fuel|
    transmission|years. Pure; case, full-width characters and spaces do not matter.
    An unknown year is empty: 2008-2012, 2008-, -2018, -.

    Pass the canonical names (Make.name, VehicleModel.name) and the Fuel value.
    A key longer than the column ends in a hash of the whole key.
    """
    parts = [
        _key_part(make),
        _key_part(model),
        _key_part(generation),
        _key_part(engine_code),
        _displacement_text(displacement_l),
        _key_part(fuel),
        _key_part(transmission),
        f"{_key_part(year_from)}-{_key_part(year_to)}",
    ]
    key = "|".join(parts)
    if len(key) <= KEY_MAX_LENGTH:
        return key
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    return f"{key[: KEY_MAX_LENGTH - len(digest) - 1]}#{digest}"


def _year(value: object, field_name: str, problems: dict[str, list[str]]) -> int | None:
    """The year, or None when not given (both years are optional: sources do not always
    state them)."""
    if value is None or not str(value).strip():
        return None
    top = timezone.localdate().year + 2
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not YEAR_MIN <= year <= top:
        problems[field_name] = [str(errors.YEAR_OUT_OF_RANGE % {"min": YEAR_MIN, "max": top})]
        return None
    return year


def _displacement(value: object, problems: dict[str, list[str]]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().upper().removesuffix("L")).quantize(Decimal("0.1"))
    except InvalidOperation:
        number = Decimal(0)
    if not Decimal("0.1") <= number <= Decimal("30"):
        problems["displacement_l"] = [str(errors.DISPLACEMENT_INVALID)]
        return None
    return number


def _vehicle_type_values(fields: dict[str, Any]) -> dict[str, Any]:
    """Checked and cleaned values of a vehicle type form, or FieldErrors naming each field."""
    problems: dict[str, list[str]] = {}
    for name, required, too_long, limit in (
        ("make_name", errors.MAKE_REQUIRED, errors.MAKE_TOO_LONG, 50),
        ("model_name", errors.MODEL_REQUIRED, errors.MODEL_TOO_LONG, 80),
    ):
        text = _clean_name(fields.get(name))
        if not text or len(text) > limit:
            problems[name] = [str(required if not text else too_long)]
    values: dict[str, Any] = {
        name: _clean_name(fields.get(name))
        for name in ("manufacturer", "generation", "body", "engine_code", "transmission", "source")
    }
    values["fuel"] = str(fields.get("fuel") or "")
    if values["fuel"] and values["fuel"] not in Fuel.values:
        problems["fuel"] = [str(errors.FUEL_INVALID)]
    values["displacement_l"] = _displacement(fields.get("displacement_l"), problems)
    values["year_from"] = _year(fields.get("year_from"), "year_from", problems)
    values["year_to"] = _year(fields.get("year_to"), "year_to", problems)
    if values["year_from"] and values["year_to"] and values["year_to"] < values["year_from"]:
        problems["year_to"] = [str(errors.YEARS_REVERSED)]
    if problems:
        raise FieldErrors(problems)
    return values


def _save_vehicle_type(vehicle_type: VehicleType, fields: dict[str, Any]) -> VehicleType:
    values = _vehicle_type_values(fields)
    make = make_get_or_create(name=fields["make_name"])
    model = vehicle_model_get_or_create(
        make=make, name=fields["model_name"], manufacturer=values.pop("manufacturer")
    )
    for attr, value in values.items():
        setattr(vehicle_type, attr, value)
    vehicle_type.model = model
    vehicle_type.key = vehicle_type_key(
        make=make.name,
        model=model.name,
        **{k: values[k] for k in ("generation", "engine_code", "displacement_l", "fuel", "transmission")},
        year_from=values["year_from"],
        year_to=values["year_to"],
    )
    if VehicleType.objects.filter(key=vehicle_type.key).exclude(pk=vehicle_type.pk).exists():
        raise ApplicationError(errors.DUPLICATE_VEHICLE_TYPE, code="duplicate")
    save_validated(vehicle_type)
    return vehicle_type


@transaction.atomic
def vehicle_type_create(
    *,
    make_name: str,
    model_name: str,
    year_from: int | str | None = None,
    year_to: int | str | None = None,
    manufacturer: str = "",
    generation: str = "",
    body: str = "",
    engine_code: str = "",
    displacement_l: Decimal | str | None = None,
    fuel: str = "",
    transmission: str = "",
    source: str = "",
    source_organization: Organization | None = None,
) -> VehicleType:
    """A new vehicle type; its make and model are found by name or created."""
    fields = {k: v for k, v in locals().items() if k != "source_organization"}
    return _save_vehicle_type(VehicleType(source_organization=source_organization), fields)


@transaction.atomic
def vehicle_type_update(
    *,
    vehicle_type: VehicleType,
    make_name: str,
    model_name: str,
    year_from: int | str | None = None,
    year_to: int | str | None = None,
    manufacturer: str = "",
    generation: str = "",
    body: str = "",
    engine_code: str = "",
    displacement_l: Decimal | str | None = None,
    fuel: str = "",
    transmission: str = "",
    source: str = "",
) -> VehicleType:
    """Every field of the vehicle type as given (its key follows)."""
    fields = {k: v for k, v in locals().items() if k != "vehicle_type"}
    return _save_vehicle_type(vehicle_type, fields)


# VIN patterns --------------------------------------------------------------------------


def vin_pattern_normalize(*, wmi: str, vds_prefix: str) -> tuple[str, str]:
    """(WMI, VDS prefix) upper-cased and checked, or FieldErrors naming the field."""
    code, prefix = vin_normalize(wmi), vin_normalize(vds_prefix)
    problems: dict[str, list[str]] = {}
    if len(code) != 3 or not set(code) <= ALLOWED:
        problems["wmi"] = [str(errors.WMI_INVALID)]
    if len(prefix) > 5 or not set(prefix) <= ALLOWED:
        problems["vds_prefix"] = [str(errors.VDS_PREFIX_INVALID)]
    if problems:
        raise FieldErrors(problems)
    return code, prefix


def _resolve_types(vehicle_types: Iterable[VehicleType | int]) -> list[VehicleType]:
    items = list(vehicle_types)
    ids = {item.pk if isinstance(item, VehicleType) else int(item) for item in items}
    if not ids:
        raise FieldErrors({"vehicle_types": [str(errors.VEHICLE_TYPES_REQUIRED)]})
    found = list(VehicleType.objects.filter(pk__in=ids))
    unknown = sorted(ids - {t.pk for t in found})
    if unknown:
        message = errors.VEHICLE_TYPE_UNKNOWN % {"ids": ", ".join(map(str, unknown))}
        raise FieldErrors({"vehicle_types": [str(message)]})
    return found


def _save_pattern(
    pattern: VinPattern,
    *,
    wmi: str,
    vds_prefix: str,
    vehicle_types: Iterable[VehicleType | int],
    note: str,
    source: str,
) -> VinPattern:
    pattern.wmi, pattern.vds_prefix = vin_pattern_normalize(wmi=wmi, vds_prefix=vds_prefix)
    types = _resolve_types(vehicle_types)
    same = VinPattern.objects.filter(wmi=pattern.wmi, vds_prefix=pattern.vds_prefix).exclude(pk=pattern.pk)
    if same.exists():
        raise FieldErrors({"vds_prefix": [str(errors.DUPLICATE_VIN_PATTERN)]})
    pattern.note, pattern.source = _clean_name(note), _clean_name(source)
    save_validated(pattern)
    pattern.vehicle_types.set(types)
    return pattern


@transaction.atomic
def vin_pattern_create(
    *,
    wmi: str,
    vds_prefix: str,
    vehicle_types: Iterable[VehicleType | int],
    note: str = "",
    source: str = "",
    by: "User | None",
) -> VinPattern:
    """WMI + VDS prefix → vehicle types (ids or objects)."""
    pattern = VinPattern(created_by=by)
    return _save_pattern(
        pattern, wmi=wmi, vds_prefix=vds_prefix, vehicle_types=vehicle_types, note=note, source=source
    )


@transaction.atomic
def vin_pattern_update(
    *,
    pattern: VinPattern,
    wmi: str,
    vds_prefix: str,
    vehicle_types: Iterable[VehicleType | int],
    note: str = "",
    source: str = "",
    by: "User | None",
) -> VinPattern:
    return _save_pattern(
        pattern, wmi=wmi, vds_prefix=vds_prefix, vehicle_types=vehicle_types, note=note, source=source
    )


@transaction.atomic
def vin_pattern_delete(*, pattern: VinPattern, by: "User | None") -> None:
    pattern.delete()


@transaction.atomic
def wmi_link_makes() -> int:
    """Link each WMI without a make to the Make its source names (by name or English name)."""
    index = _index_makes(Make.objects.all())
    linked = []
    for wmi in Wmi.objects.filter(make__isnull=True).exclude(make_name=""):
        make = index.get(wmi.make_name.casefold())
        if make is not None:
            wmi.make = make
            linked.append(wmi)
    Wmi.objects.bulk_update(linked, ["make"])
    return len(linked)
