"""Pages of after-sales 售后: the buyer requests a return of a delivered line (with photos),
may dispute a rejection, ships the units back; the supplier approves or rejects and
receives the units into a warehouse; platform operators arbitrate disputes and read the
"doesn't fit" counts per part and per fitment row.

Return photos are served through the storage API to the parties of the request only.
"""

import mimetypes
from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from partsmall.catalog.models import Fitment
from partsmall.core.errors import ApplicationError
from partsmall.core.pagination import paginate
from partsmall.orders import order_errors
from partsmall.orders import order_selectors as selectors
from partsmall.orders.models import ReturnRequest
from partsmall.orders.order_forms import (
    ArbitrateForm,
    OptionalReasonForm,
    ParcelForm,
    ReasonForm,
    ReceiveForm,
    ReturnRequestForm,
)
from partsmall.orders.order_views import _actor, _by, _supplier, refused
from partsmall.orders.services import returns as services
from partsmall.organizations.access import page
from partsmall.organizations.forms import show_errors
from partsmall.organizations.roles import Perm

RStatus = ReturnRequest.Status

RETURN_TAB_LABELS: dict[str, Any] = {
    "": gettext_lazy("全部"),
    "open": gettext_lazy("处理中"),
    RStatus.REQUESTED: gettext_lazy("待审核"),
    RStatus.DISPUTED: gettext_lazy("平台介入"),
    RStatus.SHIPPED_BACK: gettext_lazy("待收货"),
    "done": gettext_lazy("已结束"),
}


def _tabs(counts: dict[str, int]) -> list[tuple[str, Any, int]]:
    return [(tab, RETURN_TAB_LABELS[tab], count) for tab, count in counts.items()]


def _tab(request: HttpRequest, default: str = "") -> str:
    tab = request.GET.get("tab", default)
    return tab if tab in selectors.RETURN_TABS else default


def _list(request: HttpRequest, side: str, requests: Any, counts: dict[str, int], tab: str) -> HttpResponse:
    context = {
        "side": side,
        "page_obj": paginate(request, requests),
        "tabs": _tabs(counts),
        "tab": tab,
        "keyword": request.GET.get("keyword", "").strip(),
    }
    return render(request, "orders/return_list.html", context)


def _fitment_label(fitment: Fitment) -> str:
    position = f" · {fitment.get_position_display()}" if fitment.position else ""
    return f"{fitment.vehicle_type.label}{position}"


def _fitment(value: str) -> Fitment | None:
    if not value.strip().isdigit():
        return None
    return Fitment.objects.filter(pk=int(value)).first()


# --- Buyer ----------------------------------------------------------------------------------------


@page(permission=Perm.PURCHASE, scope="organization", selector="purchase_line_get")
def purchase_return_create(request: HttpRequest, pk: int) -> HttpResponse:
    """申请退货 for one line of a delivered order: quantity, reason, fitment, photos."""
    line = selectors.purchase_line_get(actor=_actor(request), pk=pk)
    fitments = [(f.pk, _fitment_label(f)) for f in selectors.fitments_for_return(line=line)]
    data = request.POST if request.method == "POST" else None
    form = ReturnRequestForm(data, fitments=fitments, initial={"quantity": 1})
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            created = services.return_request_create(
                line=line,
                quantity=values["quantity"],
                reason=values["reason"],
                description=values["description"],
                photos=request.FILES.getlist("photos"),
                fitment=_fitment(values["fitment"]),
                by=_by(request),
            )
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("已提交退货申请，等待供应商审核。"))
            return redirect("orders:purchase_return", pk=created.pk)
    context = {
        "line": line,
        "order": line.order,
        "form": form,
        "left": services.returnable_quantity(line),
        "window_open": services.return_window_open(line.order),
    }
    return render(request, "orders/return_form.html", context, status=400 if data is not None else 200)


@page(permission=Perm.ORG_VIEW, scope="organization")
@require_GET
def purchase_returns(request: HttpRequest) -> HttpResponse:
    actor, tab = _actor(request), _tab(request)
    requests = selectors.purchase_returns(actor=actor, tab=tab, keyword=request.GET.get("keyword", ""))
    return _list(request, "purchase", requests, selectors.purchase_return_counts(actor=actor), tab)


