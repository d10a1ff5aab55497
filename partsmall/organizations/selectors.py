from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from partsmall.organizations.actor import Actor
from partsmall.organizations.models import (
    Application,
    ApplicationEvent,
    Membership,
    Organization,
    OrganizationEvent,
    Region,
)
from partsmall.organizations.roles import Perm

if TYPE_CHECKING:
    from partsmall.accounts.models import User


def memberships_of_user(*, user: "User") -> QuerySet[Membership]:
    """The person's live memberships, for the organization switcher."""
    return (
        Membership.objects.filter(user=user, is_active=True)
        .exclude(organization__status__in=[Organization.Status.SUSPENDED])
        .select_related("organization")
        .order_by("organization__kind", "organization__name")
    )


def membership_for_session(*, user: "User", membership_id: int | None) -> tuple[Membership | None, bool]:
    """(membership to act through, session ended?).

    A session that acted through a membership which is gone or whose organization is
    suspended is ended; otherwise fall back to the person's first live membership.
    """
    if membership_id is not None:
        chosen = Membership.objects.filter(pk=membership_id, user=user).select_related("organization").first()
        if (
            chosen is None
            or not chosen.is_active
            or chosen.organization.status == Organization.Status.SUSPENDED
        ):
            return None, True
        return chosen, False
    return memberships_of_user(user=user).first(), False


def _require_platform(actor: Actor, perm: str = Perm.PLATFORM_VIEW) -> None:
    # Access declarations refuse others before this; reads still never trust the caller.
    if not actor.is_platform or not actor.can(perm):
        raise PermissionDenied


def membership_for_switch(*, user: "User", pk: int) -> Membership:
    """One of the person's own live memberships; anything else answers 404."""
    return get_object_or_404(memberships_of_user(user=user), pk=pk)


def application_of_organization(*, actor: Actor) -> Application:
    """The onboarding application of the acting organization (404 when it has none)."""
    if actor.organization is None:
        raise Http404
    return get_object_or_404(
        Application.objects.select_related("organization", "applicant", "decided_by"),
        organization=actor.organization,
    )


