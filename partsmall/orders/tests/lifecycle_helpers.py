"""Orders as checkout leaves them (lines, reserved stock, the first event), and the steps
of their lifecycle taken through the real services, for the lifecycle tests."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

import factory
from django.db.models import Sum
from django.utils import timezone

from partsmall.catalog.tests.factories import OfferFactory
from partsmall.inventory.models import MovementKind, StockLevel, StockMovement, StockReservation, Warehouse
from partsmall.inventory.services import ReserveLine, stock_reserve
from partsmall.inventory.tests.factories import WarehouseFactory, stock_offer
from partsmall.orders.models import OrderEvent, OrderLine, ReturnPhoto, ReturnRequest, SupplierOrder
from partsmall.orders.services import lifecycle
from partsmall.orders.services.shipments import ShipItem, order_ship
from partsmall.orders.services.transitions import LINE_REF
from partsmall.orders.tests.factories import (
    CheckoutFactory,
    OrderLineFactory,
    ShopFactory,
    SupplierOrderFactory,
)
from partsmall.organizations.models import Organization
from partsmall.organizations.tests.factories import OrganizationFactory

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus


def placed_order(
    *,
    supplier: Organization | None = None,
    buyer: Organization | None = None,
    quantities: Sequence[int] = (2,),
    stock: int = 10,
    status: str = Status.SUBMITTED,
    payment_status: str = Payment.UNPAID,
    warehouse: Warehouse | None = None,
    made_to_order: bool = False,
    reserve: bool = True,
    now: datetime | None = None,
) -> SupplierOrder:
    """An order of `quantities` units of new offers, each stocked with `stock` units in the
    supplier's warehouse and reserved for its line (made to order: nothing reserved)."""
    now = now or timezone.now()
    supplier = supplier or OrganizationFactory.create(kind=Organization.Kind.SUPPLIER)
    warehouse = warehouse or WarehouseFactory.create(organization=supplier)
    unpaid = payment_status == Payment.UNPAID and status == Status.SUBMITTED
    order = SupplierOrderFactory.create(
        checkout=CheckoutFactory.create(buyer=buyer or ShopFactory.create()),
        supplier=supplier,
        status=status,
        payment_status=payment_status,
        on_account=payment_status == Payment.ON_ACCOUNT,
        submitted_at=now if status != Status.AWAITING_APPROVAL else None,
        payment_deadline=now + timedelta(minutes=30) if unpaid else None,
        goods_total=Decimal("35.00") * sum(quantities),
    )
    lines = []
    for quantity in quantities:
        offer = OfferFactory.create(supplier=supplier, stock_quantity=0, made_to_order=made_to_order)
        if stock:
            stock_offer(offer, stock, warehouse=warehouse)
        lines.append(
            OrderLineFactory.create(
                order=order,
                offer=offer,
                quantity=quantity,
                amount=Decimal("35.00") * quantity,
                made_to_order=made_to_order,
            )
        )
    if reserve and not made_to_order:
        stock_reserve(
            lines=[ReserveLine(offer=line.offer, quantity=line.quantity, ref_id=line.pk) for line in lines],
            ref_type=LINE_REF,
            ref_label=order.number,
            province_code="44",
            by=None,
        )
    OrderEvent.objects.create(
        order=order,
        from_status="",
        to_status=status,
        from_payment_status="",
        to_payment_status=payment_status,
    )
    return order


def paid(order: SupplierOrder, **kwargs: object) -> SupplierOrder:
    return lifecycle.order_mark_paid(order=order, by=None, **kwargs)  # type: ignore[arg-type]


def confirmed(order: SupplierOrder) -> SupplierOrder:
    order.refresh_from_db()
    if order.payment_status in {Payment.UNPAID, Payment.AWAITING_CONFIRMATION}:
        order = paid(order)
    return lifecycle.order_confirm(order=order, by=None)


def warehouse_of(order: SupplierOrder) -> Warehouse:
    return Warehouse.objects.filter(organization_id=order.supplier_id).order_by("pk").first()  # type: ignore[return-value]


def shipped(
    order: SupplierOrder, *, quantities: dict[int, int] | None = None, now: datetime | None = None
) -> SupplierOrder:
    """Ships every open line (or the given line → quantity) from the supplier's first warehouse."""
    order.refresh_from_db()
    if order.status == Status.SUBMITTED:
        order = confirmed(order)
    warehouse = warehouse_of(order)
    lines = order.lines.order_by("id")
    wanted = quantities or {line.pk: line.open_quantity for line in lines}
    items = [ShipItem(line_id=pk, warehouse_id=warehouse.pk, quantity=q) for pk, q in wanted.items()]
    order_ship(order=order, items=items, carrier="顺丰速运", tracking_number="SF1234567890", by=None, now=now)
    order.refresh_from_db()
    return order


def delivered(order: SupplierOrder, *, now: datetime | None = None) -> SupplierOrder:
    order.refresh_from_db()
    if order.status != Status.SHIPPED:
        order = shipped(order)
    return lifecycle.order_confirm_delivery(order=order, by=None, now=now)


def reserved_of(order: SupplierOrder) -> int:
    """Units the order's lines still hold."""
    ids = list(order.lines.values_list("id", flat=True))
    held = 0
    for reservation in StockReservation.objects.filter(ref_type=LINE_REF, ref_id__in=ids):
        held += reservation.held
    return held


def level_of(line: OrderLine) -> StockLevel:
    return StockLevel.objects.get(
        part=line.part, grade=line.grade, warehouse__organization=line.order.supplier
    )


def releases_of(order: SupplierOrder) -> int:
    ids = list(order.lines.values_list("id", flat=True))
    return StockMovement.objects.filter(kind=MovementKind.RELEASE, ref_type=LINE_REF, ref_id__in=ids).count()


def reserved_total() -> int:
    return StockLevel.objects.aggregate(total=Sum("reserved"))["total"] or 0


class ReturnRequestFactory(factory.django.DjangoModelFactory[ReturnRequest]):
    """A return request on a line (no photos, no events: build those through the services)."""

    class Meta:
        model = ReturnRequest

    line = factory.SubFactory(OrderLineFactory)
    quantity = 1
    reason = ReturnRequest.Reason.DAMAGED


class ReturnPhotoFactory(factory.django.DjangoModelFactory[ReturnPhoto]):
    class Meta:
        model = ReturnPhoto

    request = factory.SubFactory(ReturnRequestFactory)
    image = factory.django.ImageField(filename="退货照片.jpg", format="JPEG", width=8, height=8)
