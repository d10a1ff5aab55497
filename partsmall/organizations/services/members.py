"""Members 成员 of an organization: invite, change role, remove. Each writes an audit row.

The top role (owner; on the platform, platform admin) is granted, changed and removed
only by a holder of it, and an organization always keeps at least one. A removed
member's session ends on the next request (the middleware refuses an inactive membership).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from partsmall.accounts.models import User
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.core.sms import send_sms
from partsmall.core.validators import mask_phone, normalize_cn_mobile
from partsmall.notifications.services import message_send
from partsmall.organizations import errors
from partsmall.organizations.errors import ErrorCode
from partsmall.organizations.models import Membership, Organization
from partsmall.organizations.roles import Role, roles_for_kind
from partsmall.organizations.services.common import audit, save_validated

MEMBER_NAME_MAX_LENGTH = 50


def top_role(organization: Organization) -> Role:
    return Role.PLATFORM_ADMIN if organization.is_platform else Role.OWNER


def _role_of(user: User, organization: Organization) -> str | None:
    return (
        Membership.objects.filter(user=user, organization=organization, is_active=True)
        .values_list("role", flat=True)
        .first()
    )


def _check_role_allowed(organization: Organization, role: str) -> None:
    if not role:
        raise FieldErrors({"role": [str(errors.ROLE_REQUIRED)]})
    if role not in roles_for_kind(organization.kind):
        raise FieldErrors({"role": [str(errors.ROLE_NOT_ALLOWED)]})


def _check_top_role_holder(organization: Organization, by: User, *roles: str) -> None:
    top = top_role(organization)
    if top in roles and _role_of(by, organization) != top:
        raise ApplicationError(errors.TOP_ROLE_ONLY, code=ErrorCode.INVALID, field="role")


def _check_keeps_a_top_role(membership: Membership) -> None:
    """Refuse taking the top role from its last holder (holders locked against a race)."""
    top = top_role(membership.organization)
    if membership.role != top:
        return
    holders = list(
        Membership.objects.select_for_update()
        .filter(organization_id=membership.organization_id, role=top, is_active=True)
        .values_list("pk", flat=True)
    )
    if holders == [membership.pk]:
        raise ApplicationError(errors.LAST_OWNER, code=ErrorCode.LAST_OWNER)


def _lock(membership: Membership) -> Membership:
    locked = (
        Membership.objects.select_for_update().select_related("organization", "user").get(pk=membership.pk)
    )
    if not locked.is_active:
        raise ApplicationError(errors.MEMBER_ALREADY_REMOVED, code=ErrorCode.MEMBER_REMOVED)
    return locked


def _clean_invitee(phone: str, name: str) -> tuple[str, str]:
    found: dict[str, list[str]] = {}
    try:
        phone = normalize_cn_mobile(phone)
    except ValidationError as exc:
        found["phone"] = [str(m) for m in exc.messages]
    name = (name or "").strip()
    if len(name) > MEMBER_NAME_MAX_LENGTH:
        found["name"] = [str(errors.MEMBER_NAME_TOO_LONG)]
    if found:
        raise FieldErrors(found)
    return phone, name


def _invited_user(phone: str, name: str) -> tuple[User, bool]:
    """(the person with this phone, created now?). A new person gets no password: they
    log in with an SMS code."""
    user = User.objects.filter(phone=phone).first()
    if user is not None:
        return user, False
    user = User(phone=phone, name=name)
    user.set_unusable_password()
    save_validated(user)
    return user, True


@transaction.atomic
def member_invite(
    *, organization: Organization, by: User, phone: str, name: str = "", role: str
) -> Membership:
    """Add a person by phone (created if new), or bring back a removed member."""
    phone, name = _clean_invitee(phone, name)
    _check_role_allowed(organization, role)
    _check_top_role_holder(organization, by, role)
    existing = (
        Membership.objects.select_for_update().filter(organization=organization, user__phone=phone).first()
    )
    if existing is not None and existing.is_active:
        raise FieldErrors({"phone": [str(errors.DUPLICATE_MEMBER)]})
    user, created = _invited_user(phone, name)
    membership = existing or Membership(user=user, organization=organization)
    membership.role = role
    membership.is_active = True
    membership.removed_at = None
    membership.invited_by = by
    save_validated(membership)
    audit(
        organization=organization,
        actor=by,
        action="member.invite",
        target=mask_phone(phone),
        details={"user_id": user.pk, "role": role, "reactivated": existing is not None},
    )
    _tell_invitee(membership, by=by, new_person=created)
    return membership


def _tell_invitee(membership: Membership, *, by: User, new_person: bool) -> None:
    org = membership.organization
    values = {"inviter": by.get_full_name(), "org": org.name, "role": membership.get_role_display()}
    text = (
        gettext(
            "【汽配商城】%(inviter)s 邀请您加入「%(org)s」，角色：%(role)s。"
            "请打开汽配商城，用本手机号通过短信验证码登录。"
        )
        % values
    )
    phone = membership.user.phone
    # The SMS leaves only once the membership is committed.
    transaction.on_commit(lambda: send_sms(phone=phone, text=text))
    if not new_person:
        message_send(
            recipient=membership.user,
            title=(gettext("您已加入「%(org)s」") % values)[:200],
            body=gettext("%(inviter)s 邀请您加入「%(org)s」，角色：%(role)s。") % values,
            link=reverse("organizations:home"),
            kind="membership",
            organization_id=org.pk,
        )


@transaction.atomic
def member_change_role(*, membership: Membership, by: User, role: str) -> Membership:
    membership = _lock(membership)
    org = membership.organization
    if membership.user_id == by.pk:
        raise ApplicationError(errors.OWN_ROLE, code=ErrorCode.OWN_MEMBERSHIP, field="role")
    _check_role_allowed(org, role)
    if role == membership.role:
        return membership
    if role != top_role(org):
        _check_keeps_a_top_role(membership)
    _check_top_role_holder(org, by, membership.role, role)
    old_role = membership.role
    membership.role = role
    save_validated(membership, update_fields=["role"])
    audit(
        organization=org,
        actor=by,
        action="member.role",
        target=mask_phone(membership.user.phone),
        details={"user_id": membership.user_id, "from": old_role, "to": role},
    )
    message_send(
        recipient=membership.user,
        title=(
            gettext("您在「%(org)s」的角色已变更为%(role)s")
            % {"org": org.name, "role": membership.get_role_display()}
        )[:200],
        link=reverse("organizations:home"),
        kind="membership",
        organization_id=org.pk,
    )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, by: User) -> Membership:
    """Soft removal: the row stays (is_active False, removed_at) for the audit trail."""
    membership = _lock(membership)
    org = membership.organization
    if membership.user_id == by.pk:
        raise ApplicationError(errors.OWN_REMOVAL, code=ErrorCode.OWN_MEMBERSHIP)
    _check_keeps_a_top_role(membership)
    _check_top_role_holder(org, by, membership.role)
    membership.is_active = False
    membership.removed_at = timezone.now()
    save_validated(membership, update_fields=["is_active", "removed_at"])
    audit(
        organization=org,
        actor=by,
        action="member.remove",
        target=mask_phone(membership.user.phone),
        details={"user_id": membership.user_id, "role": membership.role},
    )
    message_send(
        recipient=membership.user,
        title=(gettext("您已被移出「%(org)s」") % {"org": org.name})[:200],
        kind="membership",
        organization_id=org.pk,
    )
    return membership
