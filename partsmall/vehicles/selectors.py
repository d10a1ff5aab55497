"""Reads of the vehicles app.

Makes, models and vehicle types are shared platform data: every organization reads
them the same way (the cascading selects). The operator lists take the actor and refuse
anyone outside the platform.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from partsmall.organizations.actor import Actor
from partsmall.organizations.roles import Perm
from partsmall.vehicles.models import Fuel, Make, VehicleModel, VehicleType, VinPattern, Wmi
from partsmall.vehicles.vin import vin_normalize


def _require_operator(actor: Actor) -> None:
    # Access declarations refuse others before this; reads still never trust the caller.
    if not actor.is_platform or not actor.can(Perm.PLATFORM_OPERATE):
        raise PermissionDenied


def _covering(types: QuerySet[VehicleType], year: int) -> QuerySet[VehicleType]:
    """Types built in that year as far as we know: an unknown start or end year is open."""
    return types.filter(
        Q(year_from__isnull=True) | Q(year_from__lte=year),
        Q(year_to__isnull=True) | Q(year_to__gte=year),
    )


# The cascade: make → model → year → engine ---------------------------------------------


def vehicle_types_for(
    *,
    make_id: int | None = None,
    model_id: int | None = None,
    year: int | None = None,
    engine_code: str | None = None,
) -> QuerySet[VehicleType]:
    """Vehicle types matching every given level of the cascade (none given: all)."""
    types = VehicleType.objects.select_related("model__make")
    if make_id is not None:
        types = types.filter(model__make_id=make_id)
    if model_id is not None:
        types = types.filter(model_id=model_id)
    if year is not None:
        types = _covering(types, year)
    if engine_code:
        types = types.filter(engine_code=engine_code)
    return types.order_by(
        "model__make__initials",
        "model__name",
        F("year_from").asc(nulls_first=True),
        "engine_code",
        "id",
    )


def makes_for_select() -> QuerySet[Make]:
    """Makes that have at least one vehicle type, by pinyin initials."""
    return Make.objects.filter(models__types__isnull=False).distinct().order_by("initials", "name")


def vehicle_models_for(*, make_id: int) -> QuerySet[VehicleModel]:
    return (
        VehicleModel.objects.filter(make_id=make_id, types__isnull=False)
        .select_related("make")
        .distinct()
        .order_by("name")
    )


def years_for(*, model_id: int, today: date | None = None) -> list[int]:
    """Every year some type of the model was built, newest first (open-ended: to this year).

    A type without a stated start year adds only the years it states (its end year, or
    none): the years before are not known, so they are not offered.
    """
    this_year = (today or timezone.localdate()).year
    years: set[int] = set()
    for start, end in VehicleType.objects.filter(model_id=model_id).values_list("year_from", "year_to"):
        if start is None:
            years.update([end] if end is not None else [])
            continue
        years.update(range(start, (end or max(this_year, start)) + 1))
    return sorted(years, reverse=True)


def engines_for(*, model_id: int, year: int | None = None) -> list[str]:
    types = vehicle_types_for(model_id=model_id, year=year).exclude(engine_code="")
    return sorted(set(types.values_list("engine_code", flat=True)))


def vehicle_type_get(*, pk: int) -> VehicleType:
    """Shared data: any existing vehicle type (404 otherwise)."""
    return get_object_or_404(VehicleType.objects.select_related("model__make"), pk=pk)


# Operator console ----------------------------------------------------------------------


def vehicle_types_list(
    *,
    actor: Actor,
    make_id: int | None = None,
    model_id: int | None = None,
    year: int | None = None,
    fuel: str = "",
    keyword: str = "",
) -> QuerySet[VehicleType]:
    """The vehicle database with filters; each type counts the VIN patterns that name it."""
    _require_operator(actor)
    types = vehicle_types_for(make_id=make_id, model_id=model_id, year=year)
    if fuel:
        types = types.filter(fuel=fuel)
    for word in keyword.split():
        types = types.filter(
            Q(model__name__icontains=word)
            | Q(model__make__name__icontains=word)
            | Q(model__make__name_en__icontains=word)
            | Q(model__name_en__icontains=word)
            | Q(model__manufacturer__icontains=word)
            | Q(generation__icontains=word)
            | Q(engine_code__icontains=word)
            | Q(transmission__icontains=word)
        )
    return types.annotate(pattern_count=Count("vin_patterns", distinct=True))


def vehicle_type_fuel_counts(*, actor: Actor, types: QuerySet[VehicleType]) -> list[tuple[str, str, int]]:
    """(fuel value, label, count) for the status tabs, "" first for all."""
    _require_operator(actor)
    counts = dict(types.order_by().values_list("fuel").annotate(n=Count("id")))
    tabs = [("", _("全部"), sum(counts.values()))]
    tabs += [(value, str(label), counts.get(value, 0)) for value, label in Fuel.choices]
    return tabs


def vehicle_type_for_operator(*, actor: Actor, pk: int) -> VehicleType:
    _require_operator(actor)
    return vehicle_type_get(pk=pk)


def vin_patterns_list(
    *, actor: Actor, wmi: str = "", make_id: int | None = None, keyword: str = ""
) -> QuerySet[VinPattern]:
    """VIN patterns with their vehicle types; filter by WMI, by make, or by a VIN prefix /
    model name in the keyword."""
    _require_operator(actor)
    patterns = VinPattern.objects.all()
    if wmi:
        patterns = patterns.filter(wmi=vin_normalize(wmi)[:3])
    if make_id is not None:
        patterns = patterns.filter(vehicle_types__model__make_id=make_id)
    for word in keyword.split():
        code = vin_normalize(word)
        patterns = patterns.filter(
            Q(wmi=code[:3], vds_prefix__startswith=code[3:8])
            | Q(vehicle_types__model__name__icontains=word)
            | Q(note__icontains=word)
        )
    return (
        patterns.distinct()
        .annotate(type_count=Count("vehicle_types", distinct=True))
        .prefetch_related("vehicle_types__model__make")
        .order_by("wmi", "vds_prefix")
    )


def vin_pattern_for_operator(*, actor: Actor, pk: int) -> VinPattern:
    _require_operator(actor)
    return get_object_or_404(VinPattern.objects.prefetch_related("vehicle_types__model__make"), pk=pk)


def vehicle_types_for_picker(*, actor: Actor, keyword: str, limit: int = 30) -> list[VehicleType]:
    """Vehicle types for the pattern form's searchable multi-select (a type id also finds it)."""
    if not keyword.strip():
        return []
    if keyword.strip().isdigit():
        _require_operator(actor)
        return list(vehicle_types_for().filter(pk=int(keyword)))
    return list(vehicle_types_list(actor=actor, keyword=keyword)[:limit])


def wmis_list(*, actor: Actor, keyword: str = "") -> QuerySet[Wmi]:
    _require_operator(actor)
    wmis = Wmi.objects.select_related("make")
    for word in keyword.split():
        wmis = wmis.filter(
            Q(code__iexact=word)
            | Q(manufacturer__icontains=word)
            | Q(make_name__icontains=word)
            | Q(country__icontains=word)
        )
    patterns = VinPattern.objects.filter(wmi=OuterRef("code")).order_by().values("wmi")
    count = Coalesce(Subquery(patterns.annotate(n=Count("id")).values("n")), 0)
    return wmis.annotate(pattern_count=count).order_by("code")
