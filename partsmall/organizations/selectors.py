from typing import TYPE_CHECKING

from django.db.models import QuerySet

from partsmall.organizations.models import Membership, Organization

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
