"""Reads of buying: the cart with the buyer's prices, addresses, checkouts, approvals and
purchase lists. Every read is scoped to the acting organization; another organization's
object answers 404."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from partsmall.catalog.models import Offer
from partsmall.core.errors import ApplicationError
from partsmall.core.money import to_money
from partsmall.orders import errors
from partsmall.orders.models import (
    Address,
    ApprovalRule,
    Cart,
    CartLine,
    Checkout,
    OrderLine,
    PurchaseList,
    PurchaseListLine,
    SupplierOrder,
)
from partsmall.orders.services.cart import offer_check, quantity_check
from partsmall.orders.services.quick_order import buyable_offers
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization
from partsmall.pricing.resolver import ResolvedPrice, resolve_prices

_OFFER_RELATED = ("offer__part__brand", "offer__supplier")


def _org(actor: Actor) -> Organization:
    if actor.organization is None:
        raise Http404
    return actor.organization


# Cart --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartItem:
    line: CartLine
    price: ResolvedPrice
    amount: Decimal
    # Why the line cannot be checked out as it is ("" when it can).
    problem: str = ""

    @property
    def offer(self) -> Offer:
        return self.line.offer


@dataclass
class SupplierGroup:
    supplier: Organization
    items: list[CartItem] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return to_money(sum((item.amount for item in self.items), Decimal(0)))


@dataclass
class CartView:
    cart: Cart | None
    groups: list[SupplierGroup]

    @property
    def items(self) -> list[CartItem]:
        return [item for group in self.groups for item in group.items]

    @property
    def total(self) -> Decimal:
        return to_money(sum((group.subtotal for group in self.groups), Decimal(0)))

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def has_problems(self) -> bool:
        return any(item.problem for item in self.items)


def _problem(buyer: Organization, line: CartLine) -> str:
    try:
        offer_check(buyer, line.offer)
        quantity_check(line.offer, line.quantity)
    except ApplicationError as exc:
        return str(exc.message)
    offer = line.offer
    if not offer.made_to_order and offer.stock_quantity < line.quantity:
        return str(errors.STOCK_SHORT % {"available": offer.stock_quantity})
    return ""


def cart_view(*, actor: Actor, line_ids: set[int] | None = None) -> CartView:
    """The cart grouped by supplier (by name), each line at the price the buyer pays now
    for its quantity; optionally only some of its lines (a partial checkout)."""
    buyer = _org(actor)
    cart = Cart.objects.filter(organization=buyer).first()
    if cart is None:
        return CartView(None, [])
    lines = list(CartLine.objects.filter(cart=cart).select_related(*_OFFER_RELATED).order_by("id"))
    if line_ids is not None:
        lines = [line for line in lines if line.pk in line_ids]
    prices = resolve_prices(
        buyer=buyer,
        offers=[line.offer for line in lines],
        quantities={line.offer_id: line.quantity for line in lines},
    )
    groups: dict[int, SupplierGroup] = {}
    for line in lines:
        price = prices[line.offer_id]
        group = groups.setdefault(line.offer.supplier_id, SupplierGroup(line.offer.supplier))
        group.items.append(
            CartItem(line, price, to_money(price.unit_price * line.quantity), _problem(buyer, line))
        )
    return CartView(cart, sorted(groups.values(), key=lambda g: (g.supplier.name, g.supplier.pk)))


def cart_line_get(*, actor: Actor, pk: int) -> CartLine:
    line = (
        CartLine.objects.filter(pk=pk, cart__organization=_org(actor)).select_related(*_OFFER_RELATED).first()
    )
    if line is None:
        raise Http404
    return line


@dataclass(frozen=True)
class OfferChoice:
    offer: Offer
    price: ResolvedPrice


def part_offers_for_cart(*, actor: Actor, part_id: object) -> list[OfferChoice]:
    """The offers a buyer may put in its cart for a part (shared market data), cheapest
    for this buyer first; none for an unknown part."""
    try:
        pid = int(str(part_id))
    except ValueError:
        return []
    buyer = _org(actor)
    offers = buyable_offers(buyer, [pid])
    prices = resolve_prices(buyer=buyer, offers=offers)
    choices = [OfferChoice(offer, prices[offer.pk]) for offer in offers]
    return sorted(choices, key=lambda c: (c.price.unit_price, c.offer.lead_time_days, c.offer.pk))


def offer_for_cart(*, actor: Actor, pk: object) -> Offer:
    """An offer the buyer may put in its cart (listed, of an active supplier); a refusal
    naming the field otherwise. Offers are market data every buyer sees."""
    try:
        offer_id = int(str(pk))
    except ValueError:
        raise ApplicationError(errors.OFFER_UNKNOWN, field="offer") from None
    offer = (
        Offer.objects.filter(pk=offer_id, is_listed=True, supplier__status=Organization.Status.ACTIVE)
        .select_related("part__brand", "supplier")
        .first()
    )
    if offer is None or offer.supplier_id == actor.organization_id:
        raise ApplicationError(errors.OFFER_UNKNOWN, field="offer")
    return offer


# Addresses -----------------------------------------------------------------------------------


def addresses_of(*, actor: Actor) -> QuerySet[Address]:
    return Address.objects.filter(organization=_org(actor)).select_related("province", "city", "district")


def address_get(*, actor: Actor, pk: int) -> Address:
    address = addresses_of(actor=actor).filter(pk=pk).first()
    if address is None:
        raise Http404
    return address


def address_for_checkout(*, actor: Actor, pk: object) -> Address:
    """The chosen delivery address, or a refusal naming the field."""
    if pk in (None, ""):
        raise ApplicationError(errors.ADDRESS_REQUIRED, field="address")
    try:
        address_id = int(str(pk))
    except ValueError:
        raise ApplicationError(errors.ADDRESS_UNKNOWN, field="address") from None
    address = addresses_of(actor=actor).filter(pk=address_id).first()
    if address is None:
        raise ApplicationError(errors.ADDRESS_UNKNOWN, field="address")
    return address


# Checkouts and approvals -------------------------------------------------------------------


def _with_orders(checkouts: QuerySet[Checkout]) -> QuerySet[Checkout]:
    orders = (
        SupplierOrder.objects.select_related("supplier")
        .annotate(line_count=Count("lines"))
        .order_by("supplier__name", "id")
    )
    return checkouts.select_related("created_by", "approved_by").prefetch_related(
        Prefetch("orders", queryset=orders)
    )


def checkout_get(*, actor: Actor, pk: int) -> Checkout:
    checkout = _with_orders(Checkout.objects.filter(pk=pk, buyer=_org(actor))).first()
    if checkout is None:
        raise Http404
    return checkout


def checkout_lines(*, checkout: Checkout) -> dict[int, list[OrderLine]]:
    """The lines of the checkout's orders, by order id (the checkout was scoped already)."""
    lines: dict[int, list[OrderLine]] = defaultdict(list)
    for line in OrderLine.objects.filter(order__checkout=checkout).order_by("order_id", "id"):
        lines[line.order_id].append(line)
    return lines


