"""Checkout 结算: a buyer's cart becomes one supplier order per supplier, in one transaction.

Each order line snapshots the part, the unit price the buyer pays at that moment (tax
included, from the pricing resolver), the VAT rate and where the price came from. Stock
is reserved for every stocked line or for none (made-to-order lines reserve nothing).
The checked-out cart lines leave the cart. Freight stays empty (运费另议).

Idempotency: (buyer, idempotency_key) is unique. A replay finds the first checkout and
returns it without changing anything, also when two submissions race: the buyer's cart
row is locked first, so the second waits for the first and then finds its checkout; the
unique constraint is the last guard.

Locks are taken in one order: the buyer's cart row, the buyer's organization row (on its
first order), then (in one `reserve_new` call, the last step) every stock row by primary
key, the offers, the parts.

The statements are written by hand (core.sql) and sent in pipelines where one does not
need the answer of another: nine round trips for a checkout instead of some twenty-five
ORM statements, which is what lets bench/checkout reach its 150 checkouts per second.
The rules (what may be bought, in what quantity, at what price) stay in Python.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from partsmall.catalog.models import Brand, Offer, Part
from partsmall.core import sql
from partsmall.core.errors import ApplicationError
from partsmall.core.money import to_money
from partsmall.inventory.services import InsufficientStock, ReserveLine, available_sql, reserve_new
from partsmall.orders import errors
from partsmall.orders.models import (
    DEFAULT_VAT_RATE,
    Address,
    CartLine,
    Checkout,
    OrderEvent,
    OrderLine,
    SupplierOrder,
)
from partsmall.orders.services.addresses import buyer_check
from partsmall.orders.services.cart import cart_of, offer_check, quantity_check
from partsmall.orders.services.notices import checkout_notice
from partsmall.organizations.models import Organization
from partsmall.pricing.resolver import ResolvedPrice, resolve_prices

if TYPE_CHECKING:
    from partsmall.accounts.models import User

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus
Approval = Checkout.ApprovalStatus

LINE_REF = "order_line"
IDEMPOTENCY_KEY_MAX = 100


@dataclass(frozen=True)
class PricedLine:
    """A cart line with the price the buyer pays for it now."""

    cart_line: CartLine
    price: ResolvedPrice
    amount: Decimal

    @property
    def offer(self) -> Offer:
        return self.cart_line.offer


def payment_deadline(now: datetime) -> datetime:
    return now + timedelta(minutes=settings.ORDERS_PAYMENT_TIMEOUT_MINUTES)


def approval_deadline(now: datetime) -> datetime:
    return now + timedelta(hours=settings.ORDERS_APPROVAL_TIMEOUT_HOURS)


def clean_idempotency_key(value: object) -> str:
    key = str(value or "").strip()
    if not key:
        raise ApplicationError(
            errors.IDEMPOTENCY_KEY_REQUIRED, code="idempotency_key", field="idempotency_key"
        )
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise ApplicationError(
            errors.IDEMPOTENCY_KEY_TOO_LONG, code="idempotency_key", field="idempotency_key"
        )
    return key


REPLAY_SQL = "SELECT id FROM orders_checkout WHERE buyer_id = %s AND idempotency_key = %s"
APPROVAL_SQL = (
    "SELECT threshold FROM orders_approvalrule WHERE organization_id = %s AND is_active ORDER BY id LIMIT 1"
)


def checkout_replay(*, buyer: Organization, idempotency_key: str) -> Checkout | None:
    return Checkout.objects.filter(buyer=buyer, idempotency_key=idempotency_key).first()


def price_lines(*, buyer: Organization, lines: Sequence[CartLine], now: datetime) -> list[PricedLine]:
    """Each line at the buyer's resolved unit price for its quantity (one resolver call)."""
    offers = [line.offer for line in lines]
    quantities = {line.offer_id: line.quantity for line in lines}
    prices = resolve_prices(buyer=buyer, offers=offers, quantities=quantities, on=timezone.localdate(now))
    return [
        PricedLine(line, prices[line.offer_id], to_money(prices[line.offer_id].unit_price * line.quantity))
        for line in lines
    ]


def _over_threshold(rule: list[tuple[Any, ...]], total: Decimal) -> bool:
    """Over the buyer's active approval threshold (APPROVAL_SQL's row), strictly above it."""
    return bool(rule) and total > sql.decimal(rule[0][0])


