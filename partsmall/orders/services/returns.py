"""After-sales 售后: return requests per order line, their one transition table and service.

    requested ─supplier approves─▶ approved ─buyer ships back─▶ shipped_back ─supplier receives─▶ received
        │  └─supplier rejects─▶ rejected ─buyer disputes (once)─▶ disputed ─operator─▶ approved | rejected
        └─buyer cancels (also from approved)─▶ cancelled

A request is made within ORDERS_RETURN_WINDOW_DAYS after delivery, for at most what was
delivered less what is returned or being returned, with a reason and photos. Receiving
puts the units back into one of the supplier's warehouses through a `return` stock
movement and counts them on the line (returned_quantity). Money is the payments
capability's: `refund_hook` marks the place where it will start a refund.

"Doesn't fit" requests name the fitment row the buyer relied on, so operators can count
them per part and per fitment row (order_selectors.doesnt_fit_by_part / _by_fitment).
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from partsmall.catalog.models import Fitment
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.inventory.models import MovementKind, Warehouse
from partsmall.inventory.services import stock_receive
from partsmall.orders import order_errors
from partsmall.orders.models import OrderLine, ReturnEvent, ReturnPhoto, ReturnRequest, SupplierOrder
from partsmall.orders.services.lifecycle import clean_reason
from partsmall.orders.services.notices import return_notice

if TYPE_CHECKING:
    from partsmall.accounts.models import User

RStatus = ReturnRequest.Status
OStatus = SupplierOrder.Status

RETURN_REF = "return_request"

RETURN_TRANSITIONS: dict[str, set[str]] = {
    RStatus.REQUESTED: {RStatus.APPROVED, RStatus.REJECTED, RStatus.CANCELLED},
    RStatus.APPROVED: {RStatus.SHIPPED_BACK, RStatus.CANCELLED},
    RStatus.REJECTED: {RStatus.DISPUTED},
    RStatus.DISPUTED: {RStatus.APPROVED, RStatus.REJECTED},
    RStatus.SHIPPED_BACK: {RStatus.RECEIVED},
    RStatus.RECEIVED: set(),
    RStatus.CANCELLED: set(),
}

# Requests still under way: they hold their quantity and keep their order from completing.
OPEN_STATUSES = frozenset({RStatus.REQUESTED, RStatus.APPROVED, RStatus.DISPUTED, RStatus.SHIPPED_BACK})
RETURNABLE_ORDER_STATUSES = frozenset({OStatus.DELIVERED, OStatus.COMPLETED})

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
DESCRIPTION_MAX = 500
TEXT_MAX = 50


def _label(value: str) -> str:
    return str(RStatus(value).label) if value in RStatus.values else value


def return_window() -> timedelta:
    return timedelta(days=settings.ORDERS_RETURN_WINDOW_DAYS)


@transaction.atomic
def return_transition(
    *, request: ReturnRequest, to: str, by: "User | None", reason: str = "", now: datetime | None = None
) -> ReturnRequest:
    """Moves the request along RETURN_TRANSITIONS: locks its row, refuses an illegal move
    (naming from and to), writes one ReturnEvent."""
    request = ReturnRequest.objects.select_for_update().get(pk=request.pk)
    from_status = request.status
    if to not in RETURN_TRANSITIONS.get(from_status, set()):
        raise ApplicationError(
            order_errors.RETURN_ILLEGAL_TRANSITION
            % {"pk": request.pk, "from": _label(from_status), "to": _label(to)},
            code="illegal_transition",
        )
    request.status = to
    request.save(update_fields=["status", "updated_at"])
    _event(request, by, from_status, to, reason, now)
    return request


def _event(
    request: ReturnRequest, by: "User | None", from_status: str, to: str, reason: str, now: datetime | None
) -> None:
    event = ReturnEvent.objects.create(
        request=request, actor=by, from_status=from_status, to_status=to, reason=reason
    )
    if now is not None:
        # created_at is auto_now_add: a given clock (tests, demo data) wins.
        ReturnEvent.objects.filter(pk=event.pk).update(created_at=now)
    return_notice(request, from_status=from_status, reason=reason, by=by, now=now)


def returnable_quantity(line: OrderLine, *, excluding: ReturnRequest | None = None) -> int:
    """Delivered less what is returned, less what open requests are returning."""
    pending = line.return_requests.filter(status__in=OPEN_STATUSES)
    if excluding is not None:
        pending = pending.exclude(pk=excluding.pk)
    held = pending.aggregate(total=Sum("quantity"))["total"] or 0
    return line.shipped_quantity - line.returned_quantity - held


def return_window_open(order: SupplierOrder, *, now: datetime | None = None) -> bool:
    if order.status not in RETURNABLE_ORDER_STATUSES or order.delivered_at is None:
        return False
    return (now or timezone.now()) <= order.delivered_at + return_window()


def _check_window(order: SupplierOrder, now: datetime) -> None:
    if order.status not in RETURNABLE_ORDER_STATUSES or order.delivered_at is None:
        raise ApplicationError(
            order_errors.RETURN_NOT_DELIVERED
            % {"number": order.number, "status": order.get_status_display()},
            code="not_allowed",
        )
    if not return_window_open(order, now=now):
        raise ApplicationError(
            order_errors.RETURN_WINDOW_CLOSED % {"days": settings.ORDERS_RETURN_WINDOW_DAYS},
            code="window_closed",
        )


def _whole(value: object) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return None
    return value


def _photo_error(photo: UploadedFile) -> str | None:
    name = photo.name or ""
    if (photo.size or 0) > MAX_PHOTO_BYTES:
        return str(
            order_errors.RETURN_PHOTO_TOO_LARGE % {"name": name, "mb": MAX_PHOTO_BYTES // (1024 * 1024)}
        )
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        image_format = None
    finally:
        photo.seek(0)
    if image_format not in PHOTO_FORMATS:
        return str(order_errors.RETURN_PHOTO_INVALID % {"name": name})
    return None


def _checked_request(
    line: OrderLine,
    quantity: object,
    reason: str,
    description: str,
    photos: Sequence[UploadedFile],
    fitment: Fitment | None,
) -> tuple[int, str]:
    """The quantity and description, or every wrong field at once (FieldErrors)."""
    found: dict[str, list[str]] = {}
    number = _whole(quantity)
    left = returnable_quantity(line)
    if number is None:
        found["quantity"] = [str(order_errors.RETURN_QUANTITY_INVALID)]
    elif number > left:
        found["quantity"] = [
            str(order_errors.RETURN_QUANTITY_TOO_MANY % {"sku": line.sku, "left": max(left, 0)})
        ]
    if reason not in ReturnRequest.Reason.values:
        found["reason"] = [str(order_errors.RETURN_REASON_INVALID)]
    description = str(description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        found["description"] = [str(order_errors.RETURN_DESCRIPTION_TOO_LONG)]
    if not photos:
        found["photos"] = [str(order_errors.RETURN_PHOTOS_REQUIRED)]
    elif len(photos) > MAX_PHOTOS:
        found["photos"] = [str(order_errors.RETURN_PHOTOS_TOO_MANY % {"max": MAX_PHOTOS})]
    else:
        problems = [problem for problem in map(_photo_error, photos) if problem]
        if problems:
            found["photos"] = problems
    if fitment is not None and fitment.part_id != line.part_id:
        found["fitment"] = [str(order_errors.RETURN_FITMENT_UNKNOWN)]
    if found:
        raise FieldErrors(found)
    assert number is not None
    return number, description


@transaction.atomic
def return_request_create(
    *,
    line: OrderLine,
    quantity: object,
    reason: str,
    description: str = "",
    photos: Sequence[UploadedFile],
    fitment: Fitment | None = None,
    by: "User | None",
    now: datetime | None = None,
) -> ReturnRequest:
    """The buyer asks to return units of a delivered line, within the return window.

    The line is locked so two requests at once cannot both take the same units."""
    line = OrderLine.objects.select_for_update().select_related("order").get(pk=line.pk)
    _check_window(line.order, now or timezone.now())
    number, description = _checked_request(line, quantity, reason, description, photos, fitment)
    request = ReturnRequest.objects.create(
        line=line,
        quantity=number,
        reason=reason,
        description=description,
        fitment=fitment,
        vehicle_type_id=fitment.vehicle_type_id if fitment else None,
        created_by=by,
    )
    for photo in photos:
        ReturnPhoto.objects.create(request=request, image=photo)
    if now is not None:
        ReturnRequest.objects.filter(pk=request.pk).update(created_at=now)
    _event(request, by, "", RStatus.REQUESTED, description, now)
    return request


@transaction.atomic
def return_approve(
    *, request: ReturnRequest, by: "User | None", reason: str = "", now: datetime | None = None
) -> ReturnRequest:
    """The supplier agrees: the buyer may ship the units back."""
    reason = clean_reason(reason, required=False) or _("供应商同意退货")
    return return_transition(request=request, to=RStatus.APPROVED, by=by, reason=reason, now=now)


@transaction.atomic
def return_reject(
    *, request: ReturnRequest, by: "User | None", reason: str, now: datetime | None = None
) -> ReturnRequest:
    """The supplier refuses, saying why; the buyer may ask the platform to arbitrate."""
    reason = clean_reason(reason, required=True)
    return return_transition(request=request, to=RStatus.REJECTED, by=by, reason=reason, now=now)


@transaction.atomic
def return_dispute(
    *, request: ReturnRequest, by: "User | None", reason: str, now: datetime | None = None
) -> ReturnRequest:
    """The buyer contests the supplier's rejection (once): an operator arbitrates."""
    reason = clean_reason(reason, required=True)
    locked = ReturnRequest.objects.select_for_update().select_related("line").get(pk=request.pk)
    if locked.events.filter(to_status=RStatus.DISPUTED).exists():
        raise ApplicationError(order_errors.RETURN_ALREADY_DISPUTED, code="already_disputed")
    line = OrderLine.objects.select_for_update().get(pk=locked.line_id)
    if locked.status == RStatus.REJECTED and locked.quantity > returnable_quantity(line, excluding=locked):
        raise ApplicationError(
            order_errors.RETURN_QUANTITY_TOO_MANY
            % {"sku": line.sku, "left": max(returnable_quantity(line, excluding=locked), 0)},
            field="quantity",
        )
    return return_transition(request=locked, to=RStatus.DISPUTED, by=by, reason=reason, now=now)


