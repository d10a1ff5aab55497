from partsmall.core.access import SCOPES, iter_routes

# Django's own views that are not ours to declare: the admin has its own staff checks,
# the language switch only sets a cookie.
EXEMPT_PREFIXES = ("admin/", "i18n/")


def test_every_route_declares_its_access():
    undeclared = [
        route.route
        for route in iter_routes()
        if not route.route.startswith(EXEMPT_PREFIXES) and route.access is None
    ]

    assert undeclared == []


def test_tenant_and_platform_routes_name_a_permission():
    missing = [
        route.route
        for route in iter_routes()
        if route.access
        and route.access.scope in {"organization", "applicant", "platform"}
        and not route.access.permission
    ]

    assert missing == []
    assert all(route.access.scope in SCOPES for route in iter_routes() if route.access)
