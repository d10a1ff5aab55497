import pytest
from django.urls import reverse

from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.notifications.models import Message
from partsmall.organizations import errors
from partsmall.organizations.models import AuditLog, Organization, OrganizationEvent, Region
from partsmall.organizations.roles import Role
from partsmall.organizations.services import organization_set_status, organization_update_profile
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

INVALID_PHONE = "手机号格式不正确，请输入 11 位中国大陆手机号。"


def test_suspend_writes_event_and_audit_and_tells_the_members(reviewer):
    org = OrganizationFactory.create()
    owner = MembershipFactory.create(organization=org, role=Role.OWNER)
    buyer = MembershipFactory.create(organization=org, role=Role.FINANCE)
    MembershipFactory.create(organization=org, role=Role.SALES, is_active=False)

    result = organization_set_status(
        organization=org, to_status=Organization.Status.SUSPENDED, by=reviewer.user, reason="资质过期"
    )

    assert result.status == Organization.Status.SUSPENDED
    assert Organization.objects.get(pk=org.pk).status == Organization.Status.SUSPENDED
    event = OrganizationEvent.objects.get(organization=org)
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        "active",
        "suspended",
        reviewer.user,
        "资质过期",
    )
    audit = AuditLog.objects.get(organization=org)
    assert (audit.action, audit.actor, audit.details) == (
        "organization.status",
        reviewer.user,
        {"from": "active", "to": "suspended", "reason": "资质过期"},
    )
    recipients = set(Message.objects.values_list("recipient", flat=True))
    assert recipients == {owner.user_id, buyer.user_id}
    assert Message.objects.filter(title=f"「{org.name}」已被平台停用").count() == 2


def test_reactivate_a_suspended_organization(reviewer):
    org = OrganizationFactory.create(status=Organization.Status.SUSPENDED)

    organization_set_status(organization=org, to_status=Organization.Status.ACTIVE, by=reviewer.user)

    assert Organization.objects.get(pk=org.pk).status == Organization.Status.ACTIVE


def test_suspension_needs_a_reason(reviewer):
    org = OrganizationFactory.create()

    with pytest.raises(ApplicationError) as caught:
        organization_set_status(organization=org, to_status=Organization.Status.SUSPENDED, by=reviewer.user)

    assert (caught.value.message, caught.value.field) == (errors.REASON_REQUIRED, "reason")
    assert Organization.objects.get(pk=org.pk).status == Organization.Status.ACTIVE
    assert OrganizationEvent.objects.count() == 0
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (Organization.Status.PENDING, Organization.Status.SUSPENDED),
        (Organization.Status.ACTIVE, Organization.Status.PENDING),
        (Organization.Status.ACTIVE, Organization.Status.ACTIVE),
        (Organization.Status.REJECTED, Organization.Status.ACTIVE),
    ],
)
def test_illegal_organization_transitions_are_refused(reviewer, from_status, to_status):
    org = OrganizationFactory.create(status=from_status)

    with pytest.raises(ApplicationError) as caught:
        organization_set_status(organization=org, to_status=to_status, by=reviewer.user, reason="x")

    assert caught.value.code == "illegal_transition"
    assert str(caught.value.message) == (
        f"组织当前为「{Organization.Status(from_status).label}」，不能变更为「{Organization.Status(to_status).label}」。"
    )
    assert Organization.objects.get(pk=org.pk).status == from_status
    assert OrganizationEvent.objects.count() == 0


def test_the_platform_organization_cannot_be_suspended(platform_org, reviewer):
    with pytest.raises(ApplicationError) as caught:
        organization_set_status(
            organization=platform_org, to_status=Organization.Status.SUSPENDED, by=reviewer.user, reason="x"
        )

    assert caught.value.message == errors.PLATFORM_STATUS_LOCKED
    assert Organization.objects.get(pk=platform_org.pk).status == Organization.Status.ACTIVE


def test_suspension_ends_a_members_session(make_actors, reviewer):
    actors = make_actors()
    client = actors.member_client
    assert client.get(reverse("organizations:profile")).status_code == 200

    organization_set_status(
        organization=actors.organization,
        to_status=Organization.Status.SUSPENDED,
        by=reviewer.user,
        reason="违规",
    )
    response = client.get(reverse("organizations:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_update_profile_changes_contact_address_and_invoice_with_an_audit_row():
    org = OrganizationFactory.create()
    owner = MembershipFactory.create(organization=org)

    result = organization_update_profile(
        organization=org,
        by=owner.user,
        contact_name="王五",
        contact_phone="13900001111",
        province="44",
        city="4403",
        district="440305",
        invoice_title="深圳汽配",
        invoice_bank_account="6222 0202 0000 1234",
    )

    org.refresh_from_db()
    assert (org.contact_name, org.contact_phone, org.invoice_title) == ("王五", "13900001111", "深圳汽配")
    assert org.invoice_bank_account == "6222020200001234"
    assert org.district == Region.objects.get(code="440305")
    assert result.pk == org.pk
    audit = AuditLog.objects.get(organization=org, action="organization.profile")
    assert audit.details == {
        "fields": [
            "city",
            "contact_name",
            "contact_phone",
            "district",
            "invoice_bank_account",
            "invoice_title",
            "province",
        ]
    }


def test_update_profile_refuses_name_and_credit_code_once_active():
    org = OrganizationFactory.create(name="原名汽配")
    owner = MembershipFactory.create(organization=org)

    with pytest.raises(FieldErrors) as caught:
        organization_update_profile(organization=org, by=owner.user, name="新名汽配", contact_name="王五")

    assert caught.value.errors == {"name": [str(errors.NAME_LOCKED)]}
    org.refresh_from_db()
    assert (org.name, org.contact_name) != ("新名汽配", "王五")
    assert AuditLog.objects.count() == 0


def test_update_profile_refuses_bad_fields_and_saves_nothing():
    org = OrganizationFactory.create(contact_phone="13800000001")
    owner = MembershipFactory.create(organization=org)

    with pytest.raises(FieldErrors) as caught:
        organization_update_profile(
            organization=org, by=owner.user, contact_phone="123", province="44", city="1101", district=""
        )

    assert caught.value.errors == {
        "contact_phone": [INVALID_PHONE],
        "city": [str(errors.CITY_NOT_IN_PROVINCE)],
        "district": [str(errors.DISTRICT_REQUIRED)],
    }
    org.refresh_from_db()
    assert (org.contact_phone, org.province_id) == ("13800000001", None)


def test_update_profile_refuses_unknown_fields():
    org = OrganizationFactory.create()

    with pytest.raises(TypeError):
        organization_update_profile(organization=org, by=None, status="active")  # type: ignore[arg-type]
