"""After-sales end to end in the services: request with photos within the window, the
supplier's decision, a dispute and its arbitration, shipping back, receiving into a
warehouse through a return movement; the transition table; "doesn't fit" counts."""

import io
import itertools
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from partsmall.catalog.tests.factories import FitmentFactory
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.inventory.models import MovementKind, StockLevel, StockMovement
from partsmall.inventory.tests.factories import WarehouseFactory
from partsmall.orders import order_errors
from partsmall.orders import order_selectors as selectors
from partsmall.orders.models import ReturnEvent, ReturnPhoto, ReturnRequest, SupplierOrder
from partsmall.orders.services import returns
from partsmall.orders.services.returns import RETURN_TRANSITIONS, return_transition
from partsmall.orders.tests.lifecycle_helpers import delivered, placed_order, shipped, warehouse_of
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

RStatus = ReturnRequest.Status
Reason = ReturnRequest.Reason


def photo(name: str = "破损.jpg", fmt: str = "JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def _request(line, quantity=1, reason=Reason.DAMAGED, photos=None, **kwargs) -> ReturnRequest:
    return returns.return_request_create(
        line=line, quantity=quantity, reason=reason, photos=photos or [photo()], by=None, **kwargs
    )


@pytest.fixture
def order() -> SupplierOrder:
    return delivered(placed_order(quantities=(5,), stock=10))


def _statuses(request: ReturnRequest) -> list[tuple[str, str]]:
    return [(e.from_status, e.to_status) for e in ReturnEvent.objects.filter(request=request).order_by("id")]


def test_a_return_from_request_to_received_puts_the_units_back_into_stock(order):
    line = order.lines.get()
    warehouse = warehouse_of(order)
    level = StockLevel.objects.get(warehouse=warehouse, part=line.part)
    on_hand_before = level.on_hand

    request = _request(line, quantity=2, description="外壳破裂", photos=[photo(), photo("2.png", "PNG")])
    returns.return_approve(request=request, by=None)
    returns.return_ship_back(request=request, carrier="德邦物流", tracking_number="DB778899", by=None)
    returns.return_receive(request=request, warehouse=warehouse, by=None)

    request.refresh_from_db()
    line.refresh_from_db()
    level.refresh_from_db()
    assert request.status == RStatus.RECEIVED
    assert (request.carrier, request.tracking_number, request.warehouse) == (
        "德邦物流",
        "DB778899",
        warehouse,
    )
    assert line.returned_quantity == 2
    assert level.on_hand == on_hand_before + 2
    movement = StockMovement.objects.get(kind=MovementKind.RETURN)
    assert (movement.ref_type, movement.ref_id, movement.ref_label, movement.on_hand_delta) == (
        "return_request",
        request.pk,
        order.number,
        2,
    )
    assert ReturnPhoto.objects.filter(request=request).count() == 2
    assert _statuses(request) == [
        ("", RStatus.REQUESTED),
        (RStatus.REQUESTED, RStatus.APPROVED),
        (RStatus.APPROVED, RStatus.SHIPPED_BACK),
        (RStatus.SHIPPED_BACK, RStatus.RECEIVED),
    ]


def test_a_rejection_disputed_and_arbitrated_for_the_buyer(order):
    request = _request(order.lines.get())

    returns.return_reject(request=request, by=None, reason="照片看不出破损")
    returns.return_dispute(request=request, by=None, reason="收货时外箱已压坏，有快递签收记录")
    returns.return_arbitrate(request=request, approve=True, by=None, reason="快递签收记录显示外包装破损")

    request.refresh_from_db()
    assert request.status == RStatus.APPROVED
    last = ReturnEvent.objects.filter(request=request).last()
    assert last is not None
    assert last.reason == "平台裁决：快递签收记录显示外包装破损"


def test_an_arbitrated_rejection_stands_and_cannot_be_disputed_again(order):
    request = _request(order.lines.get())
    returns.return_reject(request=request, by=None, reason="非质量问题")
    returns.return_dispute(request=request, by=None, reason="有异议")
    returns.return_arbitrate(request=request, approve=False, by=None, reason="安装不当导致")

    with pytest.raises(ApplicationError) as refused:
        returns.return_dispute(request=request, by=None, reason="再申诉")

    assert refused.value.message == order_errors.RETURN_ALREADY_DISPUTED
    request.refresh_from_db()
    assert request.status == RStatus.REJECTED


def test_the_quantity_is_at_most_delivered_less_returned_and_pending(order):
    line = order.lines.get()
    _request(line, quantity=3)

    with pytest.raises(FieldErrors) as refused:
        _request(line, quantity=3)

    assert refused.value.errors["quantity"] == [
        str(order_errors.RETURN_QUANTITY_TOO_MANY % {"sku": line.sku, "left": 2})
    ]
    assert ReturnRequest.objects.count() == 1


def test_a_cancelled_request_frees_its_quantity(order):
    line = order.lines.get()
    first = _request(line, quantity=5)
    returns.return_cancel(request=first, by=None)

    second = _request(line, quantity=5)

    assert second.quantity == 5


def test_every_wrong_field_is_named_at_once(order):
    line = order.lines.get()
    other_fitment = FitmentFactory.create()

    with pytest.raises(FieldErrors) as refused:
        returns.return_request_create(
            line=line,
            quantity="0",
            reason="broken",
            description="长" * 501,
            photos=[SimpleUploadedFile("假图片.jpg", b"not an image", content_type="image/jpeg")],
            fitment=other_fitment,
            by=None,
        )

    assert refused.value.errors == {
        "quantity": [str(order_errors.RETURN_QUANTITY_INVALID)],
        "reason": [str(order_errors.RETURN_REASON_INVALID)],
        "description": [str(order_errors.RETURN_DESCRIPTION_TOO_LONG)],
        "photos": [str(order_errors.RETURN_PHOTO_INVALID % {"name": "假图片.jpg"})],
        "fitment": [str(order_errors.RETURN_FITMENT_UNKNOWN)],
    }
    assert not ReturnRequest.objects.exists()


def test_photos_are_required_and_limited(order):
    line = order.lines.get()

    with pytest.raises(FieldErrors) as none:
        returns.return_request_create(line=line, quantity=1, reason=Reason.DAMAGED, photos=[], by=None)
    with pytest.raises(FieldErrors) as too_many:
        _request(line, photos=[photo(f"{n}.jpg") for n in range(7)])

    assert none.value.errors == {"photos": [str(order_errors.RETURN_PHOTOS_REQUIRED)]}
    assert too_many.value.errors == {"photos": [str(order_errors.RETURN_PHOTOS_TOO_MANY % {"max": 6})]}


def test_a_gif_is_not_accepted(order):
    with pytest.raises(FieldErrors) as refused:
        _request(order.lines.get(), photos=[photo("动图.gif", "GIF")])

    assert refused.value.errors == {"photos": [str(order_errors.RETURN_PHOTO_INVALID % {"name": "动图.gif"})]}


def test_returns_open_only_after_delivery_and_within_the_window():
    order = shipped(placed_order())
    line = order.lines.get()

    with pytest.raises(ApplicationError) as not_delivered:
        _request(line)
    delivered_at = timezone.now()
    delivered(order, now=delivered_at)
    with pytest.raises(ApplicationError) as too_late:
        _request(line, now=delivered_at + timedelta(days=7, minutes=1))
    in_time = _request(line, now=delivered_at + timedelta(days=6))

    assert not_delivered.value.code == "not_allowed"
    assert too_late.value.message == order_errors.RETURN_WINDOW_CLOSED % {"days": 7}
    assert in_time.status == RStatus.REQUESTED


def test_receiving_needs_one_of_the_suppliers_active_warehouses(order):
    request = _request(order.lines.get())
    returns.return_approve(request=request, by=None)
    returns.return_ship_back(request=request, carrier="顺丰速运", by=None)

    with pytest.raises(ApplicationError) as theirs:
        returns.return_receive(request=request, warehouse=WarehouseFactory.create(), by=None)
    with pytest.raises(ApplicationError) as none:
        returns.return_receive(request=request, warehouse=None, by=None)

    assert theirs.value.field == none.value.field == "warehouse"
    request.refresh_from_db()
    assert request.status == RStatus.SHIPPED_BACK
    assert not StockMovement.objects.filter(kind=MovementKind.RETURN).exists()


def test_shipping_back_needs_a_carrier(order):
    request = _request(order.lines.get())
    returns.return_approve(request=request, by=None)

    with pytest.raises(FieldErrors) as refused:
        returns.return_ship_back(request=request, carrier="", by=None)

    assert refused.value.errors == {"carrier": [str(order_errors.CARRIER_REQUIRED)]}


ILLEGAL = [(a, b) for a, b in itertools.permutations(RStatus.values, 2) if b not in RETURN_TRANSITIONS[a]]


@pytest.mark.parametrize(("from_status", "to"), ILLEGAL)
def test_every_illegal_return_move_is_refused(order, from_status, to):
    request = ReturnRequest.objects.create(
        line=order.lines.get(), quantity=1, reason=Reason.DAMAGED, status=from_status
    )

    with pytest.raises(ApplicationError) as refused:
        return_transition(request=request, to=to, by=None)

    assert refused.value.code == "illegal_transition"
    assert f"「{RStatus(from_status).label}」" in str(refused.value.message)
    assert f"「{RStatus(to).label}」" in str(refused.value.message)
    request.refresh_from_db()
    assert request.status == from_status
    assert not ReturnEvent.objects.filter(request=request).exists()


# "Doesn't fit" counts ---------------------------------------------------------------------


@pytest.fixture
def operator() -> Actor:
    platform = OrganizationFactory.create(kind=Organization.Kind.PLATFORM)
    member = MembershipFactory.create(organization=platform, role=Role.PLATFORM_OPERATOR)
    return Actor(user=member.user, organization=platform, membership=member, role=member.role)


def test_doesnt_fit_returns_count_per_part_and_per_fitment_row(operator):
    first = delivered(placed_order(quantities=(4,)))
    line = first.lines.get()
    fitment_a = FitmentFactory.create(part=line.part)
    fitment_b = FitmentFactory.create(part=line.part)
    _request(line, quantity=1, reason=Reason.DOESNT_FIT, fitment=fitment_a)
    _request(line, quantity=2, reason=Reason.DOESNT_FIT, fitment=fitment_a)
    rejected = _request(line, quantity=1, reason=Reason.DOESNT_FIT, fitment=fitment_b)
    returns.return_reject(request=rejected, by=None, reason="适配正确，安装错误")
    second = delivered(placed_order(quantities=(1,)))
    _request(second.lines.get(), quantity=1, reason=Reason.DAMAGED)

    by_part = list(selectors.doesnt_fit_by_part(actor=operator))
    by_fitment = list(selectors.doesnt_fit_by_fitment(actor=operator))

    assert [(r["line__part_id"], r["requests"], r["units"]) for r in by_part] == [(line.part_id, 2, 3)]
    assert [(r["fitment_id"], r["requests"], r["units"]) for r in by_fitment] == [(fitment_a.pk, 2, 3)]
    request = ReturnRequest.objects.filter(fitment=fitment_a).first()
    assert request is not None
    assert request.vehicle_type_id == fitment_a.vehicle_type_id


def test_receiving_calls_the_refund_hook_once_with_the_request(order):
    request = _request(order.lines.get())
    returns.return_approve(request=request, by=None)
    returns.return_ship_back(request=request, carrier="顺丰速运", by=None)

    with mock.patch.object(returns, "refund_hook") as hook:
        returns.return_receive(request=request, warehouse=warehouse_of(order), by=None)

    assert [call.kwargs["request"].pk for call in hook.call_args_list] == [request.pk]
