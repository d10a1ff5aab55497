"""Pages of the organizations app, each tried by the three actors (see conftest.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login_client
from partsmall.accounts.tests.factories import UserFactory, sent_code
from partsmall.core.testing import make_credit_code, make_mobile
from partsmall.notifications.models import Message
from partsmall.organizations import errors
from partsmall.organizations.middleware import SESSION_KEY
from partsmall.organizations.models import Application, AuditLog, Membership, Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.services import application_reject, application_submit
from partsmall.organizations.tests.factories import (
    CITY,
    DISTRICT,
    PROVINCE,
    MembershipFactory,
    OrganizationFactory,
    application_fields,
    pdf_upload,
    png_upload,
    with_licence,
)

pytestmark = pytest.mark.django_db


def _form_data(n: int = 1, **overrides: object) -> dict:
    return {k: ("" if v is None else v) for k, v in application_fields(n, **overrides).items()}


def _text(response) -> str:
    return response.content.decode()


# --- Homes -------------------------------------------------------------------------


def test_home_sends_visitors_to_login(client):
    response = client.get(reverse("organizations:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_home_of_a_person_without_organization_is_the_owner_home():
    client = login_client(user=UserFactory.create(name="车主甲"))

    response = client.get(reverse("organizations:home"))

    assert response.status_code == 200
    html = _text(response)
    assert 'data-testid="owner-home"' in html
    assert 'data-testid="tabbar"' in html
    for label in ("首页", "爱车", "预约", "我的"):
        assert f"</i>{label}</a>" in html
    garage = _text(client.get(reverse("organizations:home") + "?tab=garage"))
    assert "「车主服务」能力上线后" in garage


@pytest.mark.parametrize(
    ("kind", "heading", "coming"),
    [
        (Organization.Kind.SUPPLIER, "厂商工作台", "询价和结算的入口"),
        (Organization.Kind.REPAIR_SHOP, "门店工作台", "询价、工单和车主预约的入口"),
    ],
)
def test_home_of_a_supplier_or_shop_member_is_its_workspace(make_actors, kind, heading, coming):
    actors = make_actors(kind=kind)

    response = actors.member_client.get(reverse("organizations:home"))

    html = _text(response)
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in html
    # The figures of orders, offers and stock load from the orders app (its own tests).
    assert 'data-testid="home-figures-slot"' in html
    assert coming in html
    assert 'data-testid="sidebar"' in html
    assert 'data-testid="kpi-members">2<' in html


def test_home_of_platform_staff_is_the_operator_console(reviewer_client):
    application_submit(applicant=UserFactory.create(), **application_fields(1))
    OrganizationFactory.create(kind=Organization.Kind.REPAIR_SHOP)
    OrganizationFactory.create(kind=Organization.Kind.SUPPLIER, status=Organization.Status.SUSPENDED)

    response = reviewer_client.get(reverse("organizations:home"))

    html = _text(response)
    assert response.status_code == 200
    assert 'data-testid="kpi-pending">1<' in html
    assert 'data-testid="kpi-shops">1<' in html
    assert 'data-testid="kpi-suspended">1<' in html
    assert reverse("organizations:review_queue") in html
    assert 'data-testid="trade-kpis"' not in html  # payments and returns: finance and operators


def test_platform_finance_home_loads_the_trade_figures(platform_org):
    finance = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_FINANCE)

    html = _text(login_client(finance).get(reverse("organizations:home")))

    assert 'data-testid="trade-kpis"' in html
    assert 'data-testid="home-figures-slot"' in html


def test_home_of_a_pending_applicant_is_the_application_status():
    applicant = UserFactory.create()
    application_submit(applicant=applicant, **application_fields(1))

    response = login_client(user=applicant).get(reverse("organizations:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:application_status")


# --- Switch ------------------------------------------------------------------------


def test_switch_to_another_of_ones_memberships(make_actors):
    actors = make_actors()
    shop = MembershipFactory.create(
        user=actors.member.user,
        organization=OrganizationFactory.create(kind="repair_shop"),
        role=Role.PURCHASER,
    )
    client = actors.member_client

    response = client.post(reverse("organizations:switch"), {"membership": shop.pk})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == shop.pk
    assert "<h1>门店工作台</h1>" in _text(client.get(reverse("organizations:home")))


def test_switch_to_someone_elses_or_a_removed_membership_is_404(make_actors):
    actors = make_actors()
    removed = MembershipFactory.create(user=actors.member.user, is_active=False)
    client = actors.member_client

    other = client.post(reverse("organizations:switch"), {"membership": actors.outsider.pk})
    gone = client.post(reverse("organizations:switch"), {"membership": removed.pk})
    junk = client.post(reverse("organizations:switch"), {"membership": "x"})

    assert (other.status_code, gone.status_code, junk.status_code) == (404, 404, 404)
    assert client.session[SESSION_KEY] == actors.member.pk


def test_switch_only_answers_post(make_actors):
    assert make_actors().member_client.get(reverse("organizations:switch")).status_code == 405


# --- Apply -------------------------------------------------------------------------


def test_apply_page_asks_a_visitor_for_an_account_too(client):
    response = client.get(reverse("organizations:apply"))

    html = _text(response)
    assert response.status_code == 200
    assert 'data-testid="account-card"' in html
    assert 'data-testid="sms-send-apply"' in html
    assert reverse("accounts:sms_code") in html
    assert '"purpose": "apply"' in html
    assert 'name="person_name"' in html


def test_a_visitor_applies_registers_and_is_logged_in(client):
    phone = make_mobile(710_001)
    client.post(reverse("accounts:sms_code"), {"phone": phone, "purpose": "apply"})
    code = sent_code(phone)
    data = _form_data(1) | {
        "phone": phone,
        "code": code,
        "password": "Parts-Mall-2026",
        "person_name": "孙八",
        "accept_terms": "on",
    }

    response = client.post(reverse("organizations:apply"), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:application_status")
    application = Application.objects.get()
    assert (application.applicant.phone, application.applicant.name) == (phone, "孙八")
    assert application.organization.name == "广州申请汽配有限公司1"
    status_page = client.get(response["Location"])
    assert status_page.status_code == 200
    assert "入驻申请已提交，等待平台审核" in _text(status_page)
    assert 'data-testid="step-review"' in _text(status_page)


def test_a_visitors_errors_show_under_the_fields_and_nothing_is_saved(client):
    data = _form_data(1, credit_code="123", licence=None) | {
        "phone": make_mobile(710_002),
        "code": "",
        "password": "x",
        "accept_terms": "",
    }

    response = client.post(reverse("organizations:apply"), data)

    html = _text(response)
    assert response.status_code == 200
    assert 'data-testid="error-credit_code">统一社会信用代码无效' in html
    assert f'data-testid="error-licence">{errors.LICENCE_REQUIRED}' in html
    assert Application.objects.count() == 0
    assert Organization.objects.count() == 0


def test_a_logged_in_person_applies_with_the_organization_part_only():
    person = UserFactory.create()
    client = login_client(user=person)
    assert 'data-testid="account-card"' not in _text(client.get(reverse("organizations:apply")))

    response = client.post(reverse("organizations:apply"), _form_data(2, licence=pdf_upload()))

    assert response.status_code == 302
    application = Application.objects.get(applicant=person)
    assert client.session[SESSION_KEY] == Membership.objects.get(user=person).pk
    assert application.organization.licence.name.endswith(".pdf")


def test_apply_shows_the_duplicate_credit_code_under_its_field():
    OrganizationFactory.create(credit_code=make_credit_code(900_003))
    client = login_client(user=UserFactory.create())

    response = client.post(reverse("organizations:apply"), _form_data(3))

    assert f'data-testid="error-credit_code">{errors.DUPLICATE_CREDIT_CODE}' in _text(response)
    assert Application.objects.count() == 0


def test_apply_with_an_open_application_goes_to_its_status():
    applicant = UserFactory.create()
    application_submit(applicant=applicant, **application_fields(1))

    response = login_client(user=applicant).get(reverse("organizations:apply"))

    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:application_status")


def test_regions_answers_options_for_htmx(client):
    cities = _text(client.get(reverse("organizations:regions"), {"province": PROVINCE}))
    districts = _text(client.get(reverse("organizations:regions"), {"city": CITY}))
    provinces = _text(client.get(reverse("organizations:regions")))

    assert f'<option value="{CITY}">广州市</option>' in cities
    assert 'hx-swap-oob="innerHTML"' in cities
    assert f'<option value="{DISTRICT}">荔湾区</option>' in districts
    assert '<option value="44">广东省</option>' in provinces


# --- Application status and edit ---------------------------------------------------


@pytest.fixture
def pending():
    """A pending applicant (owner), a colleague with a wrong role, and an outsider applicant."""
    applicant = UserFactory.create()
    application = application_submit(applicant=applicant, **application_fields(1))
    owner = Membership.objects.get(user=applicant)
    colleague = MembershipFactory.create(organization=application.organization, role=Role.FINANCE)
    outsider_user = UserFactory.create()
    application_submit(applicant=outsider_user, **application_fields(2))
    outsider = Membership.objects.get(user=outsider_user)
    return application, owner, colleague, outsider


def test_application_status_three_actors(pending):
    application, owner, colleague, outsider = pending
    url = reverse("organizations:application_status")

    mine = owner_page = login_client(owner).get(url)
    colleagues = login_client(colleague).get(url)
    outsiders = login_client(outsider).get(url)

    assert mine.status_code == owner_page.status_code == 200
    assert "广州申请汽配有限公司1" in _text(mine)
    assert colleagues.status_code == 200
    assert outsiders.status_code == 200
    assert "广州申请汽配有限公司1" not in _text(outsiders)


def test_application_status_of_a_rejected_application_offers_the_edit(pending, reviewer):
    application, owner, colleague, _outsider = pending
    application_reject(application=application, by=reviewer.user, reason="执照模糊")

    mine = _text(login_client(owner).get(reverse("organizations:application_status")))
    colleagues = _text(login_client(colleague).get(reverse("organizations:application_status")))

    assert 'data-testid="reject-reason"' in mine
    assert "<strong>驳回原因：</strong>执照模糊" in mine
    assert 'data-testid="application-edit"' in mine
    assert 'data-testid="application-edit"' not in colleagues


def test_application_edit_three_actors(pending, reviewer):
    application, owner, colleague, outsider = pending
    application_reject(application=application, by=reviewer.user, reason="执照模糊")
    url = reverse("organizations:application_edit")

    assert login_client(owner).get(url).status_code == 200
    assert login_client(colleague).get(url).status_code == 403
    # The outsider's own application is not rejected: the page sends them back to it.
    assert login_client(outsider).get(url)["Location"] == reverse("organizations:application_status")


def test_application_edit_resubmits(pending, reviewer):
    application, owner, _colleague, _outsider = pending
    application_reject(application=application, by=reviewer.user, reason="执照模糊")
    client = login_client(owner)
    assert 'value="广州申请汽配有限公司1"' in _text(client.get(reverse("organizations:application_edit")))

    response = client.post(
        reverse("organizations:application_edit"), _form_data(1, licence=png_upload(), name="广州改名汽配")
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.attempt) == (Application.Status.SUBMITTED, 2)
    assert Organization.objects.get(pk=application.organization_id).name == "广州改名汽配"


def test_application_edit_of_a_submitted_application_goes_back_to_status(pending):
    _application, owner, _colleague, _outsider = pending

    response = login_client(owner).post(reverse("organizations:application_edit"), _form_data(1))

    assert response["Location"] == reverse("organizations:application_status")
    assert Application.objects.get(applicant=owner.user).attempt == 1


# --- Licence -----------------------------------------------------------------------


def test_licence_three_actors_and_platform(make_actors, reviewer_client, platform_org):
    actors = make_actors()
    with_licence(actors.organization)
    url = reverse("organizations:licence", args=[actors.organization.pk])
    finance = login_client(MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_FINANCE))

    mine = actors.member_client.get(url)

    assert mine.status_code == 200
    assert mine["Content-Type"] == "image/png"
    assert mine["Content-Disposition"].startswith("inline")
    assert mine.content.startswith(b"\x89PNG")
    assert actors.colleague_client.get(url).status_code == 200
    assert actors.outsider_client.get(url).status_code == 404
    assert reviewer_client.get(url).status_code == 200
    assert finance.get(url).status_code == 404
    assert login_client(user=UserFactory.create()).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_licence_of_an_organization_without_one_is_404(make_actors):
    actors = make_actors()

    response = actors.member_client.get(reverse("organizations:licence", args=[actors.organization.pk]))

    assert response.status_code == 404


# --- Profile -----------------------------------------------------------------------


def test_profile_three_actors(make_actors):
    actors = make_actors()
    url = reverse("organizations:profile")

    mine = actors.member_client.get(url)
    colleagues = actors.colleague_client.get(url)
    outsiders = actors.outsider_client.get(url)

    assert mine.status_code == 200
    assert actors.organization.name in _text(mine)
    assert 'data-testid="invoice-card"' in _text(mine)
    assert 'data-testid="profile-edit"' in _text(mine)
    assert colleagues.status_code == 200
    assert 'data-testid="profile-edit"' not in _text(colleagues)
    assert actors.organization.name not in _text(outsiders)


def test_profile_edit_three_actors(make_actors):
    actors = make_actors()
    url = reverse("organizations:profile_edit")
    data = {
        "province": PROVINCE,
        "city": CITY,
        "district": DISTRICT,
        "address_detail": "新地址 8 号",
        "contact_name": "新联系人",
        "contact_phone": "13900002222",
        "invoice_title": "发票抬头",
    }

    assert actors.colleague_client.post(url, data).status_code == 403
    response = actors.member_client.post(url, data)
    outsiders = actors.outsider_client.post(url, data | {"address_detail": "外人地址"})

    assert response.status_code == 302
    actors.organization.refresh_from_db()
    assert (actors.organization.address_detail, actors.organization.invoice_title) == (
        "新地址 8 号",
        "发票抬头",
    )
    assert outsiders.status_code == 302
    assert Organization.objects.get(pk=actors.other_organization.pk).address_detail == "外人地址"
    assert actors.organization.address_detail == "新地址 8 号"


def test_profile_edit_shows_errors_under_fields(make_actors):
    actors = make_actors()

    response = actors.member_client.post(
        reverse("organizations:profile_edit"),
        {"contact_phone": "12", "contact_name": "甲", "address_detail": "路"},
    )

    html = _text(response)
    assert response.status_code == 200
    assert 'data-testid="error-contact_phone">手机号格式不正确' in html
    assert f'data-testid="error-province">{errors.PROVINCE_REQUIRED}' in html


# --- Members -----------------------------------------------------------------------


def test_members_three_actors(make_actors):
    actors = make_actors()
    url = reverse("organizations:members")

    mine = actors.member_client.get(url)

    html = _text(mine)
    assert mine.status_code == 200
    phone = actors.colleague.user.phone
    assert f"{phone[:3]}****{phone[7:]}" in html
    assert phone not in html
    assert actors.colleague_client.get(url).status_code == 403
    assert actors.colleague.user.phone[:3] + "****" + phone[7:] not in _text(actors.outsider_client.get(url))


def test_member_invite_page_action(make_actors):
    actors = make_actors()
    phone = make_mobile(620_001)

    refused = actors.colleague_client.post(
        reverse("organizations:member_invite"), {"phone": phone, "role": "sales"}
    )
    response = actors.member_client.post(
        reverse("organizations:member_invite"), {"phone": phone, "name": "新人", "role": "sales"}
    )

    assert refused.status_code == 403
    assert response.status_code == 302
    membership = Membership.objects.get(user__phone=phone)
    assert (membership.organization, membership.role) == (actors.organization, Role.SALES)


def test_member_invite_errors_render_under_the_fields(make_actors):
    actors = make_actors()

    response = actors.member_client.post(
        reverse("organizations:member_invite"), {"phone": actors.colleague.user.phone, "role": "sales"}
    )

    assert response.status_code == 200
    assert f'data-testid="error-phone">{errors.DUPLICATE_MEMBER}' in _text(response)


def test_member_role_three_actors(make_actors):
    actors = make_actors()
    url = reverse("organizations:member_role", args=[actors.colleague.pk])
    outsiders_url = reverse("organizations:member_role", args=[actors.outsider.pk])

    refused = actors.colleague_client.post(url, {"role": "sales"})
    foreign = actors.member_client.post(outsiders_url, {"role": "sales"})
    outsider = actors.outsider_client.post(url, {"role": "sales"})
    allowed = actors.member_client.post(url, {"role": "sales"})

    assert (refused.status_code, foreign.status_code, outsider.status_code) == (403, 404, 404)
    assert allowed.status_code == 302
    assert Membership.objects.get(pk=actors.colleague.pk).role == Role.SALES
    assert Membership.objects.get(pk=actors.outsider.pk).role == Role.OWNER


def test_member_role_refusal_is_shown_as_a_message(make_actors):
    actors = make_actors()

    response = actors.member_client.post(
        reverse("organizations:member_role", args=[actors.member.pk]), {"role": "admin"}, follow=True
    )

    assert str(errors.OWN_ROLE) in _text(response)
    assert Membership.objects.get(pk=actors.member.pk).role == Role.OWNER


def test_member_remove_three_actors(make_actors):
    actors = make_actors()
    url = reverse("organizations:member_remove", args=[actors.colleague.pk])

    refused = actors.colleague_client.post(url)
    outsider = actors.outsider_client.post(url)
    allowed = actors.member_client.post(url)

    assert (refused.status_code, outsider.status_code, allowed.status_code) == (403, 404, 302)
    assert Membership.objects.get(pk=actors.colleague.pk).is_active is False
    assert AuditLog.objects.filter(action="member.remove").count() == 1


# --- Platform: review --------------------------------------------------------------


@pytest.fixture
def submitted():
    return application_submit(applicant=UserFactory.create(), **application_fields(1))


def test_platform_pages_are_for_platform_roles_only(make_actors, submitted, platform_org):
    actors = make_actors()
    finance = login_client(MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_FINANCE))
    review_urls = [
        reverse("organizations:review_queue"),
        reverse("organizations:review_detail", args=[submitted.pk]),
    ]
    platform_urls = [
        reverse("organizations:platform_orgs"),
        reverse("organizations:platform_org_detail", args=[actors.organization.pk]),
    ]

    for url in review_urls + platform_urls:
        assert actors.member_client.get(url).status_code == 403, url
        assert login_client(user=UserFactory.create()).get(url).status_code == 403, url
    for url in review_urls:
        assert finance.get(url).status_code == 403, url
    for url in platform_urls:
        assert finance.get(url).status_code == 200, url
    for name in ("review_approve", "review_reject"):
        assert (
            actors.member_client.post(reverse(f"organizations:{name}", args=[submitted.pk])).status_code
            == 403
        )
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED


def test_review_queue_tabs_filters_and_total(reviewer_client, reviewer):
    first = application_submit(applicant=UserFactory.create(), **application_fields(1))
    application_submit(
        applicant=UserFactory.create(), **application_fields(2, kind="repair_shop", channel="search")
    )
    application_reject(application=first, by=reviewer.user, reason="不清晰")
    url = reverse("organizations:review_queue")

    default = _text(reviewer_client.get(url))
    rejected = _text(reviewer_client.get(url, {"status": "rejected"}))
    filtered = _text(reviewer_client.get(url, {"status": "", "kind": "repair_shop"}))
    keyword = _text(reviewer_client.get(url, {"status": "", "keyword": "汽配有限公司1"}))

    assert 'data-testid="count-submitted">1<' in default
    assert 'data-testid="count-rejected">1<' in default
    assert 'data-testid="count-all">2<' in default
    assert "共 1 条" in default
    assert "广州申请汽配有限公司2" in default
    assert "广州申请汽配有限公司1" not in default
    assert "广州申请汽配有限公司1" in rejected
    assert 'data-testid="count-all">1<' in filtered
    assert "广州申请汽配有限公司2" in filtered
    assert "广州申请汽配有限公司1" in keyword
    assert "广州申请汽配有限公司2" not in keyword


def test_review_queue_empty_state(reviewer_client):
    assert "暂无待审核的入驻申请" in _text(reviewer_client.get(reverse("organizations:review_queue")))


def test_review_detail_shows_everything_and_the_actions(reviewer_client, submitted):
    with_licence(submitted.organization)

    response = reviewer_client.get(reverse("organizations:review_detail", args=[submitted.pk]))

    html = _text(response)
    assert response.status_code == 200
    assert submitted.organization.credit_code in html
    assert 'data-testid="licence-image"' in html
    assert 'data-testid="approve"' in html
    assert 'data-testid="reject-form"' in html
    assert 'data-testid="event-history"' in html
    assert reviewer_client.get(reverse("organizations:review_detail", args=[99999])).status_code == 404


def test_review_approve_admits_the_organization(reviewer_client, submitted):
    response = reviewer_client.post(reverse("organizations:review_approve", args=[submitted.pk]), follow=True)

    assert "已通过「广州申请汽配有限公司1」的入驻申请" in _text(response)
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.APPROVED
    assert Organization.objects.get(pk=submitted.organization_id).status == Organization.Status.ACTIVE
    assert Message.objects.get(recipient=submitted.applicant).title == "入驻申请已通过"


def test_review_reject_needs_a_reason_shown_under_the_field(reviewer_client, submitted):
    url = reverse("organizations:review_reject", args=[submitted.pk])

    missing = reviewer_client.post(url, {"reason": ""})
    response = reviewer_client.post(url, {"reason": "执照过期"})

    assert f'data-testid="error-reason">{errors.REASON_REQUIRED}' in _text(missing)
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reject_reason) == (Application.Status.REJECTED, "执照过期")


def test_a_reviewer_cannot_approve_their_own_application(platform_org):
    reviewer = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_REVIEWER)
    application = application_submit(applicant=reviewer.user, **application_fields(1))
    client = login_client(reviewer)

    page = _text(client.get(reverse("organizations:review_detail", args=[application.pk])))
    response = client.post(reverse("organizations:review_approve", args=[application.pk]), follow=True)

    assert 'data-testid="own-application"' in page
    assert 'data-testid="approve"' not in page
    assert str(errors.SELF_REVIEW) in _text(response)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


# --- Platform: organizations -------------------------------------------------------


def test_platform_orgs_lists_with_filters_and_status_tabs(reviewer_client, platform_org):
    OrganizationFactory.create(name="甲汽配", kind="supplier")
    OrganizationFactory.create(name="乙门店", kind="repair_shop", status=Organization.Status.SUSPENDED)
    url = reverse("organizations:platform_orgs")

    everyone = _text(reviewer_client.get(url))
    suspended = _text(reviewer_client.get(url, {"status": "suspended"}))
    shops = _text(reviewer_client.get(url, {"kind": "repair_shop"}))

    assert "甲汽配" in everyone
    assert "乙门店" in everyone
    assert f'data-testid="org-row-{platform_org.pk}"' not in everyone
    assert 'data-testid="count-all">2<' in everyone
    assert 'data-testid="count-suspended">1<' in everyone
    assert "乙门店" in suspended
    assert "甲汽配" not in suspended
    assert "乙门店" in shops
    assert "甲汽配" not in shops
    assert 'pm-tag pm-tag-red" data-testid="status-tag">已停用' in everyone


def test_platform_org_detail_shows_suspend_form_to_operators(platform_org, make_actors, reviewer_client):
    actors = make_actors()
    operator = login_client(MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_OPERATOR))
    url = reverse("organizations:platform_org_detail", args=[actors.organization.pk])

    operators = _text(operator.get(url))
    reviewers = _text(reviewer_client.get(url))

    assert 'data-testid="suspend-form"' in operators
    assert reverse("integrations:organization_suspend", args=[actors.organization.pk]) in operators
    assert 'data-testid="suspend-form"' not in reviewers
    phone = actors.colleague.user.phone
    assert f"{phone[:3]}****{phone[7:]}" in operators
    assert (
        reviewer_client.get(reverse("organizations:platform_org_detail", args=[platform_org.pk])).status_code
        == 404
    )


def test_operator_console_offers_review_only_to_reviewers(platform_org, reviewer_client):
    operator = login_client(MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_OPERATOR))

    operators = _text(operator.get(reverse("organizations:home")))
    reviewers = _text(reviewer_client.get(reverse("organizations:home")))

    assert 'data-testid="go-review"' not in operators
    assert 'data-testid="go-review"' in reviewers


def test_a_failed_apply_asks_to_choose_the_licence_again():
    client = login_client(user=UserFactory.create())

    response = client.post(reverse("organizations:apply"), _form_data(4, contact_phone="12"))

    assert 'data-testid="licence-reselect"' in _text(response)
    assert Application.objects.count() == 0
