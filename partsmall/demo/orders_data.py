"""The demo's past orders: address books, about 170 checkouts of the demo shops over the
last 60 days making about 300 supplier orders in every status, and a few returns.

Everything goes through the real services (cart → checkout with the buyer's resolved
prices and reserved stock → offline payment declared and confirmed → supplier confirms
→ shipments → delivery → completion; cancellations, rejections, payment timeouts, an
approval, returns with photos), each step given its moment on the demo's clock, so
stock, events and timestamps agree. Each order follows a fate drawn at random (seeded)
and stops where the clock stops: recent orders are still under way.

Timestamps the services cannot take (`auto_now_add` of checkouts, orders and the first
order event) are set afterwards. Stock movements are append-only: they keep the time of
the load.

Stock comes from the inventory demo. Where an offer lacks it (or the inventory demo did
not run), the supplier receives what the order needs first (a receipt, as a supplier
restocking would).
"""

import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F, Q
from PIL import Image, ImageDraw

from partsmall.accounts.models import User
from partsmall.catalog.models import Fitment, Offer, ReviewStatus
from partsmall.inventory.models import MovementKind, StockLevel, StockReservation, Warehouse
from partsmall.inventory.services import StockCount, stock_receive, stock_set_counts, warehouse_create
from partsmall.notifications.models import Message
from partsmall.orders.models import (
    Address,
    ApprovalRule,
    Checkout,
    OrderEvent,
    OrderLine,
    ReturnRequest,
    SupplierOrder,
)
from partsmall.orders.services import lifecycle, returns
from partsmall.orders.services.addresses import address_create
from partsmall.orders.services.approval import approval_rule_set, checkout_approve
from partsmall.orders.services.cart import cart_add, suggested_quantity
from partsmall.orders.services.checkout import checkout_submit
from partsmall.orders.services.notices import KIND as ORDER_NOTICE
from partsmall.orders.services.shipments import ShipItem, order_ship
from partsmall.orders.services.timeouts import order_close_unpaid, order_complete
from partsmall.orders.services.transitions import LINE_REF
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role

SEED = 20261203
CHECKOUTS = 115
RECENT = 16
# Offers each supplier's demo orders draw from (the first of its listed offers).
POOL = 40
# Units each pooled offer has in stock at least before the orders start.
STOCK_FLOOR = 150
DAYS = 60
CARRIERS = ("顺丰速运", "德邦物流", "中通快递", "京东物流", "跨越速运", "安能物流")
# The showcase shop (shop 2) has a purchase approval rule: checkouts above it wait.
APPROVAL_THRESHOLD = Decimal("5000.00")

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus

# An order's fate and its weight; the clock stops each one where it has got to by now.
FATES: tuple[tuple[str, int], ...] = (
    ("complete", 66),
    ("close_unpaid", 8),
    ("buyer_cancels", 7),
    ("supplier_rejects", 5),
    ("partial", 6),
    ("return", 8),
)
RECENT_FATES: tuple[tuple[str, int], ...] = (
    ("complete", 55),
    ("buyer_cancels", 5),
    ("supplier_rejects", 5),
    ("partial", 35),
)
RETURN_DESCRIPTIONS = {
    "doesnt_fit": "按适配车型购买，实车安装孔位不符",
    "damaged": "外包装压坏，配件外壳开裂",
    "wrong_item": "收到的零件号与订单不一致",
    "quality": "装车三天出现异响",
}
RETURN_STORIES = (
    "received",
    "received",
    "rejected",
    "disputed_approved",
    "requested",
    "shipped_back",
    "approved",
)


@dataclass
class OrdersSummary:
    checkouts: int = 0
    orders: int = 0
    returns: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


@dataclass
class _Party:
    organization: Organization
    members: dict[str, User]

    def member(self, *roles: str) -> User:
        return next((self.members[r] for r in roles if r in self.members), self.members[Role.OWNER])


