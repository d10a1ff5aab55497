"""REST API of after-sales 售后: the buyer's return requests (create with photos, dispute,
ship back, cancel), the supplier's (approve, reject, receive into a warehouse), platform
operators' arbitration and the "doesn't fit" counts per part and per fitment row."""

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.catalog.models import Fitment
from partsmall.inventory.models import Warehouse
from partsmall.orders import order_selectors as selectors
from partsmall.orders.models import ReturnEvent, ReturnRequest
from partsmall.orders.order_apis import ReasonSerializer, _actor, _by, _supplier
from partsmall.orders.services import returns as services
from partsmall.organizations.access import api_access
from partsmall.organizations.roles import Perm

RETURN_FILTERS = [
    OpenApiParameter("tab", OpenApiTypes.STR, enum=[t for t in selectors.RETURN_TABS if t]),
    OpenApiParameter("keyword", OpenApiTypes.STR, description="订单号、商家编码、零件号或名称"),
]


class ReturnEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.__str__", allow_null=True, read_only=True, default=None)

    class Meta:
        model = ReturnEvent
        fields = ["id", "actor", "from_status", "to_status", "reason", "created_at"]
        read_only_fields = fields


class ReturnLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_id = serializers.IntegerField()
    order_number = serializers.CharField(source="order.number")
    sku = serializers.CharField()
    brand_name = serializers.CharField()
    part_number = serializers.CharField()
    part_name = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    shipped_quantity = serializers.IntegerField()
    returned_quantity = serializers.IntegerField()


class ReturnSerializer(serializers.ModelSerializer):
    line = ReturnLineSerializer(read_only=True)
    buyer = serializers.CharField(source="line.order.buyer.name", read_only=True)
    supplier = serializers.CharField(source="line.order.supplier.name", read_only=True)
    photos = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta:
        model = ReturnRequest
        fields = [
            "id",
            "line",
            "buyer",
            "supplier",
            "quantity",
            "reason",
            "description",
            "status",
            "fitment_id",
            "vehicle_type_id",
            "warehouse_id",
            "carrier",
            "tracking_number",
            "created_at",
            "updated_at",
            "photos",
            "events",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), help_text="照片地址"))
    def get_photos(self, request: ReturnRequest) -> list[str]:
        return [reverse("orders:return_photo", kwargs={"pk": photo.pk}) for photo in request.photos.all()]

    @extend_schema_field(ReturnEventSerializer(many=True))
    def get_events(self, request: ReturnRequest) -> Any:
        return ReturnEventSerializer(
            request.events.select_related("actor").order_by("created_at", "id"), many=True
        ).data


class ReturnCreateSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(help_text="退货数量，不超过已收减已退（含处理中的申请）")
    reason = serializers.CharField(max_length=20, help_text="doesnt_fit / damaged / wrong_item / quality")
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    fitment = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="所依据的适配记录 id"
    )
    photos = serializers.ListField(
        child=serializers.FileField(), help_text="1–6 张照片（JPG/PNG/WebP，≤5 MB）"
    )


class ParcelSerializer(serializers.Serializer):
    carrier = serializers.CharField(max_length=200, allow_blank=True, help_text="承运商，必填")
    tracking_number = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReceiveSerializer(serializers.Serializer):
    warehouse = serializers.IntegerField(help_text="入库仓库 id（本厂商的启用仓库）")


class ArbitrateSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "同意退货"), ("reject", "驳回退货")])
    reason = serializers.CharField(allow_blank=True, max_length=1000)


class DoesntFitPartSerializer(serializers.Serializer):
    part_id = serializers.IntegerField(source="line__part_id")
    brand = serializers.CharField(source="line__part__brand__name")
    number = serializers.CharField(source="line__part__number")
    name = serializers.CharField(source="line__part__name")
    requests = serializers.IntegerField()
    units = serializers.IntegerField()


class DoesntFitFitmentSerializer(serializers.Serializer):
    fitment_id = serializers.IntegerField()
    part_id = serializers.IntegerField(source="fitment__part_id")
    vehicle_type_id = serializers.IntegerField(source="fitment__vehicle_type_id")
    position = serializers.CharField(source="fitment__position")
    fitment_source = serializers.CharField(source="fitment__source")
    source_organization = serializers.CharField(source="fitment__source_organization__name", allow_null=True)
    review_status = serializers.CharField(source="fitment__review_status")
    requests = serializers.IntegerField()
    units = serializers.IntegerField()


def _shown(found: ReturnRequest) -> Response:
    return Response(ReturnSerializer(found).data)


