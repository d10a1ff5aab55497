"""The inventory REST API: warehouses, stock levels, movements, adjustments, goods in,
stocktakes and the stock sheet import, for members whose role holds STOCK_MANAGE.

Views are thin: a serializer checks the shape of the input, one selector (taking the
actor) resolves the object, one service does the work and names wrong fields (400).
"""

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.catalog import selectors as catalog_selectors
from partsmall.catalog.import_apis import XLSX_RESPONSE, ImportJobDetailSerializer, ImportJobSerializer
from partsmall.catalog.import_views import report_filename, xlsx_response
from partsmall.catalog.imports import services as import_services
from partsmall.catalog.models import Grade
from partsmall.core.errors import ApplicationError
from partsmall.inventory import errors, selectors, services
from partsmall.inventory.models import MovementKind, StockLevel, StockMovement, Stocktake, Warehouse
from partsmall.inventory.selectors import INVENTORY
from partsmall.organizations.access import actor_of, api_access
from partsmall.organizations.actor import Actor
from partsmall.organizations.roles import Perm

TAGS = ["inventory"]


def _actor(request: Request) -> Actor:
    return actor_of(request)


def _by(request: Request) -> Any:
    """The person acting; None for an API key (it acts for its organization, not a person)."""
    return actor_of(request).user


def _int_param(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# Serializers: shapes only. Content (codes, quantities, regions …) is the services'.


class WarehouseSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id", read_only=True, help_text="省级区划代码")
    city = serializers.CharField(source="city_id", read_only=True, allow_null=True)
    district = serializers.CharField(source="district_id", read_only=True, allow_null=True)
    address = serializers.CharField(read_only=True)

    class Meta:
        model = Warehouse
        fields = [
            "id",
            "name",
            "code",
            "province",
            "city",
            "district",
            "address_detail",
            "address",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WarehouseWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True, help_text="仓库名称")
    code = serializers.CharField(
        max_length=64, allow_blank=True, help_text="仓库编码：字母、数字、横线，本组织内唯一"
    )
    province = serializers.CharField(max_length=12, allow_blank=True, help_text="省级区划代码，如 44")
    city = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    district = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    address_detail = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)


class WarehouseUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    code = serializers.CharField(max_length=64, required=False, allow_blank=True)
    province = serializers.CharField(max_length=12, required=False, allow_blank=True)
    city = serializers.CharField(max_length=12, required=False, allow_blank=True)
    district = serializers.CharField(max_length=12, required=False, allow_blank=True)
    address_detail = serializers.CharField(max_length=400, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class StockLevelSerializer(serializers.ModelSerializer):
    warehouse = serializers.IntegerField(source="warehouse_id", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    part = serializers.IntegerField(source="part_id", read_only=True)
    brand = serializers.CharField(source="part.brand.name", read_only=True)
    part_number = serializers.CharField(source="part.number", read_only=True)
    part_name = serializers.CharField(source="part.name", read_only=True)
    available = serializers.IntegerField(read_only=True, help_text="在库 − 已预留")

    class Meta:
        model = StockLevel
        fields = [
            "id",
            "warehouse",
            "warehouse_code",
            "part",
            "brand",
            "part_number",
            "part_name",
            "grade",
            "on_hand",
            "reserved",
            "available",
            "low_stock_threshold",
            "updated_at",
        ]
        read_only_fields = fields


class StockLevelUpdateSerializer(serializers.Serializer):
    low_stock_threshold = serializers.IntegerField(
        allow_null=True, help_text="低库存预警值；null 用默认值（INVENTORY_LOW_STOCK_DEFAULT）"
    )


class AdjustSerializer(serializers.Serializer):
    delta = serializers.IntegerField(help_text="调整数量：正数增加，负数减少，不能为 0")
    reason = serializers.CharField(max_length=400, allow_blank=True, help_text="调整原因（必填）")


class MovementSerializer(serializers.ModelSerializer):
    warehouse = serializers.IntegerField(source="stock_level.warehouse_id", read_only=True)
    part = serializers.IntegerField(source="stock_level.part_id", read_only=True)
    grade = serializers.CharField(source="stock_level.grade", read_only=True)
    created_by = serializers.CharField(read_only=True, allow_null=True, help_text="操作人")

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "stock_level",
            "warehouse",
            "part",
            "grade",
            "kind",
            "on_hand_delta",
            "reserved_delta",
            "on_hand_after",
            "reserved_after",
            "ref_type",
            "ref_id",
            "ref_label",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class ReceiptSerializer(serializers.Serializer):
    warehouse = serializers.IntegerField(help_text="入库仓库 id")
    part = serializers.IntegerField(help_text="配件 id")
    grade = serializers.CharField(max_length=20, help_text="品质：" + "、".join(Grade.values))
    quantity = serializers.IntegerField(help_text="入库数量 ≥ 1")
    note = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")


class StockCountSerializer(serializers.Serializer):
    stock_level = serializers.IntegerField(help_text="库存 id（该仓库的）")
    quantity = serializers.IntegerField(help_text="实盘数量 ≥ 0")


class StocktakeWriteSerializer(serializers.Serializer):
    warehouse = serializers.IntegerField()
    counts = StockCountSerializer(many=True, allow_empty=True)
    note = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")


class StocktakeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stocktake
        fields = ["id", "warehouse", "note", "counted", "changed", "created_at"]
        read_only_fields = fields


class StockImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="按库存表模板填写的 .xlsx 文件（商家编码、仓库编码、在库数量）")


# Warehouses ------------------------------------------------------------------------------


@api_access(permission=Perm.STOCK_MANAGE, scope="organization")
class WarehousesApi(generics.ListAPIView):
    serializer_class = WarehouseSerializer

    def get_queryset(self) -> Any:
        return selectors.warehouses_of(actor=_actor(self.request))

    @extend_schema(operation_id="warehouses_list", tags=TAGS, summary="本组织的仓库")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="warehouses_create",
        tags=TAGS,
        summary="新建仓库",
        request=WarehouseWriteSerializer,
        responses={201: WarehouseSerializer},
    )
    def post(self, request: Request) -> Response:
        data = WarehouseWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = _actor(request).organization
        assert organization is not None
        warehouse = services.warehouse_create(
            organization=organization, by=_by(request), **data.validated_data
        )
        return Response(WarehouseSerializer(warehouse).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.STOCK_MANAGE, scope="organization", selector="warehouse_get")
