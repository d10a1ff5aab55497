"""`Authorization: Api-Key <prefix>.<secret>` for organizations' integrations."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from partsmall.integrations.models import ApiKey
from partsmall.organizations.actor import Actor

KEYWORD = b"api-key"


@dataclass(frozen=True)
class ApiClient:
    """Stands in for request.user when an API key authenticates: it is not a person."""

    api_key: ApiKey
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_active: bool = True
    is_staff: bool = False

    def __str__(self) -> str:
        return f"api-key:{self.api_key.prefix}"


@dataclass(frozen=True)
class ApiKeyAuth:
    api_key: ApiKey
    actor: Actor


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        from partsmall.integrations.services import api_key_authenticate

        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("API 密钥格式应为：Authorization: Api-Key <密钥>"))
        api_key = api_key_authenticate(raw_key=parts[1].decode("ascii", errors="replace"))
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("API 密钥无效、已吊销，或其组织已停用。"))
        actor = Actor(
            user=None,
            organization=api_key.organization,
            role=api_key.role,
            api_key_id=api_key.pk,
        )
        return ApiClient(api_key=api_key), ApiKeyAuth(api_key=api_key, actor=actor)

    def authenticate_header(self, request: Request) -> str:
        return "Api-Key"
