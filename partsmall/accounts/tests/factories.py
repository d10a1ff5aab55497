import re

import factory

from partsmall.accounts.models import User
from partsmall.core.models import OutboxMessage
from partsmall.core.testing import make_mobile

PASSWORD = "Parts-Mall-2026"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("phone",)

    phone = factory.Sequence(lambda n: make_mobile(10_000 + n))
    name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password(PASSWORD)


def sent_code(phone: str) -> str:
    """The code in the last SMS sent to `phone` (tests use the developer inbox backend)."""
    message = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.SMS, to=phone).first()
    assert message is not None, f"no SMS sent to {phone}"
    found = re.search(r"\d{6}", message.body)
    assert found is not None, message.body
    return found.group()
