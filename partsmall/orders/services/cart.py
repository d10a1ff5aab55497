"""The cart 购物车 of a buying organization, shared by its purchasers.

A cart line holds an offer and a quantity; the price is never stored here: the cart
page and checkout ask the pricing resolver each time, so the buyer always sees the price
it would pay now. Quantities keep the offer's minimum order quantity and multiple; the
refusal names the offer and suggests a quantity that would do.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from partsmall.catalog.models import Offer
from partsmall.core.errors import ApplicationError
from partsmall.orders import errors
from partsmall.orders.models import Cart, CartLine
from partsmall.orders.services.addresses import buyer_check
from partsmall.organizations.models import Organization

if TYPE_CHECKING:
    from partsmall.accounts.models import User

MAX_QUANTITY = 99_999
MAX_LINES = 200


def offer_label(offer: Offer) -> str:
    """How messages name an offer: brand, part number, name and supplier."""
    part = offer.part
    return f"{part.brand.name} {part.number} {part.name} · {offer.supplier.name}"


def suggested_quantity(offer: Offer, quantity: int) -> int:
    """The smallest quantity at or above `quantity` that the offer's terms allow."""
    wanted = max(quantity, offer.min_order_quantity)
    multiple = offer.order_multiple
    return -(-wanted // multiple) * multiple


def parse_quantity(value: object) -> int:
    """A whole number of units, 1 to MAX_QUANTITY, from a form, a sheet or JSON."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ApplicationError(errors.QUANTITY_INVALID, code="quantity_invalid", field="quantity")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ApplicationError(errors.QUANTITY_INVALID, code="quantity_invalid", field="quantity") from None
    if number < 1:
        raise ApplicationError(errors.QUANTITY_INVALID, code="quantity_invalid", field="quantity")
    if number > MAX_QUANTITY:
        raise ApplicationError(
            errors.QUANTITY_TOO_LARGE % {"max": MAX_QUANTITY}, code="quantity_invalid", field="quantity"
        )
    return number


def quantity_check(offer: Offer, quantity: object) -> int:
    """The quantity as an int, or a refusal (field "quantity") naming the offer: below its
    minimum order quantity, or not a multiple of its order multiple."""
    number = parse_quantity(quantity)
    terms = {"offer": offer_label(offer), "quantity": number, "suggested": suggested_quantity(offer, number)}
    if number < offer.min_order_quantity:
        raise ApplicationError(
            errors.QUANTITY_BELOW_MOQ % {**terms, "moq": offer.min_order_quantity},
            code="below_moq",
            field="quantity",
        )
    if number % offer.order_multiple:
        raise ApplicationError(
            errors.QUANTITY_NOT_MULTIPLE % {**terms, "multiple": offer.order_multiple},
            code="not_multiple",
            field="quantity",
        )
    return number


def offer_check(buyer: Organization, offer: Offer) -> None:
    """The offer can be bought by this buyer now: listed, from an active supplier, not its own."""
    if offer.supplier_id == buyer.pk:
        raise ApplicationError(errors.OFFER_OWN, code="own_offer", field="offer")
    if not offer.is_listed or offer.supplier.status != Organization.Status.ACTIVE:
        raise ApplicationError(
            errors.OFFER_NOT_LISTED % {"offer": offer_label(offer)}, code="not_listed", field="offer"
        )


def cart_of(organization: Organization, *, lock: bool = False) -> Cart:
    """The organization's cart (made on first use); locked for the rest of the transaction
    when asked, which serialises changes and checkouts of one cart."""
    if lock:
        # The usual case in one statement: the cart exists, read and locked at once.
        found = Cart.objects.select_for_update().filter(organization=organization).first()
        if found is not None:
            return found
    cart, _created = Cart.objects.get_or_create(organization=organization)
    if lock:
        cart = Cart.objects.select_for_update().get(pk=cart.pk)
    return cart


@transaction.atomic
def cart_add(*, buyer: Organization, offer: Offer, quantity: object, by: "User | None") -> CartLine:
    """Puts the offer in the cart; an offer already there gets the quantity added to it
    (the sum must keep the offer's terms)."""
    buyer_check(buyer)
    offer_check(buyer, offer)
    added = parse_quantity(quantity)
    cart = cart_of(buyer, lock=True)
    line = CartLine.objects.filter(cart=cart, offer=offer).first()
    total = quantity_check(offer, added + (line.quantity if line else 0))
    if line is None:
        if CartLine.objects.filter(cart=cart).count() >= MAX_LINES:
            raise ApplicationError(errors.CART_TOO_MANY_LINES % {"max": MAX_LINES}, code="cart_full")
        line = CartLine.objects.create(cart=cart, offer=offer, quantity=total, added_by=by)
    else:
        line.quantity = total
        line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def cart_set_quantity(*, line: CartLine, quantity: object, by: "User | None") -> CartLine:
    cart = Cart.objects.select_for_update().get(pk=line.cart_id)
    offer = line.offer
    line.quantity = quantity_check(offer, quantity)
    line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def cart_remove(*, buyer: Organization, line_ids: Sequence[int], by: "User | None") -> int:
    """Removes these lines of the buyer's cart; returns how many were there."""
    cart = cart_of(buyer, lock=True)
    removed, _detail = CartLine.objects.filter(cart=cart, pk__in=list(line_ids)).delete()
    cart.save(update_fields=["updated_at"])
    return removed