@dataclass
class _World:
    now: datetime
    rng: random.Random
    shops: list[_Party]
    suppliers: list[_Party]
    finance: User
    operator: User
    offers: dict[int, list[Offer]]
    addresses: dict[int, Address] = field(default_factory=dict)
    summary: OrdersSummary = field(default_factory=OrdersSummary)

    def supplier(self, order: SupplierOrder) -> _Party:
        return next(p for p in self.suppliers if p.organization.pk == order.supplier_id)

    def shop(self, order: SupplierOrder) -> _Party:
        return next(p for p in self.shops if p.organization.pk == order.buyer_id)

    def later(self, at: datetime, low_minutes: float, high_minutes: float) -> datetime:
        return at + timedelta(minutes=self.rng.uniform(low_minutes, high_minutes))


# --- Address books ---------------------------------------------------------------------------


def _address_book(world: _World) -> None:
    for n, shop in enumerate(world.shops, start=1):
        org = shop.organization
        if org.province_id is None or org.city_id is None or org.district_id is None:
            continue
        contact = shop.member(Role.PURCHASER)
        common: dict[str, Any] = {
            "province": org.province_id,
            "city": org.city_id,
            "district": org.district_id,
        }
        world.addresses[org.pk] = address_create(
            organization=org,
            by=contact,
            is_default=True,
            label="门店",
            contact_name=contact.name,
            contact_phone=contact.phone,
            detail=org.address_detail,
            **common,
        )
        address_create(
            organization=org,
            by=contact,
            label="配件库房",
            contact_name=shop.member(Role.OWNER).name,
            contact_phone=org.contact_phone or contact.phone,
            detail=f"{org.address_detail}（后院配件库房 {n} 号门）",
            **common,
        )


# --- Stock ---------------------------------------------------------------------------------------


def _warehouse(supplier: Organization) -> Warehouse:
    found = Warehouse.objects.filter(organization=supplier, is_active=True).order_by("pk").first()
    if found is not None:
        return found
    return warehouse_create(
        organization=supplier,
        name="主仓库",
        code="MAIN",
        province=supplier.province_id,
        city=supplier.city_id,
        district=supplier.district_id,
        address_detail=supplier.address_detail,
        by=None,
    )


def _stock_pool(offers: dict[int, list[Offer]]) -> None:
    """Tops up the pooled offers of each supplier to STOCK_FLOOR units in its first
    warehouse, one absolute count per supplier (receipt movements), so the orders below
    rarely find an offer short."""
    for _supplier_id, pool in offers.items():
        stocked = [o for o in pool if not o.made_to_order and o.stock_quantity < STOCK_FLOOR]
        if not stocked:
            continue
        warehouse = _warehouse(stocked[0].supplier)
        on_hand = {
            (level.part_id, level.grade): level.on_hand
            for level in StockLevel.objects.filter(
                warehouse=warehouse, part_id__in={o.part_id for o in stocked}
            )
        }
        counts = [
            StockCount(
                warehouse.pk,
                o.part_id,
                o.grade,
                on_hand.get((o.part_id, o.grade), 0) + STOCK_FLOOR - o.stock_quantity,
            )
            for o in stocked
        ]
        stock_set_counts(
            counts=counts,
            kind=MovementKind.RECEIPT,
            ref_type="demo",
            ref_id=None,
            ref_label="演示补货入库",
            by=None,
        )


def _ensure_stock(offer: Offer, quantity: int) -> None:
    """Receives what the line needs when the offer cannot cover it (see the module doc)."""
    offer.refresh_from_db(fields=["stock_quantity"])
    if offer.made_to_order or offer.stock_quantity >= quantity:
        return
    stock_receive(
        warehouse=_warehouse(offer.supplier),
        part=offer.part,
        grade=offer.grade,
        quantity=quantity - offer.stock_quantity + 20,
        kind=MovementKind.RECEIPT,
        ref_type="demo",
        ref_id=None,
        ref_label="演示补货入库",
        by=None,
    )


# --- Checkouts -----------------------------------------------------------------------------------


