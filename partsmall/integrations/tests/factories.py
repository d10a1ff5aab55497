import factory

from partsmall.integrations.models import ApiKey
from partsmall.integrations.services import _hash
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import OrganizationFactory

SECRET = "test-secret-of-the-factory-key"


class ApiKeyFactory(factory.django.DjangoModelFactory[ApiKey]):
    """A key whose full value is `f"{prefix}.{SECRET}"`."""

    class Meta:
        model = ApiKey

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"ERP 同步 {n}")
    role = Role.SALES
    prefix = factory.Sequence(lambda n: f"k{n:07d}")
    key_hash = _hash(SECRET)


def full_key(api_key: ApiKey) -> str:
    return f"{api_key.prefix}.{SECRET}"
