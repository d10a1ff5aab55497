import hashlib

import pytest
from django.utils import timezone

from partsmall.core.errors import ApplicationError
from partsmall.integrations import services
from partsmall.integrations.models import ApiKey
from partsmall.integrations.tests.factories import ApiKeyFactory, full_key
from partsmall.organizations.models import AuditLog, Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_create_returns_the_full_key_once_and_stores_only_its_hash():
    owner = MembershipFactory.create(role=Role.OWNER)

    api_key, key = services.api_key_create(
        organization=owner.organization, by=owner.user, name=" ERP 同步 ", role=Role.SALES
    )

    prefix, _, secret = key.partition(".")
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert stored.prefix == prefix
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.name, stored.prefix, stored.key_hash}
    assert stored.name == "ERP 同步"
    assert stored.role == Role.SALES
    assert stored.created_by == owner.user


def test_create_writes_an_audit_row():
    owner = MembershipFactory.create(role=Role.OWNER)

    api_key, _key = services.api_key_create(
        organization=owner.organization, by=owner.user, name="WMS", role=Role.WAREHOUSE
    )

    log = AuditLog.objects.get()
    assert (log.organization, log.actor, log.action) == (owner.organization, owner.user, "api_key.create")
    assert log.details == {"api_key_id": api_key.pk, "prefix": api_key.prefix, "role": "warehouse"}


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.TECHNICIAN, Role.PLATFORM_ADMIN, "nobody"])
def test_create_refuses_roles_a_supplier_key_may_not_have(role):
    owner = MembershipFactory.create(role=Role.OWNER)

    with pytest.raises(ApplicationError) as raised:
        services.api_key_create(organization=owner.organization, by=owner.user, name="ERP", role=role)

    assert raised.value.message == services.ROLE_NOT_ALLOWED
    assert raised.value.field == "role"
    assert ApiKey.objects.count() == 0
    assert AuditLog.objects.count() == 0


def test_key_roles_follow_the_organization_kind():
    assert services.api_key_roles(kind=Organization.Kind.SUPPLIER) == [
        Role.SALES,
        Role.WAREHOUSE,
        Role.FINANCE,
    ]
    assert services.api_key_roles(kind=Organization.Kind.REPAIR_SHOP) == [
        Role.PURCHASER,
        Role.TECHNICIAN,
        Role.WAREHOUSE,
        Role.FINANCE,
    ]
    assert services.api_key_roles(kind=Organization.Kind.PLATFORM) == []


def test_create_refuses_a_blank_name():
    owner = MembershipFactory.create(role=Role.OWNER)

    with pytest.raises(ApplicationError) as raised:
        services.api_key_create(organization=owner.organization, by=owner.user, name="  ", role=Role.SALES)

    assert (raised.value.message, raised.value.field) == (services.NAME_REQUIRED, "name")
    assert ApiKey.objects.count() == 0


def test_create_refuses_an_organization_that_is_not_active():
    owner = MembershipFactory.create(role=Role.OWNER, organization__status=Organization.Status.SUSPENDED)

    with pytest.raises(ApplicationError) as raised:
        services.api_key_create(organization=owner.organization, by=owner.user, name="ERP", role=Role.SALES)

    assert raised.value.message == services.ORGANIZATION_NOT_ACTIVE
    assert ApiKey.objects.count() == 0


def test_authenticate_accepts_the_key_and_records_its_use():
    api_key = ApiKeyFactory.create()

    found = services.api_key_authenticate(raw_key=full_key(api_key))

    assert found == api_key
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


@pytest.mark.parametrize("raw", ["", "nodot", "k0000000.wrong", "unknown.test-secret-of-the-factory-key"])
def test_authenticate_refuses_wrong_keys(raw):
    ApiKeyFactory.create(prefix="k0000000")

    assert services.api_key_authenticate(raw_key=raw) is None


def test_authenticate_refuses_revoked_keys_and_keys_of_suspended_organizations():
    revoked = ApiKeyFactory.create(revoked_at=timezone.now())
    suspended = ApiKeyFactory.create(organization__status=Organization.Status.SUSPENDED)

    assert services.api_key_authenticate(raw_key=full_key(revoked)) is None
    assert services.api_key_authenticate(raw_key=full_key(suspended)) is None


def test_revoke_records_who_and_when():
    owner = MembershipFactory.create(role=Role.OWNER)
    api_key = ApiKeyFactory.create(organization=owner.organization)

    services.api_key_revoke(api_key=api_key, by=owner.user)

    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert api_key.revoked_by == owner.user
    assert AuditLog.objects.get().action == "api_key.revoke"


def test_revoke_twice_is_refused():
    owner = MembershipFactory.create(role=Role.OWNER)
    revoked_at = timezone.now()
    api_key = ApiKeyFactory.create(organization=owner.organization, revoked_at=revoked_at)

    with pytest.raises(ApplicationError) as raised:
        services.api_key_revoke(api_key=api_key, by=owner.user)

    assert raised.value.message == services.ALREADY_REVOKED
    api_key.refresh_from_db()
    assert api_key.revoked_at == revoked_at
    assert AuditLog.objects.count() == 0


def test_revoke_for_organization_revokes_only_its_live_keys():
    org = OrganizationFactory.create()
    live = ApiKeyFactory.create_batch(2, organization=org)
    other = ApiKeyFactory.create()

    count = services.api_keys_revoke_for_organization(organization=org)

    assert count == 2
    assert all(ApiKey.objects.get(pk=k.pk).is_revoked for k in live)
    assert not ApiKey.objects.get(pk=other.pk).is_revoked
