"""Saved purchase lists 常购清单 for repeat buying: the cart saved under a name, and a list
put back into the cart (its offers that can still be bought, in their quantities)."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from partsmall.core.errors import ApplicationError
from partsmall.orders import errors
from partsmall.orders.models import CartLine, PurchaseList, PurchaseListLine
from partsmall.orders.services.addresses import buyer_check
from partsmall.orders.services.cart import cart_add, cart_of, offer_label
from partsmall.organizations.models import Organization

if TYPE_CHECKING:
    from partsmall.accounts.models import User

NAME_MAX = 50


@dataclass
class AddedToCart:
    """What putting a list into the cart did: lines added, and those refused with why."""

    added: int = 0
    skipped: list[str] = field(default_factory=list)


def _clean_name(organization: Organization, value: object, *, exclude_pk: int | None = None) -> str:
    name = str(value or "").strip()
    if not name:
        raise ApplicationError(errors.LIST_NAME_REQUIRED, field="name")
    if len(name) > NAME_MAX:
        raise ApplicationError(errors.LIST_NAME_TOO_LONG, field="name")
    taken = PurchaseList.objects.filter(organization=organization, name=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ApplicationError(errors.LIST_NAME_TAKEN, field="name")
    return name


@transaction.atomic
def purchase_list_from_cart(*, buyer: Organization, by: "User | None", name: object) -> PurchaseList:
    """Saves the cart's offers and quantities as a list; the cart stays as it is."""
    buyer_check(buyer)
    clean = _clean_name(buyer, name)
    cart = cart_of(buyer, lock=True)
    lines = list(CartLine.objects.filter(cart=cart).order_by("id"))
    if not lines:
        raise ApplicationError(errors.CART_EMPTY, code="cart_empty")
    purchase_list = PurchaseList.objects.create(organization=buyer, name=clean, created_by=by)
    PurchaseListLine.objects.bulk_create(
        [
            PurchaseListLine(purchase_list=purchase_list, offer_id=line.offer_id, quantity=line.quantity)
            for line in lines
        ]
    )
    return purchase_list


@transaction.atomic
def purchase_list_rename(*, purchase_list: PurchaseList, by: "User | None", name: object) -> PurchaseList:
    purchase_list.name = _clean_name(purchase_list.organization, name, exclude_pk=purchase_list.pk)
    purchase_list.save(update_fields=["name"])
    return purchase_list


@transaction.atomic
def purchase_list_delete(*, purchase_list: PurchaseList, by: "User | None") -> None:
    purchase_list.delete()


@transaction.atomic
def purchase_list_remove_line(*, purchase_list: PurchaseList, line_id: int, by: "User | None") -> int:
    removed, _detail = PurchaseListLine.objects.filter(purchase_list=purchase_list, pk=line_id).delete()
    return removed


def purchase_list_to_cart(*, purchase_list: PurchaseList, by: "User | None") -> AddedToCart:
    """Adds each line's offer and quantity to the cart. A line that can no longer be
    bought as it is (delisted, terms changed) is skipped and reported; the others are added."""
    buyer = purchase_list.organization
    buyer_check(buyer)
    result = AddedToCart()
    lines = purchase_list.lines.select_related("offer__part__brand", "offer__supplier").order_by("id")
    with transaction.atomic():
        for line in lines:
            try:
                with transaction.atomic():
                    cart_add(buyer=buyer, offer=line.offer, quantity=line.quantity, by=by)
            except ApplicationError as exc:
                message, label = str(exc.message), offer_label(line.offer)
                result.skipped.append(message if label in message else f"{label}：{message}")
            else:
                result.added += 1
        if result.added == 0:
            raise ApplicationError(errors.LIST_EMPTY, code="list_empty")
    return result
