"""Every view and endpoint declares who may reach it and what it serves.

`declare()` attaches an `Access` to a view. Enforcement lives where roles are known
(organizations.access); this module only holds the declaration so that a sweep test can
walk the URL conf and check each view: its permission, its scope, and for tenant-owned
objects the selector that resolves them.

Scopes:
- public: anyone, logged in or not (login, register, legal pages, the schema).
- authenticated: any logged-in person; serves only that person's own data.
- owner: a car owner's own data; another owner gets 404.
- organization: the active organization's data; needs `permission` in the member's role;
  another organization's object answers 404.
- applicant: like organization, but also for an organization that is not active yet
  (its application pages).
- platform: platform staff only (members of the platform organization).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.urls import URLPattern, URLResolver, get_resolver

Scope = Literal["public", "authenticated", "owner", "organization", "applicant", "platform"]
F = TypeVar("F", bound=Callable[..., Any])
SCOPES: tuple[str, ...] = ("public", "authenticated", "owner", "organization", "applicant", "platform")


@dataclass(frozen=True)
class Access:
    permission: str | None
    scope: Scope
    # Name of the selector that resolves the object of a detail view, scoped to the caller.
    selector: str | None = None


def declare(view: F, *, permission: str | None, scope: Scope, selector: str | None = None) -> F:
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    if scope in {"organization", "applicant", "platform"} and not permission:
        raise ValueError(f"scope {scope!r} needs a permission")
    view.access = Access(permission=permission, scope=scope, selector=selector)  # type: ignore[attr-defined]
    return view


def get_access(view: Any) -> Access | None:
    found = getattr(view, "access", None)
    if found is None:
        view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
        found = getattr(view_class, "access", None)
    return found if isinstance(found, Access) else None


@dataclass(frozen=True)
class DeclaredRoute:
    route: str
    name: str | None
    view: Any
    access: Access | None


def iter_routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[DeclaredRoute]:
    """Every URL pattern of the project with its declared access (None when undeclared)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from iter_routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view = entry.callback
            yield DeclaredRoute(
                route=prefix + str(entry.pattern),
                name=entry.name,
                view=view,
                access=get_access(view),
            )
