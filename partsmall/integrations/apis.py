"""API keys over the API (session only: a key cannot manage keys) and the platform's
suspend / reactivate endpoints."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.accounts.models import User
from partsmall.integrations import selectors, services
from partsmall.integrations.models import ApiKey
from partsmall.integrations.schema import SESSION_ONLY_AUTH
from partsmall.organizations.access import DeclaredAccess, actor_of, api_access
from partsmall.organizations.actor import Actor
from partsmall.organizations.apis import PlatformOrganizationSerializer
from partsmall.organizations.roles import Perm, Role
from partsmall.organizations.selectors import organization_for_platform

SESSION_ONLY = _("API 密钥不能管理 API 密钥，请登录后操作。")


class SessionOnly(BasePermission):
    message = SESSION_ONLY

    def has_permission(self, request: Request, view: Any) -> bool:
        return actor_of(request).api_key_id is None


class ApiKeySerializer(serializers.ModelSerializer):
    created_by = serializers.SerializerMethodField()
    is_revoked = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "prefix",
            "role",
            "created_by",
            "created_at",
            "last_used_at",
            "revoked_at",
            "is_revoked",
        ]
        read_only_fields = fields

    def get_created_by(self, api_key: ApiKey) -> str | None:
        return str(api_key.created_by) if api_key.created_by else None


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    role = serializers.ChoiceField(choices=[(r.value, r.label) for r in Role])


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(read_only=True, help_text="完整密钥，只在创建时返回一次。")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
        read_only_fields = fields


def _acting(request: Request) -> tuple[Actor, User]:
    actor = actor_of(request)
    # access checked both
    assert isinstance(actor.user, User)
    assert actor.organization is not None
    return actor, actor.user


@api_access(permission=Perm.API_KEYS_MANAGE, scope="organization")
class ApiKeysApi(generics.ListAPIView):
    permission_classes = [SessionOnly, DeclaredAccess]
    serializer_class = ApiKeySerializer

    def get_queryset(self) -> Any:
        return selectors.api_keys_of(actor=actor_of(self.request))

    @extend_schema(
        operation_id="api_keys_list", tags=["api-keys"], summary="本组织的 API 密钥", auth=SESSION_ONLY_AUTH
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="api_keys_create",
        tags=["api-keys"],
        summary="新建 API 密钥（完整密钥只返回这一次）",
        auth=SESSION_ONLY_AUTH,
        request=ApiKeyCreateSerializer,
        responses={201: ApiKeyCreatedSerializer},
    )
    def post(self, request: Request) -> Response:
        actor, user = _acting(request)
        assert actor.organization is not None
        data = ApiKeyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        api_key, full_key = services.api_key_create(
            organization=actor.organization, by=user, **data.validated_data
        )
        api_key.key = full_key  # type: ignore[attr-defined]
        return Response(ApiKeyCreatedSerializer(api_key).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.API_KEYS_MANAGE, scope="organization", selector="api_key_get")
class ApiKeyRevokeApi(APIView):
    permission_classes = [SessionOnly, DeclaredAccess]

    @extend_schema(
        operation_id="api_keys_revoke",
        tags=["api-keys"],
        summary="吊销 API 密钥",
        auth=SESSION_ONLY_AUTH,
        request=None,
        responses=ApiKeySerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        actor, user = _acting(request)
        api_key = services.api_key_revoke(api_key=selectors.api_key_get(actor=actor, pk=pk), by=user)
        return Response(ApiKeySerializer(api_key).data)


class OrganizationStatusReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=1000)


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="organization_for_platform")
class PlatformOrganizationSuspendApi(APIView):
    @extend_schema(
        operation_id="platform_organizations_suspend",
        tags=["platform"],
        summary="停用组织",
        request=OrganizationStatusReasonSerializer,
        responses=PlatformOrganizationSerializer,
        description="停用组织（需填写原因）：成员会话结束，全部 API 密钥吊销。",
    )
    def post(self, request: Request, pk: int) -> Response:
        actor, user = _acting(request)
        organization = organization_for_platform(actor=actor, pk=pk)
        data = OrganizationStatusReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = services.organization_suspend(
            organization=organization, by=user, reason=data.validated_data["reason"]
        )
        return Response(PlatformOrganizationSerializer(organization).data)


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="organization_for_platform")
class PlatformOrganizationReactivateApi(APIView):
    @extend_schema(
        operation_id="platform_organizations_reactivate",
        tags=["platform"],
        summary="恢复启用组织",
        request=OrganizationStatusReasonSerializer,
        responses=PlatformOrganizationSerializer,
        description="恢复启用已停用的组织；已吊销的 API 密钥不会恢复。",
    )
    def post(self, request: Request, pk: int) -> Response:
        actor, user = _acting(request)
        organization = organization_for_platform(actor=actor, pk=pk)
        data = OrganizationStatusReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = services.organization_reactivate(
            organization=organization, by=user, reason=data.validated_data["reason"]
        )
        return Response(PlatformOrganizationSerializer(organization).data)
