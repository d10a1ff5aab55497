"""Pages of inventory (库存): warehouses, stock levels, movements, adjustment, goods in,
stocktake, the low-stock list and the stock sheet import. Suppliers and repair shops
alike, for members whose role holds STOCK_MANAGE.

Views validate input with a form, call one service or selector, and render.
"""

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from partsmall.accounts.models import User
from partsmall.catalog import selectors as catalog_selectors
from partsmall.catalog.import_views import report_filename, xlsx_response
from partsmall.catalog.imports import selectors as import_selectors
from partsmall.catalog.imports import services as import_services
from partsmall.catalog.imports.forms import ImportUploadForm
from partsmall.catalog.imports.kinds import KINDS, kinds_for
from partsmall.catalog.models import Brand, Grade, ImportJob
from partsmall.core.errors import ApplicationError
from partsmall.core.pagination import paginate
from partsmall.inventory import errors, selectors, services
from partsmall.inventory.exports import stock_workbook
from partsmall.inventory.forms import AdjustForm, ReceiveForm, ThresholdForm, WarehouseForm
from partsmall.inventory.models import MovementKind, StockLevel
from partsmall.inventory.selectors import INVENTORY
from partsmall.organizations import selectors as org_selectors
from partsmall.organizations.access import page
from partsmall.organizations.actor import Actor
from partsmall.organizations.forms import StyledForm, show_errors
from partsmall.organizations.roles import Perm


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _int(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _warehouse_choices(actor: Actor, *, active_only: bool = False) -> list[tuple[int, str]]:
    return [
        (w.pk, f"{w.name}（{w.code}）") for w in selectors.warehouses_of(actor=actor, active_only=active_only)
    ]


def _region_context(form: StyledForm) -> dict[str, Any]:
    """The three region selects (the organization profile's pickers)."""
    province = str(form["province"].value() or "")
    city = str(form["city"].value() or "")
    return {
        "provinces": org_selectors.region_children(parent_code=None),
        "cities": org_selectors.region_children(parent_code=province) if province else [],
        "districts": org_selectors.region_children(parent_code=city) if city else [],
        "province": province,
        "city": city,
        "district": str(form["district"].value() or ""),
    }


# --- Warehouses ---------------------------------------------------------------------------


@page(permission=Perm.STOCK_MANAGE, scope="organization")
@require_GET
def warehouses(request: HttpRequest) -> HttpResponse:
    """仓库: the organization's warehouses with their stock totals."""
    actor = _actor(request)
    found = selectors.warehouse_summaries(actor=actor)
    return render(request, "inventory/warehouses.html", {"warehouses": found})


@page(permission=Perm.STOCK_MANAGE, scope="organization")
def warehouse_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = WarehouseForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            assert actor.organization is not None
            warehouse = services.warehouse_create(
                organization=actor.organization, by=_user(request), **form.service_kwargs()
            )
        except ApplicationError as error:
            show_errors(error, form)
        else:
            messages.success(request, _("已新建仓库 %(name)s。") % {"name": warehouse.name})
            return redirect("inventory:warehouses")
    context = {"form": form, "regions": _region_context(form), "creating": True, "title": _("新建仓库")}
    return render(request, "inventory/warehouse_form.html", context)


@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="warehouse_get")
def warehouse_edit(request: HttpRequest, pk: int) -> HttpResponse:
    warehouse = selectors.warehouse_get(actor=_actor(request), pk=pk)
    initial = {
        "name": warehouse.name,
        "code": warehouse.code,
        "province": warehouse.province_id,
        "city": warehouse.city_id or "",
        "district": warehouse.district_id or "",
        "address_detail": warehouse.address_detail,
        "is_active": warehouse.is_active,
    }
    form = WarehouseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.warehouse_update(warehouse=warehouse, by=_user(request), **form.service_kwargs())
        except ApplicationError as error:
            show_errors(error, form)
        else:
            messages.success(request, _("已保存仓库 %(name)s。") % {"name": warehouse.name})
            return redirect("inventory:warehouses")
    context = {
        "form": form,
        "regions": _region_context(form),
        "creating": False,
        "warehouse": warehouse,
        "title": warehouse.name,
    }
    return render(request, "inventory/warehouse_form.html", context)


