"""Reads of supplier orders, shipments and after-sales, each scoped to the acting party.

A supplier sees the orders placed with it (and so only its own lines); a buyer the orders
it placed; platform finance the orders waiting for an offline payment; platform
operators the disputed returns and the "doesn't fit" counts. Anyone else's object
answers 404.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from partsmall.catalog.models import Fitment
from partsmall.catalog.selectors import LISTED, offer_status_counts, review_fitments, review_parts
from partsmall.inventory.models import StockLevel, StockReservation, Warehouse
from partsmall.inventory.selectors import low_stock_of
from partsmall.orders.models import (
    CartLine,
    OrderEvent,
    OrderLine,
    ReturnEvent,
    ReturnPhoto,
    ReturnRequest,
    Shipment,
    ShipmentLine,
    SupplierOrder,
)
from partsmall.orders.services.returns import OPEN_STATUSES, return_window_open, returnable_quantity
from partsmall.orders.services.transitions import LINE_REF
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Perm
from partsmall.vehicles.models import VehicleType

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus
RStatus = ReturnRequest.Status

SALES, PURCHASE = "sales", "purchase"

# Status tabs of the order lists: each a condition, in the order shown.
TAB_CONDITIONS: dict[str, Q] = {
    "awaiting_approval": Q(status=Status.AWAITING_APPROVAL),
    "awaiting_payment": Q(
        status=Status.SUBMITTED, payment_status__in=[Payment.UNPAID, Payment.AWAITING_CONFIRMATION]
    ),
    "to_confirm": Q(status=Status.SUBMITTED, payment_status__in=[Payment.PAID, Payment.ON_ACCOUNT]),
    "to_ship": Q(status__in=[Status.CONFIRMED, Status.PARTIALLY_SHIPPED]),
    "to_receive": Q(status=Status.SHIPPED),
    "delivered": Q(status=Status.DELIVERED),
    "completed": Q(status=Status.COMPLETED),
    "closed": Q(status__in=[Status.CANCELLED, Status.CLOSED]),
}
TAB_LABELS: dict[str, Promise] = {
    "": _("全部"),
    "awaiting_approval": _("待审批"),
    "awaiting_payment": _("待付款"),
    "to_confirm": _("待确认"),
    "to_ship": _("待发货"),
    "to_receive": _("待收货"),
    "delivered": _("已收货"),
    "completed": _("已完成"),
    "closed": _("已取消/关闭"),
}
SALES_TABS = (
    "",
    "to_confirm",
    "awaiting_payment",
    "to_ship",
    "to_receive",
    "delivered",
    "completed",
    "closed",
)
PURCHASE_TABS = (
    "",
    "awaiting_approval",
    "awaiting_payment",
    "to_confirm",
    "to_ship",
    "to_receive",
    "delivered",
    "completed",
    "closed",
)
RETURN_TABS: dict[str, tuple[str, ...]] = {
    "": (),
    "open": tuple(OPEN_STATUSES),
    RStatus.REQUESTED: (RStatus.REQUESTED,),
    RStatus.DISPUTED: (RStatus.DISPUTED,),
    RStatus.SHIPPED_BACK: (RStatus.SHIPPED_BACK,),
    "done": (RStatus.RECEIVED, RStatus.REJECTED, RStatus.CANCELLED),
}


@dataclass(frozen=True)
class OrderFilters:
    keyword: str = ""
    tab: str = ""
    status: str = ""
    payment_status: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _supplier_of(actor: Actor) -> Organization:
    org = actor.organization
    if org is None or org.kind != Organization.Kind.SUPPLIER:
        raise PermissionDenied
    return org


def _buyer_of(actor: Actor) -> Organization:
    if actor.organization is None:
        raise PermissionDenied
    return actor.organization


def _require_platform(actor: Actor, perm: str) -> None:
    # Access declarations refuse others before this; reads still never trust the caller.
    if not actor.is_platform or not actor.can(perm):
        raise PermissionDenied


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(
    orders: QuerySet[SupplierOrder], filters: OrderFilters, *, tab: bool = True
) -> QuerySet[SupplierOrder]:
    keyword = filters.keyword.strip()
    if keyword:
        lines = OrderLine.objects.filter(
            Q(sku__icontains=keyword) | Q(part_number__icontains=keyword) | Q(part_name__icontains=keyword)
        )
        orders = orders.filter(
            Q(number__icontains=keyword)
            | Q(buyer__name__icontains=keyword)
            | Q(supplier__name__icontains=keyword)
            | Q(pk__in=lines.values("order_id"))
        )
    if filters.status in Status.values:
        orders = orders.filter(status=filters.status)
    if filters.payment_status in Payment.values:
        orders = orders.filter(payment_status=filters.payment_status)
    if filters.date_from:
        orders = orders.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        orders = orders.filter(created_at__lt=_day_start(filters.date_to) + timedelta(days=1))
    if tab and filters.tab in TAB_CONDITIONS:
        orders = orders.filter(TAB_CONDITIONS[filters.tab])
    return orders


def _listed(orders: QuerySet[SupplierOrder]) -> QuerySet[SupplierOrder]:
    return (
        orders.select_related("buyer", "supplier", "checkout")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-id")
    )


def _counts(orders: QuerySet[SupplierOrder], tabs: tuple[str, ...]) -> dict[str, int]:
    aggregates = {f"n_{tab}": Count("id", filter=TAB_CONDITIONS[tab]) for tab in tabs if tab}
    totals = orders.aggregate(n_=Count("id"), **aggregates)
    return {tab: totals[f"n_{tab}"] for tab in tabs}


# --- Supplier: its sales orders --------------------------------------------------------


def _sales(actor: Actor) -> QuerySet[SupplierOrder]:
    return SupplierOrder.objects.filter(supplier=_supplier_of(actor))


def sales_orders(*, actor: Actor, filters: OrderFilters = OrderFilters()) -> QuerySet[SupplierOrder]:
    """The orders placed with the acting supplier, newest first."""
    return _listed(_filtered(_sales(actor), filters))


def sales_order_counts(*, actor: Actor, filters: OrderFilters = OrderFilters()) -> dict[str, int]:
    return _counts(_filtered(_sales(actor), filters, tab=False), SALES_TABS)


def sales_order_get(*, actor: Actor, pk: int) -> SupplierOrder:
    """One of the acting supplier's orders; anyone else's answers 404."""
    return get_object_or_404(_sales(actor).select_related("buyer", "supplier", "checkout"), pk=pk)


# --- Buyer: its purchase orders ---------------------------------------------------------


def _purchases(actor: Actor) -> QuerySet[SupplierOrder]:
    return SupplierOrder.objects.filter(buyer=_buyer_of(actor))


def purchase_orders(*, actor: Actor, filters: OrderFilters = OrderFilters()) -> QuerySet[SupplierOrder]:
    """The orders the acting organization placed, newest first."""
    return _listed(_filtered(_purchases(actor), filters))


def purchase_order_counts(*, actor: Actor, filters: OrderFilters = OrderFilters()) -> dict[str, int]:
    return _counts(_filtered(_purchases(actor), filters, tab=False), PURCHASE_TABS)


def purchase_order_get(*, actor: Actor, pk: int) -> SupplierOrder:
    """One of the acting organization's purchase orders; anyone else's answers 404."""
    return get_object_or_404(_purchases(actor).select_related("buyer", "supplier", "checkout"), pk=pk)


def purchase_line_get(*, actor: Actor, pk: int) -> OrderLine:
    """A line of one of the acting organization's purchase orders (to request a return)."""
    lines = OrderLine.objects.filter(order__buyer=_buyer_of(actor)).select_related("order__supplier", "part")
    return get_object_or_404(lines, pk=pk)


