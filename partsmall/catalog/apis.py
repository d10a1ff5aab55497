"""The catalogue REST API: a supplier's offers, the shared categories and brands, and the
platform's curation (categories, brands, review of supplier-added parts and fitment).

Views are thin: a serializer checks the shape of the input, one selector (taking the
actor) resolves the object, one service does the work and names wrong fields (400).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.catalog import errors, selectors, services
from partsmall.catalog.models import Brand, Category, Fitment, Grade, Offer, Part
from partsmall.organizations.access import actor_of, api_access
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Perm

GRADES_HELP = "品质：" + "、".join(f"{value}（{label}）" for value, label in Grade.choices)


def _actor(request: Request) -> Actor:
    return actor_of(request)


def _supplier(request: Request) -> Organization:
    org = actor_of(request).organization
    if org is None or org.kind != Organization.Kind.SUPPLIER:
        raise PermissionDenied(str(errors.OFFER_SUPPLIER_ONLY))
    return org


def _by(request: Request) -> Any:
    """The person acting; None for an API key (it acts for its organization, not a person)."""
    return actor_of(request).user


# Serializers: shapes only. Content (price, MOQ, uniqueness …) is the services'.


class SupplierOfferPartSerializer(serializers.ModelSerializer):
    brand = serializers.CharField(source="brand.name", read_only=True)

    class Meta:
        model = Part
        fields = ["id", "brand", "number", "name", "category_id", "review_status"]
        read_only_fields = fields


class SupplierOfferSerializer(serializers.ModelSerializer):
    part = SupplierOfferPartSerializer(read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "part",
            "grade",
            "sku",
            "price",
            "min_order_quantity",
            "order_multiple",
            "lead_time_days",
            "warranty_months",
            "stock_quantity",
            "made_to_order",
            "is_listed",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OfferTermsSerializer(serializers.Serializer):
    grade = serializers.CharField(max_length=20, help_text=GRADES_HELP)
    sku = serializers.CharField(
        max_length=100, allow_blank=True, help_text="商家编码（SKU），在本厂商的报价中唯一"
    )
    price = serializers.CharField(
        max_length=30, allow_blank=True, help_text="含税单价（元），大于 0，最多两位小数"
    )
    min_order_quantity = serializers.IntegerField(required=False, default=1, help_text="起订量 ≥ 1")
    order_multiple = serializers.IntegerField(required=False, default=1, help_text="订购倍数 ≥ 1")
    lead_time_days = serializers.IntegerField(required=False, default=1, help_text="交期（天）0–365")
    warranty_months = serializers.IntegerField(required=False, default=0, help_text="质保（月）0–120")
    made_to_order = serializers.BooleanField(
        required=False, default=False, help_text="按单生产：不占用库存，买家按交期等待"
    )
    is_listed = serializers.BooleanField(required=False, default=True, help_text="上架")


class OfferCreateSerializer(OfferTermsSerializer):
    part = serializers.IntegerField(help_text="配件 id（平台上已审核的配件，或本厂商新增待审核的配件）")


class OfferListingSerializer(serializers.Serializer):
    offers = serializers.ListField(child=serializers.IntegerField(), allow_empty=True, help_text="报价 id")
    listed = serializers.BooleanField(help_text="true 上架，false 下架")


class OfferListingResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField()


# The stubs type Field.parent (the enclosing serializer); a field named "parent" is fine
# at runtime (the metaclass moves declared fields out of the class namespace).


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", allow_null=True, read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Category
        fields = ["id", "parent", "code", "name", "name_en", "initials", "sort"]
        read_only_fields = fields


class CategoryWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, allow_blank=True)
    parent = serializers.IntegerField(  # type: ignore[assignment]
        required=False, allow_null=True, default=None, help_text="上级分类 id，空为顶级"
    )
    code = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="留空按拼音生成"
    )
    name_en = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    sort = serializers.IntegerField(required=False, default=0, min_value=0, max_value=32767)


class CategoryUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    parent = serializers.IntegerField(required=False, allow_null=True, help_text="上级分类 id，null 为顶级")  # type: ignore[assignment]
    code = serializers.CharField(max_length=100, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=80, required=False, allow_blank=True)
    sort = serializers.IntegerField(required=False, min_value=0, max_value=32767)


class BrandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["id", "name", "name_norm", "name_en", "is_oe"]
        read_only_fields = fields


class BrandWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, allow_blank=True)
    name_en = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    is_oe = serializers.BooleanField(required=False, default=False)


class BrandUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=50, required=False, allow_blank=True)
    is_oe = serializers.BooleanField(required=False)


class ReviewRowSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="part 或 fitment")
    id = serializers.IntegerField()
    description = serializers.CharField()
    source_organization = serializers.CharField(allow_null=True)
    source_organization_id = serializers.IntegerField(allow_null=True)
    source_import_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class ReviewDecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("approve", "通过"), ("reject", "驳回")])
    parts = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    fitments = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ReviewResultSerializer(serializers.Serializer):
    decided = serializers.IntegerField()


def _review_row(row: Part | Fitment) -> dict[str, Any]:
    org = row.source_organization
    if isinstance(row, Part):
        kind, description = "part", f"{row.brand.name} {row.number} {row.name}"
    else:
        kind, description = "fitment", f"{row.part.brand.name} {row.part.number} → {row.vehicle_type.label}"
    return {
        "kind": kind,
        "id": row.pk,
        "description": description,
        "source_organization": org.name if org else None,
        "source_organization_id": org.pk if org else None,
        "source_import_id": row.source_import_id,
        "created_at": row.created_at,
    }


# Offers of the acting supplier.

OFFER_FILTERS = [
    OpenApiParameter("keyword", OpenApiTypes.STR, description="商家编码、零件号、名称或品牌"),
    OpenApiParameter("grade", OpenApiTypes.STR, enum=Grade.values),
    OpenApiParameter("status", OpenApiTypes.STR, enum=list(selectors.OFFER_STATUSES)),
    OpenApiParameter("category", OpenApiTypes.INT, description="分类 id（含下级分类）"),
]


def _int_param(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@api_access(permission=Perm.CATALOG_MANAGE, scope="organization")
class OffersApi(generics.ListAPIView):
    serializer_class = SupplierOfferSerializer

    def get_queryset(self) -> Any:
        _supplier(self.request)
        params = self.request.query_params
        return selectors.offers_of_supplier(
            actor=_actor(self.request),
            keyword=params.get("keyword", ""),
            grade=params.get("grade", ""),
            status=params.get("status", ""),
            category_id=_int_param(params.get("category")),
        )

    @extend_schema(
        operation_id="offers_list", tags=["offers"], summary="本厂商的报价", parameters=OFFER_FILTERS
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="offers_create",
        tags=["offers"],
        summary="新建报价",
        request=OfferCreateSerializer,
        responses={201: SupplierOfferSerializer},
    )
    def post(self, request: Request) -> Response:
        supplier = _supplier(request)
        data = OfferCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        terms = dict(data.validated_data)
        part = selectors.part_get_for_offer(actor=_actor(request), pk=terms.pop("part"))
        offer = services.offer_create(supplier=supplier, part=part, by=_by(request), **terms)
        return Response(SupplierOfferSerializer(offer).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.CATALOG_MANAGE, scope="organization", selector="offer_get")
class OfferApi(APIView):
    @extend_schema(
        operation_id="offers_retrieve", tags=["offers"], summary="报价详情", responses=SupplierOfferSerializer
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(SupplierOfferSerializer(selectors.offer_get(actor=_actor(request), pk=pk)).data)

    @extend_schema(
        operation_id="offers_update",
        tags=["offers"],
        summary="修改报价",
        request=OfferTermsSerializer(partial=True),
        responses=SupplierOfferSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        offer = selectors.offer_get(actor=_actor(request), pk=pk)
        data = OfferTermsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        offer = services.offer_update(offer=offer, by=_by(request), **data.validated_data)
        return Response(SupplierOfferSerializer(offer).data)


@api_access(permission=Perm.CATALOG_MANAGE, scope="organization")
class OffersListingApi(APIView):
    @extend_schema(
        operation_id="offers_bulk_listing",
        tags=["offers"],
        summary="批量上架 / 下架",
        request=OfferListingSerializer,
        responses=OfferListingResultSerializer,
    )
    def post(self, request: Request) -> Response:
        _supplier(request)
        data = OfferListingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offers = selectors.offers_for_listing(actor=_actor(request), ids=data.validated_data["offers"])
        changed = services.offer_set_listed(
            offers=offers, listed=data.validated_data["listed"], by=_by(request)
        )
        return Response({"changed": changed})


# Shared categories and brands.


def _categories(actor: Actor) -> list[Category]:
    return [node.category for node in selectors.flatten(selectors.categories_tree(actor=actor))]


@api_access(permission=Perm.ORG_VIEW, scope="organization")
class CategoriesApi(APIView):
    @extend_schema(
        operation_id="categories_list",
        tags=["catalog"],
        summary="配件分类（按树的顺序，parent 为上级 id）",
        responses=CategorySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(CategorySerializer(_categories(_actor(request)), many=True).data)


BRAND_FILTERS = [
    OpenApiParameter("keyword", OpenApiTypes.STR, description="品牌名称"),
    OpenApiParameter("is_oe", OpenApiTypes.BOOL, description="仅整车厂品牌 / 仅配件品牌"),
]


class _BrandList(generics.ListAPIView):
    serializer_class = BrandSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        is_oe = {"true": True, "1": True, "false": False, "0": False}.get(params.get("is_oe", "").lower())
        return selectors.brands_list(
            actor=_actor(self.request), keyword=params.get("keyword", ""), is_oe=is_oe
        )


@api_access(permission=Perm.ORG_VIEW, scope="organization")
class BrandsApi(_BrandList):
    @extend_schema(operation_id="brands_list", tags=["catalog"], summary="配件品牌", parameters=BRAND_FILTERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# Platform curation.


def _parent(value: int | None) -> Category | None:
    if value is None:
        return None
    found = Category.objects.filter(pk=value).first()
    if found is None:
        raise serializers.ValidationError({"parent": [str(errors.CATEGORY_PARENT_UNKNOWN)]})
    return found


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform")
class PlatformCategoriesApi(APIView):
    @extend_schema(
        operation_id="platform_categories_list",
        tags=["platform"],
        summary="配件分类（平台）",
        responses=CategorySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(CategorySerializer(_categories(_actor(request)), many=True).data)

    @extend_schema(
        operation_id="platform_categories_create",
        tags=["platform"],
        summary="新建配件分类",
        request=CategoryWriteSerializer,
        responses={201: CategorySerializer},
    )
    def post(self, request: Request) -> Response:
        data = CategoryWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["parent"] = _parent(values.get("parent"))
        category = services.category_create(by=_by(request), **values)
        return Response(CategorySerializer(category).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="category_get")
class PlatformCategoryApi(APIView):
    @extend_schema(
        operation_id="platform_categories_update",
        tags=["platform"],
        summary="修改配件分类（不能移到自己或下级之下）",
        request=CategoryUpdateSerializer,
        responses=CategorySerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        category = selectors.category_get(actor=_actor(request), pk=pk)
        data = CategoryUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "parent" in values:
            values["parent"] = _parent(values["parent"])
        category = services.category_update(category=category, by=_by(request), **values)
        return Response(CategorySerializer(category).data)


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform")
class PlatformBrandsApi(_BrandList):
    @extend_schema(
        operation_id="platform_brands_list",
        tags=["platform"],
        summary="配件品牌（平台）",
        parameters=BRAND_FILTERS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="platform_brands_create",
        tags=["platform"],
        summary="新建配件品牌",
        request=BrandWriteSerializer,
        responses={201: BrandSerializer},
    )
    def post(self, request: Request) -> Response:
        data = BrandWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        brand = services.brand_create(by=_by(request), **data.validated_data)
        return Response(BrandSerializer(brand).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="brand_get")
class PlatformBrandApi(APIView):
    @extend_schema(
        operation_id="platform_brands_update",
        tags=["platform"],
        summary="修改配件品牌",
        request=BrandUpdateSerializer,
        responses=BrandSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        brand = selectors.brand_get(actor=_actor(request), pk=pk)
        data = BrandUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        brand = services.brand_update(brand=brand, by=_by(request), **data.validated_data)
        return Response(BrandSerializer(brand).data)


@api_access(permission=Perm.PLATFORM_OPERATE, scope="platform")
class PlatformReviewApi(generics.GenericAPIView):
    serializer_class = ReviewRowSerializer

    @extend_schema(
        operation_id="platform_review_list",
        tags=["platform"],
        summary="待审核的厂商新增配件与适配车型",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=["part", "fitment"], description="默认 part"),
            OpenApiParameter("keyword", OpenApiTypes.STR),
            OpenApiParameter("source", OpenApiTypes.INT, description="提交数据的组织 id"),
        ],
        responses=ReviewRowSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        actor, keyword, source = _actor(request), params.get("keyword", ""), _int_param(params.get("source"))
        rows: Any = (
            selectors.review_fitments(actor=actor, keyword=keyword, organization_id=source)
            if params.get("kind") == "fitment"
            else selectors.review_parts(actor=actor, keyword=keyword, organization_id=source)
        )
        page = self.paginate_queryset(rows)
        data = ReviewRowSerializer([_review_row(row) for row in page or []], many=True).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="platform_review_decide",
        tags=["platform"],
        summary="批量通过 / 驳回（驳回须填写原因）",
        request=ReviewDecisionSerializer,
        responses=ReviewResultSerializer,
    )
    def post(self, request: Request) -> Response:
        data = ReviewDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        rows = selectors.review_rows(
            actor=_actor(request), part_ids=values["parts"], fitment_ids=values["fitments"]
        )
        if values["action"] == "approve":
            decided = services.review_approve(rows=rows, by=_by(request), reason=values["reason"])
        else:
            decided = services.review_reject(rows=rows, by=_by(request), reason=values["reason"])
        return Response({"decided": decided})
