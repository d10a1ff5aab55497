"""The one mechanism that checks declared access, for pages and for the API.

Pages use `@page(...)`; DRF views set `access = Access(...)` (or use `api_access`) and get
`DeclaredAccess` through the default permission classes.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from partsmall.core.access import Access, Scope, declare, get_access
from partsmall.organizations.actor import ANONYMOUS, Actor
from partsmall.organizations.models import Organization

NOT_ALLOWED = _("您的角色无权进行此操作。")
NEEDS_ACTIVE_ORG = _("组织尚未通过入驻审核或已停用。")
PLATFORM_ONLY = _("仅平台人员可访问。")


def actor_of(request: HttpRequest | Request) -> Actor:
    """The acting party: an API key's actor when the request authenticated with one."""
    auth = getattr(request, "auth", None)
    key_actor = getattr(auth, "actor", None)
    if isinstance(key_actor, Actor):
        return key_actor
    raw = request._request if isinstance(request, Request) else request
    return getattr(raw, "actor", ANONYMOUS)


def check(actor: Actor, access: Access) -> str | None:
    """None when allowed, else the reason (a refusal: 403)."""
    scope = access.scope
    if scope in {"public", "authenticated", "owner"}:
        return None
    org = actor.organization
    if org is None:
        return str(NEEDS_ACTIVE_ORG)
    if scope == "platform" and not actor.is_platform:
        return str(PLATFORM_ONLY)
    if scope == "organization" and (org.status != Organization.Status.ACTIVE or org.is_platform):
        return str(NEEDS_ACTIVE_ORG)
    if scope == "applicant" and org.status == Organization.Status.SUSPENDED:
        return str(NEEDS_ACTIVE_ORG)
    if access.permission and not actor.can(access.permission):
        return str(NOT_ALLOWED)
    return None


def page(
    *, permission: str | None, scope: Scope, selector: str | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Declare and enforce access of a page view (function view)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        access = Access(permission=permission, scope=scope, selector=selector)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if scope != "public" and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            reason = check(actor_of(request), access)
            if reason:
                raise PermissionDenied(reason)
            return view(request, *args, **kwargs)

        return declare(wrapped, permission=permission, scope=scope, selector=selector)

    return decorator


class DeclaredAccess(BasePermission):
    """DRF permission: the view must declare `access`; the actor must satisfy it."""

    message = NOT_ALLOWED

    def has_permission(self, request: Request, view: Any) -> bool:
        access = get_access(view)
        if access is None:
            return False
        if access.scope == "public":
            return True
        actor = actor_of(request)
        if actor.user is None and actor.api_key_id is None:
            return False
        if access.scope in {"authenticated", "owner"} and actor.api_key_id is not None:
            # API keys act for an organization, never as a person.
            return False
        reason = check(actor, access)
        if reason:
            self.message = reason  # type: ignore[assignment]
            return False
        return True


def api_access(
    *, permission: str | None, scope: Scope, selector: str | None = None
) -> Callable[[type], type]:
    """Class decorator for DRF views: `@api_access(permission=Perm.ORG_VIEW, scope="organization")`."""

    def decorator(cls: type) -> type:
        cls.access = Access(permission=permission, scope=scope, selector=selector)  # type: ignore[attr-defined]
        return cls

    return decorator
