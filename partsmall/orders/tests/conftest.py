"""The three actors of the orders tests' pages and endpoints (see conftest.make_actors)."""

import pytest

from conftest import Actors
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role


@pytest.fixture
def suppliers(make_actors) -> Actors:
    """Member (owner), colleague (finance: no sales, no stock), outsider (another supplier's owner)."""
    return make_actors(kind=Organization.Kind.SUPPLIER, role=Role.OWNER)


@pytest.fixture
def shops(make_actors) -> Actors:
    """Member (purchaser), colleague (finance: no purchase), outsider (another shop's purchaser)."""
    return make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.PURCHASER)