# --- Platform finance: offline payments -------------------------------------------------


def _payable() -> QuerySet[SupplierOrder]:
    return SupplierOrder.objects.filter(
        status=Status.SUBMITTED,
        on_account=False,
        payment_status__in=[Payment.UNPAID, Payment.AWAITING_CONFIRMATION],
    )


def finance_orders(*, actor: Actor, filters: OrderFilters = OrderFilters()) -> QuerySet[SupplierOrder]:
    """Orders waiting for an offline transfer: those the buyer declared paid first."""
    _require_platform(actor, Perm.PLATFORM_FINANCE)
    orders = _filtered(_payable(), filters).select_related("buyer", "supplier")
    declared_first = Count("id", filter=Q(payment_status=Payment.AWAITING_CONFIRMATION))
    return orders.annotate(line_count=Count("lines"), declared=declared_first).order_by(
        "-declared", "created_at", "id"
    )


def finance_order_counts(*, actor: Actor) -> dict[str, int]:
    _require_platform(actor, Perm.PLATFORM_FINANCE)
    totals = _payable().aggregate(
        all=Count("id"), declared=Count("id", filter=Q(payment_status=Payment.AWAITING_CONFIRMATION))
    )
    return {"": totals["all"], Payment.AWAITING_CONFIRMATION: totals["declared"]}


