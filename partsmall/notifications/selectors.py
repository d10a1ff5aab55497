from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from partsmall.notifications.models import Message

if TYPE_CHECKING:
    from partsmall.accounts.models import User


def messages_for(*, user: "User", unread_only: bool = False) -> QuerySet[Message]:
    qs = Message.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def message_get(*, user: "User", pk: int) -> Message:
    """Another person's message answers 404."""
    return get_object_or_404(Message, pk=pk, recipient=user)


def unread_count(*, user: "User") -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
