from decimal import Decimal

import factory

from partsmall.catalog.models import Brand, Category, Fitment, Grade, ImportJob, OeNumber, Offer, Part
from partsmall.catalog.normalize import normalize_name, normalize_number
from partsmall.organizations.tests.factories import OrganizationFactory
from partsmall.vehicles.tests.factories import VehicleTypeFactory


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat-{n}")
    name = factory.Sequence(lambda n: f"分类{n}")


class BrandFactory(factory.django.DjangoModelFactory[Brand]):
    class Meta:
        model = Brand
        django_get_or_create = ("name_norm",)

    name = factory.Sequence(lambda n: f"品牌{n}")
    name_norm = factory.LazyAttribute(lambda o: normalize_name(o.name))


class PartFactory(factory.django.DjangoModelFactory[Part]):
    class Meta:
        model = Part

    brand = factory.SubFactory(BrandFactory)
    number = factory.Sequence(lambda n: f"PN-{n:06d}")
    number_norm = factory.LazyAttribute(lambda o: normalize_number(o.number))
    name = factory.Sequence(lambda n: f"测试配件{n}")
    category = factory.SubFactory(CategoryFactory)


class OeNumberFactory(factory.django.DjangoModelFactory[OeNumber]):
    class Meta:
        model = OeNumber

    part = factory.SubFactory(PartFactory)
    oe_brand = factory.SubFactory(BrandFactory, is_oe=True)
    number = factory.Sequence(lambda n: f"90915-{n:05d}")
    number_norm = factory.LazyAttribute(lambda o: normalize_number(o.number))


class FitmentFactory(factory.django.DjangoModelFactory[Fitment]):
    class Meta:
        model = Fitment

    part = factory.SubFactory(PartFactory)
    vehicle_type = factory.SubFactory(VehicleTypeFactory)


class OfferFactory(factory.django.DjangoModelFactory[Offer]):
    class Meta:
        model = Offer

    supplier = factory.SubFactory(OrganizationFactory)
    part = factory.SubFactory(PartFactory)
    grade = Grade.BRAND
    sku = factory.Sequence(lambda n: f"SKU{n:06d}")
    price = Decimal("35.00")
    lead_time_days = 2
    stock_quantity = 10


class ImportJobFactory(factory.django.DjangoModelFactory[ImportJob]):
    """A job waiting for confirmation (no staged rows: build those through the services)."""

    class Meta:
        model = ImportJob

    organization = factory.SubFactory(OrganizationFactory)
    kind = ImportJob.Kind.OFFERS
    status = ImportJob.Status.VALIDATED
    file = factory.django.FileField(filename="import-offers.xlsx", data=b"PK")
    file_name = "报价单.xlsx"
