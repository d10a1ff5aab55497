"""Factories of the order models, and helpers that stock an offer through the real
inventory services (stock never changes any other way)."""

from decimal import Decimal

import factory

from partsmall.accounts.tests.factories import UserFactory
from partsmall.catalog.models import Offer
from partsmall.catalog.tests.factories import OfferFactory
from partsmall.inventory.models import MovementKind, Warehouse
from partsmall.inventory.services import stock_receive
from partsmall.orders.models import (
    Address,
    ApprovalRule,
    Cart,
    CartLine,
    Checkout,
    OrderLine,
    PurchaseList,
    PurchaseListLine,
    SupplierOrder,
)
from partsmall.organizations.models import Organization
from partsmall.organizations.tests.factories import CITY, DISTRICT, PROVINCE, OrganizationFactory
from partsmall.pricing.models import PriceSource


class ShopFactory(OrganizationFactory):
    kind = Organization.Kind.REPAIR_SHOP
    name = factory.Sequence(lambda n: f"测试汽修门店{n}")


class AddressFactory(factory.django.DjangoModelFactory[Address]):
    """An address in 广东省广州市荔湾区 (the regions migration's rows)."""

    class Meta:
        model = Address

    organization = factory.SubFactory(ShopFactory)
    label = "门店"
    contact_name = "李四"
    contact_phone = factory.Sequence(lambda n: f"139{n:08d}")
    province_id = PROVINCE
    city_id = CITY
    district_id = DISTRICT
    detail = "环市西路 8 号"
    is_default = False


class CartFactory(factory.django.DjangoModelFactory[Cart]):
    class Meta:
        model = Cart
        django_get_or_create = ("organization",)

    organization = factory.SubFactory(ShopFactory)


class CartLineFactory(factory.django.DjangoModelFactory[CartLine]):
    class Meta:
        model = CartLine

    cart = factory.SubFactory(CartFactory)
    offer = factory.SubFactory(OfferFactory, stock_quantity=0)
    quantity = 1


class PurchaseListFactory(factory.django.DjangoModelFactory[PurchaseList]):
    class Meta:
        model = PurchaseList

    organization = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"常购清单{n}")


class PurchaseListLineFactory(factory.django.DjangoModelFactory[PurchaseListLine]):
    class Meta:
        model = PurchaseListLine

    purchase_list = factory.SubFactory(PurchaseListFactory)
    offer = factory.SubFactory(OfferFactory, stock_quantity=0)
    quantity = 1


class ApprovalRuleFactory(factory.django.DjangoModelFactory[ApprovalRule]):
    class Meta:
        model = ApprovalRule

    organization = factory.SubFactory(ShopFactory)
    threshold = Decimal("5000.00")


class CheckoutFactory(factory.django.DjangoModelFactory[Checkout]):
    class Meta:
        model = Checkout

    buyer = factory.SubFactory(ShopFactory)
    idempotency_key = factory.Sequence(lambda n: f"key-{n}")
    created_by = factory.SubFactory(UserFactory)
    contact_name = "李四"
    contact_phone = "13900000000"
    province_code = PROVINCE
    province_name = "广东省"
    city_name = "广州市"
    district_name = "荔湾区"
    address_detail = "环市西路 8 号"
    total = Decimal("70.00")


class SupplierOrderFactory(factory.django.DjangoModelFactory[SupplierOrder]):
    """An order without lines (add OrderLineFactory rows; stock is not reserved)."""

    class Meta:
        model = SupplierOrder

    checkout = factory.SubFactory(CheckoutFactory)
    buyer = factory.SelfAttribute("checkout.buyer")
    supplier = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: f"SO20261203-{n:06d}")
    status = SupplierOrder.Status.SUBMITTED
    payment_status = SupplierOrder.PaymentStatus.UNPAID
    goods_total = Decimal("70.00")


class OrderLineFactory(factory.django.DjangoModelFactory[OrderLine]):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(SupplierOrderFactory)
    offer = factory.SubFactory(
        OfferFactory, supplier=factory.SelfAttribute("..order.supplier"), stock_quantity=0
    )
    part = factory.SelfAttribute("offer.part")
    grade = factory.SelfAttribute("offer.grade")
    sku = factory.SelfAttribute("offer.sku")
    part_number = factory.SelfAttribute("offer.part.number")
    part_name = factory.SelfAttribute("offer.part.name")
    brand_name = factory.SelfAttribute("offer.part.brand.name")
    quantity = 2
    unit_price = Decimal("35.00")
    price_source = PriceSource.STANDARD
    amount = Decimal("70.00")


class WarehouseFactory(factory.django.DjangoModelFactory[Warehouse]):
    class Meta:
        model = Warehouse

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"仓库{n}")
    code = factory.Sequence(lambda n: f"WH{n:03d}")
    province_id = PROVINCE


def stock(
    offer: Offer, quantity: int, *, warehouse: Warehouse | None = None, province: str = PROVINCE
) -> Warehouse:
    """Puts `quantity` units of the offer's part and grade into a warehouse of its supplier
    (a receipt movement through inventory), and returns the warehouse."""
    if warehouse is None:
        warehouse = WarehouseFactory.create(organization=offer.supplier, province_id=province)
    stock_receive(
        warehouse=warehouse,
        part=offer.part,
        grade=offer.grade,
        quantity=quantity,
        kind=MovementKind.RECEIPT,
        ref_type="test",
        ref_id=None,
        ref_label="test",
        by=None,
    )
    offer.refresh_from_db()
    return warehouse
