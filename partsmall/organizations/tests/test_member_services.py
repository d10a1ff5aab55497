import pytest
from django.urls import reverse

from conftest import login_client
from partsmall.accounts.models import User
from partsmall.accounts.tests.factories import UserFactory
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.core.models import OutboxMessage
from partsmall.core.testing import make_mobile
from partsmall.notifications.models import Message
from partsmall.organizations import errors
from partsmall.organizations.models import AuditLog, Membership
from partsmall.organizations.roles import Role
from partsmall.organizations.services import member_change_role, member_invite, member_remove
from partsmall.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner() -> Membership:
    return MembershipFactory.create(organization=OrganizationFactory.create(name="星辰汽配"), role=Role.OWNER)


def test_invite_a_new_person_creates_them_without_password_and_texts_them(
    owner, django_capture_on_commit_callbacks
):
    phone = make_mobile(600_001)

    with django_capture_on_commit_callbacks(execute=True):
        membership = member_invite(
            organization=owner.organization, by=owner.user, phone=phone, name="赵六", role=Role.SALES
        )

    user = User.objects.get(phone=phone)
    assert (membership.user, membership.role, membership.is_active, membership.invited_by) == (
        user,
        Role.SALES,
        True,
        owner.user,
    )
    assert user.name == "赵六"
    assert not user.has_usable_password()
    sms = OutboxMessage.objects.get(to=phone)
    assert "星辰汽配" in sms.body
    assert "销售" in sms.body
    assert "短信验证码登录" in sms.body
    audit = AuditLog.objects.get(action="member.invite")
    assert (audit.organization, audit.actor, audit.target) == (owner.organization, owner.user, "139****0001")
    assert audit.details == {"user_id": user.pk, "role": "sales", "reactivated": False}
    assert Message.objects.count() == 0


