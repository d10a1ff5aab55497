import factory

from partsmall.accounts.tests.factories import UserFactory
from partsmall.core.testing import make_credit_code
from partsmall.organizations.models import Application, Membership, Organization
from partsmall.organizations.roles import Role


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.SUPPLIER
    name = factory.Sequence(lambda n: f"测试汽配有限公司{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(50_000 + n))
    status = Organization.Status.ACTIVE
    contact_name = factory.Faker("name", locale="zh_CN")
    contact_phone = factory.Sequence(lambda n: f"138{n:08d}")
    address_detail = "科技路 1 号"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.OWNER


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    organization = factory.SubFactory(OrganizationFactory, status=Organization.Status.PENDING)
    applicant = factory.SubFactory(UserFactory)
    submitted_at = factory.Faker("date_time_this_month", tzinfo=__import__("datetime").UTC)
    channel = Application.Channel.FIELD_SALES
