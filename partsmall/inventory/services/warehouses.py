"""Warehouses 仓库 of suppliers and repair shops: create, change, switch on and off."""

import re
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q

from partsmall.core.errors import ApplicationError
from partsmall.inventory import errors
from partsmall.inventory.models import Warehouse
from partsmall.inventory.services.ledger import lock_levels, offers_sync
from partsmall.organizations.models import Organization
from partsmall.organizations.services.common import save_validated
from partsmall.organizations.services.fields import Cleaner

if TYPE_CHECKING:
    from partsmall.accounts.models import User

_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
FIELDS = ("name", "code", "province", "city", "district", "address_detail", "is_active")


def _checked(organization: Organization, raw: dict[str, Any], exclude_pk: int | None) -> dict[str, Any]:
    """Every field checked at once (FieldErrors naming each wrong one)."""
    cleaner = Cleaner()
    name = str(raw.get("name") or "").strip()
    if not name:
        cleaner.add_error("name", errors.WAREHOUSE_NAME_REQUIRED)
    elif len(name) > 100:
        cleaner.add_error("name", errors.WAREHOUSE_NAME_TOO_LONG)
    code = str(raw.get("code") or "").strip().upper()
    if not code:
        cleaner.add_error("code", errors.WAREHOUSE_CODE_REQUIRED)
    elif not _CODE.match(code):
        cleaner.add_error("code", errors.WAREHOUSE_CODE_INVALID)
    else:
        taken = Warehouse.objects.filter(organization=organization, code=code)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            cleaner.add_error("code", errors.WAREHOUSE_CODE_TAKEN)
    detail = str(raw.get("address_detail") or "").strip()
    if len(detail) > 200:
        cleaner.add_error("address_detail", errors.WAREHOUSE_ADDRESS_TOO_LONG)
    cleaner.clean_regions(raw.get("province"), raw.get("city"), raw.get("district"))
    cleaner.raise_if_errors()
    return {
        "name": name,
        "code": code,
        "address_detail": detail,
        "is_active": bool(raw.get("is_active", True)),
        "province": cleaner.data["province"],
        "city": cleaner.data["city"],
        "district": cleaner.data["district"],
    }


@transaction.atomic
def warehouse_create(
    *,
    organization: Organization,
    name: str,
    code: str,
    province: Any,
    city: Any = None,
    district: Any = None,
    address_detail: str = "",
    is_active: bool = True,
    by: "User | None",
) -> Warehouse:
    """A warehouse of a supplier or repair shop; the code (unique in the organization) is
    what stock sheets name it by. Regions are Region rows or their codes."""
    if organization.kind not in {Organization.Kind.SUPPLIER, Organization.Kind.REPAIR_SHOP}:
        raise ApplicationError(errors.WAREHOUSE_ORG_KIND)
    values = _checked(
        organization,
        {
            "name": name,
            "code": code,
            "province": province,
            "city": city,
            "district": district,
            "address_detail": address_detail,
            "is_active": is_active,
        },
        None,
    )
    warehouse = Warehouse(organization=organization, **values)
    save_validated(warehouse)
    return warehouse


@transaction.atomic
def warehouse_update(*, warehouse: Warehouse, by: "User | None", **changes: Any) -> Warehouse:
    """Changes the given fields (name, code, province, city, district, address_detail,
    is_active). Switching a warehouse off or on changes what its stock offers for sale."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"warehouse_update() got unexpected fields: {sorted(unknown)}")
    current: dict[str, Any] = {name: getattr(warehouse, name) for name in FIELDS}
    current.update(changes)
    values = _checked(warehouse.organization, current, warehouse.pk)
    was_active = warehouse.is_active
    for name, value in values.items():
        setattr(warehouse, name, value)
    save_validated(warehouse)
    if was_active != warehouse.is_active:
        offers_sync(levels=lock_levels(Q(warehouse=warehouse)))
    return warehouse
