"""SMS transport interface. Services call `send_sms`; the backend is a setting."""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("partsmall.sms")


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class LogSmsBackend:
    """Writes the text to the log only (for deployments without a provider yet)."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class DeveloperInboxSmsBackend:
    """The embedded default: the log plus the developer inbox page (/dev/inbox/)."""

    def send(self, *, phone: str, text: str) -> None:
        from partsmall.core.models import OutboxMessage

        logger.info("SMS to %s: %s", phone, text)
        OutboxMessage.objects.create(channel=OutboxMessage.Channel.SMS, to=phone, body=text)


def get_sms_backend() -> SmsBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    return backend_class()


def send_sms(*, phone: str, text: str) -> None:
    get_sms_backend().send(phone=phone, text=text)