def approvals_pending(*, actor: Actor) -> QuerySet[Checkout]:
    """The organization's checkouts waiting for a decision, oldest first."""
    return _with_orders(
        Checkout.objects.filter(buyer=_org(actor), approval_status=Checkout.ApprovalStatus.PENDING)
    ).order_by("created_at", "id")


def approvals_decided(*, actor: Actor, limit: int = 20) -> list[Checkout]:
    decided = Checkout.objects.filter(buyer=_org(actor), approved_at__isnull=False).exclude(
        approval_status=Checkout.ApprovalStatus.PENDING
    )
    return list(_with_orders(decided).order_by("-approved_at", "-id")[:limit])


def approval_get(*, actor: Actor, pk: int) -> Checkout:
    """A checkout of the organization that needed approval (pending or decided)."""
    checkout = (
        _with_orders(Checkout.objects.filter(pk=pk, buyer=_org(actor)))
        .exclude(approval_status=Checkout.ApprovalStatus.NOT_REQUIRED)
        .first()
    )
    if checkout is None:
        raise Http404
    return checkout


def approval_rule_of(*, actor: Actor) -> ApprovalRule | None:
    return ApprovalRule.objects.filter(organization=_org(actor), is_active=True).first()


# Purchase lists ------------------------------------------------------------------------------


def purchase_lists_of(*, actor: Actor) -> QuerySet[PurchaseList]:
    return (
        PurchaseList.objects.filter(organization=_org(actor))
        .select_related("created_by")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-id")
    )


def purchase_list_get(*, actor: Actor, pk: int) -> PurchaseList:
    lines = PurchaseListLine.objects.select_related(*_OFFER_RELATED).order_by("id")
    found = (
        PurchaseList.objects.filter(pk=pk, organization=_org(actor))
        .select_related("created_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .first()
    )
    if found is None:
        raise Http404
    return found


def purchase_list_prices(*, actor: Actor, purchase_list: PurchaseList) -> dict[int, ResolvedPrice]:
    """The buyer's price now for each line of the list (by line id)."""
    lines = list(purchase_list.lines.all())
    prices = resolve_prices(
        buyer=_org(actor),
        offers=[line.offer for line in lines],
        quantities={line.offer_id: line.quantity for line in lines},
    )
    return {line.pk: prices[line.offer_id] for line in lines}
