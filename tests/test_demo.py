import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from partsmall.accounts.models import Consent, User
from partsmall.core.validators import normalize_credit_code
from partsmall.demo.data import DEMO_PASSWORD, PENDING_SHOP_REJECT_REASON
from partsmall.demo.selectors import demo_logins
from partsmall.demo.services import DEMO_ALREADY_LOADED
from partsmall.notifications.models import Message
from partsmall.organizations.models import Application, Membership, Organization, Region
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

Kind, Status = Organization.Kind, Organization.Status
PRINTED_LOGIN = re.compile(r"(1380000\d{4})\s+" + re.escape(DEMO_PASSWORD) + r"\s")


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


def roles_of(org: Organization) -> list[str]:
    return sorted(org.memberships.values_list("role", flat=True))


def test_load_demo_creates_the_platform_suppliers_shops_and_owners():
    load_demo()

    platform = Organization.objects.get(kind=Kind.PLATFORM)
    suppliers = Organization.objects.filter(kind=Kind.SUPPLIER, status=Status.ACTIVE)
    shops = Organization.objects.filter(kind=Kind.REPAIR_SHOP, status=Status.ACTIVE)
    assert platform.status == Status.ACTIVE
    assert roles_of(platform) == sorted(
        [Role.PLATFORM_ADMIN, Role.PLATFORM_FINANCE, Role.PLATFORM_OPERATOR, Role.PLATFORM_REVIEWER]
    )
    assert suppliers.count() == 5
    assert shops.count() == 10
    assert list(shops.filter(tier=Organization.Tier.KEY_ACCOUNT).values_list("name", flat=True)) == [
        "上海安途汽车服务连锁有限公司"
    ]
    assert all(
        roles_of(org) == sorted([Role.OWNER, Role.SALES, Role.WAREHOUSE, Role.FINANCE]) for org in suppliers
    )
    assert all(roles_of(org) == sorted([Role.OWNER, Role.PURCHASER, Role.TECHNICIAN]) for org in shops)
    assert User.objects.filter(memberships__isnull=True).count() == 20
    assert Consent.objects.filter(user__memberships__isnull=True).count() == 40


def test_demo_organizations_have_valid_credit_codes_and_addresses_in_different_provinces():
    load_demo()

    businesses = Organization.objects.exclude(kind=Kind.PLATFORM).select_related(
        "province", "city", "district"
    )
    assert all(normalize_credit_code(org.credit_code) == org.credit_code for org in businesses)
    assert all(org.district and org.district.parent_id == org.city_id for org in businesses)
    assert all(org.city and org.city.parent_id == org.province_id for org in businesses)
    suppliers = businesses.filter(kind=Kind.SUPPLIER, status=Status.ACTIVE)
    supplier_provinces = set(
        Region.objects.filter(code__in=suppliers.values("province")).values_list("name", flat=True)
    )
    assert supplier_provinces == {"广东省", "浙江省", "江苏省", "山东省", "河北省"}
    assert all(org.licence.name for org in businesses)


def test_the_review_queue_holds_a_new_application_and_a_resubmitted_one():
    load_demo()

    waiting = Application.objects.filter(status=Application.Status.SUBMITTED).order_by("attempt")
    assert [(a.organization.status, a.attempt) for a in waiting] == [(Status.PENDING, 1), (Status.PENDING, 2)]
    resubmitted = waiting[1]
    assert [(e.from_status, e.to_status, e.reason) for e in resubmitted.events.all()] == [
        ("", "submitted", ""),
        ("submitted", "rejected", PENDING_SHOP_REJECT_REASON),
        ("rejected", "submitted", ""),
    ]
    assert resubmitted.reject_reason == ""


def test_reviewers_find_the_waiting_applications_in_their_inbox():
    load_demo()

    reviewer = User.objects.get(memberships__role=Role.PLATFORM_REVIEWER)
    titles = list(
        Message.objects.filter(recipient=reviewer, read_at__isnull=True).values_list("title", flat=True)
    )
    assert sorted(titles) == [
        "入驻申请重新提交：南京金陵车友汽车维修有限公司",
        "新的入驻申请：宁波甬兴汽车电器有限公司",
    ]


def test_every_printed_login_logs_in_with_the_demo_password():
    output = load_demo()

    phones = PRINTED_LOGIN.findall(output)
    assert len(phones) == 15
    assert phones == [login.phone for login in demo_logins()]
    logged_in = [
        getattr(authenticate(None, phone=phone, password=DEMO_PASSWORD), "phone", None) for phone in phones
    ]
    assert logged_in == phones


def test_the_printed_logins_cover_every_role_once():
    load_demo()

    roles = [login.role for login in demo_logins()]
    assert len(roles) == len(set(roles))
    assert "车主" in roles
    assert "平台 · 平台审核" in roles
    assert "配件厂商 · 仓管" in roles
    assert "汽修门店（大客户） · 所有者" in roles


def test_loading_twice_is_refused_and_changes_nothing():
    load_demo()
    before = counts()

    with pytest.raises(CommandError, match=re.escape(str(DEMO_ALREADY_LOADED))):
        load_demo()

    assert counts() == before


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
