"""The inbox API: a person's own messages. API keys act for an organization, never as
a person, so they are refused here (scope "authenticated")."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.accounts.models import User
from partsmall.core.access import Access
from partsmall.notifications import selectors, services
from partsmall.notifications.models import Message

INBOX_ACCESS = Access(permission=None, scope="authenticated")
# A person's inbox: sessions only, API keys are refused.
# (Any: drf-spectacular hints `auth` as strings but reads security requirement objects.)
SESSION_AUTH: Any = [{"cookieAuth": []}]


class MessageSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "link",
            "organization_id",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()


def _person(request: Request) -> User:
    assert isinstance(request.user, User)  # DeclaredAccess refused everyone else
    return request.user


class InboxListApi(generics.ListAPIView):
    access = INBOX_ACCESS
    serializer_class = MessageSerializer

    def get_queryset(self) -> Any:
        unread_only = self.request.query_params.get("unread") in {"1", "true"}
        return selectors.messages_for(user=_person(self.request), unread_only=unread_only)

    @extend_schema(
        operation_id="inbox_list",
        tags=["inbox"],
        summary="我的站内信（?unread=1 只看未读）",
        auth=SESSION_AUTH,
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="只看未读（unread=1）")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class InboxReadApi(APIView):
    access = Access(permission=None, scope="authenticated", selector="message_get")

    @extend_schema(
        operation_id="inbox_read",
        tags=["inbox"],
        summary="标记一条消息为已读",
        auth=SESSION_AUTH,
        request=None,
        responses=MessageSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        found = selectors.message_get(user=_person(request), pk=pk)
        return Response(MessageSerializer(services.message_mark_read(message=found)).data)


class InboxReadAllApi(APIView):
    access = INBOX_ACCESS

    @extend_schema(
        operation_id="inbox_read_all",
        tags=["inbox"],
        summary="全部标为已读",
        auth=SESSION_AUTH,
        request=None,
        responses=MarkedReadSerializer,
    )
    def post(self, request: Request) -> Response:
        count = services.messages_mark_all_read(recipient=_person(request))
        return Response(MarkedReadSerializer({"marked_read": count}).data)


class InboxUnreadCountApi(APIView):
    access = INBOX_ACCESS

    @extend_schema(
        operation_id="inbox_unread_count",
        tags=["inbox"],
        summary="未读消息数",
        auth=SESSION_AUTH,
        responses=UnreadCountSerializer,
    )
    def get(self, request: Request) -> Response:
        count = selectors.unread_count(user=_person(request))
        return Response(UnreadCountSerializer({"unread": count}).data)
