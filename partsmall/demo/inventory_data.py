"""Demo stock: two or three warehouses per demo supplier in different provinces (so that
allocation by province and region shows), opening stock for most offers, some offers sold
made to order, some out of stock, a few levels on the low-stock list; one warehouse per
demo repair shop with a few parts it keeps.

Written through the inventory services (stock changes no other way); seeded, so every
load is the same.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from partsmall.catalog.models import Offer
from partsmall.core.errors import ApplicationError
from partsmall.inventory.models import MovementKind, StockLevel, Warehouse
from partsmall.inventory.services import (
    StockCount,
    stock_level_set_threshold,
    stock_set_counts,
    warehouse_create,
)
from partsmall.organizations.models import Organization, Region

SEED = 20261203
REGION_MISSING = _("找不到演示仓库所在的行政区划“%(place)s”，请先运行 manage.py migrate。")
OPENING = "期初库存"


@dataclass(frozen=True)
class DemoWarehouse:
    code: str
    name: str
    province: str
    city: str
    district: str
    street: str


# Per demo supplier (data.SUPPLIERS order): the first warehouse at home, the others far away.
SUPPLIER_WAREHOUSES: tuple[tuple[DemoWarehouse, ...], ...] = (
    (
        DemoWarehouse("GZ01", "广州白云仓", "广东省", "广州市", "白云区", "石井街道石槎路 888 号"),
        DemoWarehouse("WH01", "武汉东西湖仓", "湖北省", "武汉市", "东西湖区", "走马岭街道汇通大道 8 号"),
        DemoWarehouse("CD01", "成都新都仓", "四川省", "成都市", "新都区", "物流大道 99 号"),
    ),
    (
        DemoWarehouse("HZ01", "杭州萧山仓", "浙江省", "杭州市", "萧山区", "建设三路 166 号"),
        DemoWarehouse("SH01", "上海嘉定仓", "上海市", "上海市", "嘉定区", "安亭镇墨玉路 185 号"),
    ),
    (
        DemoWarehouse("SZ01", "苏州吴中仓", "江苏省", "苏州市", "吴中区", "木渎镇金枫南路 1288 号"),
        DemoWarehouse("BJ01", "北京大兴仓", "北京市", "北京市", "大兴区", "亦庄经济开发区科创十三街 20 号"),
        DemoWarehouse("GZ02", "广州花都仓", "广东省", "广州市", "花都区", "汽车城风神大道 12 号"),
    ),
    (
        DemoWarehouse("LY01", "临沂兰山仓", "山东省", "临沂市", "兰山区", "临西十一路汽配城 5 区"),
        DemoWarehouse("SY01", "沈阳于洪仓", "辽宁省", "沈阳市", "于洪区", "沈大路 1388 号"),
    ),
    (
        DemoWarehouse("BD01", "保定竞秀仓", "河北省", "保定市", "竞秀区", "朝阳北大街 2266 号"),
        DemoWarehouse("XA01", "西安未央仓", "陕西省", "西安市", "未央区", "凤城九路 8 号"),
        DemoWarehouse("ZZ01", "郑州管城仓", "河南省", "郑州市", "管城回族区", "航海东路 1666 号"),
    ),
)


def _region(name: str, level: str, parent: Region | None, place: str) -> Region:
    found = Region.objects.filter(name=name, level=level, parent=parent).first()
    if found is None:
        raise ApplicationError(REGION_MISSING % {"place": place})
    return found


def _supplier_warehouses(supplier: Organization, specs: Sequence[DemoWarehouse]) -> list[Warehouse]:
    made = []
    for spec in specs:
        label = f"{spec.province}{spec.city}{spec.district}"
        province = _region(spec.province, Region.Level.PROVINCE, None, label)
        city = _region(spec.city, Region.Level.CITY, province, label)
        district = _region(spec.district, Region.Level.DISTRICT, city, label)
        made.append(
            warehouse_create(
                organization=supplier,
                name=spec.name,
                code=spec.code,
                province=province,
                city=city,
                district=district,
                address_detail=spec.street,
                by=None,
            )
        )
    return made


def _opening_counts(offers: list[Offer], warehouses: list[Warehouse], rng: random.Random) -> list[StockCount]:
    """Most offers in stock in one or more warehouses; offers with a long lead time (the
    catalogue demo's "not in stock" ones) half made to order, half out of stock."""
    counts: list[StockCount] = []
    made_to_order: list[int] = []
    for offer in offers:
        if offer.lead_time_days >= 5:
            if rng.random() < 0.5:
                made_to_order.append(offer.pk)
            continue
        held_in = rng.sample(warehouses, rng.randint(1, len(warehouses)))
        for warehouse in held_in:
            quantity = rng.randint(1, 4) if rng.random() < 0.08 else rng.randint(5, 160)
            counts.append(StockCount(warehouse.pk, offer.part_id, offer.grade, quantity))
    Offer.objects.filter(pk__in=made_to_order).update(made_to_order=True)
    return counts


def _thresholds(warehouses: list[Warehouse], rng: random.Random) -> None:
    """A few levels with their own low-stock threshold (fast movers kept higher)."""
    levels = list(StockLevel.objects.filter(warehouse__in=warehouses).order_by("pk")[:400])
    for level in rng.sample(levels, min(12, len(levels))):
        stock_level_set_threshold(stock_level=level, threshold=rng.choice((20, 30, 50)), by=None)


def _shop_warehouse(shop: Organization, offers: list[Offer], rng: random.Random) -> None:
    warehouse = warehouse_create(
        organization=shop,
        name=str(_("门店库房")),
        code="MAIN",
        province=shop.province,
        city=shop.city,
        district=shop.district,
        address_detail=shop.address_detail,
        by=None,
    )
    kept = rng.sample(offers, min(8, len(offers)))
    stock_set_counts(
        counts=[StockCount(warehouse.pk, o.part_id, o.grade, rng.randint(1, 12)) for o in kept],
        kind=MovementKind.RECEIPT,
        ref_type="demo",
        ref_id=None,
        ref_label=OPENING,
        by=None,
    )


def inventory_load(*, suppliers: Sequence[Organization], shops: Sequence[Organization]) -> int:
    """Loads the demo warehouses and stock; `suppliers` are the demo suppliers in
    data.SUPPLIERS order (after catalog_load). Returns the number of stock levels."""
    rng = random.Random(SEED)
    for supplier, specs in zip(suppliers, SUPPLIER_WAREHOUSES, strict=False):
        warehouses = _supplier_warehouses(supplier, specs)
        offers = list(Offer.objects.filter(supplier=supplier).order_by("pk"))
        stock_set_counts(
            counts=_opening_counts(offers, warehouses, rng),
            kind=MovementKind.RECEIPT,
            ref_type="demo",
            ref_id=None,
            ref_label=OPENING,
            by=None,
        )
        _thresholds(warehouses, rng)
    listed = list(Offer.objects.filter(is_listed=True, made_to_order=False).order_by("pk")[:500])
    for shop in shops:
        if shop.province_id:
            _shop_warehouse(shop, listed, rng)
    return StockLevel.objects.count()
