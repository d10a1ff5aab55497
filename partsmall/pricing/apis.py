"""The pricing REST API of a supplier: customer groups (members, fixed prices), contract price
lists (quantity breaks), the price check, and the buyer look-up.

Views are thin: a serializer checks the shape of the input, one selector (taking the
actor) resolves the object (another supplier's answers 404), one service does the work
and names wrong fields (400).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.organizations.access import actor_of, api_access
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Perm
from partsmall.pricing import errors, selectors, services
from partsmall.pricing.models import (
    ContractPrice,
    ContractPriceList,
    CustomerGroup,
    CustomerGroupMember,
    GroupPrice,
    ListStatus,
)
from partsmall.pricing.resolver import ContractCandidate, GroupCandidate, PriceExplanation

TAG = "pricing"
SOURCES_HELP = "价格来源：contract（协议价）、group（客户组价）、standard（标准价）"


def _actor(request: Request) -> Actor:
    return actor_of(request)


def _supplier(request: Request) -> Organization:
    org = actor_of(request).organization
    if org is None or org.kind != Organization.Kind.SUPPLIER:
        raise PermissionDenied(str(errors.SUPPLIER_ONLY))
    return org


def _by(request: Request) -> Any:
    """The person acting; None for an API key (it acts for its organization, not a person)."""
    return actor_of(request).user


def _buyer(request: Request, pk: int | None) -> Organization | None:
    return selectors.buyer_find(actor=_actor(request), pk=pk)


def _offer(request: Request, pk: int | None) -> Any:
    return selectors.own_offer_find(actor=_actor(request), pk=pk)


# Serializers: shapes only. Content (prices, dates, uniqueness …) is the services'.


class PricingBuyerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "tier"]
        read_only_fields = fields


class PricingOfferSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    sku = serializers.CharField()
    part_number = serializers.CharField(source="part.number")
    part_name = serializers.CharField(source="part.name")
    brand = serializers.CharField(source="part.brand.name")
    grade = serializers.CharField()
    standard_price = serializers.DecimalField(source="price", max_digits=12, decimal_places=2)


class GroupMemberSerializer(serializers.ModelSerializer):
    buyer = PricingBuyerSerializer(read_only=True)

    class Meta:
        model = CustomerGroupMember
        fields = ["id", "buyer", "created_at"]
        read_only_fields = fields


class GroupPriceSerializer(serializers.ModelSerializer):
    offer = PricingOfferSerializer(read_only=True)

    class Meta:
        model = GroupPrice
        fields = ["id", "offer", "price", "updated_at"]
        read_only_fields = fields


class CustomerGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerGroup
        fields = ["id", "name", "basis", "tier", "discount_percent", "is_active", "created_at", "updated_at"]
        read_only_fields = fields


class CustomerGroupDetailSerializer(CustomerGroupSerializer):
    members = GroupMemberSerializer(many=True, read_only=True)
    prices = GroupPriceSerializer(many=True, read_only=True)

    class Meta(CustomerGroupSerializer.Meta):
        fields = [*CustomerGroupSerializer.Meta.fields, "members", "prices"]
        read_only_fields = fields


class CustomerGroupWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, allow_blank=True)
    basis = serializers.CharField(
        max_length=20, required=False, default="members", help_text="members（指定客户）或 tier（平台等级）"
    )
    tier = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="standard 或 key_account"
    )
    discount_percent = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text="对全部报价按标准价优惠的百分比（0–100，不含两端，最多两位小数）；空为不打折",
    )
    is_active = serializers.BooleanField(required=False, default=True)


class GroupMemberAddSerializer(serializers.Serializer):
    buyer = serializers.IntegerField(help_text="汽修门店 id（见 pricing/buyers）")


class GroupPriceWriteSerializer(serializers.Serializer):
    offer = serializers.IntegerField(help_text="本厂商的报价 id")
    price = serializers.CharField(max_length=30, help_text="含税单价（元），大于 0，最多两位小数")


class PriceWriteSerializer(serializers.Serializer):
    price = serializers.CharField(max_length=30, help_text="含税单价（元），大于 0，最多两位小数")


class ContractLineSerializer(serializers.ModelSerializer):
    offer = PricingOfferSerializer(read_only=True)

    class Meta:
        model = ContractPrice
        fields = ["id", "offer", "min_quantity", "price", "updated_at"]
        read_only_fields = fields


class ContractPriceListSerializer(serializers.ModelSerializer):
    buyer = PricingBuyerSerializer(read_only=True)
    list_status = serializers.SerializerMethodField(
        help_text="valid 生效中 / upcoming 未生效 / expired 已过期 / inactive 已停用"
    )

    class Meta:
        model = ContractPriceList
        fields = [
            "id",
            "buyer",
            "name",
            "valid_from",
            "valid_until",
            "is_active",
            "list_status",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_list_status(self, obj: ContractPriceList) -> str:
        return obj.status_on(timezone.localdate())


class ContractPriceListDetailSerializer(ContractPriceListSerializer):
    lines = ContractLineSerializer(many=True, read_only=True)

    class Meta(ContractPriceListSerializer.Meta):
        fields = [*ContractPriceListSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class ContractPriceListWriteSerializer(serializers.Serializer):
    buyer = serializers.IntegerField(allow_null=True, help_text="汽修门店 id（见 pricing/buyers）")
    name = serializers.CharField(max_length=150, allow_blank=True)
    valid_from = serializers.CharField(max_length=20, allow_blank=True, help_text="生效日期，如 2026-01-01")
    valid_until = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text="截止日期（含），空为长期",
    )
    is_active = serializers.BooleanField(required=False, default=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ContractLineWriteSerializer(serializers.Serializer):
    offer = serializers.IntegerField(help_text="本厂商的报价 id")
    min_quantity = serializers.IntegerField(required=False, default=1, help_text="起始数量 ≥ 1")
    price = serializers.CharField(max_length=30, help_text="含税单价（元），大于 0，最多两位小数")


class ContractLineUpdateSerializer(serializers.Serializer):
    min_quantity = serializers.IntegerField(required=False, help_text="起始数量 ≥ 1")
    price = serializers.CharField(max_length=30, required=False, help_text="含税单价（元）")


class ResolvedPriceSerializer(serializers.Serializer):
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="含税单价")
    source = serializers.CharField(help_text=SOURCES_HELP)  # type: ignore[assignment]
    ref_type = serializers.CharField(help_text="contract_price / group_price / customer_group / 空")
    ref_id = serializers.IntegerField(allow_null=True)
    ref_label = serializers.CharField()


class ContractCandidateSerializer(serializers.Serializer):
    contract_price_id = serializers.IntegerField(source="line.pk")
    price_list_id = serializers.IntegerField(source="line.price_list_id")
    price_list_name = serializers.CharField(source="line.price_list.name")
    valid_from = serializers.DateField(source="line.price_list.valid_from")
    valid_until = serializers.DateField(source="line.price_list.valid_until", allow_null=True)
    min_quantity = serializers.IntegerField(source="line.min_quantity")
    price = serializers.DecimalField(source="line.price", max_digits=12, decimal_places=2)
    verdict = serializers.CharField(help_text="applied 采用；其余为未采用的原因")


class GroupCandidateSerializer(serializers.Serializer):
    group_id = serializers.IntegerField(source="group.pk")
    group_name = serializers.CharField(source="group.name")
    group_price_id = serializers.IntegerField(source="fixed.pk", allow_null=True, default=None)
    discount_percent = serializers.DecimalField(
        source="group.discount_percent", max_digits=5, decimal_places=2, allow_null=True
    )
    price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    verdict = serializers.CharField(help_text="applied 采用；其余为未采用的原因")


class PriceCheckSerializer(serializers.Serializer):
    buyer = PricingBuyerSerializer()
    offer = PricingOfferSerializer()
    quantity = serializers.IntegerField()
    on = serializers.DateField()
    standard_price = serializers.DecimalField(source="standard", max_digits=12, decimal_places=2)
    resolved = ResolvedPriceSerializer()
    contracts = ContractCandidateSerializer(many=True)
    groups = GroupCandidateSerializer(many=True)


class PriceCheckParamsSerializer(serializers.Serializer):
    buyer = serializers.IntegerField(help_text="汽修门店 id")
    offer = serializers.IntegerField(help_text="本厂商的报价 id")
    quantity = serializers.IntegerField(required=False, default=1, help_text="数量 ≥ 1")
    on = serializers.CharField(required=False, allow_blank=True, default="", help_text="日期，空为今天")


# Customer groups ---------------------------------------------------------------------------------


@api_access(permission=Perm.SALES, scope="organization")
class GroupsApi(generics.ListAPIView):
    serializer_class = CustomerGroupSerializer

    def get_queryset(self) -> Any:
        _supplier(self.request)
        keyword = self.request.query_params.get("keyword", "")
        return selectors.customer_groups_of_supplier(actor=_actor(self.request), keyword=keyword)

    @extend_schema(
        operation_id="pricing_groups_list",
        tags=[TAG],
        summary="本厂商的客户组",
        parameters=[OpenApiParameter("keyword", OpenApiTypes.STR, description="客户组名称")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="pricing_groups_create",
        tags=[TAG],
        summary="新建客户组",
        request=CustomerGroupWriteSerializer,
        responses={201: CustomerGroupDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        supplier = _supplier(request)
        data = CustomerGroupWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        group = services.customer_group_create(supplier=supplier, by=_by(request), **data.validated_data)
        return Response(CustomerGroupDetailSerializer(group).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.SALES, scope="organization", selector="customer_group_get")
class GroupApi(APIView):
    @extend_schema(
        operation_id="pricing_groups_retrieve",
        tags=[TAG],
        summary="客户组详情（含指定客户和单品价）",
        responses=CustomerGroupDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        group = selectors.customer_group_get(actor=_actor(request), pk=pk)
        return Response(CustomerGroupDetailSerializer(group).data)

    @extend_schema(
        operation_id="pricing_groups_update",
        tags=[TAG],
        summary="修改客户组",
        request=CustomerGroupWriteSerializer(partial=True),
        responses=CustomerGroupDetailSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        group = selectors.customer_group_get(actor=_actor(request), pk=pk)
        data = CustomerGroupWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        group = services.customer_group_update(group=group, by=_by(request), **data.validated_data)
        return Response(CustomerGroupDetailSerializer(group).data)

    @extend_schema(
        operation_id="pricing_groups_destroy", tags=[TAG], summary="删除客户组", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        group = selectors.customer_group_get(actor=_actor(request), pk=pk)
        services.customer_group_delete(group=group, by=_by(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


@api_access(permission=Perm.SALES, scope="organization", selector="customer_group_get")
class GroupMembersApi(APIView):
    @extend_schema(
        operation_id="pricing_group_members_create",
        tags=[TAG],
        summary="把汽修门店加入客户组（按指定客户的客户组）",
        request=GroupMemberAddSerializer,
        responses={201: GroupMemberSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        group = selectors.customer_group_get(actor=_actor(request), pk=pk)
        data = GroupMemberAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        buyer = _buyer(request, data.validated_data["buyer"])
        member = services.customer_group_member_add(group=group, buyer=buyer, by=_by(request))
        return Response(GroupMemberSerializer(member).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.SALES, scope="organization", selector="customer_group_member_get")
class GroupMemberApi(APIView):
    @extend_schema(
        operation_id="pricing_group_members_destroy", tags=[TAG], summary="移出客户组", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        member = selectors.customer_group_member_get(actor=_actor(request), pk=pk)
        services.customer_group_member_remove(member=member, by=_by(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


@api_access(permission=Perm.SALES, scope="organization", selector="customer_group_get")
class GroupPricesApi(APIView):
    @extend_schema(
        operation_id="pricing_group_prices_set",
        tags=[TAG],
        summary="设置客户组的单品价（已有则修改）",
        request=GroupPriceWriteSerializer,
        responses={200: GroupPriceSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        group = selectors.customer_group_get(actor=_actor(request), pk=pk)
        data = GroupPriceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offer = _offer(request, data.validated_data["offer"])
        row = services.group_price_set(
            group=group, offer=offer, price=data.validated_data["price"], by=_by(request)
        )
        return Response(GroupPriceSerializer(row).data)


@api_access(permission=Perm.SALES, scope="organization", selector="group_price_get")
class GroupPriceApi(APIView):
    @extend_schema(
        operation_id="pricing_group_prices_update",
        tags=[TAG],
        summary="修改单品价",
        request=PriceWriteSerializer,
        responses=GroupPriceSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        row = selectors.group_price_get(actor=_actor(request), pk=pk)
        data = PriceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.group_price_set(
            group=row.group, offer=row.offer, price=data.validated_data["price"], by=_by(request)
        )
        return Response(GroupPriceSerializer(row).data)

    @extend_schema(
        operation_id="pricing_group_prices_destroy", tags=[TAG], summary="删除单品价", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        row = selectors.group_price_get(actor=_actor(request), pk=pk)
        services.group_price_remove(group_price=row, by=_by(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Contract price lists ----------------------------------------------------------------------------


@api_access(permission=Perm.SALES, scope="organization")
class ContractsApi(generics.ListAPIView):
    serializer_class = ContractPriceListSerializer

    def get_queryset(self) -> Any:
        _supplier(self.request)
        params = self.request.query_params
        return selectors.contract_price_lists_of_supplier(
            actor=_actor(self.request), keyword=params.get("keyword", ""), status=params.get("status", "")
        )

    @extend_schema(
        operation_id="pricing_contracts_list",
        tags=[TAG],
        summary="本厂商的协议价目表",
        parameters=[
            OpenApiParameter("keyword", OpenApiTypes.STR, description="协议名称或门店名称"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=list(ListStatus.values)),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="pricing_contracts_create",
        tags=[TAG],
        summary="新建协议价目表",
        request=ContractPriceListWriteSerializer,
        responses={201: ContractPriceListDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        supplier = _supplier(request)
        data = ContractPriceListWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        buyer = _buyer(request, values.pop("buyer"))
        price_list = services.contract_price_list_create(
            supplier=supplier, buyer=buyer, by=_by(request), **values
        )
        return Response(ContractPriceListDetailSerializer(price_list).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.SALES, scope="organization", selector="contract_price_list_get")
class ContractApi(APIView):
    @extend_schema(
        operation_id="pricing_contracts_retrieve",
        tags=[TAG],
        summary="协议价目表详情（含数量阶梯）",
        responses=ContractPriceListDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        price_list = selectors.contract_price_list_get(actor=_actor(request), pk=pk)
        return Response(ContractPriceListDetailSerializer(price_list).data)

    @extend_schema(
        operation_id="pricing_contracts_update",
        tags=[TAG],
        summary="修改协议价目表",
        request=ContractPriceListWriteSerializer(partial=True),
        responses=ContractPriceListDetailSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        price_list = selectors.contract_price_list_get(actor=_actor(request), pk=pk)
        data = ContractPriceListWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "buyer" in values:
            buyer_id = values.pop("buyer")
            values["buyer"] = (
                price_list.buyer if buyer_id == price_list.buyer_id else _buyer(request, buyer_id)
            )
        price_list = services.contract_price_list_update(price_list=price_list, by=_by(request), **values)
        return Response(ContractPriceListDetailSerializer(price_list).data)

    @extend_schema(
        operation_id="pricing_contracts_destroy", tags=[TAG], summary="删除协议价目表", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        price_list = selectors.contract_price_list_get(actor=_actor(request), pk=pk)
        services.contract_price_list_delete(price_list=price_list, by=_by(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


@api_access(permission=Perm.SALES, scope="organization", selector="contract_price_list_get")
class ContractLinesApi(APIView):
    @extend_schema(
        operation_id="pricing_contract_lines_create",
        tags=[TAG],
        summary="添加协议价（一档数量阶梯）",
        request=ContractLineWriteSerializer,
        responses={201: ContractLineSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        price_list = selectors.contract_price_list_get(actor=_actor(request), pk=pk)
        data = ContractLineWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        offer = _offer(request, values.pop("offer"))
        line = services.contract_price_add(price_list=price_list, offer=offer, by=_by(request), **values)
        return Response(ContractLineSerializer(line).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.SALES, scope="organization", selector="contract_price_get")
class ContractLineApi(APIView):
    @extend_schema(
        operation_id="pricing_contract_lines_update",
        tags=[TAG],
        summary="修改协议价（起始数量、价格）",
        request=ContractLineUpdateSerializer,
        responses=ContractLineSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        line = selectors.contract_price_get(actor=_actor(request), pk=pk)
        data = ContractLineUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        line = services.contract_price_update(line=line, by=_by(request), **data.validated_data)
        return Response(ContractLineSerializer(line).data)

    @extend_schema(
        operation_id="pricing_contract_lines_destroy", tags=[TAG], summary="删除协议价", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        line = selectors.contract_price_get(actor=_actor(request), pk=pk)
        services.contract_price_remove(line=line, by=_by(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# The price check and the buyer look-up -------------------------------------------------------------


def _explanation_data(explanation: PriceExplanation, buyer: Organization) -> dict[str, Any]:
    contracts: list[ContractCandidate] = explanation.contracts
    groups: list[GroupCandidate] = explanation.groups
    return {
        "buyer": buyer,
        "offer": explanation.offer,
        "quantity": explanation.quantity,
        "on": explanation.on,
        "standard": explanation.standard,
        "resolved": explanation.resolved,
        "contracts": contracts,
        "groups": groups,
    }


@api_access(permission=Perm.SALES, scope="organization")
class PriceCheckApi(APIView):
    @extend_schema(
        operation_id="pricing_price_check",
        tags=[TAG],
        summary="价格查询：某门店按某数量购买本厂商某报价的成交单价及依据",
        parameters=[PriceCheckParamsSerializer],
        responses=PriceCheckSerializer,
    )
    def get(self, request: Request) -> Response:
        _supplier(request)
        params = PriceCheckParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        check = selectors.price_check(
            actor=_actor(request),
            buyer_id=data["buyer"],
            offer_id=data["offer"],
            quantity=data["quantity"],
            on=data["on"],
        )
        return Response(PriceCheckSerializer(_explanation_data(check.explanation, check.buyer)).data)


@api_access(permission=Perm.SALES, scope="organization")
class BuyersApi(APIView):
    @extend_schema(
        operation_id="pricing_buyers_lookup",
        tags=[TAG],
        summary="查找汽修门店（名称或统一社会信用代码），用于客户组和协议价",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="名称或信用代码前缀")],
        responses=PricingBuyerSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        _supplier(request)
        buyers = selectors.buyers_lookup(actor=_actor(request), q=request.query_params.get("q", ""))
        return Response(PricingBuyerSerializer(buyers, many=True).data)
