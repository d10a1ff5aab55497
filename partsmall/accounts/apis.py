"""The accounts API: send an SMS code (public) and read the person who is logged in.

accounts sits below organizations: memberships are added to "me" by organizations' API.
"""

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.accounts import services
from partsmall.accounts.http import client_ip
from partsmall.accounts.models import SmsCode, User
from partsmall.core.access import Access
from partsmall.core.validators import mask_phone

# A person, not an organization's systems: sessions only, API keys are refused.
# (Any: drf-spectacular hints `auth` as strings but reads security requirement objects.)
SESSION_AUTH: Any = [{"cookieAuth": []}]
NO_AUTH: Any = [{}]
REFUSED = OpenApiResponse(description="Refused: {code, message, field} naming the wrong field.")


class SmsCodeSendSerializer(serializers.Serializer):
    # Checked by the service, so that every refusal names its field the same way.
    phone = serializers.CharField(required=False, allow_blank=True, default="", help_text="中国大陆手机号")
    purpose = serializers.CharField(
        required=False,
        default=SmsCode.Purpose.LOGIN,
        help_text="用途：" + ", ".join(SmsCode.Purpose.values),
    )


class SmsCodeSentSerializer(serializers.Serializer):
    phone = serializers.CharField(help_text="已脱敏，如 139****0001")
    purpose = serializers.ChoiceField(choices=SmsCode.Purpose.choices)
    expires_at = serializers.DateTimeField()
    retry_after = serializers.IntegerField(help_text="多少秒后可再次获取")
    message = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "phone", "name", "email", "date_joined", "last_login"]
        read_only_fields = fields


class SmsCodeCreateApi(APIView):
    access = Access(permission=None, scope="public")
    # Anyone may ask (no session, so no CSRF); the service's cooldown and caps throttle it.
    authentication_classes: list[type] = []

    @extend_schema(
        operation_id="auth_sms_code_create",
        summary="发送短信验证码",
        auth=NO_AUTH,
        request=SmsCodeSendSerializer,
        responses={201: SmsCodeSentSerializer, 400: REFUSED},
    )
    def post(self, request: Request) -> Response:
        data = SmsCodeSendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sms = services.sms_code_send(
            phone=data.validated_data["phone"],
            purpose=data.validated_data["purpose"],
            ip=client_ip(request._request),
        )
        answer = {
            "phone": mask_phone(sms.phone),
            "purpose": sms.purpose,
            "expires_at": sms.expires_at,
            "retry_after": settings.SMS_CODE_COOLDOWN_SECONDS,
            "message": services.sms_sent_message(sms),
        }
        return Response(SmsCodeSentSerializer(answer).data, status=status.HTTP_201_CREATED)


class MeApi(APIView):
    access = Access(permission=None, scope="authenticated")

    @extend_schema(
        operation_id="me_retrieve", summary="当前登录的人", auth=SESSION_AUTH, responses=MeSerializer
    )
    def get(self, request: Request) -> Response:
        assert isinstance(request.user, User)  # DeclaredAccess refused everyone else
        return Response(MeSerializer(request.user).data)
