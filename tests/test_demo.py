"""`load_demo --if-empty` and the demo logins on a database without the demo.

What one load of the demo makes and prints, and the refusal to load it twice, are
checked in partsmall/demo/tests/test_demo_data.py on a single load shared by that
module: a load takes most of a minute on PostgreSQL. The tests here need a database
without the demo."""

from io import StringIO

import pytest
from django.core.management import call_command

from partsmall.accounts.models import User
from partsmall.demo.selectors import demo_logins
from partsmall.organizations.models import Application, Membership, Organization
from partsmall.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int, int]:
    return (
        Organization.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Application.objects.count(),
    )


def test_if_empty_loads_a_fresh_database_and_is_a_no_op_the_second_time():
    load_demo("--if-empty")
    before = counts()

    output = load_demo("--if-empty")

    assert output == "The database already holds organizations: demo data not loaded.\n"
    assert counts() == before
    assert before[0] == 18


def test_if_empty_leaves_a_database_with_organizations_alone():
    OrganizationFactory()

    load_demo("--if-empty")

    assert counts() == (1, 0, 0, 0)


def test_demo_logins_is_empty_without_the_demo():
    assert demo_logins() == []
