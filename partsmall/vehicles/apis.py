"""The vehicles REST API: VIN decoding and the remembered choice (buying organizations),
the cascade of makes, models and vehicle types, and the operators' vehicle database and
VIN patterns.

Views are thin: a serializer checks the shape of the input, one selector or service does
the work; the services answer field errors (400 with the field, core/apis.py).
"""

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.accounts.models import User
from partsmall.core.errors import ApplicationError
from partsmall.organizations.access import actor_of, api_access
from partsmall.organizations.roles import Perm
from partsmall.vehicles import errors, selectors, services
from partsmall.vehicles.models import Fuel, Make, VehicleModel, VehicleType, VinPattern

VIN_PARAMETER = OpenApiParameter(
    "vin", OpenApiTypes.STR, OpenApiParameter.PATH, description="17 位 VIN（车辆识别代号）"
)


def _person(request: Request) -> User | None:
    user = actor_of(request).user
    return user if isinstance(user, User) else None


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ApplicationError(errors.INVALID_NUMBER % {"name": name}, field=name) from None


# Serializers: shapes only.


class MakeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Make
        fields = ["id", "name", "name_en", "initials"]
        read_only_fields = fields


class VehicleModelSerializer(serializers.ModelSerializer):
    class Meta:
        model = VehicleModel
        fields = ["id", "make_id", "name", "name_en", "manufacturer"]
        read_only_fields = fields


class VehicleTypeSerializer(serializers.ModelSerializer):
    make = MakeSerializer(source="model.make", read_only=True)
    model = VehicleModelSerializer(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # shadows Field.label

    class Meta:
        model = VehicleType
        fields = [
            "id",
            "key",
            "label",
            "make",
            "model",
            "generation",
            "body",
            "engine_code",
            "displacement_l",
            "fuel",
            "transmission",
            "year_from",
            "year_to",
            "source",
        ]
        read_only_fields = fields


class VinPatternBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = VinPattern
        fields = ["id", "wmi", "vds_prefix"]
        read_only_fields = fields


class VinDecodingSerializer(serializers.Serializer):
    vin = serializers.CharField()
    wmi = serializers.CharField()
    manufacturer = serializers.CharField()
    country = serializers.CharField()
    make = MakeSerializer(allow_null=True)
    model_years = serializers.ListField(child=serializers.IntegerField())
    check_digit_valid = serializers.BooleanField(allow_null=True, help_text="null: 该车未使用校验位")
    check_digit_required = serializers.BooleanField()
    notes = serializers.ListField(child=serializers.CharField())
    candidates = VehicleTypeSerializer(many=True)
    chosen = VehicleTypeSerializer(allow_null=True, help_text="本组织记住的选择，或唯一的候选车型")
    pattern = VinPatternBriefSerializer(allow_null=True)


class VinChoiceSerializer(serializers.Serializer):
    vehicle_type = serializers.IntegerField(help_text="候选车型的 id")


def _text(max_length: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, max_length=max_length, **kwargs)


class VehicleTypeWriteSerializer(serializers.Serializer):
    make_name = serializers.CharField(max_length=50, allow_blank=True, help_text="品牌，没有的会新建")
    model_name = serializers.CharField(max_length=80, allow_blank=True, help_text="车系，没有的会新建")
    manufacturer = _text(80)
    generation = _text(100)
    body = _text(50)
    engine_code = _text(50)
    displacement_l = serializers.DecimalField(max_digits=3, decimal_places=1, required=False, allow_null=True)
    fuel = serializers.ChoiceField(choices=Fuel.choices, required=False, allow_blank=True)
    transmission = _text(100)
    year_from = serializers.IntegerField(required=False, allow_null=True, help_text="来源未注明则留空")
    year_to = serializers.IntegerField(required=False, allow_null=True)
    source = _text(500)  # type: ignore[assignment]  # shadows Field.source


class VinPatternSerializer(serializers.ModelSerializer):
    vehicle_types = VehicleTypeSerializer(many=True, read_only=True)

    class Meta:
        model = VinPattern
        fields = ["id", "wmi", "vds_prefix", "note", "source", "vehicle_types", "created_at"]
        read_only_fields = fields


class VinPatternWriteSerializer(serializers.Serializer):
    wmi = serializers.CharField(max_length=3, allow_blank=True)
    vds_prefix = serializers.CharField(max_length=5, allow_blank=True, required=False, default="")
    vehicle_types = serializers.ListField(child=serializers.IntegerField(), help_text="车型 id 列表")
    note = _text(200, default="")
    source = _text(500, default="")  # type: ignore[assignment]  # shadows Field.source


# VIN decoding for buyers.


@api_access(permission=Perm.PURCHASE, scope="organization")
class VinDecodeApi(APIView):
    @extend_schema(
        operation_id="vin_decode",
        tags=["vehicles"],
        summary="解析 VIN：制造商、车型年份、校验位与候选车型",
        parameters=[VIN_PARAMETER],
        responses=VinDecodingSerializer,
    )
    def get(self, request: Request, vin: str) -> Response:
        decoding = services.vin_decode(vin=vin, organization=actor_of(request).organization)
        return Response(VinDecodingSerializer(decoding).data)


@api_access(permission=Perm.PURCHASE, scope="organization")
class VinChoiceApi(APIView):
    @extend_schema(
        operation_id="vin_choice_remember",
        tags=["vehicles"],
        summary="为 VIN 选定候选车型（本组织记住此选择）",
        parameters=[VIN_PARAMETER],
        request=VinChoiceSerializer,
        responses=VinDecodingSerializer,
    )
    def post(self, request: Request, vin: str) -> Response:
        data = VinChoiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = actor_of(request).organization
        try:
            vehicle_type = selectors.vehicle_type_get(pk=data.validated_data["vehicle_type"])
        except Http404:
            raise ApplicationError(errors.NOT_A_CANDIDATE, field="vehicle_type") from None
        assert organization is not None  # declared access needs an active organization
        services.vin_choice_remember(
            organization=organization, vin=vin, vehicle_type=vehicle_type, by=_person(request)
        )
        decoding = services.vin_decode(vin=vin, organization=organization)
        return Response(VinDecodingSerializer(decoding).data)


# The cascade: make → model → vehicle types (shared data, any member).


@api_access(permission=Perm.ORG_VIEW, scope="organization")
class MakesApi(generics.ListAPIView):
    serializer_class = MakeSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return selectors.makes_for_select()

    @extend_schema(operation_id="vehicles_makes_list", tags=["vehicles"], summary="品牌（有车型的）")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.ORG_VIEW, scope="organization")