def test_no_sms_leaves_before_the_invitation_is_committed(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        member_invite(
            organization=owner.organization, by=owner.user, phone=make_mobile(600_002), role=Role.SALES
        )

    assert len(callbacks) == 1
    assert OutboxMessage.objects.count() == 0


def test_invite_an_existing_person_also_sends_an_inbox_message(owner):
    person = UserFactory.create(name="钱七")

    member_invite(organization=owner.organization, by=owner.user, phone=person.phone, role=Role.FINANCE)

    assert Membership.objects.get(user=person).role == Role.FINANCE
    assert Message.objects.get(recipient=person).title == "您已加入「星辰汽配」"
    assert person.has_usable_password()


def test_invite_refuses_a_role_the_kind_does_not_have(owner):
    with pytest.raises(FieldErrors) as caught:
        member_invite(
            organization=owner.organization, by=owner.user, phone=make_mobile(600_003), role=Role.TECHNICIAN
        )

    assert caught.value.errors == {"role": [str(errors.ROLE_NOT_ALLOWED)]}
    assert not User.objects.filter(phone=make_mobile(600_003)).exists()
    assert AuditLog.objects.count() == 0


def test_invite_refuses_a_bad_phone(owner):
    with pytest.raises(FieldErrors) as caught:
        member_invite(organization=owner.organization, by=owner.user, phone="1234", role=Role.SALES)

    assert caught.value.errors == {"phone": ["手机号格式不正确，请输入 11 位中国大陆手机号。"]}
    assert Membership.objects.count() == 1


def test_invite_refuses_a_current_member(owner):
    colleague = MembershipFactory.create(organization=owner.organization, role=Role.SALES)

    with pytest.raises(FieldErrors) as caught:
        member_invite(
            organization=owner.organization, by=owner.user, phone=colleague.user.phone, role=Role.FINANCE
        )

    assert caught.value.errors == {"phone": [str(errors.DUPLICATE_MEMBER)]}
    colleague.refresh_from_db()
    assert colleague.role == Role.SALES
    assert AuditLog.objects.count() == 0


def test_invite_brings_back_a_removed_member(owner):
    removed = MembershipFactory.create(organization=owner.organization, role=Role.SALES, is_active=False)

    membership = member_invite(
        organization=owner.organization, by=owner.user, phone=removed.user.phone, role=Role.WAREHOUSE
    )

    assert membership.pk == removed.pk
    removed.refresh_from_db()
    assert (removed.is_active, removed.removed_at, removed.role) == (True, None, Role.WAREHOUSE)
    assert AuditLog.objects.get(action="member.invite").details["reactivated"] is True


def test_only_an_owner_grants_the_owner_role(owner):
    admin = MembershipFactory.create(organization=owner.organization, role=Role.ADMIN)

    with pytest.raises(ApplicationError) as caught:
        member_invite(
            organization=owner.organization, by=admin.user, phone=make_mobile(600_004), role=Role.OWNER
        )

    assert (caught.value.message, caught.value.field) == (errors.TOP_ROLE_ONLY, "role")
    assert not User.objects.filter(phone=make_mobile(600_004)).exists()


def test_change_role_writes_an_audit_row_and_tells_the_member(owner):
    colleague = MembershipFactory.create(organization=owner.organization, role=Role.SALES)

    membership = member_change_role(membership=colleague, by=owner.user, role=Role.WAREHOUSE)

    assert Membership.objects.get(pk=colleague.pk).role == Role.WAREHOUSE
    assert membership.role == Role.WAREHOUSE
    audit = AuditLog.objects.get(action="member.role")
    assert audit.details == {"user_id": colleague.user_id, "from": "sales", "to": "warehouse"}
    assert Message.objects.get(recipient=colleague.user).title == "您在「星辰汽配」的角色已变更为仓管"


def test_nobody_changes_their_own_role(owner):
    with pytest.raises(ApplicationError) as caught:
        member_change_role(membership=owner, by=owner.user, role=Role.ADMIN)

    assert caught.value.message == errors.OWN_ROLE
    assert Membership.objects.get(pk=owner.pk).role == Role.OWNER


def test_change_role_refuses_a_role_the_kind_does_not_have(owner):
    colleague = MembershipFactory.create(organization=owner.organization, role=Role.SALES)

    with pytest.raises(FieldErrors):
        member_change_role(membership=colleague, by=owner.user, role=Role.PLATFORM_ADMIN)

    assert Membership.objects.get(pk=colleague.pk).role == Role.SALES


def test_the_last_owner_can_be_neither_demoted_nor_removed(owner):
    admin = MembershipFactory.create(organization=owner.organization, role=Role.ADMIN)

    with pytest.raises(ApplicationError) as demoted:
        member_change_role(membership=owner, by=admin.user, role=Role.SALES)
    with pytest.raises(ApplicationError) as removed:
        member_remove(membership=owner, by=admin.user)

    assert demoted.value.message == errors.LAST_OWNER
    assert removed.value.message == errors.LAST_OWNER
    owner.refresh_from_db()
    assert (owner.role, owner.is_active) == (Role.OWNER, True)
    assert AuditLog.objects.count() == 0


def test_an_owner_may_remove_another_owner_but_an_admin_may_not(owner):
    second = MembershipFactory.create(organization=owner.organization, role=Role.OWNER)
    admin = MembershipFactory.create(organization=owner.organization, role=Role.ADMIN)

    with pytest.raises(ApplicationError) as caught:
        member_remove(membership=second, by=admin.user)
    member_remove(membership=second, by=owner.user)

    assert caught.value.message == errors.TOP_ROLE_ONLY
    assert Membership.objects.get(pk=second.pk).is_active is False


def test_remove_is_soft_with_an_audit_row_and_a_message(owner):
    colleague = MembershipFactory.create(organization=owner.organization, role=Role.SALES)

    member_remove(membership=colleague, by=owner.user)

    colleague.refresh_from_db()
    assert colleague.is_active is False
    assert colleague.removed_at is not None
    audit = AuditLog.objects.get(action="member.remove")
    assert audit.details == {"user_id": colleague.user_id, "role": "sales"}
    assert Message.objects.get(recipient=colleague.user).title == "您已被移出「星辰汽配」"


def test_remove_refuses_oneself_and_an_already_removed_member(owner):
    gone = MembershipFactory.create(organization=owner.organization, role=Role.SALES, is_active=False)

    with pytest.raises(ApplicationError) as itself:
        member_remove(membership=owner, by=owner.user)
    with pytest.raises(ApplicationError) as twice:
        member_remove(membership=gone, by=owner.user)

    assert itself.value.message == errors.OWN_REMOVAL
    assert twice.value.message == errors.MEMBER_ALREADY_REMOVED
    assert AuditLog.objects.count() == 0


def test_removal_ends_that_members_session(owner):
    colleague = MembershipFactory.create(organization=owner.organization, role=Role.SALES)
    client = login_client(colleague)
    assert client.get(reverse("organizations:profile")).status_code == 200

    member_remove(membership=colleague, by=owner.user)
    response = client.get(reverse("organizations:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_platform_keeps_its_last_platform_admin(platform_org):
    admin = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_ADMIN)
    reviewer = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_REVIEWER)

    with pytest.raises(ApplicationError) as caught:
        member_change_role(membership=admin, by=reviewer.user, role=Role.PLATFORM_REVIEWER)

    assert caught.value.message == errors.LAST_OWNER
    assert Membership.objects.get(pk=admin.pk).role == Role.PLATFORM_ADMIN


def test_invite_needs_a_role(owner):
    with pytest.raises(FieldErrors) as caught:
        member_invite(organization=owner.organization, by=owner.user, phone=make_mobile(600_005), role="")

    assert caught.value.errors == {"role": [str(errors.ROLE_REQUIRED)]}
    assert not User.objects.filter(phone=make_mobile(600_005)).exists()