def _detail(
    request: HttpRequest, found: ReturnRequest, side: str, status: int = 200, **forms: Any
) -> HttpResponse:
    actor = _actor(request)
    detail = selectors.return_detail(request=found)
    state = found.status
    context: dict[str, Any] = {"detail": detail, "req": found, "order": found.line.order, "side": side}
    if side == "purchase":
        buyer = actor.can(Perm.PURCHASE)
        context |= {
            "can_dispute": buyer and state == RStatus.REJECTED and not detail.disputed_before,
            "can_ship_back": buyer and state == RStatus.APPROVED,
            "can_cancel": buyer and state in {RStatus.REQUESTED, RStatus.APPROVED},
            "dispute_form": forms.get("dispute_form") or ReasonForm(),
            "ship_form": forms.get("ship_form") or ParcelForm(),
            "cancel_form": OptionalReasonForm(),
        }
    elif side == "sales":
        choices = [(w.pk, w.name) for w in selectors.receiving_warehouses(request=found)]
        context |= {
            "can_decide": actor.can(Perm.SALES) and state == RStatus.REQUESTED,
            "can_receive": actor.can(Perm.STOCK_MANAGE) and state == RStatus.SHIPPED_BACK,
            "reject_form": forms.get("reject_form") or ReasonForm(),
            "approve_form": OptionalReasonForm(),
            "receive_form": forms.get("receive_form") or ReceiveForm(warehouses=choices),
        }
    else:
        context |= {
            "can_arbitrate": state == RStatus.DISPUTED,
            "arbitrate_form": forms.get("arbitrate_form") or ArbitrateForm(),
        }
    return render(request, "orders/return_detail.html", context, status=status)


@page(permission=Perm.ORG_VIEW, scope="organization", selector="purchase_return_get")
@require_GET
def purchase_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.purchase_return_get(actor=_actor(request), pk=pk), "purchase")