def checkout_submit(
    *,
    buyer: Organization,
    by: "User | None",
    address: Address | None,
    idempotency_key: str,
    lines: Sequence[int] | None = None,
    on_account: bool = False,
    now: datetime | None = None,
) -> Checkout:
    """Checks out the buyer's cart (or the cart lines with these ids) and returns the
    checkout; a replay of the key returns the first checkout and changes nothing."""
    key = clean_idempotency_key(idempotency_key)
    buyer_check(buyer)
    if address is None:
        raise ApplicationError(errors.ADDRESS_REQUIRED, code="address", field="address")
    if address.organization_id != buyer.pk:
        raise ApplicationError(errors.ADDRESS_UNKNOWN, code="address", field="address")
    if on_account and buyer.tier != Organization.Tier.KEY_ACCOUNT:
        raise ApplicationError(errors.ON_ACCOUNT_NOT_ALLOWED, code="on_account", field="on_account")
    try:
        return _submit(
            buyer=buyer,
            by=by,
            address=address,
            key=key,
            line_ids=lines,
            on_account=on_account,
            now=now or timezone.now(),
        )
    except IntegrityError:
        # The same key committed by a submission the cart lock did not serialise with
        # (the unique constraint is the last guard): the first checkout is the answer.
        first = checkout_replay(buyer=buyer, idempotency_key=key)
        if first is None:
            raise
        return first


@transaction.atomic
def _submit(
    *,
    buyer: Organization,
    by: "User | None",
    address: Address,
    key: str,
    line_ids: Sequence[int] | None,
    on_account: bool,
    now: datetime,
) -> Checkout:
    # In one round trip: lock the buyer's cart, then (each statement sees what the lock
    # waited for, so a submission of the same key that held it is seen) an earlier
    # checkout of the key, the lines, the approval rule.
    with sql.pipeline():
        cart = sql.send(
            f"SELECT id FROM orders_cart WHERE organization_id = %s{sql.for_update()}", [buyer.pk]
        )
        replay = sql.send(REPLAY_SQL, [buyer.pk, key])
        rows = _send_lines(buyer, line_ids)
        rule = sql.send(APPROVAL_SQL, [buyer.pk])
    if replay():
        return Checkout.objects.get(pk=replay()[0][0])
    # A buyer without a cart has no lines either (refused below); the cart is made so
    # that the refusal and any later checkout queue on its row as usual.
    cart_id = int(cart()[0][0]) if cart() else cart_of(buyer, lock=True).pk
    cart_lines = _chosen_lines(buyer, rows(), line_ids)
    priced = price_lines(buyer=buyer, lines=cart_lines, now=now)
    total = to_money(sum((p.amount for p in priced), Decimal(0)))
    pending = _over_threshold(rule(), total)
    checkout, created = _create_checkout(
        buyer=buyer, by=by, address=address, key=key, total=total, pending=pending, now=now
    )
    if not created:
        return checkout
    by_supplier: dict[int, list[PricedLine]] = defaultdict(list)
    for line in priced:
        by_supplier[line.offer.supplier_id].append(line)
    orders = _create_orders(checkout, by_supplier, pending=pending, on_account=on_account, now=now)
    # What needs nothing back but the lines' ids, in one round trip.
    with sql.pipeline():
        _number_orders(orders, now)
        order_lines = _create_lines(orders, by_supplier)
        _first_events(orders, by=by)
        checked_out, checked_out_params = sql.is_in("id", [line.pk for line in cart_lines])
        sql.send(f"DELETE FROM orders_cartline WHERE {checked_out}", checked_out_params, rows=False)
        touched = [timezone.now(), cart_id]
        sql.send("UPDATE orders_cart SET updated_at = %s WHERE id = %s", touched, rows=False)
        if buyer.first_order_at is None:  # once set, never cleared
            sql.send(
                "UPDATE organizations_organization SET first_order_at = %s"
                " WHERE id = %s AND first_order_at IS NULL",
                [now, buyer.pk],
                rows=False,
            )
    checkout_notice(checkout, orders, by=by, now=now)  # approvers, or suppliers on account
    # Last, so that the stock rows (the rows checkouts queue on) are held only from here
    # to the commit.
    _reserve(checkout, orders, order_lines, by=by)
    return checkout