def _tab(request: Request, default: str = "") -> str:
    tab = request.query_params.get("tab", default)
    return tab if tab in selectors.RETURN_TABS else default


# Buyer.


@api_access(permission=Perm.ORG_VIEW, scope="organization")
class PurchaseReturnsApi(generics.ListAPIView):
    serializer_class = ReturnSerializer

    def get_queryset(self) -> Any:
        request = self.request
        return selectors.purchase_returns(
            actor=_actor(request), tab=_tab(request), keyword=request.query_params.get("keyword", "")
        ).prefetch_related("photos")

    @extend_schema(
        operation_id="purchase_returns_list",
        tags=["purchase-returns"],
        summary="本组织的退货申请",
        parameters=RETURN_FILTERS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.PURCHASE, scope="organization", selector="purchase_line_get")
class PurchaseLineReturnsApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="purchase_returns_create",
        tags=["purchase-returns"],
        summary="对订单明细申请退货（multipart，附照片；收货后退货期限内）",
        request={"multipart/form-data": ReturnCreateSerializer},
        responses={201: ReturnSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        line = selectors.purchase_line_get(actor=_actor(request), pk=pk)
        fitment_id = str(request.data.get("fitment") or "")
        created = services.return_request_create(
            line=line,
            quantity=request.data.get("quantity"),
            reason=str(request.data.get("reason") or ""),
            description=str(request.data.get("description") or ""),
            photos=request.FILES.getlist("photos"),
            fitment=Fitment.objects.filter(pk=int(fitment_id)).first() if fitment_id.isdigit() else None,
            by=_by(request),
        )
        return Response(ReturnSerializer(created).data, status=201)


@api_access(permission=Perm.ORG_VIEW, scope="organization", selector="purchase_return_get")
class PurchaseReturnApi(APIView):
    @extend_schema(
        operation_id="purchase_returns_retrieve",
        tags=["purchase-returns"],
        summary="退货申请详情",
        responses=ReturnSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _shown(selectors.purchase_return_get(actor=_actor(request), pk=pk))


@api_access(permission=Perm.PURCHASE, scope="organization", selector="purchase_return_get")
class PurchaseReturnDisputeApi(APIView):
    @extend_schema(
        operation_id="purchase_returns_dispute",
        tags=["purchase-returns"],
        summary="对拒绝申请平台介入（一次，须填写原因）",
        request=ReasonSerializer,
        responses=ReturnSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        found = selectors.purchase_return_get(actor=_actor(request), pk=pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _shown(
            services.return_dispute(request=found, by=_by(request), reason=data.validated_data["reason"])
        )


@api_access(permission=Perm.PURCHASE, scope="organization", selector="purchase_return_get")
class PurchaseReturnShipBackApi(APIView):
    @extend_schema(
        operation_id="purchase_returns_ship_back",
        tags=["purchase-returns"],
        summary="寄回（同意退货后；承运商、运单号）",
        request=ParcelSerializer,
        responses=ReturnSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        found = selectors.purchase_return_get(actor=_actor(request), pk=pk)
        data = ParcelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        shipped = services.return_ship_back(
            request=found,
            carrier=values["carrier"],
            tracking_number=values["tracking_number"],
            by=_by(request),
        )
        return _shown(shipped)


@api_access(permission=Perm.PURCHASE, scope="organization", selector="purchase_return_get")
class PurchaseReturnCancelApi(APIView):
    @extend_schema(
        operation_id="purchase_returns_cancel",
        tags=["purchase-returns"],
        summary="撤销退货申请（寄回前）",
        request=ReasonSerializer,
        responses=ReturnSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        found = selectors.purchase_return_get(actor=_actor(request), pk=pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _shown(
            services.return_cancel(request=found, by=_by(request), reason=data.validated_data["reason"])
        )


# Supplier.


@api_access(permission=Perm.ORG_VIEW, scope="organization")
class SalesReturnsApi(generics.ListAPIView):
    serializer_class = ReturnSerializer

    def get_queryset(self) -> Any:
        _supplier(self.request)
        request = self.request
        return selectors.sales_returns(
            actor=_actor(request), tab=_tab(request), keyword=request.query_params.get("keyword", "")
        ).prefetch_related("photos")

    @extend_schema(
        operation_id="sales_returns_list",
        tags=["sales-returns"],
        summary="本厂商订单的退货申请",
        parameters=RETURN_FILTERS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.ORG_VIEW, scope="organization", selector="sales_return_get")
class SalesReturnApi(APIView):
    @extend_schema(
        operation_id="sales_returns_retrieve",
        tags=["sales-returns"],
        summary="退货申请详情",
        responses=ReturnSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        _supplier(request)
        return _shown(selectors.sales_return_get(actor=_actor(request), pk=pk))


@api_access(permission=Perm.SALES, scope="organization", selector="sales_return_get")
class SalesReturnApproveApi(APIView):
    @extend_schema(
        operation_id="sales_returns_approve",
        tags=["sales-returns"],
        summary="同意退货",
        request=ReasonSerializer,
        responses=ReturnSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        _supplier(request)
        found = selectors.sales_return_get(actor=_actor(request), pk=pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _shown(
            services.return_approve(request=found, by=_by(request), reason=data.validated_data["reason"])
        )


@api_access(permission=Perm.SALES, scope="organization", selector="sales_return_get")
class SalesReturnRejectApi(APIView):
    @extend_schema(
        operation_id="sales_returns_reject",
        tags=["sales-returns"],
        summary="拒绝退货（须填写原因）",
        request=ReasonSerializer,
        responses=ReturnSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        _supplier(request)
        found = selectors.sales_return_get(actor=_actor(request), pk=pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _shown(
            services.return_reject(request=found, by=_by(request), reason=data.validated_data["reason"])
        )


@api_access(permission=Perm.STOCK_MANAGE, scope="organization", selector="sales_return_get")
class SalesReturnReceiveApi(APIView):
    @extend_schema(
        operation_id="sales_returns_receive",
        tags=["sales-returns"],
        summary="收货入库（退货入库库存流水；退款待支付能力上线）",
        request=ReceiveSerializer,
        responses=ReturnSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        supplier = _supplier(request)
        found = selectors.sales_return_get(actor=_actor(request), pk=pk)
        data = ReceiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        warehouse = Warehouse.objects.filter(
            pk=data.validated_data["warehouse"], organization=supplier
        ).first()
        return _shown(services.return_receive(request=found, warehouse=warehouse, by=_by(request)))


# Platform operators.


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform")
class PlatformReturnsApi(generics.ListAPIView):
    serializer_class = ReturnSerializer

    def get_queryset(self) -> Any:
        request = self.request
        return selectors.platform_returns(
            actor=_actor(request),
            tab=_tab(request, ReturnRequest.Status.DISPUTED),
            keyword=request.query_params.get("keyword", ""),
        ).prefetch_related("photos")

    @extend_schema(
        operation_id="platform_returns_list",
        tags=["platform"],
        summary="退货申请（默认：待平台裁决的申诉）",
        parameters=RETURN_FILTERS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="platform_return_get")
class PlatformReturnApi(APIView):
    @extend_schema(
        operation_id="platform_returns_retrieve",
        tags=["platform"],
        summary="退货申请详情（平台）",
        responses=ReturnSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _shown(selectors.platform_return_get(actor=_actor(request), pk=pk))


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="platform_return_get")
class PlatformReturnArbitrateApi(APIView):
    @extend_schema(
        operation_id="platform_returns_arbitrate",
        tags=["platform"],
        summary="裁决申诉：同意退货或驳回（须填写说明）",
        request=ArbitrateSerializer,
        responses=ReturnSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        found = selectors.platform_return_get(actor=_actor(request), pk=pk)
        data = ArbitrateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        decided = services.return_arbitrate(
            request=found, approve=values["decision"] == "approve", by=_by(request), reason=values["reason"]
        )
        return _shown(decided)


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform")
class PlatformDoesntFitPartsApi(generics.ListAPIView):
    serializer_class = DoesntFitPartSerializer

    def get_queryset(self) -> Any:
        return selectors.doesnt_fit_by_part(actor=_actor(self.request))

    @extend_schema(
        operation_id="platform_doesnt_fit_parts", tags=["platform"], summary="“不适配”退货：按配件统计"
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform")
class PlatformDoesntFitFitmentsApi(generics.ListAPIView):
    serializer_class = DoesntFitFitmentSerializer

    def get_queryset(self) -> Any:
        part = self.request.query_params.get("part", "")
        return selectors.doesnt_fit_by_fitment(
            actor=_actor(self.request), part_id=int(part) if part.isdigit() else None
        )

    @extend_schema(
        operation_id="platform_doesnt_fit_fitments",
        tags=["platform"],
        summary="“不适配”退货：按适配记录统计",
        parameters=[OpenApiParameter("part", OpenApiTypes.INT, description="只看该配件")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
