"""Operators' review of parts and fitment that suppliers added to the shared catalogue.

Each decision writes an audit row (organizations' AuditLog: who, when, which row, why),
so a "doesn't fit" return can later be traced to who added and who approved the fitment.
"""

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from partsmall.catalog import errors
from partsmall.catalog.models import Fitment, OeNumber, Part, PartLink, ReviewStatus
from partsmall.catalog.services.common import clean_text
from partsmall.catalog.services.parts import part_reindex
from partsmall.core.errors import ApplicationError
from partsmall.notifications.services import message_send
from partsmall.organizations.models import AuditLog, Membership
from partsmall.organizations.roles import Role

if TYPE_CHECKING:
    from partsmall.accounts.models import User

ACTION_APPROVE = "catalog.review_approve"
ACTION_REJECT = "catalog.review_reject"
_NOTIFIED_ROLES = (Role.OWNER, Role.ADMIN, Role.SALES)


def _locked_pending(rows: Sequence[Part | Fitment]) -> tuple[list[Part], list[Fitment]]:
    """The rows, re-read under lock; refused unless every one is still pending."""
    part_ids = {row.pk for row in rows if isinstance(row, Part)}
    fitment_ids = {row.pk for row in rows if isinstance(row, Fitment)}
    if not part_ids and not fitment_ids:
        raise ApplicationError(errors.REVIEW_NOTHING_SELECTED, field="rows")
    parts = list(Part.objects.select_for_update().filter(pk__in=part_ids).order_by("pk"))
    fitments = list(Fitment.objects.select_for_update().filter(pk__in=fitment_ids).order_by("pk"))
    rows_found = [*parts, *fitments]
    if len(rows_found) != len(part_ids) + len(fitment_ids) or any(
        row.review_status != ReviewStatus.PENDING for row in rows_found
    ):
        raise ApplicationError(errors.REVIEW_NOT_PENDING, field="rows")
    return parts, fitments


def _audit_rows(
    parts: list[Part], fitments: list[Fitment], *, by: "User | None", action: str, reason: str
) -> None:
    entries = [
        AuditLog(
            organization_id=row.source_organization_id,
            actor=by,
            action=action,
            target=f"{kind} #{row.pk}",
            details={"kind": kind, "id": row.pk, "source_import": row.source_import_id, "reason": reason},
        )
        for kind, group in (("part", parts), ("fitment", fitments))
        for row in group
    ]
    AuditLog.objects.bulk_create(entries)


def _decide(
    rows: Sequence[Part | Fitment], *, status: str, by: "User | None", reason: str
) -> tuple[list[Part], list[Fitment]]:
    parts, fitments = _locked_pending(rows)
    part_ids = [p.pk for p in parts]
    Part.objects.filter(pk__in=part_ids).update(review_status=status)
    Fitment.objects.filter(pk__in=[f.pk for f in fitments]).update(review_status=status)
    # A part's OE numbers follow the part; a rejected part takes its pending fitment and links along.
    pending = Q(review_status=ReviewStatus.PENDING)
    OeNumber.objects.filter(pending, part_id__in=part_ids).update(review_status=status)
    if status == ReviewStatus.REJECTED:
        Fitment.objects.filter(pending, part_id__in=part_ids).update(review_status=status)
        PartLink.objects.filter(pending & (Q(from_part_id__in=part_ids) | Q(to_part_id__in=part_ids))).update(
            review_status=status
        )
        part_reindex(part_ids=part_ids)
    action = ACTION_APPROVE if status == ReviewStatus.APPROVED else ACTION_REJECT
    _audit_rows(parts, fitments, by=by, action=action, reason=reason)
    for row in [*parts, *fitments]:
        row.review_status = status
    return parts, fitments


@transaction.atomic
def review_approve(*, rows: Sequence[Part | Fitment], by: "User | None", reason: str = "") -> int:
    """Approves pending supplier-added parts (with their OE numbers) and fitment; returns the count."""
    parts, fitments = _decide(rows, status=ReviewStatus.APPROVED, by=by, reason=reason.strip())
    return len(parts) + len(fitments)


def _notify_rejected(parts: list[Part], fitments: list[Fitment], reason: str) -> None:
    per_org = Counter(row.source_organization_id for row in [*parts, *fitments] if row.source_organization_id)
    for org_id, count in per_org.items():
        members = Membership.objects.filter(
            organization_id=org_id, is_active=True, role__in=_NOTIFIED_ROLES
        ).select_related("user")
        title = _("平台驳回了您提交的 %(count)s 条配件数据") % {"count": count}
        body = _("驳回原因：%(reason)s。请核对后重新提交。") % {"reason": reason}
        for member in members:
            message_send(
                recipient=member.user, title=title, body=body, kind="catalog", organization_id=org_id
            )


@transaction.atomic
def review_reject(*, rows: Sequence[Part | Fitment], by: "User | None", reason: str) -> int:
    """Rejects pending supplier-added parts and fitment with a reason; the suppliers are told."""
    reason = clean_text(
        reason,
        field="reason",
        max_length=200,
        required=errors.REVIEW_REASON_REQUIRED,
        too_long=errors.REVIEW_REASON_TOO_LONG,
    )
    parts, fitments = _decide(rows, status=ReviewStatus.REJECTED, by=by, reason=reason)
    _notify_rejected(parts, fitments, reason)
    return len(parts) + len(fitments)
