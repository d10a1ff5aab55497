"""A small real catalogue for the search tests.

Vehicles from demo/data/vehicles_cn.csv (一汽丰田 卡罗拉 E180, 广汽丰田 凯美瑞), OE numbers
and their aftermarket equivalent from demo/data/oe_parts.csv (Toyota 90915-10003 ↔ ACDelco
PF304J; the source lists 90915-10001 beside 90915-10003, here as its supersession).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pytest

from partsmall.catalog.indexing import part_search_text, refresh_offer_summary
from partsmall.catalog.models import Category, Grade, Part, PartLink, Position, ReviewStatus
from partsmall.catalog.normalize import normalize_number
from partsmall.catalog.tests.factories import (
    BrandFactory,
    CategoryFactory,
    FitmentFactory,
    OeNumberFactory,
    OfferFactory,
    PartFactory,
)
from partsmall.organizations.models import Organization
from partsmall.organizations.tests.factories import OrganizationFactory
from partsmall.vehicles.models import Fuel, VehicleType
from partsmall.vehicles.tests.factories import MakeFactory, VehicleModelFactory, VehicleTypeFactory


def index_parts(parts: Iterable[Part]) -> None:
    """Write search_text as the catalog services do (indexing.part_search_text)."""
    categories = {c.pk: c for c in Category.objects.all()}
    for part in parts:
        part.refresh_from_db()
        names, node = [], categories.get(part.category_id)
        while node is not None:
            names.append(node.name)
            node = categories.get(node.parent_id) if node.parent_id else None
        oe_numbers = list(part.oe_numbers.values_list("number_norm", flat=True))
        text = part_search_text(
            name=part.name,
            brand=f"{part.brand.name} {part.brand.name_en}".strip(),
            number_norm=part.number_norm,
            oe_numbers=oe_numbers,
            categories=names,
        )
        Part.objects.filter(pk=part.pk).update(search_text=text)


@dataclass
class Catalogue:
    filters: Category
    oil_filter: Category
    air_filter: Category
    brakes: Category
    brake_pads: Category
    corolla_12t: VehicleType
    corolla_hybrid: VehicleType
    camry: VehicleType
    old_toyota_filter: Part  # 90915-10001, superseded by 90915-10003
    toyota_filter: Part  # 90915-10003 (Corolla)
    acdelco_filter: Part  # PF304J, interchanges with 90915-10003
    camry_filter: Part  # 90915-10009 (Camry)
    air_filter_part: Part
    brake_pad: Part
    rejected: Part
    supplier_a: Organization
    supplier_b: Organization

    @property
    def visible(self) -> set[int]:
        return {
            p.pk
            for p in (
                self.old_toyota_filter,
                self.toyota_filter,
                self.acdelco_filter,
                self.camry_filter,
                self.air_filter_part,
                self.brake_pad,
            )
        }


def _part(brand, number: str, name: str, category: Category, **extra) -> Part:
    return PartFactory.create(
        brand=brand,
        number=number,
        number_norm=normalize_number(number),
        name=name,
        category=category,
        **extra,
    )


@pytest.fixture
def catalogue(db) -> Catalogue:
    filters = CategoryFactory.create(code="filters", name="滤清器", sort=1)
    oil = CategoryFactory.create(code="oil-filter", name="机油滤清器", parent=filters, sort=1)
    air = CategoryFactory.create(code="air-filter", name="空气滤清器", parent=filters, sort=2)
    brakes = CategoryFactory.create(code="brakes", name="制动系统", sort=2)
    pads = CategoryFactory.create(code="brake-pads", name="刹车片", parent=brakes, sort=1)

    toyota = MakeFactory.create(name="丰田", name_en="Toyota", initials="ft")
    corolla = VehicleModelFactory.create(make=toyota, name="卡罗拉", manufacturer="一汽丰田")
    camry_model = VehicleModelFactory.create(make=toyota, name="凯美瑞", manufacturer="广汽丰田")
    corolla_12t = VehicleTypeFactory.create(
        model=corolla,
        generation="E180 (China)",
        engine_code="8NR-FTS",
        displacement_l=Decimal("1.2"),
        fuel=Fuel.PETROL,
        transmission="CVT",
        year_from=2016,
        year_to=None,
    )
    corolla_hybrid = VehicleTypeFactory.create(
        model=corolla,
        generation="E180 (China)",
        engine_code="8ZR-FXE",
        displacement_l=None,
        fuel=Fuel.HYBRID,
        transmission="",
        year_from=2015,
        year_to=None,
    )
    camry = VehicleTypeFactory.create(
        model=camry_model,
        generation="",
        engine_code="AR",
        displacement_l=Decimal("2.5"),
        fuel=Fuel.PETROL,
        transmission="",
        year_from=None,  # vehicles_cn.csv states no years for the Camry 2.5
        year_to=None,
    )

    toyota_parts = BrandFactory.create(name="丰田", name_en="Toyota", is_oe=True)
    acdelco = BrandFactory.create(name="ACDelco", name_en="ACDelco")
    bosch = BrandFactory.create(name="博世", name_en="Bosch")

    old = _part(toyota_parts, "90915-10001", "丰田机油滤清器", oil)
    filter_ = _part(toyota_parts, "90915-10003", "丰田卡罗拉机油滤清器", oil)
    acdelco_filter = _part(acdelco, "PF304J", "机油滤清器", oil)
    camry_filter = _part(toyota_parts, "90915-10009", "凯美瑞机油滤芯", oil)
    air_part = _part(bosch, "0 986 AF2 063", "空气滤清器", air)
    pad = _part(toyota_parts, "45022-T6A-J00", "前刹车片", pads)
    rejected = _part(bosch, "0 986 AF0 999", "机油滤清器 错误数据", oil, review_status=ReviewStatus.REJECTED)

    for part, number in ((old, "90915-10001"), (filter_, "90915-10003"), (camry_filter, "90915-10009")):
        OeNumberFactory.create(
            part=part, oe_brand=toyota_parts, number=number, number_norm=normalize_number(number)
        )
    PartLink.objects.create(from_part=acdelco_filter, to_part=filter_, kind=PartLink.Kind.INTERCHANGE)
    PartLink.objects.create(from_part=old, to_part=filter_, kind=PartLink.Kind.SUPERSESSION)

    for part in (filter_, acdelco_filter, air_part, rejected):
        FitmentFactory.create(part=part, vehicle_type=corolla_12t)
    FitmentFactory.create(part=filter_, vehicle_type=corolla_hybrid, notes="2019-03 以后")
    FitmentFactory.create(part=pad, vehicle_type=corolla_12t, position=Position.FRONT, quantity=1)
    FitmentFactory.create(part=camry_filter, vehicle_type=camry)
    FitmentFactory.create(part=old, vehicle_type=camry)

    supplier_a = OrganizationFactory.create(name="广州华南汽配有限公司")
    supplier_b = OrganizationFactory.create(name="北京京北汽配有限公司")
    OfferFactory.create(
        supplier=supplier_a,
        part=filter_,
        grade=Grade.GENUINE,
        price=Decimal("45.00"),
        lead_time_days=2,
        stock_quantity=12,
    )
    OfferFactory.create(
        supplier=supplier_b,
        part=filter_,
        grade=Grade.GENUINE,
        price=Decimal("39.50"),
        lead_time_days=3,
        stock_quantity=0,
    )
    OfferFactory.create(
        supplier=supplier_b,
        part=filter_,
        grade=Grade.AFTERMARKET,
        price=Decimal("18.00"),
        lead_time_days=5,
        stock_quantity=0,
    )
    OfferFactory.create(
        supplier=supplier_a,
        part=acdelco_filter,
        grade=Grade.BRAND,
        price=Decimal("28.00"),
        lead_time_days=1,
        stock_quantity=30,
    )
    OfferFactory.create(
        supplier=supplier_a,
        part=camry_filter,
        grade=Grade.GENUINE,
        price=Decimal("62.00"),
        lead_time_days=2,
        stock_quantity=4,
    )
    OfferFactory.create(
        supplier=supplier_b,
        part=air_part,
        grade=Grade.BRAND,
        price=Decimal("120.00"),
        lead_time_days=1,
        stock_quantity=0,
    )
    OfferFactory.create(
        supplier=supplier_a,
        part=pad,
        grade=Grade.GENUINE,
        price=Decimal("680.00"),
        lead_time_days=7,
        stock_quantity=2,
    )
    OfferFactory.create(
        supplier=supplier_b,
        part=pad,
        grade=Grade.USED,
        price=Decimal("150.00"),
        lead_time_days=2,
        stock_quantity=1,
        is_listed=False,
    )
    OfferFactory.create(
        supplier=supplier_a,
        part=rejected,
        grade=Grade.BRAND,
        price=Decimal("9.00"),
        lead_time_days=1,
        stock_quantity=5,
    )

    parts = [old, filter_, acdelco_filter, camry_filter, air_part, pad, rejected]
    refresh_offer_summary(p.pk for p in parts)
    index_parts(parts)
    for part in parts:
        part.refresh_from_db()
    return Catalogue(
        filters=filters,
        oil_filter=oil,
        air_filter=air,
        brakes=brakes,
        brake_pads=pads,
        corolla_12t=corolla_12t,
        corolla_hybrid=corolla_hybrid,
        camry=camry,
        old_toyota_filter=old,
        toyota_filter=filter_,
        acdelco_filter=acdelco_filter,
        camry_filter=camry_filter,
        air_filter_part=air_part,
        brake_pad=pad,
        rejected=rejected,
        supplier_a=supplier_a,
        supplier_b=supplier_b,
    )
