"""Roles and their permissions: the one table the code checks (DESIGN.md, "Roles").

Pages and endpoints name a `Perm`; `role_has_perm` answers from ROLE_PERMISSIONS.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("所有者")
    ADMIN = "admin", _("管理员")
    PURCHASER = "purchaser", _("采购")
    TECHNICIAN = "technician", _("技师")
    SALES = "sales", _("销售")
    WAREHOUSE = "warehouse", _("仓管")
    FINANCE = "finance", _("财务")
    PLATFORM_REVIEWER = "platform_reviewer", _("平台审核")
    PLATFORM_OPERATOR = "platform_operator", _("平台运营")
    PLATFORM_FINANCE = "platform_finance", _("平台财务")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")


class Perm(StrEnum):
    # Any member of an organization.
    ORG_VIEW = "org.view"
    # Organization settings: profile, invoice details, members, roles, API keys.
    ORG_MANAGE = "org.manage"
    MEMBERS_MANAGE = "members.manage"
    API_KEYS_MANAGE = "api_keys.manage"
    # Onboarding application of one's own organization.
    APPLICATION_EDIT = "application.edit"
    # Domain permissions that later capabilities check.
    CATALOG_MANAGE = "catalog.manage"
    STOCK_MANAGE = "stock.manage"
    PURCHASE = "purchase"
    WORK_ORDERS = "work_orders"
    SALES = "sales"
    FINANCE = "finance"
    # Platform.
    PLATFORM_VIEW = "platform.view"
    PLATFORM_REVIEW = "platform.review"
    PLATFORM_OPERATE = "platform.operate"
    PLATFORM_FINANCE = "platform.finance"
    PLATFORM_ADMIN = "platform.admin"


_ALL_ORG = {
    Perm.ORG_VIEW,
    Perm.ORG_MANAGE,
    Perm.MEMBERS_MANAGE,
    Perm.API_KEYS_MANAGE,
    Perm.APPLICATION_EDIT,
    Perm.CATALOG_MANAGE,
    Perm.STOCK_MANAGE,
    Perm.PURCHASE,
    Perm.WORK_ORDERS,
    Perm.SALES,
    Perm.FINANCE,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.OWNER: frozenset(_ALL_ORG),
    Role.ADMIN: frozenset(_ALL_ORG),
    Role.PURCHASER: frozenset({Perm.ORG_VIEW, Perm.PURCHASE}),
    Role.TECHNICIAN: frozenset({Perm.ORG_VIEW, Perm.WORK_ORDERS}),
    Role.SALES: frozenset({Perm.ORG_VIEW, Perm.SALES, Perm.CATALOG_MANAGE}),
    Role.WAREHOUSE: frozenset({Perm.ORG_VIEW, Perm.STOCK_MANAGE}),
    Role.FINANCE: frozenset({Perm.ORG_VIEW, Perm.FINANCE}),
    Role.PLATFORM_REVIEWER: frozenset({Perm.PLATFORM_VIEW, Perm.PLATFORM_REVIEW}),
    Role.PLATFORM_OPERATOR: frozenset({Perm.PLATFORM_VIEW, Perm.PLATFORM_OPERATE}),
    Role.PLATFORM_FINANCE: frozenset({Perm.PLATFORM_VIEW, Perm.PLATFORM_FINANCE}),
    Role.PLATFORM_ADMIN: frozenset(
        {
            Perm.PLATFORM_VIEW,
            Perm.PLATFORM_REVIEW,
            Perm.PLATFORM_OPERATE,
            Perm.PLATFORM_FINANCE,
            Perm.PLATFORM_ADMIN,
            Perm.ORG_VIEW,
            Perm.MEMBERS_MANAGE,
        }
    ),
}

PLATFORM_ROLES = frozenset(
    {Role.PLATFORM_REVIEWER, Role.PLATFORM_OPERATOR, Role.PLATFORM_FINANCE, Role.PLATFORM_ADMIN}
)
SUPPLIER_ROLES = frozenset({Role.OWNER, Role.ADMIN, Role.SALES, Role.WAREHOUSE, Role.FINANCE})
SHOP_ROLES = frozenset(
    {Role.OWNER, Role.ADMIN, Role.PURCHASER, Role.TECHNICIAN, Role.WAREHOUSE, Role.FINANCE}
)


def role_has_perm(role: str | None, perm: str) -> bool:
    if not role:
        return False
    return perm in ROLE_PERMISSIONS.get(Role(role), frozenset())


def roles_for_kind(kind: str) -> frozenset[Role]:
    from partsmall.organizations.models import Organization

    if kind == Organization.Kind.PLATFORM:
        return PLATFORM_ROLES
    if kind == Organization.Kind.SUPPLIER:
        return SUPPLIER_ROLES
    return SHOP_ROLES
