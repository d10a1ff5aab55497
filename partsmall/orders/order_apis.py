"""REST API of supplier orders: the supplier's sales orders (confirm, reject, ship), the
buyer's purchase orders (cancel, declare a transfer, confirm delivery), platform
finance's offline payments, and both parties' Excel exports.

Views are thin: the object comes from a selector scoped to the caller (another party's
answers 404 before any input is read), a serializer checks the shape of the input, one
service does the work and names what is wrong (400).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.orders import order_errors
from partsmall.orders import order_selectors as selectors
from partsmall.orders.exports import EXCEL_TYPE, PURCHASE, SALES, orders_workbook
from partsmall.orders.models import OrderEvent, OrderLine, Shipment, SupplierOrder
from partsmall.orders.order_views import _date
from partsmall.orders.price_sources import line_references_for_buyer
from partsmall.orders.services import lifecycle
from partsmall.orders.services.shipments import ShipItem, order_ship
from partsmall.organizations.access import actor_of, api_access
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Perm

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus


def _actor(request: Request) -> Actor:
    return actor_of(request)


def _by(request: Request) -> Any:
    """The person acting; None for an API key (it acts for its organization, not a person)."""
    return actor_of(request).user


def _supplier(request: Request) -> Organization:
    org = actor_of(request).organization
    if org is None or org.kind != Organization.Kind.SUPPLIER:
        raise PermissionDenied(str(order_errors.SUPPLIER_ONLY))
    return org


# Serializers: shapes only.


class PartySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = [
            "id",
            "sku",
            "brand_name",
            "part_number",
            "part_name",
            "part_id",
            "grade",
            "quantity",
            "unit_price",
            "vat_rate",
            "price_source",
            "price_ref_type",
            "price_ref_id",
            "price_ref_label",
            "discount",
            "amount",
            "made_to_order",
            "lead_time_days",
            "shipped_quantity",
            "returned_quantity",
        ]
        read_only_fields = fields

    def to_representation(self, instance: OrderLine) -> dict[str, Any]:
        data = super().to_representation(instance)
        if self.context.get("for_buyer"):
            data.update(line_references_for_buyer(instance))
        return data


class OrderEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.__str__", allow_null=True, read_only=True, default=None)

    class Meta:
        model = OrderEvent
        fields = [
            "id",
            "actor",
            "from_status",
            "to_status",
            "from_payment_status",
            "to_payment_status",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class ShipmentLineOutSerializer(serializers.Serializer):
    line = serializers.IntegerField(source="line_id")
    sku = serializers.CharField(source="line.sku")
    quantity = serializers.IntegerField()


class ShipmentSerializer(serializers.ModelSerializer):
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    lines = ShipmentLineOutSerializer(many=True, read_only=True)

    class Meta:
        model = Shipment
        fields = ["id", "warehouse_id", "warehouse_name", "carrier", "tracking_number", "created_at", "lines"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    buyer = PartySerializer(read_only=True)
    supplier = PartySerializer(read_only=True)

    class Meta:
        model = SupplierOrder
        fields = [
            "id",
            "number",
            "buyer",
            "supplier",
            "status",
            "payment_status",
            "goods_total",
            "freight",
            "on_account",
            "payment_deadline",
            "submitted_at",
            "confirmed_at",
            "paid_at",
            "delivered_at",
            "completed_at",
            "cancelled_at",
            "closed_at",
            "cancel_reason",
            "reject_reason",
            "created_at",
        ]
        read_only_fields = fields


class AddressSnapshotSerializer(serializers.Serializer):
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    province_name = serializers.CharField()
    city_name = serializers.CharField()
    district_name = serializers.CharField()
    address_detail = serializers.CharField()


class OrderDetailSerializer(OrderSerializer):
    address = AddressSnapshotSerializer(source="checkout", read_only=True)
    lines = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    shipments = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "address", "lines", "events", "shipments"]
        read_only_fields = fields

    @extend_schema_field(OrderLineSerializer(many=True))
    def get_lines(self, order: SupplierOrder) -> Any:
        return OrderLineSerializer(order.lines.order_by("id"), many=True, context=self.context).data

    @extend_schema_field(OrderEventSerializer(many=True))
    def get_events(self, order: SupplierOrder) -> Any:
        events = order.events.select_related("actor").order_by("created_at", "id")
        return OrderEventSerializer(events, many=True).data

    @extend_schema_field(ShipmentSerializer(many=True))
    def get_shipments(self, order: SupplierOrder) -> Any:
        return _shipments(order)


def _shipments(order: SupplierOrder) -> Any:
    shipments = order.shipments.select_related("warehouse").prefetch_related("lines__line").order_by("id")
    return ShipmentSerializer(shipments, many=True).data


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000, help_text="备注，如转账流水号"
    )


class ShipItemSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="订单明细 id")
    warehouse = serializers.IntegerField(help_text="发货仓库 id（本厂商的启用仓库）")
    quantity = serializers.IntegerField(help_text="本次发货数量 ≥ 1")


class ShipSerializer(serializers.Serializer):
    carrier = serializers.CharField(max_length=200, allow_blank=True, help_text="承运商，必填")
    tracking_number = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    items = ShipItemSerializer(many=True, help_text="每个仓库的商品成一个包裹")


ORDER_FILTERS = [
    OpenApiParameter("keyword", OpenApiTypes.STR, description="订单号、对方名称、商家编码、零件号或名称"),
    OpenApiParameter("tab", OpenApiTypes.STR, enum=list(selectors.TAB_CONDITIONS)),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
    OpenApiParameter("payment_status", OpenApiTypes.STR, enum=Payment.values),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="下单日期起"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="下单日期止"),
]
EXCEL_RESPONSE = {(200, EXCEL_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Excel 文件")}


def _filters(request: Request) -> selectors.OrderFilters:
    params = request.query_params
    tab, status, payment = params.get("tab", ""), params.get("status", ""), params.get("payment_status", "")
    return selectors.OrderFilters(
        keyword=params.get("keyword", "").strip(),
        tab=tab if tab in selectors.TAB_CONDITIONS else "",
        status=status if status in Status.values else "",
        payment_status=payment if payment in Payment.values else "",
        date_from=_date(params.get("date_from", "")),
        date_to=_date(params.get("date_to", "")),
    )


def _excel(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=EXCEL_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _detail(order: SupplierOrder, *, for_buyer: bool = False) -> Response:
    """The order with its lines, events and shipments; the buyer's without the supplier's
    internal price references (price_sources.buyer_sees_reference)."""
    return Response(OrderDetailSerializer(order, context={"for_buyer": for_buyer}).data)


# Supplier: sales orders.


@api_access(permission=Perm.ORG_VIEW, scope="organization")
class SalesOrdersApi(generics.ListAPIView):
    serializer_class = OrderSerializer

    def get_queryset(self) -> Any:
        _supplier(self.request)
        return selectors.sales_orders(actor=_actor(self.request), filters=_filters(self.request))

    @extend_schema(
        operation_id="sales_orders_list",
        tags=["sales-orders"],
        summary="本厂商的销售订单",
        parameters=ORDER_FILTERS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.ORG_VIEW, scope="organization")
class SalesOrdersExportApi(APIView):
    @extend_schema(
        operation_id="sales_orders_export",
        tags=["sales-orders"],
        summary="导出销售订单（Excel：订单、明细两张表）",
        parameters=ORDER_FILTERS,
        responses=EXCEL_RESPONSE,
    )
    def get(self, request: Request) -> HttpResponse:
        _supplier(request)
        orders = selectors.sales_orders(actor=_actor(request), filters=_filters(request))
        return _excel(orders_workbook(orders=orders, side=SALES), "sales-orders.xlsx")


@api_access(permission=Perm.ORG_VIEW, scope="organization", selector="sales_order_get")
class SalesOrderApi(APIView):
    @extend_schema(
        operation_id="sales_orders_retrieve",
        tags=["sales-orders"],
        summary="销售订单详情",
        responses=OrderDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        _supplier(request)
        return _detail(selectors.sales_order_get(actor=_actor(request), pk=pk))


@api_access(permission=Perm.SALES, scope="organization", selector="sales_order_get")
class SalesOrderConfirmApi(APIView):
    @extend_schema(
        operation_id="sales_orders_confirm",
        tags=["sales-orders"],
        summary="确认订单（仅已付款或账期订单）",
        request=None,
        responses=OrderDetailSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        _supplier(request)
        order = selectors.sales_order_get(actor=_actor(request), pk=pk)
        return _detail(lifecycle.order_confirm(order=order, by=_by(request)))


@api_access(permission=Perm.SALES, scope="organization", selector="sales_order_get")
class SalesOrderRejectApi(APIView):
    @extend_schema(
        operation_id="sales_orders_reject",
        tags=["sales-orders"],
        summary="拒单（发货前，须填写原因；释放库存）",
        request=ReasonSerializer,
        responses=OrderDetailSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        _supplier(request)
        order = selectors.sales_order_get(actor=_actor(request), pk=pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _detail(
            lifecycle.order_reject(order=order, by=_by(request), reason=data.validated_data["reason"])
        )


@api_access(permission=Perm.STOCK_MANAGE, scope="organization", selector="sales_order_get")
class SalesOrderShipmentsApi(APIView):
    @extend_schema(
        operation_id="sales_orders_shipments_list",
        tags=["sales-orders"],
        summary="订单的发货包裹",
        responses=ShipmentSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        _supplier(request)
        order = selectors.sales_order_get(actor=_actor(request), pk=pk)
        return Response(_shipments(order))

    @extend_schema(
        operation_id="sales_orders_ship",
        tags=["sales-orders"],
        summary="发货（可多次部分发货；每个仓库一个包裹）",
        request=ShipSerializer,
        responses={201: OrderDetailSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        _supplier(request)
        order = selectors.sales_order_get(actor=_actor(request), pk=pk)
        data = ShipSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        items = [
            ShipItem(line_id=i["line"], warehouse_id=i["warehouse"], quantity=i["quantity"])
            for i in values["items"]
        ]
        order_ship(
            order=order,
            items=items,
            carrier=values["carrier"],
            tracking_number=values["tracking_number"],
            by=_by(request),
        )
        order.refresh_from_db()
        return Response(OrderDetailSerializer(order).data, status=201)


# Buyer: purchase orders.


@api_access(permission=Perm.ORG_VIEW, scope="organization")
class PurchaseOrdersApi(generics.ListAPIView):
    serializer_class = OrderSerializer

    def get_queryset(self) -> Any:
        return selectors.purchase_orders(actor=_actor(self.request), filters=_filters(self.request))

    @extend_schema(
        operation_id="purchase_orders_list",
        tags=["purchase-orders"],
        summary="本组织的采购订单",
        parameters=ORDER_FILTERS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.ORG_VIEW, scope="organization")
class PurchaseOrdersExportApi(APIView):
    @extend_schema(
        operation_id="purchase_orders_export",
        tags=["purchase-orders"],
        summary="导出采购订单（Excel：订单、明细两张表）",
        parameters=ORDER_FILTERS,
        responses=EXCEL_RESPONSE,
    )
    def get(self, request: Request) -> HttpResponse:
        orders = selectors.purchase_orders(actor=_actor(request), filters=_filters(request))
        return _excel(orders_workbook(orders=orders, side=PURCHASE), "purchase-orders.xlsx")


@api_access(permission=Perm.ORG_VIEW, scope="organization", selector="purchase_order_get")
class PurchaseOrderApi(APIView):
    @extend_schema(
        operation_id="purchase_orders_retrieve",
        tags=["purchase-orders"],
        summary="采购订单详情",
        responses=OrderDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(selectors.purchase_order_get(actor=_actor(request), pk=pk), for_buyer=True)


@api_access(permission=Perm.PURCHASE, scope="organization", selector="purchase_order_get")
class PurchaseOrderCancelApi(APIView):
    @extend_schema(
        operation_id="purchase_orders_cancel",
        tags=["purchase-orders"],
        summary="取消订单（供应商确认前；释放库存）",
        request=ReasonSerializer,
        responses=OrderDetailSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        order = selectors.purchase_order_get(actor=_actor(request), pk=pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _detail(
            lifecycle.order_cancel(order=order, by=_by(request), reason=data.validated_data["reason"]),
            for_buyer=True,
        )


@api_access(permission=Perm.PURCHASE, scope="organization", selector="purchase_order_get")
class PurchaseOrderDeclareTransferApi(APIView):
    @extend_schema(
        operation_id="purchase_orders_declare_transfer",
        tags=["purchase-orders"],
        summary="登记线下转账（待付款 → 待确认收款，不再超时关闭）",
        request=NoteSerializer,
        responses=OrderDetailSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        order = selectors.purchase_order_get(actor=_actor(request), pk=pk)
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _detail(
            lifecycle.order_declare_transfer(order=order, by=_by(request), note=data.validated_data["note"]),
            for_buyer=True,
        )


@api_access(permission=Perm.PURCHASE, scope="organization", selector="purchase_order_get")
class PurchaseOrderConfirmDeliveryApi(APIView):
    @extend_schema(
        operation_id="purchase_orders_confirm_delivery",
        tags=["purchase-orders"],
        summary="确认收货（全部发货后）",
        request=None,
        responses=OrderDetailSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        order = selectors.purchase_order_get(actor=_actor(request), pk=pk)
        return _detail(lifecycle.order_confirm_delivery(order=order, by=_by(request)), for_buyer=True)


# Platform finance: offline payments.


@api_access(permission=Perm.PLATFORM_FINANCE, scope="platform")
class PlatformPaymentsApi(generics.ListAPIView):
    serializer_class = OrderSerializer

    def get_queryset(self) -> Any:
        return selectors.finance_orders(actor=_actor(self.request), filters=_filters(self.request))

    @extend_schema(
        operation_id="platform_payments_list",
        tags=["platform"],
        summary="待确认的线下付款（买家已登记转账的在前）",
        parameters=ORDER_FILTERS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@api_access(permission=Perm.PLATFORM_FINANCE, scope="platform", selector="finance_order_get")
class PlatformOrderApi(APIView):
    @extend_schema(
        operation_id="platform_orders_retrieve",
        tags=["platform"],
        summary="订单详情（平台财务）",
        responses=OrderDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(selectors.finance_order_get(actor=_actor(request), pk=pk))


@api_access(permission=Perm.PLATFORM_FINANCE, scope="platform", selector="finance_order_get")
class PlatformOrderMarkPaidApi(APIView):
    @extend_schema(
        operation_id="platform_orders_mark_paid",
        tags=["platform"],
        summary="确认收到线下转账（→ 已付款）",
        request=NoteSerializer,
        responses=OrderDetailSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        order = selectors.finance_order_get(actor=_actor(request), pk=pk)
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _detail(
            lifecycle.order_mark_paid(order=order, by=_by(request), note=data.validated_data["note"])
        )


@api_access(permission=Perm.PLATFORM_FINANCE, scope="platform", selector="finance_order_get")
class PlatformOrderTransferRejectApi(APIView):
    @extend_schema(
        operation_id="platform_orders_reject_transfer",
        tags=["platform"],
        summary="未查到转账：退回待付款（须填写原因）",
        request=ReasonSerializer,
        responses=OrderDetailSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        order = selectors.finance_order_get(actor=_actor(request), pk=pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _detail(
            lifecycle.order_transfer_reject(
                order=order, by=_by(request), reason=data.validated_data["reason"]
            )
        )
