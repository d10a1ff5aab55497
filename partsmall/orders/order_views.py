"""Pages of supplier orders: the supplier's sales orders (订单: to confirm, to ship, all,
ship form), the buyer's purchase orders (采购 › 我的订单), platform finance's offline
payments (财务 › 线下收款). Both supplier and buyer export their orders to Excel.

Views parse input, call one selector or service, and render; only the actions the
order's state and the member's role allow are shown (the services refuse the rest).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.core.pagination import paginate
from partsmall.orders import order_errors
from partsmall.orders import order_selectors as selectors
from partsmall.orders.exports import EXCEL_TYPE, PURCHASE, SALES, orders_workbook
from partsmall.orders.models import SupplierOrder
from partsmall.orders.order_forms import NoteForm, OptionalReasonForm, ReasonForm, ShipForm
from partsmall.orders.services import lifecycle
from partsmall.orders.services.shipments import SHIPPABLE, order_ship
from partsmall.orders.services.transitions import CONFIRMABLE_PAYMENTS
from partsmall.organizations.access import page
from partsmall.organizations.actor import Actor
from partsmall.organizations.forms import StyledForm, show_errors
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Perm

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _by(request: HttpRequest) -> Any:
    return request.user


def _supplier(request: HttpRequest) -> Organization:
    org = _actor(request).organization
    if org is None or org.kind != Organization.Kind.SUPPLIER:
        raise PermissionDenied(str(order_errors.SUPPLIER_ONLY))
    return org


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def _filters(request: HttpRequest, *, tab: str | None = None) -> selectors.OrderFilters:
    get = request.GET
    status, payment = get.get("status", ""), get.get("payment_status", "")
    chosen_tab = tab if tab is not None else get.get("tab", "")
    return selectors.OrderFilters(
        keyword=get.get("keyword", "").strip(),
        tab=chosen_tab if chosen_tab in selectors.TAB_CONDITIONS else "",
        status=status if status in Status.values else "",
        payment_status=payment if payment in Payment.values else "",
        date_from=_date(get.get("date_from", "")),
        date_to=_date(get.get("date_to", "")),
    )


def _tabs(counts: dict[str, int]) -> list[tuple[str, Any, int]]:
    return [(tab, selectors.TAB_LABELS[tab], count) for tab, count in counts.items()]


def refused(
    request: HttpRequest, exc: ApplicationError, form: StyledForm, back: HttpResponse
) -> HttpResponse | None:
    """A refusal naming one of the form's fields goes under it (None: render the form
    again); any other (the order moved on meanwhile) is a message on the page left."""
    fields = list(exc.errors) if isinstance(exc, FieldErrors) else [exc.field or ""]
    if any(name in form.fields for name in fields):
        show_errors(exc, form)
        return None
    messages.error(request, str(exc.message))
    return back


def _excel(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=EXCEL_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # done | current | failed | ""
    at: datetime | None = None
    note: str = ""


def _payment_step(order: SupplierOrder) -> Step:
    if order.payment_status == Payment.ON_ACCOUNT:
        return Step(_("付款"), "done", order.submitted_at, _("账期"))
    if order.payment_status == Payment.PAID:
        return Step(_("付款"), "done", order.paid_at)
    waiting = order.status == Status.SUBMITTED
    return Step(_("付款"), "current" if waiting else "", None, str(order.get_payment_status_display()))


def order_steps(order: SupplierOrder) -> list[Step]:
    """The step bar 提交 → 付款 → 确认 → 发货 → 收货 → 完成, with times; a cancelled or
    closed order ends in a red step."""
    status = order.status
    shipped = status in {Status.SHIPPED, Status.DELIVERED, Status.COMPLETED}
    submitted = "current" if status == Status.AWAITING_APPROVAL else "done"
    shipping = "done" if shipped else ("current" if status in SHIPPABLE else "")
    receiving = "done" if order.delivered_at else ("current" if status == Status.SHIPPED else "")
    partial = _("部分发货") if status == Status.PARTIALLY_SHIPPED else ""
    steps = [
        Step(_("提交"), submitted, order.submitted_at or order.created_at),
        _payment_step(order),
        Step(_("确认"), "done" if order.confirmed_at else "", order.confirmed_at),
        Step(_("发货"), shipping, None, partial),
        Step(_("收货"), receiving, order.delivered_at),
        Step(_("完成"), "done" if order.completed_at else "", order.completed_at),
    ]
    if status in {Status.CANCELLED, Status.CLOSED}:
        ended = order.cancelled_at if status == Status.CANCELLED else order.closed_at
        kept = [s for s in steps if s.state == "done"]
        return [*kept, Step(str(order.get_status_display()), "failed", ended)]
    return steps


# --- Supplier: sales orders ----------------------------------------------------------------


def _sales_list(request: HttpRequest, *, tab: str | None, title: str) -> HttpResponse:
    _supplier(request)
    actor = _actor(request)
    filters = _filters(request, tab=tab)
    counts = selectors.sales_order_counts(actor=actor, filters=filters)
    context = {
        "title": title,
        "page_obj": paginate(request, selectors.sales_orders(actor=actor, filters=filters)),
        "tabs": _tabs(counts),
        "filters": filters,
        "statuses": Status.choices,
        "payments": Payment.choices,
        "side": SALES,
        "has_any": counts[""] > 0 or bool(filters.keyword or filters.status or filters.payment_status),
    }
    return render(request, "orders/order_list.html", context)


@page(permission=Perm.ORG_VIEW, scope="organization")
@require_GET
def sales_orders(request: HttpRequest) -> HttpResponse:
    """全部订单: the supplier's orders with status tabs and filters."""
    return _sales_list(request, tab=None, title=_("全部订单"))


