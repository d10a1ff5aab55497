"""The buying REST API of repair shops: cart, address book, checkout (with an
Idempotency-Key header), purchase approvals and quick-order matching.

Views are thin: a serializer checks the shape of the input, one selector (taking the
actor) resolves the object, one service does the work and names wrong fields (400).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.catalog.models import Offer
from partsmall.orders import buying_selectors as selectors
from partsmall.orders import errors
from partsmall.orders.buying_selectors import CartItem, CartView
from partsmall.orders.models import Address, Checkout, OrderLine, SupplierOrder
from partsmall.orders.price_sources import HIDDEN, buyer_sees_reference, line_references_for_buyer
from partsmall.orders.services import addresses, approval, cart, checkout, quick_order
from partsmall.organizations.access import actor_of, api_access
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Perm
from partsmall.pricing.models import PriceSource

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description="每次结算一个新的唯一值（如 UUID）；用同一个值重发请求返回第一次的结算结果，不会重复下单。",
)


def _actor(request: Request) -> Actor:
    return actor_of(request)


def _buyer(request: Request) -> Organization:
    org = actor_of(request).organization
    if org is None or org.kind != Organization.Kind.REPAIR_SHOP:
        raise PermissionDenied(str(errors.BUYER_ONLY))
    return org


def _by(request: Request) -> Any:
    """The person acting; None for an API key (it acts for its organization, not a person)."""
    return actor_of(request).user


# Serializers: shapes only. Content (quantities, regions, phones …) is the services'.


class PartBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    brand = serializers.CharField(source="brand.name")
    number = serializers.CharField()
    name = serializers.CharField()


class SupplierBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OfferBriefSerializer(serializers.ModelSerializer):
    part = PartBriefSerializer()
    supplier = SupplierBriefSerializer()

    class Meta:
        model = Offer
        fields = [
            "id",
            "sku",
            "grade",
            "part",
            "supplier",
            "min_order_quantity",
            "order_multiple",
            "lead_time_days",
            "stock_quantity",
            "made_to_order",
        ]
        read_only_fields = fields


class CartPriceSerializer(serializers.Serializer):
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="本组织的含税单价")
    source = serializers.ChoiceField(choices=PriceSource.choices)  # type: ignore[assignment]
    ref_type = serializers.CharField(help_text="协议价的依据；其他来源为空")
    ref_id = serializers.IntegerField(allow_null=True)
    ref_label = serializers.CharField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not buyer_sees_reference(instance.source):
            data.update(HIDDEN)
        return data


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line.pk")
    offer = OfferBriefSerializer()
    quantity = serializers.IntegerField(source="line.quantity")
    price = CartPriceSerializer()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    problem = serializers.CharField(help_text="不能结算的原因（下架、起订量、库存不足）；空为可结算")


class CartGroupSerializer(serializers.Serializer):
    supplier = SupplierBriefSerializer()
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=2)
    lines = CartLineSerializer(many=True, source="items")


class CartSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="商品总额（含税，运费另议）")
    groups = CartGroupSerializer(many=True, help_text="按供应商分组")


class CartAddSerializer(serializers.Serializer):
    offer = serializers.IntegerField(help_text="报价 id")
    quantity = serializers.IntegerField(help_text="数量；购物车已有该报价时累加。须满足起订量和订购倍数")


class CartQuantitySerializer(serializers.Serializer):
    quantity = serializers.IntegerField(help_text="新的数量；须满足起订量和订购倍数")


class AddressSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id", read_only=True)
    city = serializers.CharField(source="city_id", allow_null=True, read_only=True)
    district = serializers.CharField(source="district_id", allow_null=True, read_only=True)
    full_address = serializers.CharField(read_only=True)

    class Meta:
        model = Address
        fields = [
            "id",
            "label",
            "contact_name",
            "contact_phone",
            "province",
            "city",
            "district",
            "detail",
            "full_address",
            "is_default",
            "created_at",
        ]
        read_only_fields = fields


class AddressWriteSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")  # type: ignore[assignment]
    contact_name = serializers.CharField(max_length=100, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, allow_blank=True, help_text="11 位中国大陆手机号")
    province = serializers.CharField(max_length=12, allow_blank=True, help_text="省级区划代码，如 44")
    city = serializers.CharField(
        max_length=12, required=False, allow_blank=True, default="", help_text="如 4401"
    )
    district = serializers.CharField(
        max_length=12, required=False, allow_blank=True, default="", help_text="如 440103"
    )
    detail = serializers.CharField(max_length=300, allow_blank=True)
    is_default = serializers.BooleanField(required=False, default=False)


class AddressUpdateSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=100, required=False, allow_blank=True)  # type: ignore[assignment]
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    province = serializers.CharField(max_length=12, required=False, allow_blank=True)
    city = serializers.CharField(max_length=12, required=False, allow_blank=True)
    district = serializers.CharField(max_length=12, required=False, allow_blank=True)
    detail = serializers.CharField(max_length=300, required=False, allow_blank=True)
    is_default = serializers.BooleanField(required=False, help_text="true 设为默认地址")


class CheckoutLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = [
            "id",
            "offer_id",
            "sku",
            "part_number",
            "part_name",
            "brand_name",
            "grade",
            "quantity",
            "unit_price",
            "vat_rate",
            "price_source",
            "price_ref_type",
            "price_ref_id",
            "price_ref_label",
            "amount",
            "made_to_order",
            "lead_time_days",
        ]
        read_only_fields = fields

    def to_representation(self, instance: OrderLine) -> dict[str, Any]:
        """The buyer's view: a customer group's reference stays the supplier's (price_sources)."""
        data = super().to_representation(instance)
        data.update(line_references_for_buyer(instance))
        return data