# What _chosen_lines reads of each line: the line, its offer, part, brand and supplier.
LINE_FIELDS = ["id", "cart_id", "offer_id", "quantity"]
OFFER_FIELDS = [
    "id",
    "supplier_id",
    "part_id",
    "grade",
    "sku",
    "price",
    "min_order_quantity",
    "order_multiple",
    "lead_time_days",
    "made_to_order",
    "is_listed",
]
PART_FIELDS = ["id", "brand_id", "number", "name"]
BRAND_FIELDS = ["id", "name"]
SUPPLIER_FIELDS = ["id", "name", "status"]


def _send_lines(buyer: Organization, line_ids: Sequence[int] | None) -> sql.Rows:
    """The buyer's cart lines to check out (all, or those with these ids), each with its offer,
    part, brand and supplier (fields as listed above; any other loads on first use) and
    what the offer can sell at that moment."""
    where, params = "c.organization_id = %s", [buyer.pk]
    if line_ids is not None:
        wanted, wanted_params = sql.is_in("cl.id", sorted(set(line_ids)))
        where, params = f"{where} AND {wanted}", [*params, *wanted_params]
    return sql.send(
        "SELECT cl.id, cl.cart_id, cl.offer_id, cl.quantity,"
        " o.id, o.supplier_id, o.part_id, o.grade, o.sku, o.price, o.min_order_quantity,"
        " o.order_multiple, o.lead_time_days, o.made_to_order, o.is_listed,"
        " p.id, p.brand_id, p.number, p.name, b.id, b.name, s.id, s.name, s.status,"
        f" {available_sql('o')}"
        " FROM orders_cart c JOIN orders_cartline cl ON cl.cart_id = c.id"
        " JOIN catalog_offer o ON o.id = cl.offer_id JOIN catalog_part p ON p.id = o.part_id"
        " JOIN catalog_brand b ON b.id = p.brand_id"
        f" JOIN organizations_organization s ON s.id = o.supplier_id WHERE {where} ORDER BY cl.id",
        params,
    )


def _chosen_lines(
    buyer: Organization, rows: list[tuple[Any, ...]], line_ids: Sequence[int] | None
) -> list[CartLine]:
    """The lines read by _send_lines, each still buyable in its quantity.

    A stocked line that asks for more than its offer could sell when the lines were read
    is refused here (InsufficientStock, as reserving would), before anything is written.
    The reservation, under the stock rows' locks, remains the check that counts; this one
    spares a checkout that cannot succeed its work (a sold-out offer many buyers want)."""
    chosen = [_cart_line(row) for row in rows]
    if line_ids is not None and len(chosen) != len(set(line_ids)):
        raise ApplicationError(errors.LINES_UNKNOWN, code="lines", field="lines")
    if not chosen:
        raise ApplicationError(errors.CART_EMPTY, code="cart_empty", field="lines")
    for line in chosen:
        offer_check(buyer, line.offer)
        quantity_check(line.offer, line.quantity)
    for line, row in zip(chosen, rows, strict=True):
        available = int(row[24] or 0)
        if not line.offer.made_to_order and line.quantity > available:
            raise InsufficientStock(offer=line.offer, wanted=line.quantity, available=available)
    return chosen


def _cart_line(row: Sequence[Any]) -> CartLine:
    line = CartLine.from_db(None, LINE_FIELDS, row[0:4])
    offer_values = list(row[4:15])
    offer_values[5] = sql.decimal(offer_values[5])  # price
    offer_values[9] = bool(offer_values[9])  # made_to_order (SQLite: 0/1)
    offer_values[10] = bool(offer_values[10])  # is_listed
    offer = Offer.from_db(None, OFFER_FIELDS, offer_values)
    part = Part.from_db(None, PART_FIELDS, row[15:19])
    part.brand = Brand.from_db(None, BRAND_FIELDS, row[19:21])
    offer.part = part
    offer.supplier = Organization.from_db(None, SUPPLIER_FIELDS, row[21:24])
    line.offer = offer
    return line


def _create_checkout(
    *,
    buyer: Organization,
    by: "User | None",
    address: Address,
    key: str,
    total: Decimal,
    pending: bool,
    now: datetime,
) -> tuple[Checkout, bool]:
    """The new checkout (True). A racing submission of the same key that committed in
    between makes the insert fail: checkout_submit answers with the first checkout."""
    checkout = Checkout(
        buyer=buyer,
        idempotency_key=key,
        created_by=by,
        contact_name=address.contact_name,
        contact_phone=address.contact_phone,
        province_code=address.province_id,
        province_name=address.province.name,
        city_name=address.city.name if address.city else "",
        district_name=address.district.name if address.district else "",
        address_detail=address.detail,
        total=total,
        approval_status=Approval.PENDING if pending else Approval.NOT_REQUIRED,
        approval_deadline=approval_deadline(now) if pending else None,
    )
    sql.insert_objects([checkout])
    return checkout, True