class WarehouseApi(APIView):
    @extend_schema(
        operation_id="warehouses_retrieve", tags=TAGS, summary="仓库详情", responses=WarehouseSerializer
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(WarehouseSerializer(selectors.warehouse_get(actor=_actor(request), pk=pk)).data)

    @extend_schema(
        operation_id="warehouses_update",
        tags=TAGS,
        summary="修改仓库（停用后不再预留，也不计入可售库存）",
        request=WarehouseUpdateSerializer,
        responses=WarehouseSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        warehouse = selectors.warehouse_get(actor=_actor(request), pk=pk)
        data = WarehouseUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        warehouse = services.warehouse_update(warehouse=warehouse, by=_by(request), **data.validated_data)
        return Response(WarehouseSerializer(warehouse).data)


# Stock levels ---------------------------------------------------------------------------

LEVEL_FILTERS = [
    OpenApiParameter("warehouse", OpenApiTypes.INT, description="仓库 id"),
    OpenApiParameter("keyword", OpenApiTypes.STR, description="零件号、名称或品牌"),
    OpenApiParameter("grade", OpenApiTypes.STR, enum=Grade.values),
    OpenApiParameter("status", OpenApiTypes.STR, enum=list(selectors.LEVEL_STATUSES)),
]


@api_access(permission=Perm.STOCK_MANAGE, scope="organization")
class StockLevelsApi(generics.ListAPIView):
    serializer_class = StockLevelSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.stock_levels_of(
            actor=_actor(self.request),
            warehouse_id=_int_param(params.get("warehouse")),
            keyword=params.get("keyword", ""),
            grade=params.get("grade", ""),
            status=params.get("status", ""),
        )

    @extend_schema(operation_id="stock_levels_list", tags=TAGS, summary="库存", parameters=LEVEL_FILTERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.STOCK_MANAGE, scope="organization")
class LowStockApi(generics.ListAPIView):
    serializer_class = StockLevelSerializer

    def get_queryset(self) -> Any:
        warehouse = _int_param(self.request.query_params.get("warehouse"))
        return selectors.low_stock_of(actor=_actor(self.request), warehouse_id=warehouse)

    @extend_schema(
        operation_id="stock_levels_low",
        tags=TAGS,
        summary="低库存：可售数量不高于预警值（或默认值）",
        parameters=[OpenApiParameter("warehouse", OpenApiTypes.INT, description="仓库 id")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_level_get")
class StockLevelApi(APIView):
    @extend_schema(
        operation_id="stock_levels_retrieve", tags=TAGS, summary="库存详情", responses=StockLevelSerializer
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(StockLevelSerializer(selectors.stock_level_get(actor=_actor(request), pk=pk)).data)

    @extend_schema(
        operation_id="stock_levels_update",
        tags=TAGS,
        summary="设置低库存预警值",
        request=StockLevelUpdateSerializer,
        responses=StockLevelSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        level = selectors.stock_level_get(actor=_actor(request), pk=pk)
        data = StockLevelUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.stock_level_set_threshold(
            stock_level=level, threshold=data.validated_data["low_stock_threshold"], by=_by(request)
        )
        return Response(StockLevelSerializer(selectors.stock_level_get(actor=_actor(request), pk=pk)).data)


@api_access(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_level_get")
class StockLevelAdjustApi(APIView):
    @extend_schema(
        operation_id="stock_levels_adjust",
        tags=TAGS,
        summary="库存调整（须写原因；不能低于 0 或已预留数量）",
        request=AdjustSerializer,
        responses={201: MovementSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        level = selectors.stock_level_get(actor=_actor(request), pk=pk)
        data = AdjustSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        movement = services.stock_adjust(stock_level=level, by=_by(request), **data.validated_data)
        return Response(MovementSerializer(movement).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.STOCK_MANAGE, scope="organization")
class ReceiptsApi(APIView):
    @extend_schema(
        operation_id="stock_receipts_create",
        tags=TAGS,
        summary="入库",
        request=ReceiptSerializer,
        responses={201: MovementSerializer},
    )
    def post(self, request: Request) -> Response:
        actor = _actor(request)
        data = ReceiptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        warehouse = selectors.warehouses_of(actor=actor).filter(pk=values["warehouse"]).first()
        if warehouse is None:
            raise ApplicationError(errors.WAREHOUSE_REQUIRED, field="warehouse")
        part = catalog_selectors.part_get_for_offer(actor=actor, pk=values["part"])
        movement = services.stock_receive(
            warehouse=warehouse,
            part=part,
            grade=values["grade"],
            quantity=values["quantity"],
            kind=MovementKind.RECEIPT,
            ref_type="manual_receipt",
            ref_id=None,
            ref_label="",
            note=values["note"],
            by=_by(request),
        )
        return Response(MovementSerializer(movement).data, status=status.HTTP_201_CREATED)


# Movements and stocktakes -------------------------------------------------------------


@api_access(permission=Perm.STOCK_MANAGE, scope="organization")
class MovementsApi(generics.ListAPIView):
    serializer_class = MovementSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.movements_of(
            actor=_actor(self.request),
            warehouse_id=_int_param(params.get("warehouse")),
            stock_level_id=_int_param(params.get("stock_level")),
            kind=params.get("kind", ""),
            keyword=params.get("keyword", ""),
            ref=params.get("ref", ""),
        )

    @extend_schema(
        operation_id="stock_movements_list",
        tags=TAGS,
        summary="库存流水（新的在前）",
        parameters=[
            OpenApiParameter("warehouse", OpenApiTypes.INT),
            OpenApiParameter("stock_level", OpenApiTypes.INT),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=MovementKind.values),
            OpenApiParameter("keyword", OpenApiTypes.STR, description="零件号或名称"),
            OpenApiParameter("ref", OpenApiTypes.STR, description="关联单号（如订单号）"),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.STOCK_MANAGE, scope="organization")
class StocktakesApi(generics.ListAPIView):
    serializer_class = StocktakeSerializer

    def get_queryset(self) -> Any:
        return selectors.stocktakes_of(actor=_actor(self.request))

    @extend_schema(operation_id="stocktakes_list", tags=TAGS, summary="盘点记录")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="stocktakes_create",
        tags=TAGS,
        summary="提交盘点：每行实盘数量，差异记盘点流水（全部成功或全部不变）",
        request=StocktakeWriteSerializer,
        responses={201: StocktakeSerializer},
    )
    def post(self, request: Request) -> Response:
        data = StocktakeWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        warehouse = selectors.warehouses_of(actor=_actor(request)).filter(pk=values["warehouse"]).first()
        if warehouse is None:
            raise ApplicationError(errors.WAREHOUSE_REQUIRED, field="warehouse")
        counts = {row["stock_level"]: row["quantity"] for row in values["counts"]}
        if any(quantity < 0 for quantity in counts.values()):
            raise ApplicationError(errors.QUANTITY_NOT_NEGATIVE, field="counts")
        stocktake = services.stocktake_record(
            warehouse=warehouse, counts=counts, note=values["note"], by=_by(request)
        )
        return Response(StocktakeSerializer(stocktake).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.STOCK_MANAGE, scope="organization", selector="stocktake_get")
class StocktakeApi(APIView):
    @extend_schema(
        operation_id="stocktakes_retrieve", tags=TAGS, summary="盘点详情", responses=StocktakeSerializer
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(StocktakeSerializer(selectors.stocktake_get(actor=_actor(request), pk=pk)).data)


# Stock sheet imports ---------------------------------------------------------------------


@api_access(permission=Perm.STOCK_MANAGE, scope="organization")
class StockImportsApi(generics.ListAPIView):
    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        return selectors.stock_imports_of(actor=_actor(self.request))

    @extend_schema(operation_id="stock_imports_list", tags=TAGS, summary="库存表导入任务")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="stock_imports_create",
        tags=TAGS,
        summary="上传库存表并开始校验",
        description="后台校验；轮询任务直到 validated（待确认），再调用 apply。"
        "同一文件重复导入不会重复记账。",
        request={"multipart/form-data": StockImportCreateSerializer},
        responses={201: ImportJobSerializer},
    )
    def post(self, request: Request) -> Response:
        organization = _actor(request).organization
        assert organization is not None
        data = StockImportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = import_services.import_job_create(
            organization=organization,
            by=_by(request),
            kind="stock",
            upload=data.validated_data["file"],
            console=INVENTORY,
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_import_get")
class StockImportApi(APIView):
    @extend_schema(
        operation_id="stock_imports_retrieve",
        tags=TAGS,
        summary="库存表导入的状态、计数和错误样例",
        responses=ImportJobDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            ImportJobDetailSerializer(selectors.stock_import_get(actor=_actor(request), pk=pk)).data
        )


@api_access(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_import_get")
class StockImportApplyApi(APIView):
    @extend_schema(
        operation_id="stock_imports_apply",
        tags=TAGS,
        summary="确认导入（后台执行）",
        request=None,
        responses={202: ImportJobSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        job = selectors.stock_import_get(actor=_actor(request), pk=pk)
        job = import_services.import_job_confirm(job=job, by=_by(request))
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


@api_access(permission=Perm.STOCK_MANAGE, scope="organization", selector="stock_import_get")
class StockImportReportApi(APIView):
    @extend_schema(
        operation_id="stock_imports_report",
        tags=TAGS,
        summary="下载错误行（Excel，末列为错误原因）",
        responses={**XLSX_RESPONSE, 404: None},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        job = selectors.stock_import_get(actor=_actor(request), pk=pk)
        if not job.report:
            raise Http404
        with job.report.open("rb") as report:
            return xlsx_response(report.read(), report_filename(job))
