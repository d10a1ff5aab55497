import factory

from partsmall.organizations.models import Organization
from partsmall.organizations.tests.factories import OrganizationFactory
from partsmall.vehicles.models import Fuel, Make, VehicleModel, VehicleType, VinChoice, VinPattern, Wmi


class MakeFactory(factory.django.DjangoModelFactory[Make]):
    class Meta:
        model = Make
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试品牌{n}")
    name_en = factory.Sequence(lambda n: f"Make{n}")


class VehicleModelFactory(factory.django.DjangoModelFactory[VehicleModel]):
    class Meta:
        model = VehicleModel

    make = factory.SubFactory(MakeFactory)
    name = factory.Sequence(lambda n: f"车系{n}")
    manufacturer = "测试汽车"


class VehicleTypeFactory(factory.django.DjangoModelFactory[VehicleType]):
    class Meta:
        model = VehicleType

    model = factory.SubFactory(VehicleModelFactory)
    key = factory.Sequence(lambda n: f"test-vehicle-type-{n}")
    generation = "第一代"
    engine_code = "EA211"
    displacement_l = factory.Faker("pydecimal", left_digits=1, right_digits=1, min_value=1, max_value=3)
    fuel = Fuel.PETROL
    transmission = "6AT"
    year_from = 2015
    year_to = 2020


class WmiFactory(factory.django.DjangoModelFactory[Wmi]):
    class Meta:
        model = Wmi
        django_get_or_create = ("code",)

    code = "LSV"
    manufacturer = "SAIC Volkswagen"
    country = "China"


class VinPatternFactory(factory.django.DjangoModelFactory[VinPattern]):
    class Meta:
        model = VinPattern

    wmi = "LSV"
    vds_prefix = factory.Sequence(lambda n: f"{n:05d}"[-5:])


class VinChoiceFactory(factory.django.DjangoModelFactory[VinChoice]):
    class Meta:
        model = VinChoice

    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.REPAIR_SHOP)
    vin = "LSVAU218XN2183294"
    vehicle_type = factory.SubFactory(VehicleTypeFactory)