@transaction.atomic
def return_arbitrate(
    *, request: ReturnRequest, approve: bool, by: "User | None", reason: str, now: datetime | None = None
) -> ReturnRequest:
    """A platform operator decides a dispute: the return goes ahead, or the rejection stands."""
    reason = clean_reason(reason, required=True)
    to = RStatus.APPROVED if approve else RStatus.REJECTED
    return return_transition(
        request=request, to=to, by=by, reason=_("平台裁决：%(reason)s") % {"reason": reason}, now=now
    )


@transaction.atomic
def return_ship_back(
    *,
    request: ReturnRequest,
    carrier: str,
    tracking_number: str = "",
    by: "User | None",
    now: datetime | None = None,
) -> ReturnRequest:
    """The buyer sends the units back (carrier and tracking number as free text)."""
    carrier, tracking_number = str(carrier or "").strip(), str(tracking_number or "").strip()
    found: dict[str, list[str]] = {}
    if not carrier:
        found["carrier"] = [str(order_errors.CARRIER_REQUIRED)]
    elif len(carrier) > TEXT_MAX:
        found["carrier"] = [str(order_errors.CARRIER_TOO_LONG)]
    if len(tracking_number) > TEXT_MAX:
        found["tracking_number"] = [str(order_errors.TRACKING_TOO_LONG)]
    if found:
        raise FieldErrors(found)
    parcel = " ".join(part for part in (carrier, tracking_number) if part)
    request = return_transition(
        request=request,
        to=RStatus.SHIPPED_BACK,
        by=by,
        reason=_("寄回：%(parcel)s") % {"parcel": parcel},
        now=now,
    )
    request.carrier, request.tracking_number = carrier, tracking_number
    request.save(update_fields=["carrier", "tracking_number", "updated_at"])
    return request