def finance_order_get(*, actor: Actor, pk: int) -> SupplierOrder:
    """Any order, for platform finance (it confirms the transfers of every buyer)."""
    _require_platform(actor, Perm.PLATFORM_FINANCE)
    return get_object_or_404(SupplierOrder.objects.select_related("buyer", "supplier", "checkout"), pk=pk)


# --- One order: lines, events, shipments, returns ----------------------------------------


@dataclass
class OrderDetail:
    order: SupplierOrder
    lines: list[OrderLine]
    events: list[OrderEvent]
    shipments: list[Shipment]
    returns: list[ReturnRequest]
    returnable: dict[int, int] = field(default_factory=dict)
    return_window_open: bool = False


def order_detail(*, order: SupplierOrder) -> OrderDetail:
    """What an order page shows. The order comes from a scoped selector above."""
    lines = list(order.lines.select_related("part").order_by("id"))
    events = list(order.events.select_related("actor").order_by("created_at", "id"))
    shipments = list(
        order.shipments.select_related("warehouse", "shipped_by")
        .prefetch_related(Prefetch("lines", queryset=ShipmentLine.objects.select_related("line")))
        .order_by("created_at", "id")
    )
    returns = list(
        ReturnRequest.objects.filter(line__order=order).select_related("line").order_by("-created_at", "-id")
    )
    window = return_window_open(order)
    returnable = {line.pk: returnable_quantity(line) for line in lines} if window else {}
    return OrderDetail(order, lines, events, shipments, returns, returnable, window)


@dataclass(frozen=True)
class ShipChoice:
    warehouse: Warehouse
    held: int
    available: int


@dataclass
class ShipRow:
    line: OrderLine
    choices: list[ShipChoice]
    default_warehouse_id: int | None


def _held_by_line(line_ids: list[int]) -> dict[int, dict[int, int]]:
    held: dict[int, dict[int, int]] = defaultdict(dict)
    reservations = StockReservation.objects.filter(ref_type=LINE_REF, ref_id__in=line_ids).select_related(
        "stock_level"
    )
    for reservation in reservations:
        if reservation.held > 0:
            held[reservation.ref_id][reservation.stock_level.warehouse_id] = reservation.held
    return held


def ship_plan(*, order: SupplierOrder) -> list[ShipRow]:
    """Each open line with the supplier's warehouses: what the line holds in each (its
    reservation) and what is free there; the default is where it holds the most, else
    (made to order) where most is free."""
    lines = [line for line in order.lines.select_related("part").order_by("id") if line.open_quantity > 0]
    warehouses = list(
        Warehouse.objects.filter(organization_id=order.supplier_id, is_active=True).order_by("code")
    )
    held = _held_by_line([line.pk for line in lines])
    levels: dict[tuple[int, int, str], int] = {
        (level.warehouse_id, level.part_id, level.grade): level.available
        for level in StockLevel.objects.filter(
            warehouse__in=warehouses, part_id__in={line.part_id for line in lines}
        )
    }
    rows = []
    for line in lines:
        choices = [
            ShipChoice(w, held[line.pk].get(w.pk, 0), levels.get((w.pk, line.part_id, line.grade), 0))
            for w in warehouses
        ]
        best = max(choices, key=lambda c: (c.held, c.available), default=None)
        rows.append(ShipRow(line, choices, best.warehouse.pk if best else None))
    return rows


def receiving_warehouses(*, request: ReturnRequest) -> QuerySet[Warehouse]:
    """The active warehouses of the request's supplier: where returned units may go."""
    supplier_id = request.line.order.supplier_id
    return Warehouse.objects.filter(organization_id=supplier_id, is_active=True).order_by("code")


# --- After-sales ---------------------------------------------------------------------------


def _returns() -> QuerySet[ReturnRequest]:
    return ReturnRequest.objects.select_related(
        "line__order__buyer", "line__order__supplier", "line__part", "fitment__vehicle_type", "warehouse"
    )


