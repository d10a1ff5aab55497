"""Factories of inventory rows, and stock put in through the services (never by hand)."""

import factory

from partsmall.catalog.models import Grade, Offer, Part
from partsmall.catalog.tests.factories import PartFactory
from partsmall.inventory.models import MovementKind, StockLevel, StockMovement, Stocktake, Warehouse
from partsmall.inventory.services import stock_receive, stocktake_record
from partsmall.organizations.models import Organization, Region
from partsmall.organizations.tests.factories import OrganizationFactory

# Province codes of organizations.Region: 广东 44 (华南), 广西 45 (华南), 浙江 33 (华东),
# 上海 31 (华东), 北京 11 (华北).
GUANGDONG, GUANGXI, ZHEJIANG, SHANGHAI, BEIJING = "44", "45", "33", "31", "11"


def _first_child(code: str | None) -> Region | None:
    return Region.objects.filter(parent_id=code).order_by("code").first() if code else None


class WarehouseFactory(factory.django.DjangoModelFactory[Warehouse]):
    class Meta:
        model = Warehouse

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"测试仓库{n}")
    code = factory.Sequence(lambda n: f"WH{n:04d}")
    province_id = GUANGDONG
    # The first city of the province and its first district (rows of the regions migration).
    city = factory.LazyAttribute(lambda o: _first_child(o.province_id))
    district = factory.LazyAttribute(lambda o: _first_child(o.city.code if o.city else None))
    address_detail = "仓储路 8 号"


def receive(warehouse: Warehouse, part: Part, grade: str, quantity: int) -> StockMovement:
    """A receipt of `quantity` units of the part and grade into the warehouse, through the
    inventory service, as a supplier would."""
    return stock_receive(
        warehouse=warehouse,
        part=part,
        grade=grade,
        quantity=quantity,
        kind=MovementKind.RECEIPT,
        ref_type="test",
        ref_id=None,
        ref_label="测试入库",
        by=None,
    )


def stock_offer(offer: Offer, quantity: int, *, warehouse: Warehouse | None = None) -> StockLevel:
    """Puts `quantity` of the offer's part and grade into a warehouse of its supplier (a new
    one unless given) through a receipt, as a supplier would."""
    warehouse = warehouse or WarehouseFactory.create(organization=offer.supplier)
    movement = receive(warehouse, offer.part, offer.grade, quantity)
    offer.refresh_from_db()
    level = movement.stock_level
    level.refresh_from_db()
    return level


def stock_level_of(organization: Organization, quantity: int = 5) -> StockLevel:
    """A stock level of a new part in a new warehouse of the organization."""
    warehouse = WarehouseFactory.create(organization=organization)
    return receive(warehouse, PartFactory.create(), Grade.BRAND, quantity).stock_level


def stocktake_of(organization: Organization, *, note: str = "") -> Stocktake:
    """A stocktake of the organization that counted one level one unit short."""
    level = stock_level_of(organization)
    return stocktake_record(
        warehouse=level.warehouse, counts={level.pk: level.on_hand - 1}, note=note, by=None
    )
