"""The organizations REST API: the acting organization's profile and members, a person's
memberships and onboarding application, and the platform's review.

Views are thin: a serializer checks the shape of the input, one selector (taking the
actor) resolves the object, one service does the work. The services check the content
and answer field errors (400 with the field, core/apis.py).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.accounts.models import User
from partsmall.organizations import selectors, services
from partsmall.organizations.access import NOT_ALLOWED, actor_of, api_access
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Application, Membership, Organization
from partsmall.organizations.roles import Perm, Role
from partsmall.organizations.services.applications import APPLICATION_FIELDS

# Person-level endpoints (a person's memberships and own application): API keys are
# refused. (Any: drf-spectacular hints `auth` as strings but reads security objects.)
SESSION_AUTH: Any = [{"cookieAuth": []}]


class WritePermission(BasePermission):
    """Unsafe methods need the view's `write_permission` on top of its declared access
    (one URL, a read permission and a write permission, e.g. the profile)."""

    message = NOT_ALLOWED

    def has_permission(self, request: Request, view: Any) -> bool:
        needed = getattr(view, "write_permission", None)
        return request.method in SAFE_METHODS or needed is None or actor_of(request).can(needed)


def _actor(request: Request) -> Actor:
    return actor_of(request)


def _person(request: Request) -> User:
    user = actor_of(request).user
    if not isinstance(user, User):  # an API key: declared access refuses it before this
        raise PermissionDenied
    return user


def _organization(request: Request) -> Organization:
    organization = actor_of(request).organization
    if organization is None:
        raise Http404
    return organization


# Serializers: shapes only. Content (required fields, formats, regions) is the services'.


class OrganizationSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id", allow_null=True, read_only=True)
    city = serializers.CharField(source="city_id", allow_null=True, read_only=True)
    district = serializers.CharField(source="district_id", allow_null=True, read_only=True)
    full_address = serializers.CharField(read_only=True)
    has_licence = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "kind",
            "name",
            "credit_code",
            "status",
            "tier",
            "province",
            "city",
            "district",
            "address_detail",
            "full_address",
            "contact_name",
            "contact_phone",
            "invoice_title",
            "invoice_tax_number",
            "invoice_bank_name",
            "invoice_bank_account",
            "invoice_address",
            "invoice_phone",
            "has_licence",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_licence(self, organization: Organization) -> bool:
        return bool(organization.licence)


class PlatformOrganizationSerializer(OrganizationSerializer):
    member_count = serializers.IntegerField(read_only=True, required=False)

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "lifecycle_stage", "member_count"]
        read_only_fields = fields


def _text(max_length: int) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, max_length=max_length)


class OrganizationUpdateSerializer(serializers.Serializer):
    """Any of the profile fields; regions are 区划代码 (province, city, district)."""

    name = _text(100)
    credit_code = _text(18)
    province = _text(12)
    city = _text(12)
    district = _text(12)
    address_detail = _text(200)
    contact_name = _text(50)
    contact_phone = _text(20)
    invoice_title = _text(100)
    invoice_tax_number = _text(30)
    invoice_bank_name = _text(100)
    invoice_bank_account = _text(40)
    invoice_address = _text(200)
    invoice_phone = _text(30)


class MembershipOrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "status"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    """One of the person's own memberships (for switching organizations)."""

    organization = MembershipOrganizationSerializer(read_only=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "organization", "role", "is_current"]
        read_only_fields = fields

    def get_is_current(self, membership: Membership) -> bool:
        return membership.pk == self.context.get("current_membership_id")


class MemberSerializer(serializers.ModelSerializer):
    user_id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    phone = serializers.CharField(source="user.phone", read_only=True)
    invited_by = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "user_id",
            "name",
            "phone",
            "role",
            "is_active",
            "invited_by",
            "created_at",
            "removed_at",
        ]
        read_only_fields = fields

    def get_invited_by(self, membership: Membership) -> str | None:
        return str(membership.invited_by) if membership.invited_by else None


ROLE_CHOICES = [(role.value, role.label) for role in Role]


class MemberInviteSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20, allow_blank=True)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=ROLE_CHOICES)


class MemberUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ROLE_CHOICES)


class ApplicationSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "organization",
            "status",
            "channel",
            "referral_code",
            "attempt",
            "submitted_at",
            "decided_at",
            "decided_by",
            "reject_reason",
        ]
        read_only_fields = fields

    def get_decided_by(self, application: Application) -> str | None:
        return str(application.decided_by) if application.decided_by else None