# --- Stock levels --------------------------------------------------------------------------


def _level_filters(request: HttpRequest) -> dict[str, Any]:
    grade = request.GET.get("grade", "")
    status = request.GET.get("status", "")
    return {
        "warehouse": _int(request.GET.get("warehouse")),
        "keyword": request.GET.get("keyword", "").strip(),
        "grade": grade if grade in Grade.values else "",
        "status": status if status in selectors.LEVEL_STATUSES else "",
    }


@page(permission=Perm.STOCK_MANAGE, scope="organization")
@require_GET
def levels(request: HttpRequest) -> HttpResponse:
    """库存: stock levels with filters and status tabs."""
    actor = _actor(request)
    filters = _level_filters(request)
    common = {"warehouse_id": filters["warehouse"], "keyword": filters["keyword"], "grade": filters["grade"]}
    found = selectors.stock_levels_of(actor=actor, status=filters["status"], **common)
    counts = selectors.stock_level_status_counts(actor=actor, **common)
    tabs = [
        ("", _("全部"), counts[""]),
        (selectors.IN_STOCK, _("有货"), counts[selectors.IN_STOCK]),
        (selectors.OUT_OF_STOCK, _("无货"), counts[selectors.OUT_OF_STOCK]),
        (selectors.RESERVED, _("有预留"), counts[selectors.RESERVED]),
        (selectors.LOW, _("低库存"), counts[selectors.LOW]),
    ]
    context = {
        "page_obj": paginate(request, found),
        "tabs": tabs,
        "filters": filters,
        "grades": Grade.choices,
        "warehouses": _warehouse_choices(actor),
        "default_threshold": selectors.low_stock_threshold(),
        "has_warehouse": selectors.warehouses_of(actor=actor).exists(),
    }
    return render(request, "inventory/levels.html", context)


def _level_context(request: HttpRequest, level: StockLevel, **forms: StyledForm) -> dict[str, Any]:
    actor = _actor(request)
    movements = selectors.movements_of(actor=actor, stock_level_id=level.pk)
    return {
        "level": level,
        "page_obj": paginate(request, movements),
        "reservations": selectors.reservations_of(actor=actor, stock_level=level),
        "adjust_form": forms.get("adjust_form") or AdjustForm(),
        "threshold_form": forms.get("threshold_form")
        or ThresholdForm(initial={"threshold": level.low_stock_threshold}),
        "default_threshold": selectors.low_stock_threshold(),
    }


