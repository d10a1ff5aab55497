"""Fixtures shared by every test: people, organizations and the three actors.

Every endpoint and page that shows or changes an organization's data is tried by three
actors (healthchecks' alice, bob and charlie): a member with the right role (allowed), a
colleague in the same organization with the wrong role (refused), and an outsider from
another organization of the same kind with the right role (404).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from partsmall.accounts.models import User
from partsmall.organizations.middleware import SESSION_KEY
from partsmall.organizations.models import Membership, Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory


def login_client(membership: Membership | None = None, *, user: User | None = None) -> Client:
    """A test client logged in as the member, acting through that membership."""
    client = Client()
    person = membership.user if membership else user
    assert person is not None
    client.force_login(person)
    if membership is not None:
        session = client.session
        session[SESSION_KEY] = membership.pk
        session.save()
    return client


@dataclass
class Actors:
    organization: Organization
    other_organization: Organization
    member: Membership
    colleague: Membership
    outsider: Membership

    @property
    def member_client(self) -> Client:
        return login_client(self.member)

    @property
    def colleague_client(self) -> Client:
        return login_client(self.colleague)

    @property
    def outsider_client(self) -> Client:
        return login_client(self.outsider)


@pytest.fixture
def make_actors(db: None) -> Callable[..., Actors]:
    def make(
        kind: str = Organization.Kind.SUPPLIER,
        role: str = Role.OWNER,
        wrong_role: str | None = None,
    ) -> Actors:
        if wrong_role is None:
            wrong_role = Role.FINANCE if kind != Organization.Kind.PLATFORM else Role.PLATFORM_FINANCE
        org = OrganizationFactory(kind=kind)
        other = OrganizationFactory(kind=kind)
        return Actors(
            organization=org,
            other_organization=other,
            member=MembershipFactory(organization=org, role=role),
            colleague=MembershipFactory(organization=org, role=wrong_role),
            outsider=MembershipFactory(organization=other, role=role),
        )

    return make


@pytest.fixture
def platform_org(db: None) -> Organization:
    return OrganizationFactory(kind=Organization.Kind.PLATFORM, name="汽配商城平台")


@pytest.fixture
def reviewer(platform_org: Organization) -> Membership:
    return MembershipFactory(organization=platform_org, role=Role.PLATFORM_REVIEWER)


@pytest.fixture
def reviewer_client(reviewer: Membership) -> Client:
    return login_client(reviewer)