@page(permission=Perm.ORG_VIEW, scope="organization")
@require_GET
def sales_to_confirm(request: HttpRequest) -> HttpResponse:
    """待确认: paid or on-account orders waiting for the supplier's confirmation."""
    return _sales_list(request, tab="to_confirm", title=_("待确认订单"))


@page(permission=Perm.ORG_VIEW, scope="organization")
@require_GET
def sales_to_ship(request: HttpRequest) -> HttpResponse:
    """待发货: confirmed and partially shipped orders."""
    return _sales_list(request, tab="to_ship", title=_("待发货订单"))


@page(permission=Perm.ORG_VIEW, scope="organization")
@require_GET
def sales_orders_export(request: HttpRequest) -> HttpResponse:
    _supplier(request)
    orders = selectors.sales_orders(actor=_actor(request), filters=_filters(request))
    return _excel(orders_workbook(orders=orders, side=SALES), "sales-orders.xlsx")


def _sales_detail(
    request: HttpRequest, order: SupplierOrder, *, reject_form: ReasonForm | None = None, status: int = 200
) -> HttpResponse:
    actor = _actor(request)
    context = {
        "detail": selectors.order_detail(order=order),
        "order": order,
        "steps": order_steps(order),
        "side": SALES,
        "can_confirm": actor.can(Perm.SALES)
        and order.status == Status.SUBMITTED
        and order.payment_status in CONFIRMABLE_PAYMENTS,
        "can_reject": actor.can(Perm.SALES) and order.status in lifecycle.REJECTABLE,
        "can_ship": actor.can(Perm.STOCK_MANAGE) and order.status in SHIPPABLE,
        "reject_form": reject_form or ReasonForm(),
    }
    return render(request, "orders/order_detail.html", context, status=status)


