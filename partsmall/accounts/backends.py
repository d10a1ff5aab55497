from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class PhonePasswordBackend(ModelBackend):
    """Phone + password. Throttling is done by accounts.services before this is called."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        phone: str | None = None,
        **kwargs: Any,
    ) -> Any:
        return super().authenticate(request, username=phone or username, password=password, **kwargs)
