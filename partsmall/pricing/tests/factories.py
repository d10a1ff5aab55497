from datetime import date
from decimal import Decimal

import factory

from partsmall.catalog.tests.factories import OfferFactory
from partsmall.organizations.models import Organization
from partsmall.organizations.tests.factories import OrganizationFactory
from partsmall.pricing.models import (
    ContractPrice,
    ContractPriceList,
    CustomerGroup,
    CustomerGroupMember,
    GroupPrice,
)


class ShopFactory(OrganizationFactory):
    kind = Organization.Kind.REPAIR_SHOP
    name = factory.Sequence(lambda n: f"测试汽修门店{n}")


class CustomerGroupFactory(factory.django.DjangoModelFactory[CustomerGroup]):
    class Meta:
        model = CustomerGroup

    supplier = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"客户组{n}")
    basis = CustomerGroup.Basis.MEMBERS
    tier = ""


class CustomerGroupMemberFactory(factory.django.DjangoModelFactory[CustomerGroupMember]):
    class Meta:
        model = CustomerGroupMember

    group = factory.SubFactory(CustomerGroupFactory)
    buyer = factory.SubFactory(ShopFactory)


class GroupPriceFactory(factory.django.DjangoModelFactory[GroupPrice]):
    class Meta:
        model = GroupPrice

    group = factory.SubFactory(CustomerGroupFactory)
    offer = factory.SubFactory(OfferFactory, supplier=factory.SelfAttribute("..group.supplier"))
    price = Decimal("30.00")


class ContractPriceListFactory(factory.django.DjangoModelFactory[ContractPriceList]):
    class Meta:
        model = ContractPriceList

    supplier = factory.SubFactory(OrganizationFactory)
    buyer = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"2026 年度协议价{n}")
    valid_from = date(2026, 1, 1)
    valid_until = date(2026, 12, 31)


class ContractPriceFactory(factory.django.DjangoModelFactory[ContractPrice]):
    class Meta:
        model = ContractPrice

    price_list = factory.SubFactory(ContractPriceListFactory)
    offer = factory.SubFactory(OfferFactory, supplier=factory.SelfAttribute("..price_list.supplier"))
    min_quantity = 1
    price = Decimal("28.00")