class CheckoutOrderSerializer(serializers.ModelSerializer):
    supplier = SupplierBriefSerializer()
    freight = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="null 表示运费另议"
    )
    lines = serializers.SerializerMethodField()

    class Meta:
        model = SupplierOrder
        fields = [
            "id",
            "number",
            "supplier",
            "status",
            "payment_status",
            "goods_total",
            "freight",
            "on_account",
            "payment_deadline",
            "submitted_at",
            "lines",
        ]
        read_only_fields = fields

    @extend_schema_field(CheckoutLineSerializer(many=True))
    def get_lines(self, order: SupplierOrder) -> list[dict[str, Any]]:
        lines = self.context.get("lines", {}).get(order.pk, [])
        return list(CheckoutLineSerializer(lines, many=True).data)


class CheckoutSerializer(serializers.ModelSerializer):
    orders = CheckoutOrderSerializer(many=True)
    full_address = serializers.CharField()
    created_by = serializers.CharField(allow_null=True, source="created_by.name", default=None)

    class Meta:
        model = Checkout
        fields = [
            "id",
            "idempotency_key",
            "total",
            "approval_status",
            "approval_deadline",
            "approved_at",
            "approval_reason",
            "contact_name",
            "contact_phone",
            "province_code",
            "full_address",
            "created_by",
            "created_at",
            "orders",
        ]
        read_only_fields = fields


class CheckoutRequestSerializer(serializers.Serializer):
    address = serializers.IntegerField(help_text="收货地址 id（本组织地址簿）")
    lines = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        default=None,
        help_text="要结算的购物车行 id；不传则结算整个购物车",
    )
    on_account = serializers.BooleanField(required=False, default=False, help_text="账期支付（仅大客户）")


class ApprovalRuleSerializer(serializers.Serializer):
    threshold = serializers.CharField(
        allow_null=True,
        allow_blank=True,
        max_length=30,
        help_text="结算总额超过此金额须审批；null 或空为不需审批",
    )


class ApprovalRuleStateSerializer(serializers.Serializer):
    threshold = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class ApprovalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")


class QuickOrderRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20_000, allow_blank=True, help_text="每行「OE号/零件号, 数量」")


class OfferOptionSerializer(serializers.Serializer):
    offer = OfferBriefSerializer()
    price = CartPriceSerializer()


class QuickOrderRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="row.row")
    number = serializers.CharField(source="row.number")
    quantity = serializers.IntegerField(source="row.quantity", allow_null=True)
    status = serializers.ChoiceField(choices=list(quick_order.STATUSES))
    message = serializers.CharField()
    options = OfferOptionSerializer(many=True, help_text="可选报价，本组织价格从低到高")


def _cart_data(view: CartView) -> dict[str, Any]:
    return dict(CartSerializer(view).data)


def _line_item(actor: Actor, line_id: int) -> CartItem:
    view = selectors.cart_view(actor=actor, line_ids={line_id})
    return view.items[0]


# Cart ----------------------------------------------------------------------------------------


@api_access(permission=Perm.PURCHASE, scope="organization")
class CartApi(APIView):
    @extend_schema(
        operation_id="cart_retrieve",
        tags=["cart"],
        summary="购物车（按供应商分组，本组织价格）",
        responses=CartSerializer,
    )
    def get(self, request: Request) -> Response:
        _buyer(request)
        return Response(_cart_data(selectors.cart_view(actor=_actor(request))))