def _offers_of(suppliers: Sequence[_Party]) -> dict[int, list[Offer]]:
    offers = (
        Offer.objects.filter(
            supplier__in=[s.organization for s in suppliers],
            is_listed=True,
            part__review_status=ReviewStatus.APPROVED,
            price__lte=Decimal("3000"),
        )
        .select_related("part__brand", "supplier")
        .order_by("supplier_id", "part__is_demo", "id")
    )
    found: dict[int, list[Offer]] = {}
    for offer in offers:
        pool = found.setdefault(offer.supplier_id, [])
        if len(pool) < POOL:
            pool.append(offer)
    return found


def _fill_cart(world: _World, shop: _Party, *, big: bool = False) -> None:
    """A few offers of one to three suppliers; `big`: three lines of about ¥2,200 each."""
    rng = world.rng
    candidates = [s for s in world.suppliers if world.offers.get(s.organization.pk)]
    chosen = rng.sample(candidates, k=1 if big else min(len(candidates), rng.choice((1, 1, 2, 2, 2, 3))))
    for supplier in chosen:
        pool = world.offers[supplier.organization.pk]
        for offer in rng.sample(pool, k=min(len(pool), 3 if big else rng.choice((1, 1, 1, 2, 2, 3)))):
            wanted = int(Decimal(2200) / offer.price) + 1 if big else rng.choice((1, 1, 2, 2, 4, 5, 10))
            quantity = suggested_quantity(offer, wanted)
            _ensure_stock(offer, quantity)
            cart_add(buyer=shop.organization, offer=offer, quantity=quantity, by=shop.member(Role.PURCHASER))


def _checkout(
    world: _World, shop: _Party, at: datetime, n: int, *, on_account: bool, big: bool = False
) -> Checkout:
    _fill_cart(world, shop, big=big)
    checkout = checkout_submit(
        buyer=shop.organization,
        by=shop.member(Role.PURCHASER),
        address=world.addresses[shop.organization.pk],
        idempotency_key=f"demo-{n:04d}",
        on_account=on_account,
        now=at,
    )
    Checkout.objects.filter(pk=checkout.pk).update(created_at=at)
    orders = SupplierOrder.objects.filter(checkout=checkout)
    orders.update(created_at=at)
    OrderEvent.objects.filter(order__in=orders, from_status="").update(created_at=at)
    world.summary.checkouts += 1
    return checkout


# --- One order's story ---------------------------------------------------------------------------


def _pay(world: _World, order: SupplierOrder, at: datetime) -> datetime | None:
    """Declared by the buyer within minutes, confirmed by finance later; None: not yet."""
    if order.payment_status == Payment.ON_ACCOUNT:
        return at
    declared = world.later(at, 3, 25)
    if declared > world.now:
        return None
    lifecycle.order_declare_transfer(
        order=order, by=world.shop(order).member(Role.OWNER), note="对公转账", now=declared
    )
    paid = world.later(declared, 20, 300)
    if paid > world.now:
        return None
    lifecycle.order_mark_paid(order=order, by=world.finance, note=f"银行流水 {order.pk:08d}", now=paid)
    return paid


def _held(order: SupplierOrder) -> dict[int, list[tuple[int, int]]]:
    """Per line of the order: (warehouse id, units held there), most first."""
    lines = list(order.lines.values_list("pk", flat=True))
    held: dict[int, list[tuple[int, int]]] = {pk: [] for pk in lines}
    rows = StockReservation.objects.filter(ref_type=LINE_REF, ref_id__in=lines).values_list(
        "ref_id", "stock_level__warehouse_id", "quantity", "shipped", "released"
    )
    for line_id, warehouse_id, quantity, shipped, released in rows:
        if quantity - shipped - released > 0:
            held[line_id].append((warehouse_id, quantity - shipped - released))
    return {pk: sorted(places, key=lambda p: -p[1]) for pk, places in held.items()}