@page(permission=Perm.PURCHASE, scope="organization", selector="purchase_return_get")
@require_POST
def purchase_return_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.purchase_return_get(actor=_actor(request), pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.return_dispute(request=found, by=_by(request), reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            answer = refused(request, exc, form, redirect("orders:purchase_return", pk=found.pk))
            if answer is not None:
                return answer
        else:
            messages.success(request, _("已申请平台介入，运营人员将尽快裁决。"))
            return redirect("orders:purchase_return", pk=found.pk)
    return _detail(request, found, "purchase", status=400, dispute_form=form)


@page(permission=Perm.PURCHASE, scope="organization", selector="purchase_return_get")
@require_POST
def purchase_return_ship_back(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.purchase_return_get(actor=_actor(request), pk=pk)
    form = ParcelForm(request.POST)
    if form.is_valid():
        try:
            services.return_ship_back(
                request=found,
                carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"],
                by=_by(request),
            )
        except ApplicationError as exc:
            answer = refused(request, exc, form, redirect("orders:purchase_return", pk=found.pk))
            if answer is not None:
                return answer
        else:
            messages.success(request, _("已登记寄回，等待供应商收货。"))
            return redirect("orders:purchase_return", pk=found.pk)
    return _detail(request, found, "purchase", status=400, ship_form=form)


@page(permission=Perm.PURCHASE, scope="organization", selector="purchase_return_get")
@require_POST
def purchase_return_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.purchase_return_get(actor=_actor(request), pk=pk)
    try:
        services.return_cancel(request=found, by=_by(request), reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已撤销退货申请。"))
    return redirect("orders:purchase_return", pk=found.pk)


# --- Supplier -------------------------------------------------------------------------------------


@page(permission=Perm.ORG_VIEW, scope="organization")
@require_GET
def sales_returns(request: HttpRequest) -> HttpResponse:
    _supplier(request)
    actor, tab = _actor(request), _tab(request, "open")
    requests = selectors.sales_returns(actor=actor, tab=tab, keyword=request.GET.get("keyword", ""))
    return _list(request, "sales", requests, selectors.sales_return_counts(actor=actor), tab)


@page(permission=Perm.ORG_VIEW, scope="organization", selector="sales_return_get")
@require_GET
def sales_return(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    return _detail(request, selectors.sales_return_get(actor=_actor(request), pk=pk), "sales")


@page(permission=Perm.SALES, scope="organization", selector="sales_return_get")
@require_POST
def sales_return_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    found = selectors.sales_return_get(actor=_actor(request), pk=pk)
    try:
        services.return_approve(request=found, by=_by(request), reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已同意退货，等待买家寄回。"))
    return redirect("orders:sales_return", pk=found.pk)


@page(permission=Perm.SALES, scope="organization", selector="sales_return_get")
@require_POST
def sales_return_reject(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    found = selectors.sales_return_get(actor=_actor(request), pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.return_reject(request=found, by=_by(request), reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            answer = refused(request, exc, form, redirect("orders:sales_return", pk=found.pk))
            if answer is not None:
                return answer
        else:
            messages.success(request, _("已拒绝退货申请。"))
            return redirect("orders:sales_return", pk=found.pk)
    return _detail(request, found, "sales", status=400, reject_form=form)


@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="sales_return_get")
@require_POST
def sales_return_receive(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    found = selectors.sales_return_get(actor=_actor(request), pk=pk)
    warehouses = selectors.receiving_warehouses(request=found)
    form = ReceiveForm(request.POST, warehouses=[(w.pk, w.name) for w in warehouses])
    if form.is_valid():
        chosen = form.cleaned_data["warehouse"]
        warehouse = warehouses.filter(pk=int(chosen)).first() if chosen else None
        try:
            services.return_receive(request=found, warehouse=warehouse, by=_by(request))
        except ApplicationError as exc:
            answer = refused(request, exc, form, redirect("orders:sales_return", pk=found.pk))
            if answer is not None:
                return answer
        else:
            messages.success(request, _("已收货入库 %(n)s 件。") % {"n": found.quantity})
            return redirect("orders:sales_return", pk=found.pk)
    return _detail(request, found, "sales", status=400, receive_form=form)


# --- Platform operators ----------------------------------------------------------------------------


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
@require_GET
def platform_returns(request: HttpRequest) -> HttpResponse:
    """售后仲裁: disputed returns first (tab), any return on request."""
    actor, tab = _actor(request), _tab(request, RStatus.DISPUTED)
    requests = selectors.platform_returns(actor=actor, tab=tab, keyword=request.GET.get("keyword", ""))
    return _list(request, "platform", requests, selectors.platform_return_counts(actor=actor), tab)


@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="platform_return_get")
@require_GET
def platform_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.platform_return_get(actor=_actor(request), pk=pk), "platform")


@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="platform_return_get")
@require_POST
def platform_return_arbitrate(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.platform_return_get(actor=_actor(request), pk=pk)
    form = ArbitrateForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        if decision not in {"approve", "reject"}:
            form.add_error("decision", str(order_errors.ARBITRATION_DECISION_INVALID))
        else:
            try:
                services.return_arbitrate(
                    request=found,
                    approve=decision == "approve",
                    by=_by(request),
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                answer = refused(request, exc, form, redirect("orders:platform_return", pk=found.pk))
                if answer is not None:
                    return answer
            else:
                messages.success(request, _("已裁决退货申请 #%(pk)s。") % {"pk": found.pk})
                return redirect("orders:platform_return", pk=found.pk)
    return _detail(request, found, "platform", status=400, arbitrate_form=form)


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
@require_GET
def platform_doesnt_fit(request: HttpRequest) -> HttpResponse:
    """不适配统计: "doesn't fit" returns per part and per fitment row (data quality)."""
    actor = _actor(request)
    part_id = request.GET.get("part", "")
    chosen = int(part_id) if part_id.isdigit() else None
    fitments = list(selectors.doesnt_fit_by_fitment(actor=actor, part_id=chosen)[:200])
    labels = selectors.vehicle_labels({row["fitment__vehicle_type_id"] for row in fitments})
    for row in fitments:
        row["vehicle_label"] = labels.get(row["fitment__vehicle_type_id"], "")
    context = {
        "parts": paginate(request, selectors.doesnt_fit_by_part(actor=actor)),
        "fitments": fitments,
        "part_id": chosen,
    }
    return render(request, "orders/platform_doesnt_fit.html", context)


# --- Photos -----------------------------------------------------------------------------------------


@page(permission=None, scope="authenticated", selector="return_photo_get")
@require_GET
@xframe_options_sameorigin
def return_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A return photo, through the storage API, for the buyer's and the supplier's members
    and platform operators only (others: 404). Declared "authenticated" because two
    organizations and the platform may see it; the selector decides."""
    photo = selectors.return_photo_get(actor=_actor(request), pk=pk)
    name = PurePosixPath(photo.image.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    with photo.image.open("rb") as stored:  # at most 5 MB, checked on upload
        response = HttpResponse(stored.read(), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