@page(permission=Perm.ORG_VIEW, scope="organization", selector="sales_order_get")
@require_GET
def sales_order(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    return _sales_detail(request, selectors.sales_order_get(actor=_actor(request), pk=pk))


@page(permission=Perm.SALES, scope="organization", selector="sales_order_get")
@require_POST
def sales_order_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    order = selectors.sales_order_get(actor=_actor(request), pk=pk)
    try:
        lifecycle.order_confirm(order=order, by=_by(request))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已确认订单 %(number)s，请安排发货。") % {"number": order.number})
    return redirect("orders:sales_order", pk=order.pk)


@page(permission=Perm.SALES, scope="organization", selector="sales_order_get")
@require_POST
def sales_order_reject(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    order = selectors.sales_order_get(actor=_actor(request), pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            lifecycle.order_reject(order=order, by=_by(request), reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            answer = refused(request, exc, form, redirect("orders:sales_order", pk=order.pk))
            if answer is not None:
                return answer
        else:
            messages.success(request, _("已拒绝订单 %(number)s，库存已释放。") % {"number": order.number})
            return redirect("orders:sales_order", pk=order.pk)
    return _sales_detail(request, order, reject_form=form, status=400)


@page(permission=Perm.STOCK_MANAGE, scope="organization", selector="sales_order_get")
def sales_order_ship(request: HttpRequest, pk: int) -> HttpResponse:
    """发货: per open line a warehouse and a quantity, one carrier and tracking number."""
    _supplier(request)
    order = selectors.sales_order_get(actor=_actor(request), pk=pk)
    if order.status not in SHIPPABLE:
        messages.error(
            request,
            str(
                order_errors.SHIP_NOT_ALLOWED % {"number": order.number, "status": order.get_status_display()}
            ),
        )
        return redirect("orders:sales_order", pk=order.pk)
    data = request.POST if request.method == "POST" else None
    form = ShipForm(data, rows=selectors.ship_plan(order=order))
    if data is not None and form.is_valid():
        try:
            shipments = order_ship(
                order=order,
                items=form.items(),
                carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"],
                by=_by(request),
            )
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(
                request,
                _("已发货 %(n)s 个包裹（订单 %(number)s）。") % {"n": len(shipments), "number": order.number},
            )
            return redirect("orders:sales_order", pk=order.pk)
    status = 400 if data is not None else 200
    return render(request, "orders/ship_form.html", {"order": order, "form": form}, status=status)


# --- Buyer: purchase orders -------------------------------------------------------------------


@page(permission=Perm.ORG_VIEW, scope="organization")
@require_GET
def purchase_orders(request: HttpRequest) -> HttpResponse:
    """我的订单: the buyer's orders (one per supplier per checkout), status and payment filters."""
    actor = _actor(request)
    filters = _filters(request)
    counts = selectors.purchase_order_counts(actor=actor, filters=filters)
    context = {
        "title": _("我的订单"),
        "page_obj": paginate(request, selectors.purchase_orders(actor=actor, filters=filters)),
        "tabs": _tabs(counts),
        "filters": filters,
        "statuses": Status.choices,
        "payments": Payment.choices,
        "side": PURCHASE,
        "has_any": counts[""] > 0 or bool(filters.keyword or filters.status or filters.payment_status),
    }
    return render(request, "orders/order_list.html", context)


@page(permission=Perm.ORG_VIEW, scope="organization")
@require_GET
def purchase_orders_export(request: HttpRequest) -> HttpResponse:
    orders = selectors.purchase_orders(actor=_actor(request), filters=_filters(request))
    return _excel(orders_workbook(orders=orders, side=PURCHASE), "purchase-orders.xlsx")


def _purchase_detail(
    request: HttpRequest,
    order: SupplierOrder,
    *,
    cancel_form: OptionalReasonForm | None = None,
    declare_form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    purchaser = _actor(request).can(Perm.PURCHASE)
    context = {
        "detail": selectors.order_detail(order=order),
        "order": order,
        "steps": order_steps(order),
        "side": PURCHASE,
        "can_cancel": purchaser and order.status in lifecycle.CANCELLABLE,
        "can_declare": purchaser
        and order.status == Status.SUBMITTED
        and order.payment_status == Payment.UNPAID,
        "can_confirm_delivery": purchaser and order.status == Status.SHIPPED,
        "can_return": purchaser,
        "cancel_form": cancel_form or OptionalReasonForm(),
        "declare_form": declare_form or NoteForm(),
    }
    return render(request, "orders/order_detail.html", context, status=status)


@page(permission=Perm.ORG_VIEW, scope="organization", selector="purchase_order_get")
@require_GET
def purchase_order(request: HttpRequest, pk: int) -> HttpResponse:
    return _purchase_detail(request, selectors.purchase_order_get(actor=_actor(request), pk=pk))


@page(permission=Perm.PURCHASE, scope="organization", selector="purchase_order_get")
@require_POST
def purchase_order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.purchase_order_get(actor=_actor(request), pk=pk)
    form = OptionalReasonForm(request.POST)
    if form.is_valid():
        try:
            lifecycle.order_cancel(order=order, by=_by(request), reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            answer = refused(request, exc, form, redirect("orders:purchase_order", pk=order.pk))
            if answer is not None:
                return answer
        else:
            messages.success(request, _("已取消订单 %(number)s。") % {"number": order.number})
            return redirect("orders:purchase_order", pk=order.pk)
    return _purchase_detail(request, order, cancel_form=form, status=400)


@page(permission=Perm.PURCHASE, scope="organization", selector="purchase_order_get")
@require_POST
def purchase_order_declare_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.purchase_order_get(actor=_actor(request), pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            lifecycle.order_declare_transfer(order=order, by=_by(request), note=form.cleaned_data["note"])
        except ApplicationError as exc:
            answer = refused(request, exc, form, redirect("orders:purchase_order", pk=order.pk))
            if answer is not None:
                return answer
        else:
            messages.success(request, _("已登记线下转账，等待平台确认收款。"))
            return redirect("orders:purchase_order", pk=order.pk)
    return _purchase_detail(request, order, declare_form=form, status=400)


@page(permission=Perm.PURCHASE, scope="organization", selector="purchase_order_get")
@require_POST
def purchase_order_confirm_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.purchase_order_get(actor=_actor(request), pk=pk)
    try:
        lifecycle.order_confirm_delivery(order=order, by=_by(request))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已确认收货（订单 %(number)s）。") % {"number": order.number})
    return redirect("orders:purchase_order", pk=order.pk)


# --- Platform finance: offline payments ---------------------------------------------------------


@page(permission=Perm.PLATFORM_FINANCE, scope="platform")
@require_GET
def platform_payments(request: HttpRequest) -> HttpResponse:
    """线下收款: orders waiting for an offline transfer, those the buyer declared first."""
    actor = _actor(request)
    declared = request.GET.get("payment_status", "") == Payment.AWAITING_CONFIRMATION
    filters = _filters(request)
    counts = selectors.finance_order_counts(actor=actor)
    context = {
        "page_obj": paginate(request, selectors.finance_orders(actor=actor, filters=filters)),
        "filters": filters,
        "declared": declared,
        "counts": counts,
    }
    return render(request, "orders/platform_payments.html", context)


def _platform_detail(
    request: HttpRequest, order: SupplierOrder, *, reject_form: ReasonForm | None = None, status: int = 200
) -> HttpResponse:
    payable = order.status == Status.SUBMITTED
    context = {
        "detail": selectors.order_detail(order=order),
        "order": order,
        "steps": order_steps(order),
        "side": "platform",
        "can_mark_paid": payable and order.payment_status in lifecycle.MARKABLE,
        "can_reject_transfer": payable and order.payment_status == Payment.AWAITING_CONFIRMATION,
        "note_form": NoteForm(),
        "reject_form": reject_form or ReasonForm(),
    }
    return render(request, "orders/order_detail.html", context, status=status)


@page(permission=Perm.PLATFORM_FINANCE, scope="platform", selector="finance_order_get")
@require_GET
def platform_order(request: HttpRequest, pk: int) -> HttpResponse:
    return _platform_detail(request, selectors.finance_order_get(actor=_actor(request), pk=pk))


@page(permission=Perm.PLATFORM_FINANCE, scope="platform", selector="finance_order_get")
@require_POST
def platform_order_mark_paid(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.finance_order_get(actor=_actor(request), pk=pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        lifecycle.order_mark_paid(order=order, by=_by(request), note=note)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("已确认收款：订单 %(number)s 已付款，等待供应商确认。") % {"number": order.number}
        )
    if request.POST.get("next") == "list":
        return redirect("orders:platform_payments")
    return redirect("orders:platform_order", pk=order.pk)


@page(permission=Perm.PLATFORM_FINANCE, scope="platform", selector="finance_order_get")
@require_POST
def platform_order_transfer_reject(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.finance_order_get(actor=_actor(request), pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            lifecycle.order_transfer_reject(order=order, by=_by(request), reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            answer = refused(request, exc, form, redirect("orders:platform_order", pk=order.pk))
            if answer is not None:
                return answer
        else:
            messages.success(request, _("已退回：订单 %(number)s 恢复为待付款。") % {"number": order.number})
            return redirect("orders:platform_order", pk=order.pk)
    return _platform_detail(request, order, reject_form=form, status=400)


# --- Workspace home -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeCard:
    key: str
    label: Any
    url_name: str
    query: str = ""


# The cards in the order shown; each appears when home_counts has its key (the role may
# open the list it links to).
HOME_CARDS = (
    HomeCard("offers_listed", gettext_lazy("在售商品"), "catalog:offers", "?status=listed"),
    HomeCard("to_confirm", gettext_lazy("待确认订单"), "orders:sales_to_confirm"),
    HomeCard("to_ship", gettext_lazy("待发货订单"), "orders:sales_to_ship"),
    HomeCard("low_stock", gettext_lazy("低库存"), "inventory:low_stock"),
    HomeCard(
        "awaiting_approval", gettext_lazy("待审批订单"), "orders:purchase_orders", "?tab=awaiting_approval"
    ),
    HomeCard(
        "awaiting_payment", gettext_lazy("待付款订单"), "orders:purchase_orders", "?tab=awaiting_payment"
    ),
    HomeCard("to_receive", gettext_lazy("待收货订单"), "orders:purchase_orders", "?tab=to_receive"),
    HomeCard("cart_lines", gettext_lazy("购物车"), "orders:cart"),
    HomeCard("sales_returns_open", gettext_lazy("进行中的退货"), "orders:sales_returns", "?tab=open"),
    HomeCard("purchase_returns_open", gettext_lazy("进行中的退货"), "orders:purchase_returns", "?tab=open"),
    HomeCard(
        "transfers_declared",
        gettext_lazy("买家已登记转账"),
        "orders:platform_payments",
        "?payment_status=awaiting_confirmation",
    ),
    HomeCard("payable", gettext_lazy("待线下付款订单"), "orders:platform_payments"),
    HomeCard("disputes", gettext_lazy("待仲裁退货"), "orders:platform_returns"),
    HomeCard("data_to_review", gettext_lazy("待审核的配件数据"), "catalog:platform_review"),
)


@page(permission=None, scope="authenticated")
@require_GET
def home_figures(request: HttpRequest) -> HttpResponse:
    """The figures of orders, offers and stock on the workspace home (organizations' page
    loads them from here: a lower app never reads a higher one), each linking to its list."""
    actor = _actor(request)
    counts = selectors.home_counts(actor=actor)
    cards = [
        {
            "key": card.key,
            "label": card.label,
            "value": counts[card.key],
            "url": _home_card_url(card, actor),
        }
        for card in HOME_CARDS
        if card.key in counts
    ]
    return render(request, "orders/_home_figures.html", {"cards": cards, "platform": actor.is_platform})


def _home_card_url(card: HomeCard, actor: Actor) -> str:
    # Whoever may approve goes to the approvals, where the waiting checkouts are decided.
    if card.key == "awaiting_approval" and actor.can(Perm.ORG_MANAGE):
        return reverse("orders:approvals")
    return reverse(card.url_name) + card.query