def application_events(*, application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor").order_by("created_at", "id")


def members_of_organization(*, actor: Actor, include_removed: bool = False) -> QuerySet[Membership]:
    if actor.organization is None:
        return Membership.objects.none()
    members = Membership.objects.filter(organization=actor.organization).select_related("user", "invited_by")
    if not include_removed:
        members = members.filter(is_active=True)
    return members.order_by("-is_active", "created_at", "id")


def membership_of_organization(*, actor: Actor, pk: int) -> Membership:
    """A member of the acting organization; another organization's membership answers 404."""
    return get_object_or_404(members_of_organization(actor=actor), pk=pk)


def _application_filters(
    applications: QuerySet[Application], *, kind: str = "", channel: str = "", keyword: str = ""
) -> QuerySet[Application]:
    if kind:
        applications = applications.filter(organization__kind=kind)
    if channel:
        applications = applications.filter(channel=channel)
    keyword = keyword.strip()
    if keyword:
        applications = applications.filter(
            Q(organization__name__icontains=keyword)
            | Q(organization__credit_code__icontains=keyword)
            | Q(organization__contact_phone__contains=keyword)
            | Q(applicant__phone__contains=keyword)
        )
    return applications


def application_review_queue(
    *, actor: Actor, status: str = "", kind: str = "", channel: str = "", keyword: str = ""
) -> QuerySet[Application]:
    """Applications for platform review, filtered; oldest waiting first when pending."""
    _require_platform(actor, Perm.PLATFORM_REVIEW)
    applications = _application_filters(
        Application.objects.select_related("organization", "applicant"),
        kind=kind,
        channel=channel,
        keyword=keyword,
    )
    if status:
        applications = applications.filter(status=status)
    if status == Application.Status.SUBMITTED:
        return applications.order_by("submitted_at", "id")
    return applications.order_by("-submitted_at", "-id")


def application_status_counts(
    *, actor: Actor, kind: str = "", channel: str = "", keyword: str = ""
) -> dict[str, int]:
    """Counts per status under the same filters (for the queue's status tabs), and "" = all."""
    _require_platform(actor, Perm.PLATFORM_REVIEW)
    applications = _application_filters(
        Application.objects.all(), kind=kind, channel=channel, keyword=keyword
    )
    rows = applications.values("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(Application.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    counts[""] = sum(counts.values())
    return counts


def application_for_review(*, actor: Actor, pk: int) -> Application:
    _require_platform(actor, Perm.PLATFORM_REVIEW)
    return get_object_or_404(
        Application.objects.select_related(
            "organization", "applicant", "decided_by", "organization__province"
        ),
        pk=pk,
    )


def _platform_organizations(*, kind: str = "", status: str = "", keyword: str = "") -> QuerySet[Organization]:
    organizations = Organization.objects.exclude(kind=Organization.Kind.PLATFORM)
    if kind:
        organizations = organizations.filter(kind=kind)
    if status:
        organizations = organizations.filter(status=status)
    keyword = keyword.strip()
    if keyword:
        organizations = organizations.filter(
            Q(name__icontains=keyword)
            | Q(credit_code__icontains=keyword)
            | Q(contact_phone__contains=keyword)
        )
    return organizations


def organizations_for_platform(
    *, actor: Actor, kind: str = "", status: str = "", keyword: str = ""
) -> QuerySet[Organization]:
    _require_platform(actor)
    organizations = _platform_organizations(kind=kind, status=status, keyword=keyword)
    return (
        organizations.select_related("province", "city", "district")
        .annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("-created_at", "-id")
    )


def organization_for_platform(*, actor: Actor, pk: int) -> Organization:
    _require_platform(actor)
    return get_object_or_404(
        Organization.objects.exclude(kind=Organization.Kind.PLATFORM).select_related(
            "province", "city", "district"
        ),
        pk=pk,
    )


def organization_events(*, organization: Organization) -> QuerySet[OrganizationEvent]:
    return organization.events.select_related("actor").order_by("created_at", "id")


def organization_for_licence(*, actor: Actor, pk: int) -> Organization:
    """The organization whose licence the actor may see: their own (any member) or, for
    platform reviewers, any applicant's. Everyone else gets 404, never a hint."""
    own = actor.organization_id == pk and actor.can(Perm.ORG_VIEW)
    reviewer = actor.is_platform and actor.can(Perm.PLATFORM_REVIEW)
    if not (own or reviewer):
        raise Http404
    organization = get_object_or_404(Organization, pk=pk)
    if not organization.licence:
        raise Http404
    return organization


def platform_summary(*, actor: Actor) -> dict[str, Any]:
    """Operator console figures: pending applications, organizations by kind and status."""
    _require_platform(actor)
    rows = (
        Organization.objects.exclude(kind=Organization.Kind.PLATFORM)
        .values("kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_kind: dict[str, dict[str, int]] = {
        kind: dict.fromkeys(Organization.Status.values, 0)
        for kind in (Organization.Kind.SUPPLIER, Organization.Kind.REPAIR_SHOP)
    }
    for row in rows:
        by_kind.setdefault(row["kind"], {})[row["status"]] = row["n"]
    breakdown = [
        {
            "kind": kind,
            "label": Organization.Kind(kind).label,
            "cells": [{"status": status, "count": count} for status, count in counts.items()],
            "total": sum(counts.values()),
        }
        for kind, counts in by_kind.items()
    ]
    return {
        "pending_applications": Application.objects.filter(status=Application.Status.SUBMITTED).count(),
        "by_kind": by_kind,
        "suspended": sum(counts.get(Organization.Status.SUSPENDED, 0) for counts in by_kind.values()),
        "breakdown": breakdown,
        "statuses": Organization.Status.choices,
    }


def organization_summary(*, actor: Actor) -> dict[str, Any]:
    """Figures for a supplier's or repair shop's workspace home."""
    if actor.organization is None:
        raise Http404
    members = Membership.objects.filter(organization=actor.organization, is_active=True)
    return {
        "member_count": members.count(),
        "application": Application.objects.filter(organization=actor.organization).first(),
    }


def region_children(*, parent_code: str | None) -> QuerySet[Region]:
    """Provinces (no parent), or the cities / districts under a region (public data)."""
    if not parent_code:
        return Region.objects.filter(level=Region.Level.PROVINCE).order_by("code")
    return Region.objects.filter(parent_id=parent_code).order_by("code")


def organization_status_counts(*, actor: Actor, kind: str = "", keyword: str = "") -> dict[str, int]:
    """Organizations per status under the list's other filters, and "" = all."""
    _require_platform(actor)
    rows = (
        _platform_organizations(kind=kind, keyword=keyword)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(Organization.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    counts[""] = sum(counts.values())
    return counts


def members_for_platform(*, actor: Actor, organization: Organization) -> QuerySet[Membership]:
    _require_platform(actor)
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-is_active", "created_at", "id")
    )


def application_of(*, organization: Organization) -> Application | None:
    """The application an organization joined through (None for the platform itself)."""
    return Application.objects.filter(organization=organization).select_related("decided_by").first()


def open_application_of_user(*, user: "User") -> Application | None:
    """The person's application still in progress (waiting for review, or rejected)."""
    return (
        Application.objects.filter(
            applicant=user, status__in=[Application.Status.SUBMITTED, Application.Status.REJECTED]
        )
        .select_related("organization")
        .first()
    )


def live_membership(*, user: "User", organization: Organization) -> Membership | None:
    return Membership.objects.filter(user=user, organization=organization, is_active=True).first()