class PlatformApplicationSerializer(ApplicationSerializer):
    applicant = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "applicant"]
        read_only_fields = fields

    def get_applicant(self, application: Application) -> str:
        return str(application.applicant)


class ApplicationSubmitSerializer(OrganizationUpdateSerializer):
    """multipart/form-data: the organization's fields, the licence (营业执照: JPG, PNG or
    PDF, at most 5 MB), the channel and an optional referral code."""

    kind = _text(20)
    licence = serializers.FileField(required=False, allow_null=True)
    channel = _text(20)
    referral_code = _text(32)


class ApplicationRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=1000)


def _submit_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Every field application_submit takes: missing ones count as empty (the service
    names each missing required field)."""
    fields: dict[str, Any] = {name: data.get(name, "") for name in APPLICATION_FIELDS}
    fields["licence"] = data.get("licence") if isinstance(data.get("licence"), UploadedFile) else None
    fields["channel"] = data.get("channel") or Application.Channel.OTHER
    return fields


# The acting organization.


@api_access(permission=Perm.ORG_VIEW, scope="applicant")
class OrganizationApi(APIView):
    permission_classes = [*APIView.permission_classes, WritePermission]
    write_permission = Perm.ORG_MANAGE

    @extend_schema(
        operation_id="organization_retrieve",
        tags=["organization"],
        summary="当前组织的资料",
        responses=OrganizationSerializer,
    )
    def get(self, request: Request) -> Response:
        return Response(OrganizationSerializer(_organization(request)).data)

    @extend_schema(
        operation_id="organization_update",
        tags=["organization"],
        summary="修改当前组织的资料与开票信息",
        request=OrganizationUpdateSerializer,
        responses=OrganizationSerializer,
    )
    def patch(self, request: Request) -> Response:
        data = OrganizationUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        organization = services.organization_update_profile(
            organization=_organization(request), by=_person(request), **data.validated_data
        )
        return Response(OrganizationSerializer(organization).data)


@api_access(permission=None, scope="authenticated")
class MembershipsApi(generics.ListAPIView):
    serializer_class = MembershipSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return selectors.memberships_of_user(user=_person(self.request))

    def get_serializer_context(self) -> dict[str, Any]:
        membership = _actor(self.request).membership
        return {
            **super().get_serializer_context(),
            "current_membership_id": membership.pk if membership else None,
        }

    @extend_schema(
        operation_id="memberships_list",
        tags=["organization"],
        summary="我所在的组织（用于切换）",
        auth=SESSION_AUTH,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.MEMBERS_MANAGE, scope="organization")
class MembersApi(generics.ListAPIView):
    serializer_class = MemberSerializer

    def get_queryset(self) -> Any:
        include_removed = self.request.query_params.get("include_removed") in {"1", "true"}
        return selectors.members_of_organization(actor=_actor(self.request), include_removed=include_removed)

    @extend_schema(
        operation_id="members_list",
        tags=["members"],
        summary="成员列表",
        parameters=[OpenApiParameter("include_removed", OpenApiTypes.BOOL, description="含已移除成员")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="members_invite",
        tags=["members"],
        summary="邀请成员",
        request=MemberInviteSerializer,
        responses={201: MemberSerializer},
    )
    def post(self, request: Request) -> Response:
        data = MemberInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_invite(
            organization=_organization(request), by=_person(request), **data.validated_data
        )
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.MEMBERS_MANAGE, scope="organization", selector="membership_of_organization")
class MemberApi(APIView):
    @extend_schema(
        operation_id="members_update",
        tags=["members"],
        summary="变更成员角色",
        request=MemberUpdateSerializer,
        responses=MemberSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        membership = selectors.membership_of_organization(actor=_actor(request), pk=pk)
        data = MemberUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_change_role(
            membership=membership, by=_person(request), role=data.validated_data["role"]
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(operation_id="members_remove", tags=["members"], summary="移除成员", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        membership = selectors.membership_of_organization(actor=_actor(request), pk=pk)
        services.member_remove(membership=membership, by=_person(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Onboarding applications of the acting person.


def _own_applications(actor: Actor) -> list[Application]:
    if not actor.can(Perm.APPLICATION_EDIT):
        return []
    try:
        return [selectors.application_of_organization(actor=actor)]
    except Http404:
        return []


@api_access(permission=None, scope="authenticated")
class ApplicationsApi(APIView):
    """Any logged-in person may apply; the list is the application of the organization
    the person acts for (empty before applying, or without the right to edit it)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="applications_list",
        tags=["applications"],
        summary="我的入驻申请",
        auth=SESSION_AUTH,
        responses=ApplicationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(ApplicationSerializer(_own_applications(_actor(request)), many=True).data)

    @extend_schema(
        operation_id="applications_submit",
        tags=["applications"],
        summary="提交入驻申请（multipart，含营业执照）",
        auth=SESSION_AUTH,
        request={"multipart/form-data": ApplicationSubmitSerializer},
        responses={201: ApplicationSerializer},
    )
    def post(self, request: Request) -> Response:
        data = ApplicationSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_submit(
            applicant=_person(request), **_submit_fields(data.validated_data)
        )
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.APPLICATION_EDIT, scope="applicant", selector="application_of_organization")
class ApplicationApi(APIView):
    @extend_schema(
        operation_id="applications_retrieve",
        tags=["applications"],
        summary="入驻申请详情",
        responses=ApplicationSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ApplicationSerializer(_application_of(request, pk)).data)


