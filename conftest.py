"""Fixtures shared by every test: people, organizations and the three actors.

Every endpoint and page that shows or changes an organization's data is tried by three
actors (healthchecks' alice, bob and charlie): a member with the right role (allowed), a
colleague in the same organization with the wrong role (refused), and an outsider from
another organization of the same kind with the right role (404).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.test import Client
from django.utils import translation

from partsmall.accounts.models import User
from partsmall.organizations.middleware import SESSION_KEY
from partsmall.organizations.models import Membership, Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a request in English leaves English
    active in its thread, which would otherwise leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
        org = OrganizationFactory.create(kind=kind)
        other = OrganizationFactory.create(kind=kind)
        return Actors(
            organization=org,
            other_organization=other,
            member=MembershipFactory.create(organization=org, role=role),
            colleague=MembershipFactory.create(organization=org, role=wrong_role),
            outsider=MembershipFactory.create(organization=other, role=role),
        )

    return make


@pytest.fixture
def platform_org(db: None) -> Organization:
    return OrganizationFactory.create(kind=Organization.Kind.PLATFORM, name="汽配商城平台")


@pytest.fixture
def reviewer(platform_org: Organization) -> Membership:
    return MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_REVIEWER)


@pytest.fixture
def reviewer_client(reviewer: Membership) -> Client:
    return login_client(reviewer)


_MIGRATED_ROWS = pytest.StashKey[dict[type[Model], list[Model]]]()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker, request: pytest.FixtureRequest) -> None:
    """Keeps the rows that data migrations wrote (regions …) as the test database was made.

    A transactional test ends with a flush that empties every table; `migrated_data`
    puts these rows back for the tests that need them afterwards (end-to-end tests).
    """
    with django_db_blocker.unblock():
        request.config.stash[_MIGRATED_ROWS] = {
            model: list(model._base_manager.order_by("pk"))
            for model in apps.get_models()
            if model.__module__.startswith("partsmall.") and model._base_manager.exists()
        }


@pytest.fixture
def migrated_data(transactional_db: None, request: pytest.FixtureRequest) -> None:
    """The rows of data migrations, put back if a flush removed them."""
    with transaction.atomic():
        for model, rows in request.config.stash[_MIGRATED_ROWS].items():
            if not model._base_manager.exists():
                model._base_manager.bulk_create(rows)