@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_level_get")
@require_GET
def level_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One stock level: its balance, what orders hold, its movements, adjust and threshold."""
    level = selectors.stock_level_get(actor=_actor(request), pk=pk)
    return render(request, "inventory/level_detail.html", _level_context(request, level))


@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_level_get")
@require_POST
def level_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """库存调整: a correction with its reason."""
    level = selectors.stock_level_get(actor=_actor(request), pk=pk)
    form = AdjustForm(request.POST)
    if form.is_valid():
        try:
            services.stock_adjust(
                stock_level=level,
                delta=form.cleaned_data.get("delta") or 0,
                reason=form.cleaned_data.get("reason") or "",
                by=_user(request),
            )
        except ApplicationError as error:
            show_errors(error, form)
        else:
            messages.success(request, _("已调整库存，现在库 %(on_hand)s 件。") % {"on_hand": level.on_hand})
            return redirect("inventory:level_detail", level.pk)
    level = selectors.stock_level_get(actor=_actor(request), pk=pk)
    return render(
        request, "inventory/level_detail.html", _level_context(request, level, adjust_form=form), status=400
    )


@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_level_get")
@require_POST
def level_threshold(request: HttpRequest, pk: int) -> HttpResponse:
    level = selectors.stock_level_get(actor=_actor(request), pk=pk)
    form = ThresholdForm(request.POST)
    if form.is_valid():
        try:
            services.stock_level_set_threshold(
                stock_level=level, threshold=form.cleaned_data.get("threshold"), by=_user(request)
            )
        except ApplicationError as error:
            show_errors(error, form)
        else:
            messages.success(request, _("已保存低库存预警值。"))
            return redirect("inventory:level_detail", level.pk)
    context = _level_context(request, level, threshold_form=form)
    return render(request, "inventory/level_detail.html", context, status=400)


# --- Goods in ------------------------------------------------------------------------------


def _receive_form(request: HttpRequest) -> ReceiveForm:
    actor = _actor(request)
    brands = [(b.pk, b.name) for b in catalog_selectors.brands_list(actor=actor)]
    initial = {"warehouse": request.GET.get("warehouse", "")}
    return ReceiveForm(
        request.POST or None,
        warehouses=_warehouse_choices(actor, active_only=True),
        brands=brands,
        initial=initial,
    )


def _receive(request: HttpRequest, form: ReceiveForm) -> StockLevel:
    actor = _actor(request)
    data = form.cleaned_data
    warehouse = (
        selectors.warehouses_of(actor=actor, active_only=True).filter(pk=data.get("warehouse") or 0).first()
    )
    if warehouse is None:
        raise ApplicationError(errors.WAREHOUSE_REQUIRED, field="warehouse")
    brand = Brand.objects.filter(pk=data.get("brand") or 0).first()
    part = brand and catalog_selectors.part_for_offer(
        actor=actor, brand=brand, number=data.get("number") or ""
    )
    if not part:
        raise ApplicationError(errors.PART_NOT_FOUND, field="number")
    movement = services.stock_receive(
        warehouse=warehouse,
        part=part,
        grade=data.get("grade") or "",
        quantity=data.get("quantity") or 0,
        kind=MovementKind.RECEIPT,
        ref_type="manual_receipt",
        ref_id=None,
        ref_label=_("手工入库"),
        note=data.get("note") or "",
        by=_user(request),
    )
    return movement.stock_level


@page(permission=Perm.STOCK_MANAGE, scope="organization")
def receive(request: HttpRequest) -> HttpResponse:
    """入库: goods in by hand (first stock, a purchase from outside the platform)."""
    form = _receive_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            level = _receive(request, form)
        except ApplicationError as error:
            show_errors(error, form)
        else:
            messages.success(
                request,
                _("已入库 %(quantity)s 件，现在库 %(on_hand)s 件。")
                % {"quantity": form.cleaned_data["quantity"], "on_hand": level.on_hand},
            )
            return redirect("inventory:level_detail", level.pk)
    return render(request, "inventory/receive.html", {"form": form})


# --- Movements and low stock --------------------------------------------------------------


@page(permission=Perm.STOCK_MANAGE, scope="organization")
@require_GET
def movements(request: HttpRequest) -> HttpResponse:
    """库存流水: every movement with its reference."""
    actor = _actor(request)
    kind = request.GET.get("kind", "")
    texts = {name: request.GET.get(name, "").strip() for name in ("keyword", "ref", "date_from", "date_to")}
    texts["kind"] = kind if kind in MovementKind.values else ""
    warehouse = _int(request.GET.get("warehouse"))
    found = selectors.movements_of(
        actor=actor,
        warehouse_id=warehouse,
        kind=texts["kind"],
        keyword=texts["keyword"],
        ref=texts["ref"],
        date_from=_date(texts["date_from"]),
        date_to=_date(texts["date_to"]),
    )
    filters: dict[str, object] = {"warehouse": warehouse, **texts}
    context = {
        "page_obj": paginate(request, found),
        "filters": filters,
        "kinds": MovementKind.choices,
        "warehouses": _warehouse_choices(actor),
    }
    return render(request, "inventory/movements.html", context)


@page(permission=Perm.STOCK_MANAGE, scope="organization")
@require_GET
def low_stock(request: HttpRequest) -> HttpResponse:
    """低库存: levels at or below their threshold (or the default)."""
    actor = _actor(request)
    warehouse = _int(request.GET.get("warehouse"))
    context = {
        "page_obj": paginate(request, selectors.low_stock_of(actor=actor, warehouse_id=warehouse)),
        "warehouses": _warehouse_choices(actor),
        "filters": {"warehouse": warehouse},
        "default_threshold": selectors.low_stock_threshold(),
    }
    return render(request, "inventory/low_stock.html", context)


# --- Stocktake ----------------------------------------------------------------------------


@page(permission=Perm.STOCK_MANAGE, scope="organization")
@require_GET
def stocktakes(request: HttpRequest) -> HttpResponse:
    """盘点: past stocktakes, and a new one per warehouse."""
    actor = _actor(request)
    context = {
        "page_obj": paginate(request, selectors.stocktakes_of(actor=actor)),
        "warehouses": _warehouse_choices(actor),
    }
    return render(request, "inventory/stocktakes.html", context)


def _counts(request: HttpRequest, level_ids: set[int]) -> tuple[dict[int, int], dict[int, str]]:
    """The counted quantities typed per level (blank: not counted), and the wrong ones."""
    counts: dict[int, int] = {}
    wrong: dict[int, str] = {}
    for level_id in level_ids:
        raw = request.POST.get(f"count_{level_id}", "").strip()
        if not raw:
            continue
        if not raw.isdigit():
            wrong[level_id] = str(errors.QUANTITY_NOT_NEGATIVE)
            continue
        counts[level_id] = int(raw)
    return counts, wrong


@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="warehouse_get")
def stocktake_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A stocktake of one warehouse: the counted quantity per level; blank lines are not
    counted; every difference becomes a stocktake movement."""
    actor = _actor(request)
    warehouse = selectors.warehouse_get(actor=actor, pk=pk)
    rows = list(selectors.stock_levels_of(actor=actor, warehouse_id=warehouse.pk))
    errors_of: dict[int, str] = {}
    problem = ""
    if request.method == "POST":
        counts, errors_of = _counts(request, {level.pk for level in rows})
        if not errors_of:
            try:
                stocktake = services.stocktake_record(
                    warehouse=warehouse, counts=counts, note=request.POST.get("note", ""), by=_user(request)
                )
            except ApplicationError as error:
                field = error.field or ""
                level_id = _int(field.removeprefix("count_")) if field.startswith("count_") else None
                if level_id:
                    errors_of[level_id] = str(error.message)
                else:
                    problem = str(error.message)
            else:
                messages.success(
                    request,
                    _("已完成盘点：盘点 %(counted)s 行，其中 %(changed)s 行有差异已调整。")
                    % {"counted": stocktake.counted, "changed": stocktake.changed},
                )
                return redirect("inventory:stocktake_detail", stocktake.pk)
    lines = [
        {
            "level": level,
            "error": errors_of.get(level.pk, ""),
            "value": request.POST.get(f"count_{level.pk}", ""),
        }
        for level in rows
    ]
    context = {
        "warehouse": warehouse,
        "lines": lines,
        "problem": problem,
        "note": request.POST.get("note", ""),
    }
    return render(
        request, "inventory/stocktake_new.html", context, status=400 if (errors_of or problem) else 200
    )