def _made_to_order_stock(order: SupplierOrder, line: OrderLine, quantity: int) -> int:
    """Made-to-order units arrive in the supplier's warehouse before they ship."""
    warehouse = _warehouse(order.supplier)
    stock_receive(
        warehouse=warehouse,
        part=line.part,
        grade=line.grade,
        quantity=quantity,
        kind=MovementKind.RECEIPT,
        ref_type="demo",
        ref_id=None,
        ref_label=f"{order.number} 按单生产入库",
        by=None,
    )
    return warehouse.pk


def _ship(world: _World, order: SupplierOrder, at: datetime, *, share: float = 1.0) -> None:
    """Ships each open line (a share of it) from where it is held, in one parcel per warehouse."""
    held = _held(order)
    items = []
    for line in order.lines.select_related("part").order_by("id"):
        wanted = max(1, int(line.open_quantity * share)) if share < 1 else line.open_quantity
        for warehouse_id, units in held.get(line.pk, []):
            take = min(wanted, units)
            if take:
                items.append(ShipItem(line.pk, warehouse_id, take))
                wanted -= take
        if wanted and line.made_to_order:
            items.append(ShipItem(line.pk, _made_to_order_stock(order, line, wanted), wanted))
    clerk = world.supplier(order).member(Role.WAREHOUSE)
    tracking = f"{world.rng.randrange(10**11, 10**12)}"
    order_ship(
        order=order,
        items=items,
        carrier=world.rng.choice(CARRIERS),
        tracking_number=tracking,
        by=clerk,
        now=at,
    )


def _fulfil(world: _World, order: SupplierOrder, paid: datetime, fate: str) -> datetime | None:
    """Confirm, ship (in two parcels for "partial"), deliver; the delivery time or None."""
    supplier = world.supplier(order)
    confirmed = world.later(paid, 30, 360)
    if confirmed > world.now:
        return None
    lifecycle.order_confirm(order=order, by=supplier.member(Role.SALES), now=confirmed)
    if fate == "supplier_rejects":
        rejected = world.later(confirmed, 60, 600)
        if rejected <= world.now:
            lifecycle.order_reject(
                order=order,
                by=supplier.member(Role.SALES),
                reason="该批次质检未通过，暂无法供货",
                now=rejected,
            )
        return None
    shipped = world.later(confirmed, 120, 1440)
    if shipped > world.now:
        return None
    if fate == "partial":
        _ship(world, order, shipped, share=0.5)
        order.refresh_from_db()
        shipped = world.later(shipped, 1440, 4320)
        if shipped > world.now or order.status == Status.SHIPPED:
            return None
    _ship(world, order, shipped)
    delivered = world.later(shipped, 1440, 4320)
    if delivered > world.now:
        return None
    lifecycle.order_confirm_delivery(order=order, by=world.shop(order).member(Role.PURCHASER), now=delivered)
    return delivered


def _story(world: _World, order: SupplierOrder, at: datetime) -> None:
    # Lately, more orders ship in two parcels, so some are still half shipped now.
    fates = RECENT_FATES if world.now - at < timedelta(days=3) else FATES
    fate = world.rng.choices([f for f, _w in fates], weights=[w for _f, w in fates])[0]
    if fate == "close_unpaid" and order.payment_status == Payment.UNPAID:
        closing = at + timedelta(minutes=30, seconds=5)
        if closing <= world.now:
            order_close_unpaid(order=order, now=closing)
        return
    if fate == "buyer_cancels" and order.payment_status == Payment.UNPAID:
        cancelled = world.later(at, 2, 25)
        if cancelled <= world.now:
            lifecycle.order_cancel(
                order=order,
                by=world.shop(order).member(Role.PURCHASER),
                reason="选错型号，重新下单",
                now=cancelled,
            )
        return
    paid = _pay(world, order, at)
    if paid is None:
        return
    delivered = _fulfil(world, order, paid, fate)
    if delivered is None:
        return
    finished = _return_story(world, order, delivered) if fate == "return" else delivered
    completing = max(delivered + timedelta(days=7, minutes=1), finished)
    if completing <= world.now:
        order_complete(order=order, now=completing)


