from typing import Any

from django.http import HttpRequest

from partsmall.organizations.navigation import navigation_for
from partsmall.organizations.selectors import memberships_of_user


def workspace(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None or actor.user is None:
        return {}
    from partsmall.notifications.selectors import unread_count

    return {
        "actor": actor,
        "my_memberships": memberships_of_user(user=actor.user),
        "nav_groups": navigation_for(actor),
        "inbox_unread": unread_count(user=actor.user),
    }