@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="stocktake_get")
@require_GET
def stocktake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    stocktake = selectors.stocktake_get(actor=actor, pk=pk)
    found = selectors.movements_of(actor=actor, warehouse_id=stocktake.warehouse_id).filter(
        ref_type="stocktake", ref_id=stocktake.pk
    )
    return render(request, "inventory/stocktake_detail.html", {"stocktake": stocktake, "movements": found})


# --- Stock sheet import (the catalogue's import pages, console "inventory") ----------------

IMPORT_ROUTES = {
    "index": "inventory:imports",
    "upload": "inventory:import_upload",
    "detail": "inventory:import_detail",
    "progress": "inventory:import_progress",
    "confirm": "inventory:import_confirm",
    "cancel": "inventory:import_cancel",
    "report": "inventory:import_report",
    "template": "inventory:import_template",
}


def _import_context(**extra: object) -> dict[str, object]:
    return {"routes": IMPORT_ROUTES, "section": _("库存"), "is_platform": False, **extra}


def _import_kinds(actor: Actor) -> list[Any]:
    assert actor.organization is not None
    return kinds_for(actor.organization, console=INVENTORY)


@page(permission=Perm.STOCK_MANAGE, scope="organization")
@require_GET
def imports(request: HttpRequest) -> HttpResponse:
    """库存表导入: the stock sheet imports, a new one, the template and today's stock."""
    actor = _actor(request)
    page_obj = paginate(request, selectors.stock_imports_of(actor=actor))
    for job in page_obj.object_list:
        job.tag = import_selectors.STATUS_TAGS[ImportJob.Status(job.status)]
    return render(
        request, "inventory/imports.html", _import_context(page_obj=page_obj, kinds=_import_kinds(actor))
    )