class VehicleModelsApi(generics.ListAPIView):
    serializer_class = VehicleModelSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        make_id = _int_param(self.request, "make")
        return selectors.vehicle_models_for(make_id=make_id) if make_id else VehicleModel.objects.none()

    @extend_schema(
        operation_id="vehicles_models_list",
        tags=["vehicles"],
        summary="品牌下的车系",
        parameters=[OpenApiParameter("make", OpenApiTypes.INT, required=True, description="品牌 id")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.ORG_VIEW, scope="organization")
class VehicleTypesApi(generics.ListAPIView):
    serializer_class = VehicleTypeSerializer

    def get_queryset(self) -> Any:
        return selectors.vehicle_types_for(
            make_id=_int_param(self.request, "make"),
            model_id=_int_param(self.request, "model"),
            year=_int_param(self.request, "year"),
            engine_code=self.request.query_params.get("engine") or None,
        )

    @extend_schema(
        operation_id="vehicles_types_list",
        tags=["vehicles"],
        summary="车型（按品牌、车系、年份、发动机筛选）",
        parameters=[
            OpenApiParameter("make", OpenApiTypes.INT, description="品牌 id"),
            OpenApiParameter("model", OpenApiTypes.INT, description="车系 id"),
            OpenApiParameter("year", OpenApiTypes.INT, description="年份（在生产年份内）"),
            OpenApiParameter("engine", OpenApiTypes.STR, description="发动机型号"),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# Operators: the vehicle database and VIN patterns.


def _vehicle_type_fields(vehicle_type: VehicleType) -> dict[str, Any]:
    model = vehicle_type.model
    return {
        "make_name": model.make.name,
        "model_name": model.name,
        "manufacturer": model.manufacturer,
        **{
            name: getattr(vehicle_type, name)
            for name in (
                "generation",
                "body",
                "engine_code",
                "displacement_l",
                "fuel",
                "transmission",
                "year_from",
                "year_to",
                "source",
            )
        },
    }


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform")
class PlatformVehicleTypesApi(generics.ListAPIView):
    serializer_class = VehicleTypeSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.vehicle_types_list(
            actor=actor_of(self.request),
            make_id=_int_param(self.request, "make"),
            model_id=_int_param(self.request, "model"),
            year=_int_param(self.request, "year"),
            fuel=params.get("fuel", ""),
            keyword=params.get("keyword", ""),
        )

    @extend_schema(
        operation_id="platform_vehicle_types_list",
        tags=["platform"],
        summary="车型库",
        parameters=[
            OpenApiParameter("make", OpenApiTypes.INT, description="品牌 id"),
            OpenApiParameter("model", OpenApiTypes.INT, description="车系 id"),
            OpenApiParameter("year", OpenApiTypes.INT, description="年份"),
            OpenApiParameter("fuel", OpenApiTypes.STR, enum=Fuel.values),
            OpenApiParameter("keyword", OpenApiTypes.STR, description="车系、发动机、代别或厂商"),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="platform_vehicle_types_create",
        tags=["platform"],
        summary="新建车型",
        request=VehicleTypeWriteSerializer,
        responses={201: VehicleTypeSerializer},
    )
    def post(self, request: Request) -> Response:
        data = VehicleTypeWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vehicle_type = services.vehicle_type_create(**data.validated_data)
        return Response(VehicleTypeSerializer(vehicle_type).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="vehicle_type_for_operator")
class PlatformVehicleTypeApi(APIView):
    @extend_schema(
        operation_id="platform_vehicle_types_retrieve",
        tags=["platform"],
        summary="车型详情",
        responses=VehicleTypeSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        vehicle_type = selectors.vehicle_type_for_operator(actor=actor_of(request), pk=pk)
        return Response(VehicleTypeSerializer(vehicle_type).data)

    @extend_schema(
        operation_id="platform_vehicle_types_update",
        tags=["platform"],
        summary="修改车型（只传要改的字段）",
        request=VehicleTypeWriteSerializer(partial=True),
        responses=VehicleTypeSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        vehicle_type = selectors.vehicle_type_for_operator(actor=actor_of(request), pk=pk)
        data = VehicleTypeWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = {**_vehicle_type_fields(vehicle_type), **data.validated_data}
        vehicle_type = services.vehicle_type_update(vehicle_type=vehicle_type, **fields)
        return Response(VehicleTypeSerializer(vehicle_type).data)


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform")
class PlatformVinPatternsApi(generics.ListAPIView):
    serializer_class = VinPatternSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.vin_patterns_list(
            actor=actor_of(self.request),
            wmi=params.get("wmi", ""),
            make_id=_int_param(self.request, "make"),
            keyword=params.get("keyword", ""),
        )

    @extend_schema(
        operation_id="platform_vin_patterns_list",
        tags=["platform"],
        summary="VIN 规则",
        parameters=[
            OpenApiParameter("wmi", OpenApiTypes.STR, description="VIN 前 3 位"),
            OpenApiParameter("make", OpenApiTypes.INT, description="品牌 id"),
            OpenApiParameter("keyword", OpenApiTypes.STR, description="VIN 开头、车系或备注"),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="platform_vin_patterns_create",
        tags=["platform"],
        summary="新建 VIN 规则",
        request=VinPatternWriteSerializer,
        responses={201: VinPatternSerializer},
    )
    def post(self, request: Request) -> Response:
        data = VinPatternWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pattern = services.vin_pattern_create(**data.validated_data, by=_person(request))
        return Response(VinPatternSerializer(pattern).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="vin_pattern_for_operator")
class PlatformVinPatternApi(APIView):
    @extend_schema(
        operation_id="platform_vin_patterns_retrieve",
        tags=["platform"],
        summary="VIN 规则详情",
        responses=VinPatternSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        pattern = selectors.vin_pattern_for_operator(actor=actor_of(request), pk=pk)
        return Response(VinPatternSerializer(pattern).data)

    @extend_schema(
        operation_id="platform_vin_patterns_update",
        tags=["platform"],
        summary="修改 VIN 规则（只传要改的字段）",
        request=VinPatternWriteSerializer(partial=True),
        responses=VinPatternSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        pattern = selectors.vin_pattern_for_operator(actor=actor_of(request), pk=pk)
        data = VinPatternWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = {
            "wmi": pattern.wmi,
            "vds_prefix": pattern.vds_prefix,
            "note": pattern.note,
            "source": pattern.source,
            "vehicle_types": [t.pk for t in pattern.vehicle_types.all()],
            **data.validated_data,
        }
        pattern = services.vin_pattern_update(pattern=pattern, **fields, by=_person(request))
        return Response(
            VinPatternSerializer(selectors.vin_pattern_for_operator(actor=actor_of(request), pk=pk)).data
        )

    @extend_schema(
        operation_id="platform_vin_patterns_delete",
        tags=["platform"],
        summary="删除 VIN 规则",
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        pattern = selectors.vin_pattern_for_operator(actor=actor_of(request), pk=pk)
        services.vin_pattern_delete(pattern=pattern, by=_person(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
