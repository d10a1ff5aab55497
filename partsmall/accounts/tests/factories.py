import factory

from partsmall.accounts.models import User
from partsmall.core.testing import make_mobile

PASSWORD = "Parts-Mall-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("phone",)

    phone = factory.Sequence(lambda n: make_mobile(10_000 + n))
    name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password(PASSWORD)