@api_access(permission=Perm.APPLICATION_EDIT, scope="applicant", selector="application_of_organization")
class ApplicationResubmitApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="applications_resubmit",
        tags=["applications"],
        summary="修改并重新提交被驳回的入驻申请",
        request={"multipart/form-data": ApplicationSubmitSerializer},
        responses=ApplicationSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        application = _application_of(request, pk)
        data = ApplicationSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_resubmit(
            application=application, by=_person(request), **_submit_fields(data.validated_data)
        )
        return Response(ApplicationSerializer(application).data)


def _application_of(request: Request, pk: int) -> Application:
    """The acting organization's application; any other id answers 404."""
    application = selectors.application_of_organization(actor=_actor(request))
    if application.pk != pk:
        raise Http404
    return application


# Platform review.


@api_access(permission=Perm.PLATFORM_REVIEW, scope="platform")
class PlatformApplicationsApi(generics.ListAPIView):
    serializer_class = PlatformApplicationSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.application_review_queue(
            actor=_actor(self.request),
            status=params.get("status", ""),
            kind=params.get("kind", ""),
            channel=params.get("channel", ""),
            keyword=params.get("keyword", ""),
        )

    @extend_schema(
        operation_id="platform_applications_list",
        tags=["platform"],
        summary="入驻审核队列",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=Application.Status.values),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=[Organization.Kind.SUPPLIER, Organization.Kind.REPAIR_SHOP]
            ),
            OpenApiParameter("channel", OpenApiTypes.STR, enum=Application.Channel.values),
            OpenApiParameter("keyword", OpenApiTypes.STR, description="企业名称、信用代码或手机号"),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.PLATFORM_REVIEW, scope="platform", selector="application_for_review")
class PlatformApplicationApproveApi(APIView):
    @extend_schema(
        operation_id="platform_applications_approve",
        tags=["platform"],
        summary="通过入驻申请",
        request=None,
        responses=PlatformApplicationSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        application = selectors.application_for_review(actor=_actor(request), pk=pk)
        application = services.application_approve(application=application, by=_person(request))
        return Response(PlatformApplicationSerializer(application).data)


@api_access(permission=Perm.PLATFORM_REVIEW, scope="platform", selector="application_for_review")
class PlatformApplicationRejectApi(APIView):
    @extend_schema(
        operation_id="platform_applications_reject",
        tags=["platform"],
        summary="驳回入驻申请（需填写原因）",
        request=ApplicationRejectSerializer,
        responses=PlatformApplicationSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        application = selectors.application_for_review(actor=_actor(request), pk=pk)
        data = ApplicationRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_reject(
            application=application, by=_person(request), reason=data.validated_data["reason"]
        )
        return Response(PlatformApplicationSerializer(application).data)


@api_access(permission=Perm.PLATFORM_VIEW, scope="platform")
class PlatformOrganizationsApi(generics.ListAPIView):
    serializer_class = PlatformOrganizationSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.organizations_for_platform(
            actor=_actor(self.request),
            kind=params.get("kind", ""),
            status=params.get("status", ""),
            keyword=params.get("keyword", ""),
        )

    @extend_schema(
        operation_id="platform_organizations_list",
        tags=["platform"],
        summary="组织列表",
        parameters=[
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=[Organization.Kind.SUPPLIER, Organization.Kind.REPAIR_SHOP]
            ),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Organization.Status.values),
            OpenApiParameter("keyword", OpenApiTypes.STR, description="企业名称、信用代码或手机号"),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
