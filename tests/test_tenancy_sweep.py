"""The three-actor sweep over every route that shows or changes an organization's data.

It walks the URL conf, so a new page or endpoint is covered the day it is added:
- a colleague whose role lacks the declared permission is refused (403);
- a person of another organization never sees this organization's data, and asking
  for one of its objects by id answers 404 (through the route's declared selector);
- anonymous visitors are sent to log in (pages) or refused (API);
- platform routes refuse everyone outside the platform.
The member with the right role is allowed: each app's own tests show what they then see.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Actors, login_client
from partsmall.catalog.tests.factories import ImportJobFactory, OfferFactory, PartFactory
from partsmall.core.access import DeclaredRoute, iter_routes
from partsmall.integrations.tests.factories import ApiKeyFactory
from partsmall.inventory.tests.factories import WarehouseFactory, stock_level_of, stocktake_of
from partsmall.notifications.services import message_send
from partsmall.orders.models import Checkout
from partsmall.orders.tests.factories import (
    AddressFactory,
    CartLineFactory,
    CheckoutFactory,
    OrderLineFactory,
    PurchaseListFactory,
    SupplierOrderFactory,
)
from partsmall.orders.tests.lifecycle_helpers import ReturnPhotoFactory, ReturnRequestFactory
from partsmall.organizations.models import Membership, Organization
from partsmall.organizations.roles import ROLE_PERMISSIONS, SUPPLIER_ROLES, Role
from partsmall.organizations.tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    OrganizationFactory,
    with_licence,
)
from partsmall.pricing.tests.factories import (
    ContractPriceFactory,
    ContractPriceListFactory,
    CustomerGroupFactory,
    CustomerGroupMemberFactory,
    GroupPriceFactory,
)

TENANT_SCOPES = {"organization", "applicant"}
ORG_NAME = "甲方独有名称汽配有限公司"


def _routes(scopes: set[str]) -> list[DeclaredRoute]:
    return [r for r in iter_routes() if r.access and r.access.scope in scopes and r.name]


def _route_id(route: DeclaredRoute) -> str:
    return route.name or route.route


def _has_pk(route: DeclaredRoute) -> bool:
    return "<int:pk>" in route.route


# Path arguments other than pk: a valid value that names no organization's object.
SAMPLE_KWARGS = {"<str:vin>": ("vin", "LSVAU218XN2183294"), "<str:kind>": ("kind", "parts")}


def _url(route: DeclaredRoute, pk: int = 999_999) -> str:
    kwargs: dict[str, object] = {"pk": pk} if _has_pk(route) else {}
    kwargs.update(value for marker, value in SAMPLE_KWARGS.items() if marker in route.route)
    return reverse(_full_name(route), kwargs=kwargs or None)


def _full_name(route: DeclaredRoute) -> str:
    namespaces = {
        "api": "",
        "organizations": "organizations:",
        "integrations": "integrations:",
        "notifications": "notifications:",
        "accounts": "accounts:",
        "vehicles": "vehicles:",
        # The catalogue's import pages (partsmall.catalog.import_views) have their own namespace.
        "catalog.import_views": "catalog_imports:",
        "catalog": "catalog:",
        "search": "search:",
        "pricing": "pricing:",
        "inventory": "inventory:",
        "orders": "orders:",
    }
    name = route.name or ""
    if name.startswith("api-"):
        return name
    for module, prefix in namespaces.items():
        if f"partsmall.{module}." in getattr(route.view, "__module__", "") + ".":
            return prefix + name
    return name


# One object of the member's organization (or person) per declared selector.
OBJECT_OF: dict[str, Callable[[Actors], int]] = {
    "application_of_organization": lambda a: (
        ApplicationFactory.create(organization=a.organization, applicant=a.member.user).pk
    ),
    "api_key_get": lambda a: ApiKeyFactory.create(organization=a.organization).pk,
    "membership_of_organization": lambda a: a.colleague.pk,
    "organization_for_licence": lambda a: with_licence(a.organization).pk,
    "membership_for_switch": lambda a: a.member.pk,
    "message_get": lambda a: message_send(recipient=a.member.user, title=ORG_NAME).pk,
    "offer_get": lambda a: OfferFactory.create(supplier=a.organization).pk,
    "import_job_get": lambda a: ImportJobFactory.create(organization=a.organization, file_name=ORG_NAME).pk,
    "warehouse_get": lambda a: WarehouseFactory.create(organization=a.organization, name=ORG_NAME).pk,
    "stock_level_get": lambda a: stock_level_of(a.organization).pk,
    "stocktake_get": lambda a: stocktake_of(a.organization, note=ORG_NAME).pk,
    "stock_import_get": lambda a: (
        ImportJobFactory.create(organization=a.organization, kind="stock", file_name=ORG_NAME).pk
    ),
    "customer_group_get": lambda a: (
        CustomerGroupFactory.create(supplier=a.organization, name=ORG_NAME[:50]).pk
    ),
    "customer_group_member_get": lambda a: (
        CustomerGroupMemberFactory.create(group__supplier=a.organization).pk
    ),
    "group_price_get": lambda a: GroupPriceFactory.create(group__supplier=a.organization).pk,
    "contract_price_list_get": lambda a: (
        ContractPriceListFactory.create(supplier=a.organization, name=ORG_NAME).pk
    ),
    "contract_price_get": lambda a: ContractPriceFactory.create(price_list__supplier=a.organization).pk,
    "cart_line_get": lambda a: CartLineFactory.create(cart__organization=a.organization).pk,
    "address_get": lambda a: AddressFactory.create(organization=a.organization, detail=ORG_NAME).pk,
    "checkout_get": lambda a: CheckoutFactory.create(buyer=a.organization, address_detail=ORG_NAME).pk,
    "approval_get": lambda a: (
        CheckoutFactory.create(
            buyer=a.organization, address_detail=ORG_NAME, approval_status=Checkout.ApprovalStatus.PENDING
        ).pk
    ),
    "purchase_list_get": lambda a: PurchaseListFactory.create(organization=a.organization, name=ORG_NAME).pk,
    "sales_order_get": lambda a: SupplierOrderFactory.create(supplier=a.organization).pk,
    "purchase_order_get": lambda a: SupplierOrderFactory.create(checkout__buyer=a.organization).pk,
    "purchase_line_get": lambda a: OrderLineFactory.create(order__checkout__buyer=a.organization).pk,
    "sales_return_get": lambda a: ReturnRequestFactory.create(line__order__supplier=a.organization).pk,
    "purchase_return_get": lambda a: (
        ReturnRequestFactory.create(line__order__checkout__buyer=a.organization).pk
    ),
    "return_photo_get": lambda a: (
        ReturnPhotoFactory.create(request__line__order__checkout__buyer=a.organization).pk
    ),
}

# Selectors of shared platform data (parts): every organization reads the object, so the
# outsider gets it (200), and still nothing of the organization's own.
SHARED_OBJECT_OF: dict[str, Callable[[Actors], int]] = {
    "part_detail": lambda a: PartFactory.create().pk,
}


def _answer(client: Client, url: str) -> Any:
    """GET, or the first method the route takes (POST, PATCH, DELETE)."""
    response = client.get(url)
    for method in (client.post, client.patch, client.delete):
        if response.status_code != 405:
            break
        response = method(url)
    return response


def _request(client: Client, url: str) -> int:
    return _answer(client, url).status_code


def _role_without(permission: str) -> Role | None:
    for role in sorted(SUPPLIER_ROLES):
        if permission not in ROLE_PERMISSIONS[role]:
            return role
    return None


@pytest.fixture
def supplier_actors(make_actors: Callable[..., Actors]) -> Actors:
    actors = make_actors(kind=Organization.Kind.SUPPLIER, role=Role.OWNER, wrong_role=Role.SALES)
    Organization.objects.filter(pk=actors.organization.pk).update(name=ORG_NAME)
    return actors


def _platform_role_without(permission: str) -> Role | None:
    platform_roles = sorted(r for r in Role if r.startswith("platform_"))
    return next((r for r in platform_roles if permission not in ROLE_PERMISSIONS[r]), None)


def test_the_sweep_sees_the_tenant_and_platform_routes():
    names = {r.name for r in _routes(TENANT_SCOPES | {"platform"})}

    assert {"members", "api-members", "profile", "api_keys", "review_queue", "api-member"} <= names


# Routes whose permission every role of the kind holds (org.view, platform.view) have no
# colleague to refuse; the outsider and anonymous sweeps below still cover them.
@pytest.mark.parametrize(
    "route",
    [r for r in _routes(TENANT_SCOPES) if _role_without(str(r.access and r.access.permission))],
    ids=_route_id,
)
def test_a_colleague_without_the_permission_is_refused(route, supplier_actors):
    wrong = _role_without(route.access.permission)
    colleague = MembershipFactory.create(organization=supplier_actors.organization, role=wrong)

    assert _request(login_client(colleague), _url(route)) == 403


@pytest.mark.parametrize("route", _routes(TENANT_SCOPES | {"authenticated"}), ids=_route_id)
def test_an_outsider_never_reaches_the_organizations_data(route, supplier_actors):
    selector = route.access.selector
    shared = selector in SHARED_OBJECT_OF
    if _has_pk(route):
        builders = SHARED_OBJECT_OF if shared else OBJECT_OF
        assert selector in builders, f"{route.route}: no object builder for selector {selector!r}"
        url = _url(route, pk=builders[selector](supplier_actors))
    else:
        url = _url(route)
    outsider = login_client(supplier_actors.outsider)

    response = _answer(outsider, url)

    if _has_pk(route):
        assert response.status_code == (200 if shared else 404)
    assert ORG_NAME not in response.content.decode(errors="replace")


@pytest.mark.parametrize("route", _routes(TENANT_SCOPES | {"platform", "authenticated"}), ids=_route_id)
def test_anonymous_visitors_are_sent_to_log_in(route, db):
    status = _request(Client(), _url(route))

    if route.route.startswith("api/"):
        assert status in {401, 403}
    else:
        assert status == 302


@pytest.mark.parametrize("route", _routes({"platform"}), ids=_route_id)
def test_platform_routes_refuse_everyone_outside_the_platform(route, db):
    owner = MembershipFactory.create(organization=OrganizationFactory.create(), role=Role.OWNER)

    assert _request(login_client(owner), _url(route)) == 403


@pytest.mark.parametrize(
    "route",
    [r for r in _routes({"platform"}) if _platform_role_without(str(r.access and r.access.permission))],
    ids=_route_id,
)
def test_platform_staff_without_the_permission_are_refused(route, platform_org):
    role = _platform_role_without(route.access.permission)
    staff: Membership = MembershipFactory.create(organization=platform_org, role=role)

    assert _request(login_client(staff), _url(route)) == 403
