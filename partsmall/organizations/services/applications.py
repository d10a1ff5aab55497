"""Onboarding applications 入驻申请: submit, resubmit, and the one transition service."""

from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from partsmall.accounts.services import user_register
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.notifications.services import message_send
from partsmall.organizations import errors
from partsmall.organizations.errors import ErrorCode
from partsmall.organizations.models import (
    APPLICATION_TRANSITIONS,
    Application,
    ApplicationEvent,
    Membership,
    Organization,
)
from partsmall.organizations.roles import Role
from partsmall.organizations.services.common import save_validated
from partsmall.organizations.services.fields import ORGANIZATION_FIELDS, REGION_FIELDS, clean_organization
from partsmall.organizations.services.organization import clean_reason, organization_set_status

if TYPE_CHECKING:
    from partsmall.accounts.models import User

APPLICATION_FIELDS = ("kind", *ORGANIZATION_FIELDS, *REGION_FIELDS, "licence", "channel", "referral_code")
_ORGANIZATION_ATTRS = ("kind", *ORGANIZATION_FIELDS, *REGION_FIELDS)
_DECISIONS = frozenset({Application.Status.APPROVED, Application.Status.REJECTED})


def _check_no_open_application(applicant: "User") -> None:
    open_statuses = [Application.Status.SUBMITTED, Application.Status.REJECTED]
    if Application.objects.filter(applicant=applicant, status__in=open_statuses).exists():
        raise ApplicationError(errors.OPEN_APPLICATION_EXISTS, code=ErrorCode.OPEN_APPLICATION)


def _fill_organization(org: Organization, data: dict[str, Any]) -> None:
    for field in _ORGANIZATION_ATTRS:
        setattr(org, field, data[field])
    if data.get("licence"):
        upload, name = data["licence"]
        org.licence = File(upload, name=name)


def _save_organization(org: Organization) -> None:
    """Save; a credit code taken by a concurrent application becomes its field error."""
    try:
        with transaction.atomic():
            save_validated(org)
    except IntegrityError:
        raise FieldErrors({"credit_code": [str(errors.DUPLICATE_CREDIT_CODE)]}) from None


@transaction.atomic
def application_submit(
    *,
    applicant: "User",
    kind: str,
    name: str,
    credit_code: str,
    licence: File | None,
    province: Any,
    city: Any,
    district: Any,
    address_detail: str,
    contact_name: str,
    contact_phone: str,
    invoice_title: str = "",
    invoice_tax_number: str = "",
    invoice_bank_name: str = "",
    invoice_bank_account: str = "",
    invoice_address: str = "",
    invoice_phone: str = "",
    channel: str = Application.Channel.OTHER,
    referral_code: str = "",
) -> Application:
    """Apply to join: a pending organization, its owner (the applicant), the application.

    Regions are Region rows or their codes. Every field is checked before anything is
    written; all field errors come back at once (FieldErrors).
    """
    raw = {k: v for k, v in locals().items() if k != "applicant"}
    _check_no_open_application(applicant)
    data = clean_organization(raw, fields=APPLICATION_FIELDS, licence_required=True, exclude_pk=None)
    org = Organization(status=Organization.Status.PENDING)
    _fill_organization(org, data)
    _save_organization(org)
    save_validated(Membership(user=applicant, organization=org, role=Role.OWNER))
    application = Application(
        organization=org,
        applicant=applicant,
        channel=data["channel"],
        referral_code=data["referral_code"],
        submitted_at=timezone.now(),
    )
    save_validated(application)
    _record_event(application, by=applicant, from_status="", reason="")
    return application


def application_register_and_submit(
    *,
    phone: str,
    code: str,
    password: str,
    person_name: str = "",
    accept_terms: bool,
    ip: str | None,
    **fields: Any,
) -> Application:
    """A visitor's application: register the person (SMS code purpose "apply"), then apply.

    `fields` are application_submit's; the person's own name is `person_name` (its
    errors come back under that field, apart from the organization's `name`).
    The organization's fields are checked first, so a typo there spends no SMS code.
    Not one transaction on purpose: accounts commits the code's wrong-try count before
    it writes the person (see accounts.services), and a transaction around it would roll
    that count back. The application is then written atomically by application_submit.
    """
    clean_organization(fields, fields=APPLICATION_FIELDS, licence_required=True, exclude_pk=None)
    try:
        applicant = user_register(
            phone=phone,
            password=password,
            name=person_name,
            code=code,
            purpose="apply",
            ip=ip,
            accept_terms=accept_terms,
        )
    except FieldErrors as exc:
        raise FieldErrors(_person_errors(exc.errors)) from None
    except ApplicationError as exc:
        messages = exc.extra.get("messages") or [str(exc.message)]
        raise FieldErrors(_person_errors({exc.field or "__all__": messages})) from None
    return application_submit(applicant=applicant, **fields)