def _return_tab(requests: QuerySet[ReturnRequest], tab: str, keyword: str) -> QuerySet[ReturnRequest]:
    statuses = RETURN_TABS.get(tab)
    if statuses:
        requests = requests.filter(status__in=statuses)
    keyword = keyword.strip()
    if keyword:
        requests = requests.filter(
            Q(line__order__number__icontains=keyword)
            | Q(line__sku__icontains=keyword)
            | Q(line__part_number__icontains=keyword)
            | Q(line__part_name__icontains=keyword)
        )
    return requests.order_by("-created_at", "-id")


def _return_counts(requests: QuerySet[ReturnRequest]) -> dict[str, int]:
    aggregates = {f"n_{tab}": Count("id", filter=Q(status__in=s)) for tab, s in RETURN_TABS.items() if tab}
    totals = requests.aggregate(n_=Count("id"), **aggregates)
    return {tab: totals[f"n_{tab}"] for tab in RETURN_TABS}


def sales_returns(*, actor: Actor, tab: str = "", keyword: str = "") -> QuerySet[ReturnRequest]:
    return _return_tab(_returns().filter(line__order__supplier=_supplier_of(actor)), tab, keyword)


def sales_return_counts(*, actor: Actor) -> dict[str, int]:
    return _return_counts(ReturnRequest.objects.filter(line__order__supplier=_supplier_of(actor)))


def sales_return_get(*, actor: Actor, pk: int) -> ReturnRequest:
    """A return request on one of the acting supplier's orders; anyone else's answers 404."""
    return get_object_or_404(_returns().filter(line__order__supplier=_supplier_of(actor)), pk=pk)


def purchase_returns(*, actor: Actor, tab: str = "", keyword: str = "") -> QuerySet[ReturnRequest]:
    return _return_tab(_returns().filter(line__order__buyer=_buyer_of(actor)), tab, keyword)


def purchase_return_counts(*, actor: Actor) -> dict[str, int]:
    return _return_counts(ReturnRequest.objects.filter(line__order__buyer=_buyer_of(actor)))


def purchase_return_get(*, actor: Actor, pk: int) -> ReturnRequest:
    """One of the acting organization's return requests; anyone else's answers 404."""
    return get_object_or_404(_returns().filter(line__order__buyer=_buyer_of(actor)), pk=pk)


def platform_returns(
    *, actor: Actor, tab: str = RStatus.DISPUTED, keyword: str = ""
) -> QuerySet[ReturnRequest]:
    """Return requests for operators: by default the disputes waiting for arbitration."""
    _require_platform(actor, Perm.PLATFORM_OPERATE)
    return _return_tab(_returns(), tab, keyword)


def platform_return_counts(*, actor: Actor) -> dict[str, int]:
    _require_platform(actor, Perm.PLATFORM_OPERATE)
    return _return_counts(ReturnRequest.objects.all())


def platform_return_get(*, actor: Actor, pk: int) -> ReturnRequest:
    _require_platform(actor, Perm.PLATFORM_OPERATE)
    return get_object_or_404(_returns(), pk=pk)


def return_photo_get(*, actor: Actor, pk: int) -> ReturnPhoto:
    """A return photo for the request's buyer or supplier (any member) or a platform
    operator; anyone else gets 404, never a hint."""
    org = actor.organization
    if org is None or not (
        actor.can(Perm.ORG_VIEW) or (actor.is_platform and actor.can(Perm.PLATFORM_OPERATE))
    ):
        raise Http404
    photos = ReturnPhoto.objects.all()
    if not (actor.is_platform and actor.can(Perm.PLATFORM_OPERATE)):
        photos = photos.filter(Q(request__line__order__buyer=org) | Q(request__line__order__supplier=org))
    return get_object_or_404(photos, pk=pk)


@dataclass
class ReturnDetail:
    request: ReturnRequest
    events: list[ReturnEvent]
    photos: list[Any]
    disputed_before: bool


def return_detail(*, request: ReturnRequest) -> ReturnDetail:
    events = list(request.events.select_related("actor").order_by("created_at", "id"))
    return ReturnDetail(
        request=request,
        events=events,
        photos=list(request.photos.all()),
        disputed_before=any(e.to_status == RStatus.DISPUTED for e in events),
    )


def vehicle_labels(ids: set[int]) -> dict[int, str]:
    types = VehicleType.objects.select_related("model__make").in_bulk(list(ids))
    return {pk: vehicle_type.label for pk, vehicle_type in types.items()}


