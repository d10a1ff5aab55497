"""integrations.services.organization_suspend / organization_reactivate and their pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login_client
from partsmall.core.errors import ApplicationError
from partsmall.integrations import services
from partsmall.integrations.tests.factories import ApiKeyFactory
from partsmall.integrations.views import ORGANIZATION_REACTIVATED, ORGANIZATION_SUSPENDED
from partsmall.organizations import errors
from partsmall.organizations.models import AuditLog, Organization, OrganizationEvent
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(platform_org):
    return MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_OPERATOR)


def test_suspend_sets_the_status_and_revokes_every_live_key(operator):
    organization = OrganizationFactory.create()
    live = ApiKeyFactory.create_batch(2, organization=organization)
    earlier = ApiKeyFactory.create(organization=organization, revoked_at=timezone.now())

    services.organization_suspend(organization=organization, by=operator.user, reason="资质过期")

    organization.refresh_from_db()
    assert organization.status == Organization.Status.SUSPENDED
    assert all(k.organization.api_keys.get(pk=k.pk).revoked_by == operator.user for k in live)
    earlier.refresh_from_db()
    assert earlier.revoked_by is None
    event = OrganizationEvent.objects.get(organization=organization)
    assert (event.from_status, event.to_status, event.reason) == ("active", "suspended", "资质过期")
    assert AuditLog.objects.get(action="api_key.revoke_all").details == {"count": 2}


def test_suspend_refused_changes_nothing(operator):
    organization = OrganizationFactory.create(status=Organization.Status.PENDING)
    api_key = ApiKeyFactory.create(organization=organization)

    with pytest.raises(ApplicationError):
        services.organization_suspend(organization=organization, by=operator.user, reason="x")

    organization.refresh_from_db()
    assert organization.status == Organization.Status.PENDING
    api_key.refresh_from_db()
    assert api_key.revoked_at is None


def test_reactivate(operator):
    organization = OrganizationFactory.create(status=Organization.Status.SUSPENDED)

    services.organization_reactivate(organization=organization, by=operator.user, reason="")

    organization.refresh_from_db()
    assert organization.status == Organization.Status.ACTIVE


def test_suspend_page(operator):
    organization = OrganizationFactory.create(name="甲汽配")
    ApiKeyFactory.create(organization=organization)

    response = login_client(operator).post(
        reverse("integrations:organization_suspend", args=[organization.pk]),
        {"reason": "资质过期"},
        follow=True,
    )

    detail = reverse("organizations:platform_org_detail", args=[organization.pk])
    assert response.redirect_chain == [(detail, 302)]
    assert str(ORGANIZATION_SUSPENDED % {"name": "甲汽配", "keys": 1}) in response.content.decode()
    organization.refresh_from_db()
    assert organization.status == Organization.Status.SUSPENDED


def test_suspend_page_shows_the_refusal(operator):
    organization = OrganizationFactory.create()

    response = login_client(operator).post(
        reverse("integrations:organization_suspend", args=[organization.pk]), {"reason": ""}, follow=True
    )

    assert str(errors.REASON_REQUIRED) in response.content.decode()
    organization.refresh_from_db()
    assert organization.status == Organization.Status.ACTIVE


def test_reactivate_page(operator):
    organization = OrganizationFactory.create(name="甲汽配", status=Organization.Status.SUSPENDED)

    response = login_client(operator).post(
        reverse("integrations:organization_reactivate", args=[organization.pk]),
        {"reason": "已整改"},
        follow=True,
    )

    assert str(ORGANIZATION_REACTIVATED % {"name": "甲汽配"}) in response.content.decode()
    organization.refresh_from_db()
    assert organization.status == Organization.Status.ACTIVE


@pytest.mark.parametrize(
    "name", ["integrations:organization_suspend", "integrations:organization_reactivate"]
)
def test_suspension_pages_refuse_non_operators(name, platform_org):
    organization = OrganizationFactory.create()
    owner = MembershipFactory.create(organization=organization, role=Role.OWNER)
    reviewer = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_REVIEWER)

    for membership in (owner, reviewer):
        response = login_client(membership).post(reverse(name, args=[organization.pk]), {"reason": "x"})
        assert response.status_code == 403

    organization.refresh_from_db()
    assert organization.status == Organization.Status.ACTIVE


def test_suspension_page_refuses_get(operator):
    organization = OrganizationFactory.create()

    response = login_client(operator).get(
        reverse("integrations:organization_suspend", args=[organization.pk])
    )

    assert response.status_code == 405