# --- Returns ------------------------------------------------------------------------------------


def _photo(n: int) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 360), (236, 240, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 80, 420, 280), outline=(120, 130, 140), width=6)
    draw.line((60, 80, 420, 280), fill=(200, 60, 60), width=5)
    draw.text((180, 300), f"RETURN DEMO {n}", fill=(90, 90, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return SimpleUploadedFile(f"return-{n}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _return_story(world: _World, order: SupplierOrder, delivered: datetime) -> datetime:
    """A return of one unit of the order's first line; the moment it ended (or now)."""
    rng = world.rng
    line = order.lines.order_by("id").first()
    requested = world.later(delivered, 600, 5 * 1440)
    if line is None or requested > world.now:
        return delivered
    fitment = Fitment.objects.filter(part_id=line.part_id).order_by("id").first()
    reason = (
        "doesnt_fit"
        if fitment is not None and rng.random() < 0.6
        else rng.choice(("damaged", "wrong_item", "quality"))
    )
    shop, supplier = world.shop(order), world.supplier(order)
    request = returns.return_request_create(
        line=line,
        quantity=1,
        reason=reason,
        description=RETURN_DESCRIPTIONS[reason],
        photos=[_photo(world.summary.returns * 2 + 1), _photo(world.summary.returns * 2 + 2)],
        fitment=fitment if reason == "doesnt_fit" else None,
        by=shop.member(Role.PURCHASER),
        now=requested,
    )
    world.summary.returns += 1
    story = RETURN_STORIES[(world.summary.returns - 1) % len(RETURN_STORIES)]
    return _return_steps(world, request, story, requested, shop, supplier)


def _return_steps(
    world: _World, request: ReturnRequest, story: str, at: datetime, shop: _Party, supplier: _Party
) -> datetime:
    steps: list[tuple[str, int]] = {
        "requested": [],
        "approved": [("approve", 600)],
        "shipped_back": [("approve", 600), ("ship_back", 1440)],
        "received": [("approve", 600), ("ship_back", 1440), ("receive", 2880)],
        "rejected": [("reject", 600)],
        "disputed_approved": [("reject", 600), ("dispute", 1440), ("arbitrate", 1440), ("ship_back", 1440)],
    }[story]
    for step, minutes in steps:
        moment = world.later(at, minutes / 2, minutes)
        if moment > world.now:
            return world.now + timedelta(days=1)  # still open: the order does not complete
        _return_step(world, request, step, moment, shop, supplier)
        at = moment
    open_now = story in {"requested", "approved", "shipped_back", "disputed_approved"}
    return world.now + timedelta(days=1) if open_now else at


def _return_step(
    world: _World, request: ReturnRequest, step: str, at: datetime, shop: _Party, supplier: _Party
) -> None:
    if step == "approve":
        returns.return_approve(request=request, by=supplier.member(Role.SALES), now=at)
    elif step == "reject":
        returns.return_reject(
            request=request,
            by=supplier.member(Role.SALES),
            reason="照片显示为安装不当所致，非质量问题",
            now=at,
        )
    elif step == "dispute":
        returns.return_dispute(
            request=request,
            by=shop.member(Role.PURCHASER),
            reason="按说明书安装，装车即异响，申请平台介入",
            now=at,
        )
    elif step == "arbitrate":
        returns.return_arbitrate(
            request=request,
            approve=True,
            by=world.operator,
            reason="买家提供的安装视频显示操作规范，支持退货",
            now=at,
        )
    elif step == "ship_back":
        returns.return_ship_back(
            request=request,
            carrier="顺丰速运",
            tracking_number=f"SF{request.pk:010d}",
            by=shop.member(Role.PURCHASER),
            now=at,
        )
    else:
        warehouse = (
            Warehouse.objects.filter(organization=supplier.organization, is_active=True)
            .order_by("pk")
            .first()
        )
        returns.return_receive(
            request=request, warehouse=warehouse, by=supplier.member(Role.WAREHOUSE), now=at
        )


# --- Approvals -----------------------------------------------------------------------------------


def _approvals(world: _World, shop: _Party, n: int) -> int:
    """The showcase shop's approval rule; one big checkout approved yesterday (then its
    story), one waiting now for the owner's decision."""
    approval_rule_set(
        organization=shop.organization, by=shop.member(Role.OWNER), threshold=APPROVAL_THRESHOLD
    )
    for hours_ago, decide in ((30, True), (3, False)):
        at = world.now - timedelta(hours=hours_ago)
        checkout = _checkout(world, shop, at, n, on_account=False, big=True)
        n += 1
        pending = checkout.approval_status == Checkout.ApprovalStatus.PENDING
        if pending and not decide:
            continue  # waits for the owner (within the 24 hours)
        if pending:
            at = at + timedelta(hours=2)
            checkout_approve(checkout=checkout, by=shop.member(Role.OWNER), reason="本月保养旺季备货", now=at)
        for order in SupplierOrder.objects.filter(checkout=checkout).order_by("id"):
            _story(world, order, at)
    return n


# --- Entry point ---------------------------------------------------------------------------------


def _moments(world: _World) -> list[datetime]:
    """Checkout moments over the last DAYS days, oldest first: most spread over the period,
    denser lately; RECENT in the last two days (still being shipped and paid); the last
    few within the last half hour (still unpaid)."""
    rng = world.rng
    spread = [rng.betavariate(1.1, 2.2) * DAYS * 1440 for _ in range(CHECKOUTS - RECENT - 4)]
    recent = [rng.uniform(40, 2 * 1440) for _ in range(RECENT)]
    unpaid = [rng.uniform(2, 25) for _ in range(4)]
    return [world.now - timedelta(minutes=m) for m in sorted([*spread, *recent, *unpaid], reverse=True)]


Members = dict[str, User]


def orders_load(
    *,
    shops: Sequence[tuple[Organization, Members]],
    suppliers: Sequence[tuple[Organization, Members]],
    platform: Members,
    now: datetime,
) -> OrdersSummary:
    """Loads the address books, the past orders and the returns (see the module doc)."""
    world = _World(
        now=now,
        rng=random.Random(SEED),
        shops=[_Party(org, members) for org, members in shops],
        suppliers=[_Party(org, members) for org, members in suppliers],
        finance=platform[Role.PLATFORM_FINANCE],
        operator=platform[Role.PLATFORM_OPERATOR],
        offers={},
    )
    world.offers = _offers_of(world.suppliers)
    _stock_pool(world.offers)
    _address_book(world)
    buyers = [s for s in world.shops if s.organization.pk in world.addresses]
    if not buyers or not world.offers:
        return world.summary
    n = 1
    for at in _moments(world):
        shop = world.rng.choice(buyers)
        key_account = shop.organization.tier == Organization.Tier.KEY_ACCOUNT
        checkout = _checkout(world, shop, at, n, on_account=key_account and world.rng.random() < 0.4)
        n += 1
        for order in SupplierOrder.objects.filter(checkout=checkout).order_by("id"):
            _story(world, order, at)
    showcase = next((s for s in buyers if s.organization.tier != Organization.Tier.KEY_ACCOUNT), None)
    if showcase is not None and not ApprovalRule.objects.filter(organization=showcase.organization).exists():
        _approvals(world, showcase, n)
    _read_the_past(now)
    rows = SupplierOrder.objects.filter(Q(buyer__in=[s.organization for s in buyers]))
    world.summary.orders = rows.count()
    world.summary.by_status = {s: rows.filter(status=s).count() for s in Status.values}
    return world.summary


def _read_the_past(now: datetime) -> None:
    """The inbox messages the past orders sent: those of the last day stay unread, the older
    ones were read an hour after they came (as a member at work would)."""
    Message.objects.filter(kind=ORDER_NOTICE, created_at__lt=now - timedelta(days=1)).update(
        read_at=F("created_at") + timedelta(hours=1)
    )