@page(permission=Perm.STOCK_MANAGE, scope="organization")
def import_upload(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    kinds = _import_kinds(actor)
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, kinds=kinds, initial={"kind": "stock"}
    )
    if request.method == "POST" and form.is_valid():
        assert actor.organization is not None
        try:
            job = import_services.import_job_create(
                organization=actor.organization,
                by=_user(request),
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                console=INVENTORY,
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(
                request,
                _("已上传「%(file)s」，正在校验，完成后会通过站内信通知您。") % {"file": job.file_name},
            )
            return redirect("inventory:import_detail", job.pk)
    return render(request, "catalog/imports/upload.html", _import_context(form=form, kinds=kinds))


def _job_context(job: ImportJob) -> dict[str, object]:
    shows_rows = job.status in {ImportJob.Status.VALIDATED, ImportJob.Status.APPLYING, ImportJob.Status.DONE}
    validated = job.status == ImportJob.Status.VALIDATED
    return _import_context(
        job=job,
        kind=KINDS[job.kind],
        tag=import_selectors.STATUS_TAGS[ImportJob.Status(job.status)],
        percent=import_selectors.import_job_percent(job),
        running=import_selectors.import_job_is_running(job),
        errors=import_selectors.import_job_errors(job=job) if shows_rows else [],
        preview=import_selectors.import_job_preview(job=job) if validated else [],
    )


@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_import_get")
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.stock_import_get(actor=_actor(request), pk=pk)
    return render(request, "catalog/imports/detail.html", _job_context(job))


@never_cache
@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_import_get")
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.stock_import_get(actor=_actor(request), pk=pk)
    context = _job_context(job)
    response = render(request, "catalog/imports/_progress.html", context)
    if not context["running"]:
        response["HX-Refresh"] = "true"
    return response


@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_import_get")
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.stock_import_get(actor=_actor(request), pk=pk)
    try:
        job = import_services.import_job_confirm(job=job, by=_user(request))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("已开始导入 %(rows)s 行有效数据，可以离开本页，完成后会通过站内信通知您。")
            % {"rows": job.valid_rows},
        )
    return redirect("inventory:import_detail", job.pk)


@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_import_get")
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.stock_import_get(actor=_actor(request), pk=pk)
    try:
        job = import_services.import_job_cancel(job=job, by=_user(request))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已取消导入「%(file)s」，没有导入任何数据。") % {"file": job.file_name})
    return redirect("inventory:import_detail", job.pk)


@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_import_get")
@require_GET
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.stock_import_get(actor=_actor(request), pk=pk)
    if not job.report:
        raise Http404
    with job.report.open("rb") as report:
        return xlsx_response(report.read(), report_filename(job))


@page(permission=Perm.STOCK_MANAGE, scope="organization")
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    kinds = {kind.kind: kind for kind in _import_kinds(_actor(request))}
    kind = kinds.get(request.GET.get("kind", "stock"))
    if kind is None:
        raise Http404
    return xlsx_response(import_services.template_workbook(kind.kind), f"{kind.title}导入模板.xlsx")


@page(permission=Perm.STOCK_MANAGE, scope="organization")
@require_GET
def stock_export(request: HttpRequest) -> HttpResponse:
    """导出库存表: today's stock per SKU and warehouse in the template's columns."""
    actor = _actor(request)
    assert actor.organization is not None
    return xlsx_response(stock_workbook(organization=actor.organization), "库存表.xlsx")
