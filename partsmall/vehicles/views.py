"""Pages of the vehicles app: the operator's vehicle database, VIN patterns and WMI list,
and two fragments other pages embed with htmx (VIN decoding, the cascading selects).

Views validate input with a form, call one service or selector, and render.
"""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partsmall.accounts.models import User
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.core.pagination import paginate
from partsmall.organizations.access import page
from partsmall.organizations.forms import show_errors
from partsmall.organizations.roles import Perm
from partsmall.vehicles import errors, selectors, services
from partsmall.vehicles.forms import VehicleTypeForm, VinPatternForm
from partsmall.vehicles.models import Fuel, VehicleType, VinPattern


def _int(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _person(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


# Fragments for other pages (shop search) -------------------------------------------------


def _decode_context(request: HttpRequest, vin: str) -> dict[str, Any]:
    actor = request.actor  # type: ignore[attr-defined]
    context: dict[str, Any] = {"vin": vin, "decoding": None, "error": ""}
    if vin.strip():
        try:
            context["decoding"] = services.vin_decode(vin=vin, organization=actor.organization)
        except ApplicationError as exc:
            context["error"] = str(exc.message)
    return context


@page(permission=Perm.PURCHASE, scope="organization")
@require_GET
def vin_decode(request: HttpRequest) -> HttpResponse:
    """HTML fragment: what ?vin= says, its candidate vehicle types, the remembered choice."""
    return render(request, "vehicles/_vin_decode.html", _decode_context(request, request.GET.get("vin", "")))


def _remember(request: HttpRequest, vin: str) -> str:
    """Remember the pick; '' when done, else what was wrong."""
    actor = request.actor  # type: ignore[attr-defined]
    try:
        vehicle_type = selectors.vehicle_type_get(pk=_int(request.POST.get("vehicle_type")) or 0)
        services.vin_choice_remember(
            organization=actor.organization, vin=vin, vehicle_type=vehicle_type, by=_person(request)
        )
    except Http404:
        return str(errors.NOT_A_CANDIDATE)
    except ApplicationError as exc:
        return str(exc.message)
    return ""


@page(permission=Perm.PURCHASE, scope="organization")
@require_POST
def vin_choose(request: HttpRequest) -> HttpResponse:
    """Remember the organization's pick among the candidates; answers the same fragment."""
    vin = request.POST.get("vin", "")
    problem = _remember(request, vin)
    context = {**_decode_context(request, vin), "choice_error": problem, "just_chosen": not problem}
    response = render(request, "vehicles/_vin_decode.html", context)
    if not problem:
        # The search page listens and searches again for the chosen vehicle type.
        response["HX-Trigger"] = "vinChosen"
    return response


@page(permission=Perm.ORG_VIEW, scope="organization")
@require_GET
def vehicle_selects(request: HttpRequest) -> HttpResponse:
    """The cascade make → model → year → engine; each change re-renders the fragment."""
    make_id = _int(request.GET.get("make"))
    model_id = _int(request.GET.get("model")) if make_id else None
    models = list(selectors.vehicle_models_for(make_id=make_id)) if make_id else []
    if model_id not in {m.pk for m in models}:
        model_id = None
    years = selectors.years_for(model_id=model_id) if model_id else []
    year = _int(request.GET.get("year"))
    year = year if year in years else None
    engines = selectors.engines_for(model_id=model_id, year=year) if model_id else []
    engine = request.GET.get("engine", "")
    context = {
        "makes": selectors.makes_for_select(),
        "models": models,
        "years": years,
        "engines": engines,
        "selected": {
            "make": make_id,
            "model": model_id,
            "year": year,
            "engine": engine if engine in engines else "",
        },
    }
    return render(request, "vehicles/_vehicle_selects.html", context)


# Operator console: vehicle database ------------------------------------------------------


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
def vehicle_types(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    make_id = _int(request.GET.get("make"))
    filters: dict[str, Any] = {
        "make_id": make_id,
        "model_id": _int(request.GET.get("model")) if make_id else None,
        "year": _int(request.GET.get("year")),
        "keyword": request.GET.get("keyword", "").strip(),
    }
    fuel = request.GET.get("fuel", "")
    fuel = fuel if fuel in Fuel.values else ""
    unfiltered_by_fuel = selectors.vehicle_types_list(actor=actor, **filters)
    context = {
        "page_obj": paginate(request, selectors.vehicle_types_list(actor=actor, fuel=fuel, **filters)),
        "tabs": selectors.vehicle_type_fuel_counts(actor=actor, types=unfiltered_by_fuel),
        "filters": {**filters, "fuel": fuel},
        "makes": selectors.makes_for_select(),
        "models": selectors.vehicle_models_for(make_id=make_id) if make_id else [],
    }
    return render(request, "vehicles/vehicle_types.html", context)


def _vehicle_type_form_page(request: HttpRequest, vehicle_type: VehicleType | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = VehicleTypeForm.initial_from(vehicle_type) if vehicle_type else None
    form = VehicleTypeForm(data, initial=initial)
    if data is not None and form.is_valid():
        try:
            saved = _save_vehicle_type(request, form, vehicle_type)
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            template = _("车型「%(label)s」已保存。") if vehicle_type else _("车型「%(label)s」已新建。")
            messages.success(request, template % {"label": saved.label})
            return redirect(f"{reverse('vehicles:vehicle_types')}?{urlencode({'keyword': saved.model.name})}")
    context = {"form": form, "vehicle_type": vehicle_type, "makes": selectors.makes_for_select()}
    return render(request, "vehicles/vehicle_type_form.html", context)


def _save_vehicle_type(
    request: HttpRequest, form: VehicleTypeForm, vehicle_type: VehicleType | None
) -> VehicleType:
    if vehicle_type is None:
        return services.vehicle_type_create(**form.service_kwargs())
    return services.vehicle_type_update(vehicle_type=vehicle_type, **form.service_kwargs())


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
def vehicle_type_create(request: HttpRequest) -> HttpResponse:
    return _vehicle_type_form_page(request, None)


@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="vehicle_type_for_operator")
def vehicle_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return _vehicle_type_form_page(request, selectors.vehicle_type_for_operator(actor=actor, pk=pk))


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
@require_GET
def vehicle_type_picker(request: HttpRequest) -> HttpResponse:
    """Fragment of the VIN pattern form: vehicle types matching ?q= as checkboxes."""
    actor = request.actor  # type: ignore[attr-defined]
    keyword = request.GET.get("q", "")
    exclude = {_int(v) for v in request.GET.getlist("vehicle_types")}
    found = [
        t for t in selectors.vehicle_types_for_picker(actor=actor, keyword=keyword) if t.pk not in exclude
    ]
    return render(request, "vehicles/_type_picker.html", {"found": found, "keyword": keyword})


# Operator console: VIN patterns ----------------------------------------------------------


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
def vin_patterns(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    filters: dict[str, Any] = {
        "wmi": request.GET.get("wmi", "").strip(),
        "make_id": _int(request.GET.get("make")),
        "keyword": request.GET.get("keyword", "").strip(),
    }
    test_vin = request.GET.get("test_vin", "").strip()
    context = {
        "page_obj": paginate(request, selectors.vin_patterns_list(actor=actor, **filters)),
        "filters": filters,
        "makes": selectors.makes_for_select(),
        "test_vin": test_vin,
        **_test_decode(test_vin),
    }
    return render(request, "vehicles/vin_patterns.html", context)


def _test_decode(vin: str) -> dict[str, Any]:
    """The operator's trial decoding of a VIN against the patterns (no organization)."""
    if not vin:
        return {}
    try:
        return {"decoding": services.vin_decode(vin=vin)}
    except ApplicationError as exc:
        return {"test_error": str(exc.message)}


def _chosen_type_ids(form: VinPatternForm, request: HttpRequest) -> list[int]:
    ids = [pk for pk in (_int(v) for v in request.POST.getlist("vehicle_types")) if pk]
    for token in (form.cleaned_data.get("vehicle_type_ids") or "").replace("，", ",").split(","):
        token = token.strip()
        if not token:
            continue
        if not token.isdigit():
            message = errors.VEHICLE_TYPE_IDS_INVALID % {"token": token}
            raise FieldErrors({"vehicle_type_ids": [str(message)]})
        ids.append(int(token))
    return list(dict.fromkeys(ids))


def _pattern_form_page(request: HttpRequest, pattern: VinPattern | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = VinPatternForm(data, initial=VinPatternForm.initial_from(pattern) if pattern else None)
    selected = list(pattern.vehicle_types.select_related("model__make")) if pattern else []
    if data is not None and form.is_valid():
        try:
            ids = _chosen_type_ids(form, request)
            selected = list(selectors.vehicle_types_for().filter(pk__in=ids))
            saved = _save_pattern(request, form, pattern, ids)
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("VIN 规则「%(pattern)s」已保存。") % {"pattern": saved})
            return redirect("vehicles:vin_patterns")
    context = {"form": form, "pattern": pattern, "selected": selected}
    return render(request, "vehicles/vin_pattern_form.html", context)


def _save_pattern(
    request: HttpRequest, form: VinPatternForm, pattern: VinPattern | None, ids: list[int]
) -> VinPattern:
    fields = {name: form.cleaned_data.get(name) or "" for name in ("wmi", "vds_prefix", "note", "source")}
    if pattern is None:
        return services.vin_pattern_create(**fields, vehicle_types=ids, by=_person(request))
    return services.vin_pattern_update(pattern=pattern, **fields, vehicle_types=ids, by=_person(request))


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
def vin_pattern_create(request: HttpRequest) -> HttpResponse:
    return _pattern_form_page(request, None)


@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="vin_pattern_for_operator")
def vin_pattern_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return _pattern_form_page(request, selectors.vin_pattern_for_operator(actor=actor, pk=pk))


@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="vin_pattern_for_operator")
@require_POST
def vin_pattern_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    pattern = selectors.vin_pattern_for_operator(actor=actor, pk=pk)
    label = str(pattern)
    services.vin_pattern_delete(pattern=pattern, by=_person(request))
    messages.success(request, _("VIN 规则「%(pattern)s」已删除。") % {"pattern": label})
    return redirect("vehicles:vin_patterns")


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
def wmis(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    keyword = request.GET.get("keyword", "").strip()
    context = {
        "page_obj": paginate(request, selectors.wmis_list(actor=actor, keyword=keyword)),
        "keyword": keyword,
    }
    return render(request, "vehicles/wmis.html", context)
