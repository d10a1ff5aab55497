from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from partsmall.notifications.models import Message

if TYPE_CHECKING:
    from partsmall.accounts.models import User


def message_send(
    *,
    recipient: "User",
    title: str,
    body: str = "",
    link: str = "",
    kind: str = "general",
    organization_id: int | None = None,
) -> Message:
    message = Message(
        recipient=recipient,
        title=title,
        body=body,
        link=link,
        kind=kind,
        organization_id=organization_id,
    )
    message.full_clean()
    message.save()
    return message


@transaction.atomic
def message_mark_read(*, message: Message) -> Message:
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


@transaction.atomic
def messages_mark_all_read(*, recipient: "User") -> int:
    return Message.objects.filter(recipient=recipient, read_at__isnull=True).update(read_at=timezone.now())