def _person_errors(found: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        ("person_name" if field == "name" else field): [str(m) for m in ms] for field, ms in found.items()
    }


@transaction.atomic
def application_resubmit(*, application: Application, by: "User", **fields: Any) -> Application:
    """Correct a rejected application and send it for review again (attempt + 1).

    Takes the fields of application_submit; without a new licence the old one is kept.
    """
    application = (
        Application.objects.select_for_update().select_related("organization").get(pk=application.pk)
    )
    if not application.can_resubmit():
        raise ApplicationError(errors.NOT_REJECTED, code=ErrorCode.ILLEGAL_TRANSITION)
    org = application.organization
    data = clean_organization(fields, fields=APPLICATION_FIELDS, licence_required=False, exclude_pk=org.pk)
    _fill_organization(org, data)
    _save_organization(org)
    application.channel = data["channel"]
    application.referral_code = data["referral_code"]
    save_validated(application, update_fields=["channel", "referral_code"])
    return application_transition(application=application, to_status=Application.Status.SUBMITTED, by=by)


def _check_reviewer(application: Application, by: "User") -> None:
    own = (
        by.pk == application.applicant_id
        or Membership.objects.filter(
            user=by, organization_id=application.organization_id, is_active=True
        ).exists()
    )
    if own:
        raise ApplicationError(errors.SELF_REVIEW, code=ErrorCode.SELF_REVIEW)


def _status_label(status: str) -> str:
    return str(Application.Status(status).label) if status in Application.Status.values else status


@transaction.atomic
def application_transition(
    *, application: Application, to_status: str, by: "User", reason: str = ""
) -> Application:
    """The one service that moves an application along APPLICATION_TRANSITIONS.

    Writes the event row, admits the organization on approval, and tells the applicant.
    A rejection keeps the organization pending: its credit code stays reserved for the
    applicant's corrected application.
    """
    application = (
        Application.objects.select_for_update().select_related("organization").get(pk=application.pk)
    )
    from_status = application.status
    if to_status not in APPLICATION_TRANSITIONS.get(from_status, frozenset()):
        raise ApplicationError(
            errors.ILLEGAL_APPLICATION_TRANSITION
            % {"from": _status_label(from_status), "to": _status_label(to_status)},
            code=ErrorCode.ILLEGAL_TRANSITION,
        )
    if to_status in _DECISIONS:
        _check_reviewer(application, by)
    reason = clean_reason(reason, required=to_status == Application.Status.REJECTED)
    _apply_status(application, to_status=to_status, by=by, reason=reason)
    save_validated(application)
    _record_event(application, by=by, from_status=from_status, reason=reason)
    if to_status == Application.Status.APPROVED:
        organization_set_status(
            organization=application.organization, to_status=Organization.Status.ACTIVE, by=by
        )
    if to_status in _DECISIONS:
        _notify_applicant(application)
    return application


def _apply_status(application: Application, *, to_status: str, by: "User", reason: str) -> None:
    now = timezone.now()
    if to_status == Application.Status.SUBMITTED:
        application.submitted_at = now
        application.attempt += 1
        application.decided_at = None
        application.decided_by = None
        application.reject_reason = ""
    else:
        application.decided_at = now
        application.decided_by = by
        application.reject_reason = reason if to_status == Application.Status.REJECTED else ""
    application.status = to_status


def _record_event(application: Application, *, by: "User", from_status: str, reason: str) -> None:
    save_validated(
        ApplicationEvent(
            application=application,
            actor=by,
            from_status=from_status,
            to_status=application.status,
            reason=reason,
        )
    )


def _notify_applicant(application: Application) -> None:
    org = application.organization
    if application.status == Application.Status.APPROVED:
        title = gettext("入驻申请已通过")
        body = gettext("「%(org)s」已通过入驻审核，现在可以进入工作台开展业务。") % {"org": org.name}
    else:
        title = gettext("入驻申请被驳回：%(reason)s") % {"reason": application.reject_reason}
        body = gettext("「%(org)s」的入驻申请被驳回，原因：%(reason)s。请修改后重新提交。") % {
            "org": org.name,
            # The sentence adds its own full stop.
            "reason": application.reject_reason.rstrip("。. "),
        }
    message_send(
        recipient=application.applicant,
        title=title[:200],
        body=body,
        link=reverse("organizations:application_status"),
        kind="application",
        organization_id=org.pk,
    )


def application_approve(*, application: Application, by: "User") -> Application:
    return application_transition(application=application, to_status=Application.Status.APPROVED, by=by)


def application_reject(*, application: Application, by: "User", reason: str) -> Application:
    return application_transition(
        application=application, to_status=Application.Status.REJECTED, by=by, reason=reason
    )