def _create_orders(
    checkout: Checkout,
    by_supplier: dict[int, list[PricedLine]],
    *,
    pending: bool,
    on_account: bool,
    now: datetime,
) -> list[SupplierOrder]:
    """One order per supplier, by supplier id (numbered by _number_orders)."""
    orders = [
        SupplierOrder(
            checkout=checkout,
            buyer_id=checkout.buyer_id,
            supplier_id=supplier_id,
            number=f"TMP-{uuid4().hex}",
            status=Status.AWAITING_APPROVAL if pending else Status.SUBMITTED,
            payment_status=Payment.ON_ACCOUNT if on_account else Payment.UNPAID,
            freight=None,
            goods_total=to_money(sum((line.amount for line in lines), Decimal(0))),
            on_account=on_account,
            submitted_at=None if pending else now,
            payment_deadline=None if pending or on_account else payment_deadline(now),
        )
        for supplier_id, lines in sorted(by_supplier.items())
    ]
    sql.insert_objects(orders)
    return orders


def _number_orders(orders: list[SupplierOrder], now: datetime) -> None:
    """SO<day>-<id>, once the ids are known."""
    day = timezone.localdate(now)
    for order in orders:
        order.number = f"SO{day:%Y%m%d}-{order.pk:06d}"
    sql.update_objects(orders, ["number"])


def _create_lines(
    orders: list[SupplierOrder], by_supplier: dict[int, list[PricedLine]]
) -> dict[int, list[OrderLine]]:
    made: dict[int, list[OrderLine]] = {}
    for order in orders:
        made[order.pk] = [_order_line(order, priced) for priced in by_supplier[order.supplier_id]]
    sql.insert_objects([line for lines in made.values() for line in lines])
    return made


def _order_line(order: SupplierOrder, priced: PricedLine) -> OrderLine:
    offer, price = priced.offer, priced.price
    part = offer.part
    return OrderLine(
        order=order,
        offer=offer,
        part=part,
        grade=offer.grade,
        sku=offer.sku,
        part_number=part.number,
        part_name=part.name,
        brand_name=part.brand.name,
        quantity=priced.cart_line.quantity,
        unit_price=price.unit_price,
        vat_rate=DEFAULT_VAT_RATE,
        price_source=price.source,
        price_ref_type=price.ref_type,
        price_ref_id=price.ref_id,
        price_ref_label=price.ref_label[:200],
        amount=priced.amount,
        made_to_order=offer.made_to_order,
        lead_time_days=offer.lead_time_days,
    )


def _reserve(
    checkout: Checkout,
    orders: list[SupplierOrder],
    order_lines: dict[int, list[OrderLine]],
    *,
    by: "User | None",
) -> None:
    """All stocked lines or none: a shortage anywhere raises InsufficientStock (naming the
    offer) and the whole checkout rolls back.

    One call for all suppliers, so that every stock row is locked in one statement in
    primary-key order, then the offers, then the parts: the order every stock writer
    keeps. (One call per supplier would hold a part's row from the first supplier while
    waiting for the next supplier's stock rows, which another checkout may hold while
    waiting for that part.) A movement carries one label for the call: the order's number,
    or the checkout's when it made several orders (a supplier never sees another's)."""
    stocked = [
        ReserveLine(offer=line.offer, quantity=line.quantity, ref_id=line.pk)
        for order in orders
        for line in order_lines[order.pk]
        if not line.made_to_order
    ]
    if not stocked:
        return
    label = orders[0].number if len(orders) == 1 else checkout_label(checkout)
    # The quantities passed quantity_check; the order lines are new, so nothing holds
    # stock for them yet (no look-up); the checkout's transaction is the reservation's.
    reserve_new(
        lines=stocked, ref_type=LINE_REF, ref_label=label, province_code=checkout.province_code, by=by
    )


def checkout_label(checkout: Checkout) -> str:
    return gettext("结算单 #%(id)s") % {"id": checkout.pk}


def _first_events(orders: list[SupplierOrder], *, by: "User | None") -> None:
    sql.insert_objects(
        [
            OrderEvent(
                order=order,
                actor=by,
                from_status="",
                to_status=order.status,
                from_payment_status="",
                to_payment_status=order.payment_status,
            )
            for order in orders
        ]
    )
