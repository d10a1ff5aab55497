"""The address book 收货地址 of a buying organization.

Fields are checked with the organization profile's own cleaners (province / city /
district from the region table, a mainland mobile number), so both pages refuse the same
input with the same messages. One address per organization is the default; the first
one is.
"""

from typing import TYPE_CHECKING, Any

from django.db import transaction

from partsmall.core.errors import ApplicationError
from partsmall.orders import errors
from partsmall.orders.models import Address
from partsmall.organizations.models import Organization
from partsmall.organizations.services.fields import Cleaner

if TYPE_CHECKING:
    from partsmall.accounts.models import User

LABEL_MAX_LENGTH = 30
# The address's field name → the profile cleaner's field name.
_CLEANED = {"contact_name": "contact_name", "contact_phone": "contact_phone", "detail": "address_detail"}


def buyer_check(organization: Organization) -> None:
    """Buying (cart, addresses, checkout) is for repair shops."""
    if organization.kind != Organization.Kind.REPAIR_SHOP:
        raise ApplicationError(errors.BUYER_ONLY, code="buyer_only")


def _clean(raw: dict[str, Any]) -> dict[str, Any]:
    cleaner = Cleaner()
    for field, profile_field in _CLEANED.items():
        cleaner.clean(profile_field, raw.get(field))
        for message in cleaner.errors.pop(profile_field, []):
            cleaner.add_error(field, message)
    cleaner.clean_regions(raw.get("province"), raw.get("city"), raw.get("district"))
    label = str(raw.get("label") or "").strip()
    if len(label) > LABEL_MAX_LENGTH:
        cleaner.add_error("label", errors.ADDRESS_LABEL_TOO_LONG)
    cleaner.raise_if_errors()
    data = cleaner.data
    return {
        "label": label,
        "contact_name": data["contact_name"],
        "contact_phone": data["contact_phone"],
        "detail": data["address_detail"],
        "province": data["province"],
        "city": data["city"],
        "district": data["district"],
    }


def _lock_book(organization: Organization) -> None:
    """Serialises changes of one organization's default address."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()


def _make_default(address: Address) -> None:
    Address.objects.filter(organization_id=address.organization_id, is_default=True).exclude(
        pk=address.pk
    ).update(is_default=False)
    if not address.is_default:
        address.is_default = True
        address.save(update_fields=["is_default"])


@transaction.atomic
def address_create(
    *, organization: Organization, by: "User | None", is_default: bool = False, **fields: Any
) -> Address:
    """Adds an address; it becomes the default when asked or when it is the first one."""
    buyer_check(organization)
    values = _clean(fields)
    _lock_book(organization)
    first = not Address.objects.filter(organization=organization).exists()
    address = Address.objects.create(organization=organization, is_default=False, **values)
    if is_default or first:
        _make_default(address)
    return address


@transaction.atomic
def address_update(
    *, address: Address, by: "User | None", is_default: bool | None = None, **fields: Any
) -> Address:
    """Changes the given fields (the others keep their values)."""
    current = {
        "label": address.label,
        "contact_name": address.contact_name,
        "contact_phone": address.contact_phone,
        "detail": address.detail,
        "province": address.province_id,
        "city": address.city_id,
        "district": address.district_id,
    }
    current.update({name: value for name, value in fields.items() if name in current})
    values = _clean(current)
    _lock_book(address.organization)
    for name, value in values.items():
        setattr(address, name, value)
    address.save()
    if is_default:
        _make_default(address)
    return address


@transaction.atomic
def address_set_default(*, address: Address, by: "User | None") -> Address:
    _lock_book(address.organization)
    _make_default(address)
    return address


@transaction.atomic
def address_delete(*, address: Address, by: "User | None") -> None:
    """Removes an address; when it was the default, the newest other one becomes it.
    Checkouts keep their own copy of the address, so nothing else changes."""
    _lock_book(address.organization)
    was_default = address.is_default
    organization_id = address.organization_id
    address.delete()
    if was_default:
        newest = (
            Address.objects.filter(organization_id=organization_id).order_by("-created_at", "-id").first()
        )
        if newest is not None:
            _make_default(newest)