@api_access(permission=Perm.PURCHASE, scope="organization")
class CartLinesApi(APIView):
    @extend_schema(
        operation_id="cart_lines_create",
        tags=["cart"],
        summary="加入购物车",
        request=CartAddSerializer,
        responses={201: CartLineSerializer},
    )
    def post(self, request: Request) -> Response:
        buyer = _buyer(request)
        data = CartAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offer = selectors.offer_for_cart(actor=_actor(request), pk=data.validated_data["offer"])
        line = cart.cart_add(
            buyer=buyer, offer=offer, quantity=data.validated_data["quantity"], by=_by(request)
        )
        item = _line_item(_actor(request), line.pk)
        return Response(CartLineSerializer(item).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.PURCHASE, scope="organization", selector="cart_line_get")
class CartLineApi(APIView):
    @extend_schema(
        operation_id="cart_lines_update",
        tags=["cart"],
        summary="修改数量",
        request=CartQuantitySerializer,
        responses=CartLineSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        line = selectors.cart_line_get(actor=_actor(request), pk=pk)
        data = CartQuantitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cart.cart_set_quantity(line=line, quantity=data.validated_data["quantity"], by=_by(request))
        return Response(CartLineSerializer(_line_item(_actor(request), line.pk)).data)

    @extend_schema(
        operation_id="cart_lines_destroy", tags=["cart"], summary="移出购物车", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        line = selectors.cart_line_get(actor=_actor(request), pk=pk)
        cart.cart_remove(buyer=_buyer(request), line_ids=[line.pk], by=_by(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Addresses -------------------------------------------------------------------------------------


@api_access(permission=Perm.PURCHASE, scope="organization")
class AddressesApi(APIView):
    @extend_schema(
        operation_id="addresses_list",
        tags=["addresses"],
        summary="收货地址",
        responses=AddressSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        _buyer(request)
        return Response(AddressSerializer(selectors.addresses_of(actor=_actor(request)), many=True).data)

    @extend_schema(
        operation_id="addresses_create",
        tags=["addresses"],
        summary="新增收货地址（第一个地址为默认）",
        request=AddressWriteSerializer,
        responses={201: AddressSerializer},
    )
    def post(self, request: Request) -> Response:
        buyer = _buyer(request)
        data = AddressWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = addresses.address_create(organization=buyer, by=_by(request), **data.validated_data)
        return Response(AddressSerializer(address).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.PURCHASE, scope="organization", selector="address_get")
class AddressApi(APIView):
    @extend_schema(
        operation_id="addresses_retrieve",
        tags=["addresses"],
        summary="收货地址详情",
        responses=AddressSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(AddressSerializer(selectors.address_get(actor=_actor(request), pk=pk)).data)

    @extend_schema(
        operation_id="addresses_update",
        tags=["addresses"],
        summary="修改收货地址",
        request=AddressUpdateSerializer,
        responses=AddressSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        address = selectors.address_get(actor=_actor(request), pk=pk)
        data = AddressUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        make_default = values.pop("is_default", None)
        address = addresses.address_update(
            address=address, by=_by(request), is_default=make_default, **values
        )
        return Response(AddressSerializer(selectors.address_get(actor=_actor(request), pk=address.pk)).data)

    @extend_schema(
        operation_id="addresses_destroy", tags=["addresses"], summary="删除收货地址", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        addresses.address_delete(address=selectors.address_get(actor=_actor(request), pk=pk), by=_by(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Checkout ------------------------------------------------------------------------------------


def _checkout_data(actor: Actor, pk: int) -> dict[str, Any]:
    found = selectors.checkout_get(actor=actor, pk=pk)
    lines = selectors.checkout_lines(checkout=found)
    return dict(CheckoutSerializer(found, context={"lines": lines}).data)


@api_access(permission=Perm.PURCHASE, scope="organization")
class CheckoutsApi(APIView):
    @extend_schema(
        operation_id="checkouts_create",
        tags=["checkout"],
        summary="结算：每个供应商一个订单，库存全部预留或全不预留",
        description=(
            "必须带 Idempotency-Key 请求头。同一个键重发返回第一次的结算（200），不会重复下单、"
            "不会重复预留库存。超过审批金额的结算进入「待审批」，库存保留 24 小时。"
        ),
        parameters=[IDEMPOTENCY_HEADER],
        request=CheckoutRequestSerializer,
        responses={201: CheckoutSerializer, 200: CheckoutSerializer},
    )
    def post(self, request: Request) -> Response:
        buyer = _buyer(request)
        key = checkout.clean_idempotency_key(request.headers.get("Idempotency-Key", ""))
        first = checkout.checkout_replay(buyer=buyer, idempotency_key=key)
        if first is not None:
            return Response(_checkout_data(_actor(request), first.pk), status=status.HTTP_200_OK)
        data = CheckoutRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        address = selectors.address_for_checkout(actor=_actor(request), pk=values["address"])
        made = checkout.checkout_submit(
            buyer=buyer,
            by=_by(request),
            address=address,
            idempotency_key=key,
            lines=values["lines"],
            on_account=values["on_account"],
        )
        return Response(_checkout_data(_actor(request), made.pk), status=status.HTTP_201_CREATED)


@api_access(permission=Perm.PURCHASE, scope="organization", selector="checkout_get")
class CheckoutApi(APIView):
    @extend_schema(
        operation_id="checkouts_retrieve",
        tags=["checkout"],
        summary="结算结果及其订单",
        responses=CheckoutSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_checkout_data(_actor(request), pk))


# Approvals -----------------------------------------------------------------------------------


@api_access(permission=Perm.ORG_MANAGE, scope="organization")
class ApprovalsApi(APIView):
    @extend_schema(
        operation_id="approvals_list",
        tags=["approvals"],
        summary="待审批的结算（所有者、管理员）",
        responses=CheckoutSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        _buyer(request)
        actor = _actor(request)
        return Response([_checkout_data(actor, c.pk) for c in selectors.approvals_pending(actor=actor)])


@api_access(permission=Perm.ORG_MANAGE, scope="organization")
class ApprovalRuleApi(APIView):
    @extend_schema(
        operation_id="approval_rule_retrieve",
        tags=["approvals"],
        summary="审批金额阈值",
        responses=ApprovalRuleStateSerializer,
    )
    def get(self, request: Request) -> Response:
        _buyer(request)
        rule = selectors.approval_rule_of(actor=_actor(request))
        return Response(ApprovalRuleStateSerializer({"threshold": rule.threshold if rule else None}).data)

    @extend_schema(
        operation_id="approval_rule_update",
        tags=["approvals"],
        summary="设置或关闭审批金额阈值",
        request=ApprovalRuleSerializer,
        responses=ApprovalRuleStateSerializer,
    )
    def put(self, request: Request) -> Response:
        buyer = _buyer(request)
        data = ApprovalRuleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rule = approval.approval_rule_set(
            organization=buyer, by=_by(request), threshold=data.validated_data["threshold"]
        )
        return Response(ApprovalRuleStateSerializer({"threshold": rule.threshold if rule else None}).data)


@api_access(permission=Perm.ORG_MANAGE, scope="organization", selector="approval_get")
class ApprovalApproveApi(APIView):
    @extend_schema(
        operation_id="approvals_approve",
        tags=["approvals"],
        summary="批准（不能批准自己提交的结算）",
        request=ApprovalReasonSerializer,
        responses=CheckoutSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        found = selectors.approval_get(actor=_actor(request), pk=pk)
        data = ApprovalReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval.checkout_approve(checkout=found, by=_by(request), reason=data.validated_data["reason"])
        return Response(_checkout_data(_actor(request), found.pk))


@api_access(permission=Perm.ORG_MANAGE, scope="organization", selector="approval_get")
class ApprovalRejectApi(APIView):
    @extend_schema(
        operation_id="approvals_reject",
        tags=["approvals"],
        summary="驳回（须填原因；订单取消，库存释放）",
        request=ApprovalReasonSerializer,
        responses=CheckoutSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        found = selectors.approval_get(actor=_actor(request), pk=pk)
        data = ApprovalReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval.checkout_reject(checkout=found, by=_by(request), reason=data.validated_data["reason"])
        return Response(_checkout_data(_actor(request), found.pk))


# Quick order ---------------------------------------------------------------------------------


@api_access(permission=Perm.PURCHASE, scope="organization")
class QuickOrderMatchApi(APIView):
    @extend_schema(
        operation_id="quick_order_match",
        tags=["cart"],
        summary="快速下单识别：每行匹配 / 待选择 / 未匹配",
        request=QuickOrderRequestSerializer,
        responses=QuickOrderRowSerializer(many=True),
    )
    def post(self, request: Request) -> Response:
        buyer = _buyer(request)
        data = QuickOrderRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = quick_order.parse_text(data.validated_data["text"])
        matches = quick_order.quick_order_match(buyer=buyer, rows=rows)
        return Response(QuickOrderRowSerializer(matches, many=True).data)