def fitments_for_return(*, line: OrderLine) -> QuerySet[Fitment]:
    """The fitment rows of the line's part: the buyer names the one it relied on."""
    return (
        Fitment.objects.filter(part_id=line.part_id)
        .select_related("vehicle_type__model__make")
        .order_by("vehicle_type_id", "position")
    )


# --- "Doesn't fit" counts (data quality) ----------------------------------------------------

# Counted: "doesn't fit" requests except those withdrawn or whose rejection stands (the
# supplier or the arbiter found the part does fit). Still open requests count.
_UNCOUNTED = (RStatus.CANCELLED, RStatus.REJECTED)


def _doesnt_fit() -> QuerySet[ReturnRequest]:
    return ReturnRequest.objects.filter(reason=ReturnRequest.Reason.DOESNT_FIT).exclude(status__in=_UNCOUNTED)


def doesnt_fit_by_part(*, actor: Actor) -> QuerySet[Any]:
    """Per part: how many "doesn't fit" requests and units, most first."""
    _require_platform(actor, Perm.PLATFORM_OPERATE)
    return (
        _doesnt_fit()
        .values("line__part_id", "line__part__brand__name", "line__part__number", "line__part__name")
        .annotate(requests=Count("id"), units=Sum("quantity"))
        .order_by("-requests", "-units", "line__part_id")
    )


def doesnt_fit_by_fitment(*, actor: Actor, part_id: int | None = None) -> QuerySet[Any]:
    """Per fitment row the buyers relied on: how many requests, with the row's source."""
    _require_platform(actor, Perm.PLATFORM_OPERATE)
    rows = _doesnt_fit().filter(fitment__isnull=False)
    if part_id:
        rows = rows.filter(line__part_id=part_id)
    return (
        rows.values(
            "fitment_id",
            "fitment__part_id",
            "fitment__part__brand__name",
            "fitment__part__number",
            "fitment__vehicle_type_id",
            "fitment__position",
            "fitment__source",
            "fitment__source_organization__name",
            "fitment__review_status",
        )
        .annotate(requests=Count("id"), units=Sum("quantity"))
        .order_by("-requests", "-units", "fitment_id")
    )


# --- Workspace home ----------------------------------------------------------------------------


def home_counts(*, actor: Actor) -> dict[str, int]:
    """What waits on the acting organization's home, for the lists its role may open: a
    supplier's listed offers, orders to confirm and to ship, open returns and low
    stock; a buyer's orders awaiting approval, payment and delivery, open returns and cart
    lines; platform finance the transfers to confirm, operators the disputes and the parts
    and fitment suppliers added that wait for review. Nothing for
    an organization that is not active."""
    org = actor.organization
    if org is None or org.status != Organization.Status.ACTIVE:
        return {}
    counts: dict[str, int] = {}
    if actor.is_platform:
        if actor.can(Perm.PLATFORM_FINANCE):
            payable = finance_order_counts(actor=actor)
            counts["transfers_declared"] = payable[Payment.AWAITING_CONFIRMATION]
            counts["payable"] = payable[""]
        if actor.can(Perm.PLATFORM_OPERATE):
            counts["disputes"] = platform_return_counts(actor=actor)[RStatus.DISPUTED]
            pending = review_parts(actor=actor).count() + review_fitments(actor=actor).count()
            counts["data_to_review"] = pending
        return counts
    if org.kind == Organization.Kind.SUPPLIER:
        return _supplier_home_counts(actor, counts)
    if actor.can(Perm.ORG_VIEW):
        orders = purchase_order_counts(actor=actor)
        for tab in ("awaiting_approval", "awaiting_payment", "to_receive"):
            counts[tab] = orders[tab]
        counts["purchase_returns_open"] = purchase_return_counts(actor=actor)["open"]
    if actor.can(Perm.PURCHASE):
        counts["cart_lines"] = CartLine.objects.filter(cart__organization=org).count()
    return counts


def _supplier_home_counts(actor: Actor, counts: dict[str, int]) -> dict[str, int]:
    if actor.can(Perm.CATALOG_MANAGE):
        counts["offers_listed"] = offer_status_counts(actor=actor)[LISTED]
    if actor.can(Perm.ORG_VIEW):
        orders = sales_order_counts(actor=actor)
        counts["to_confirm"], counts["to_ship"] = orders["to_confirm"], orders["to_ship"]
        counts["sales_returns_open"] = sales_return_counts(actor=actor)["open"]
    if actor.can(Perm.STOCK_MANAGE):
        counts["low_stock"] = low_stock_of(actor=actor).count()
    return counts
