"""Writes of an organization itself: its status (one transition table) and its profile."""

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.notifications.services import message_send
from partsmall.organizations import errors
from partsmall.organizations.errors import ErrorCode
from partsmall.organizations.models import (
    ORGANIZATION_TRANSITIONS,
    Membership,
    Organization,
    OrganizationEvent,
)
from partsmall.organizations.services.common import audit, save_validated
from partsmall.organizations.services.fields import ORGANIZATION_FIELDS, REGION_FIELDS, clean_organization

if TYPE_CHECKING:
    from partsmall.accounts.models import User

REASON_MAX_LENGTH = 500
PROFILE_FIELDS = frozenset(ORGANIZATION_FIELDS + REGION_FIELDS)
# Fixed once the organization has been admitted (入驻后不可改).
LOCKED_WHEN_ACTIVE = frozenset({"name", "credit_code"})


def clean_reason(reason: str, *, required: bool) -> str:
    text = (reason or "").strip()
    if required and not text:
        raise ApplicationError(errors.REASON_REQUIRED, code=ErrorCode.INVALID, field="reason")
    if len(text) > REASON_MAX_LENGTH:
        raise ApplicationError(errors.REASON_TOO_LONG, code=ErrorCode.INVALID, field="reason")
    return text


def _status_label(status: str) -> str:
    return str(Organization.Status(status).label) if status in Organization.Status.values else status


@transaction.atomic
def organization_set_status(
    *, organization: Organization, to_status: str, by: "User", reason: str = ""
) -> Organization:
    """Move an organization along ORGANIZATION_TRANSITIONS, with an event and an audit row.

    A suspension needs a reason. Members' sessions end on their next request (the
    middleware refuses a suspended organization); revoking API keys is the caller's
    part (integrations owns the suspend entry points).
    """
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.is_platform:
        raise ApplicationError(errors.PLATFORM_STATUS_LOCKED, code=ErrorCode.PLATFORM_STATUS)
    from_status = org.status
    if to_status not in ORGANIZATION_TRANSITIONS.get(from_status, frozenset()):
        raise ApplicationError(
            errors.ILLEGAL_ORGANIZATION_TRANSITION
            % {"from": _status_label(from_status), "to": _status_label(to_status)},
            code=ErrorCode.ILLEGAL_TRANSITION,
        )
    reason = clean_reason(reason, required=to_status == Organization.Status.SUSPENDED)
    org.status = to_status
    save_validated(org, update_fields=["status", "updated_at"])
    save_validated(
        OrganizationEvent(
            organization=org, actor=by, from_status=from_status, to_status=to_status, reason=reason
        )
    )
    audit(
        organization=org,
        actor=by,
        action="organization.status",
        target=org.name,
        details={"from": from_status, "to": to_status, "reason": reason},
    )
    if from_status != Organization.Status.PENDING:
        # Admission is told to the applicant by the application's own message.
        _notify_members_of_status(org, reason=reason)
    organization.status = org.status
    return org


def _notify_members_of_status(org: Organization, *, reason: str) -> None:
    if org.status == Organization.Status.SUSPENDED:
        title = gettext("「%(org)s」已被平台停用") % {"org": org.name}
        body = gettext("停用原因：%(reason)s。如有疑问请联系平台客服。") % {"reason": reason.rstrip("。. ")}
    else:
        title = gettext("「%(org)s」已恢复启用") % {"org": org.name}
        body = reason
    link = reverse("organizations:home")
    for membership in Membership.objects.filter(organization=org, is_active=True).select_related("user"):
        message_send(
            recipient=membership.user,
            title=title[:200],
            body=body,
            link=link,
            kind="organization_status",
            organization_id=org.pk,
        )


@transaction.atomic
def organization_update_profile(*, organization: Organization, by: "User", **fields: Any) -> Organization:
    """Update contact, address and invoice details (开票信息).

    Accepts any of PROFILE_FIELDS; province, city and district are checked as one chain
    when any of them is given. Name and credit code are fixed once active.
    """
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"organization_update_profile() got unexpected fields: {sorted(unknown)}")
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    locked = LOCKED_WHEN_ACTIVE & set(fields) if org.status != Organization.Status.PENDING else set()
    locked = {f for f in locked if fields[f] != getattr(org, f)}
    if locked:
        raise FieldErrors({field: [str(errors.NAME_LOCKED)] for field in sorted(locked)})
    names = set(fields)
    if names & set(REGION_FIELDS):
        names |= set(REGION_FIELDS)
    raw = {field: getattr(org, field) for field in PROFILE_FIELDS} | fields
    data = clean_organization(raw, fields=tuple(sorted(names)), licence_required=False, exclude_pk=org.pk)
    changed = sorted(f for f in names if getattr(org, f) != data[f])
    for field in changed:
        setattr(org, field, data[field])
    if changed:
        save_validated(org)
        audit(
            organization=org,
            actor=by,
            action="organization.profile",
            target=org.name,
            details={"fields": changed},
        )
    return org
