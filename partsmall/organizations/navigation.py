"""The sidebar of each workspace: groups by domain, entries by permission.

Entries name URL routes by string, so later capabilities add their pages here without
this app importing them.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Perm


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    icon: str
    permission: str


@dataclass(frozen=True)
class NavGroup:
    label: str | Promise
    entries: tuple[NavEntry, ...]


_COMMON_SETTINGS = NavGroup(
    _("设置"),
    (
        NavEntry(_("企业资料"), "organizations:profile", "building", Perm.ORG_VIEW),
        NavEntry(_("成员管理"), "organizations:members", "people", Perm.MEMBERS_MANAGE),
        NavEntry(_("API 密钥"), "integrations:api_keys", "key", Perm.API_KEYS_MANAGE),
    ),
)

# 库存 of suppliers and repair shops alike (a shop keeps the parts it bought).
_STOCK_ENTRIES = (
    NavEntry(_("库存查询"), "inventory:levels", "boxes", Perm.STOCK_MANAGE),
    NavEntry(_("仓库"), "inventory:warehouses", "house-door", Perm.STOCK_MANAGE),
    NavEntry(_("库存流水"), "inventory:movements", "journal-text", Perm.STOCK_MANAGE),
    NavEntry(_("盘点"), "inventory:stocktakes", "clipboard-data", Perm.STOCK_MANAGE),
    NavEntry(_("低库存"), "inventory:low_stock", "exclamation-triangle", Perm.STOCK_MANAGE),
)

NAVIGATION: dict[str, tuple[NavGroup, ...]] = {
    Organization.Kind.SUPPLIER: (
        NavGroup(_("工作台"), (NavEntry(_("首页"), "organizations:home", "speedometer2", Perm.ORG_VIEW),)),
        NavGroup(
            _("商品"),
            (
                NavEntry(_("商品列表"), "catalog:offers", "box-seam", Perm.CATALOG_MANAGE),
                NavEntry(_("导入"), "catalog_imports:index", "upload", Perm.CATALOG_MANAGE),
                NavEntry(_("客户组"), "pricing:groups", "people", Perm.SALES),
                NavEntry(_("协议价"), "pricing:contracts", "file-earmark-text", Perm.SALES),
                NavEntry(_("价格查询"), "pricing:price_check", "calculator", Perm.SALES),
            ),
        ),
        NavGroup(
            _("订单"),
            (
                NavEntry(_("待确认"), "orders:sales_to_confirm", "clipboard-check", Perm.ORG_VIEW),
                NavEntry(_("待发货"), "orders:sales_to_ship", "truck", Perm.ORG_VIEW),
                NavEntry(_("全部订单"), "orders:sales_orders", "receipt", Perm.ORG_VIEW),
                NavEntry(_("退货售后"), "orders:sales_returns", "arrow-return-left", Perm.ORG_VIEW),
            ),
        ),
        NavGroup(
            _("库存"),
            (
                *_STOCK_ENTRIES,
                NavEntry(_("库存表导入"), "inventory:imports", "file-earmark-arrow-up", Perm.STOCK_MANAGE),
            ),
        ),
        _COMMON_SETTINGS,
    ),
    Organization.Kind.REPAIR_SHOP: (
        NavGroup(_("工作台"), (NavEntry(_("首页"), "organizations:home", "speedometer2", Perm.ORG_VIEW),)),
        NavGroup(
            _("采购"),
            (
                NavEntry(_("找配件"), "search:index", "search", Perm.PURCHASE),
                NavEntry(_("快速下单"), "orders:quick_order", "lightning", Perm.PURCHASE),
                NavEntry(_("购物车"), "orders:cart", "cart3", Perm.PURCHASE),
                NavEntry(_("常购清单"), "orders:purchase_lists", "list-check", Perm.PURCHASE),
                NavEntry(_("采购审批"), "orders:approvals", "clipboard-check", Perm.ORG_MANAGE),
                NavEntry(_("收货地址"), "orders:addresses", "geo-alt", Perm.PURCHASE),
                NavEntry(_("我的订单"), "orders:purchase_orders", "receipt", Perm.ORG_VIEW),
                NavEntry(_("退货售后"), "orders:purchase_returns", "arrow-return-left", Perm.ORG_VIEW),
            ),
        ),
        NavGroup(_("库存"), _STOCK_ENTRIES),
        _COMMON_SETTINGS,
    ),
    Organization.Kind.PLATFORM: (
        NavGroup(
            _("控制台"), (NavEntry(_("首页"), "organizations:home", "speedometer2", Perm.PLATFORM_VIEW),)
        ),
        NavGroup(
            _("入驻"),
            (NavEntry(_("审核队列"), "organizations:review_queue", "clipboard-check", Perm.PLATFORM_REVIEW),),
        ),
        NavGroup(
            _("组织"),
            (NavEntry(_("组织列表"), "organizations:platform_orgs", "buildings", Perm.PLATFORM_VIEW),),
        ),
        NavGroup(
            _("财务"),
            (NavEntry(_("线下收款"), "orders:platform_payments", "cash-coin", Perm.PLATFORM_FINANCE),),
        ),
        NavGroup(
            _("售后"),
            (
                NavEntry(_("售后仲裁"), "orders:platform_returns", "shield-check", Perm.PLATFORM_OPERATE),
                NavEntry(_("不适配统计"), "orders:platform_doesnt_fit", "bar-chart", Perm.PLATFORM_OPERATE),
            ),
        ),
        NavGroup(
            _("数据"),
            (
                NavEntry(_("车型库"), "vehicles:vehicle_types", "car-front", Perm.PLATFORM_OPERATE),
                NavEntry(_("VIN 规则"), "vehicles:vin_patterns", "upc-scan", Perm.PLATFORM_OPERATE),
                NavEntry(_("WMI 制造商代码"), "vehicles:wmis", "upc", Perm.PLATFORM_OPERATE),
                NavEntry(_("配件分类"), "catalog:platform_categories", "diagram-3", Perm.PLATFORM_OPERATE),
                NavEntry(_("配件品牌"), "catalog:platform_brands", "award", Perm.PLATFORM_OPERATE),
                NavEntry(_("配件"), "catalog:platform_parts", "gear", Perm.PLATFORM_VIEW),
                NavEntry(_("数据审核"), "catalog:platform_review", "clipboard2-check", Perm.PLATFORM_OPERATE),
                NavEntry(_("导入"), "catalog_imports:platform_index", "upload", Perm.PLATFORM_OPERATE),
            ),
        ),
    ),
}


def navigation_for(actor: Actor) -> list[dict]:
    org = actor.organization
    if org is None or org.status != Organization.Status.ACTIVE:
        return []
    groups = []
    for group in NAVIGATION.get(org.kind, ()):
        entries = []
        for entry in group.entries:
            if not actor.can(entry.permission):
                continue
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            entries.append({"label": entry.label, "url": url, "icon": entry.icon})
        if entries:
            groups.append({"label": group.label, "entries": entries})
    return groups
