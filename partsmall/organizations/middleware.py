from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from partsmall.organizations.actor import ANONYMOUS, Actor
from partsmall.organizations.selectors import membership_for_session

SESSION_KEY = "active_membership_id"


class ActiveOrganizationMiddleware:
    """Resolves the person's active organization for this request (no global state).

    When the membership the session acts through was removed, or its organization was
    suspended, the session ends here: that is how removing a member or suspending an
    organization ends the affected sessions, whatever the session store.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = self._resolve(request)  # type: ignore[attr-defined]
        return self.get_response(request)

    def _resolve(self, request: HttpRequest) -> Actor:
        user = request.user
        if not user.is_authenticated:
            return ANONYMOUS
        wanted = request.session.get(SESSION_KEY)
        membership, ended = membership_for_session(user=user, membership_id=wanted)
        if ended:
            logout(request)
            messages.warning(request, _("您在该组织的权限已变更或组织已停用，请重新登录。"))
            return ANONYMOUS
        if membership is None:
            request.session.pop(SESSION_KEY, None)
            return Actor(user=user)
        if wanted != membership.pk:
            request.session[SESSION_KEY] = membership.pk
        return Actor(
            user=user,
            organization=membership.organization,
            membership=membership,
            role=membership.role,
        )