@transaction.atomic
def return_cancel(
    *, request: ReturnRequest, by: "User | None", reason: str = "", now: datetime | None = None
) -> ReturnRequest:
    """The buyer withdraws the request (before shipping the units back)."""
    reason = clean_reason(reason, required=False) or _("买家撤销退货申请")
    return return_transition(request=request, to=RStatus.CANCELLED, by=by, reason=reason, now=now)


@transaction.atomic
def return_receive(
    *, request: ReturnRequest, warehouse: Warehouse | None, by: "User | None", now: datetime | None = None
) -> ReturnRequest:
    """The supplier receives the units into one of its warehouses: a `return` stock
    movement, the line's returned quantity, then the refund hook."""
    locked = ReturnRequest.objects.select_for_update().select_related("line__order").get(pk=request.pk)
    order = locked.line.order
    if warehouse is None or warehouse.organization_id != order.supplier_id or not warehouse.is_active:
        raise ApplicationError(order_errors.RETURN_WAREHOUSE_REQUIRED, field="warehouse")
    locked = return_transition(
        request=locked,
        to=RStatus.RECEIVED,
        by=by,
        reason=_("退货入库：%(warehouse)s") % {"warehouse": warehouse.name},
        now=now,
    )
    line = OrderLine.objects.select_for_update().get(pk=locked.line_id)
    stock_receive(
        warehouse=warehouse,
        part=line.part,
        grade=line.grade,
        quantity=locked.quantity,
        kind=MovementKind.RETURN,
        ref_type=RETURN_REF,
        ref_id=locked.pk,
        ref_label=order.number,
        by=by,
    )
    line.returned_quantity += locked.quantity
    line.save(update_fields=["returned_quantity"])
    locked.warehouse = warehouse
    locked.save(update_fields=["warehouse", "updated_at"])
    refund_hook(request=locked)
    return locked


def refund_hook(*, request: ReturnRequest) -> None:
    """Where the payments capability will refund the returned units (quantity × unit price
    less the line's discount share) once money moves through the platform. Until then no
    money moves here: orders only record payment_status, so there is nothing to refund."""
    return
