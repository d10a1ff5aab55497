import factory

from partsmall.accounts.tests.factories import UserFactory
from partsmall.notifications.models import Message


class MessageFactory(factory.django.DjangoModelFactory[Message]):
    class Meta:
        model = Message

    recipient = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"入驻申请已通过 {n}")
    body = "您的入驻申请已通过审核，可以开始使用。"
    link = "/"
