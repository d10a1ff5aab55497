"""The search REST API: find parts (with facets) and read a part with its offers.

Shared catalogue data, read by any buying organization (Perm.PURCHASE). Thin views: a
serializer checks the query parameters, one selector answers.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.catalog.models import Grade, Offer
from partsmall.organizations.access import actor_of, api_access
from partsmall.organizations.roles import Perm
from partsmall.search import selectors
from partsmall.search.selectors import MAX_PAGE_SIZE, SORTS, PartDetail, SearchQuery, SearchResult


class SearchParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=100,
        help_text="名称、拼音首字母、原厂编号或零件号",
    )
    oe = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=50,
        help_text="原厂编号或零件号（精确或前缀，含互换件）",
    )
    vin = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=40, help_text="17 位 VIN"
    )
    vehicle_type = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text="车型 ID（可多个）",
    )
    make = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, help_text="品牌 ID"
    )
    model = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, help_text="车系 ID"
    )
    year = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1900, max_value=2100, help_text="年份"
    )
    engine = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=50, help_text="发动机型号"
    )
    category = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, help_text="分类 ID（含下级分类）"
    )
    brand = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text="配件品牌 ID（可多个）",
    )
    grade = serializers.ListField(
        child=serializers.ChoiceField(choices=Grade.choices),
        required=False,
        default=list,
        help_text="品质（可多个）",
    )
    price_min = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text="最低价下限（含）",
    )
    price_max = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text="最低价上限（不含）",
    )
    in_stock = serializers.BooleanField(required=False, default=False, help_text="只看有货")
    sort = serializers.ChoiceField(
        choices=[value for value, _label in SORTS], required=False, default="relevance"
    )
    page = serializers.IntegerField(required=False, default=1, min_value=1)
    page_size = serializers.IntegerField(required=False, default=20, min_value=1, max_value=MAX_PAGE_SIZE)

    def to_query(self) -> SearchQuery:
        data = self.validated_data
        return SearchQuery(
            q=data["q"],
            oe=data["oe"],
            vin=data["vin"],
            vehicle_type_ids=tuple(data["vehicle_type"]),
            make_id=data["make"],
            model_id=data["model"],
            year=data["year"],
            engine_code=data["engine"],
            category_id=data["category"],
            brand_ids=tuple(data["brand"]),
            grades=tuple(data["grade"]),
            price_min=data["price_min"],
            price_max=data["price_max"],
            in_stock=data["in_stock"],
            sort=data["sort"],
            page=data["page"],
            page_size=data["page_size"],
        )


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class CategoryRefSerializer(NamedSerializer):
    code = serializers.CharField()


class PartRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    name = serializers.CharField()
    brand = NamedSerializer()
    category = CategoryRefSerializer()
    review_status = serializers.CharField()


class BuyerPriceSerializer(serializers.Serializer):
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="含税单价")
    source = serializers.CharField(help_text="contract（协议价）、group（客户价）或 standard（标准价）")  # type: ignore[assignment]


class HitSerializer(serializers.Serializer):
    part = PartRefSerializer()
    min_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="上架报价的最低标准价（分面和排序按此）"
    )
    price = BuyerPriceSerializer(allow_null=True, help_text="本组织的最低成交价（协议价、客户价或标准价）")
    fastest_lead_days = serializers.IntegerField(allow_null=True)
    supplier_count = serializers.IntegerField()
    offer_count = serializers.IntegerField()
    in_stock = serializers.BooleanField()
    number_match = serializers.CharField(help_text="exact / prefix / interchange / 空")


class IntFacetSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class TextFacetSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class BoolFacetSerializer(serializers.Serializer):
    value = serializers.BooleanField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    category = IntFacetSerializer(many=True)
    brand = IntFacetSerializer(many=True)
    grade = TextFacetSerializer(many=True)
    price_range = TextFacetSerializer(many=True, help_text="value: 下限-上限（元）；按最低价")
    in_stock = BoolFacetSerializer(many=True)


class VehicleTypeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    label = serializers.CharField()  # type: ignore[assignment]


class VinSerializer(serializers.Serializer):
    vin = serializers.CharField()
    manufacturer = serializers.CharField()
    model_years = serializers.ListField(child=serializers.IntegerField())
    check_digit_valid = serializers.BooleanField(allow_null=True)
    notes = serializers.ListField(child=serializers.CharField())
    candidates = VehicleTypeRefSerializer(many=True)
    chosen = VehicleTypeRefSerializer(allow_null=True)


class SearchResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    results = HitSerializer(many=True, source="hits")
    facets = FacetsSerializer()
    vin = VinSerializer(source="vin_decoding", allow_null=True)
    vehicles = VehicleTypeRefSerializer(many=True)


class OeNumberSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="原厂编号（原样）")
    number_norm = serializers.CharField(help_text="规范编号")
    oe_brand = NamedSerializer()


class LinkedPartSerializer(serializers.Serializer):
    relation = serializers.ChoiceField(choices=["interchange", "superseded_by", "supersedes"])
    relation_label = serializers.CharField()
    part = PartRefSerializer()


class FitmentRowSerializer(serializers.Serializer):
    vehicle_type = VehicleTypeRefSerializer()
    years = serializers.CharField(source="vehicle_type.years")
    engine_code = serializers.CharField(source="vehicle_type.engine_code")
    position = serializers.CharField()
    position_label = serializers.CharField(source="get_position_display")
    quantity = serializers.IntegerField()
    notes = serializers.CharField()


class ModelFitmentSerializer(serializers.Serializer):
    model = NamedSerializer()
    fitments = FitmentRowSerializer(many=True)


class MakeFitmentSerializer(serializers.Serializer):
    make = NamedSerializer()
    models = ModelFitmentSerializer(many=True)


class OfferSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    supplier = NamedSerializer()
    grade = serializers.CharField()
    grade_label = serializers.CharField(source="get_grade_display")
    sku = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    min_order_quantity = serializers.IntegerField()
    order_multiple = serializers.IntegerField()
    lead_time_days = serializers.IntegerField()
    warranty_months = serializers.IntegerField()
    stock_quantity = serializers.IntegerField()
    made_to_order = serializers.BooleanField(help_text="按单生产：不占库存，按交期发货")
    buyer_price = serializers.SerializerMethodField(help_text="本组织的成交价（协议价、客户价或标准价）")

    @extend_schema_field(BuyerPriceSerializer)
    def get_buyer_price(self, offer: Offer) -> dict | None:
        resolved = self.context.get("prices", {}).get(offer.pk)
        return BuyerPriceSerializer(resolved).data if resolved is not None else None


class PartDetailPartSerializer(PartRefSerializer):
    attributes = serializers.DictField()
    description = serializers.CharField()
    min_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    fastest_lead_days = serializers.IntegerField(allow_null=True)
    supplier_count = serializers.IntegerField()
    in_stock = serializers.BooleanField()


class PartDetailSerializer(serializers.Serializer):
    part = PartDetailPartSerializer()
    category_path = CategoryRefSerializer(many=True)
    oe_numbers = OeNumberSerializer(many=True)
    links = LinkedPartSerializer(many=True)
    fitment = MakeFitmentSerializer(many=True)
    offers = OfferSerializer(many=True, help_text="上架报价，按本组织的成交价从低到高")
    best_price_offer_id = serializers.IntegerField(allow_null=True)
    fastest_offer_id = serializers.IntegerField(allow_null=True)


@api_access(permission=Perm.PURCHASE, scope="organization")
class SearchPartsApi(APIView):
    @extend_schema(
        operation_id="search_parts",
        tags=["search"],
        summary="找配件：关键词、拼音首字母、编号、VIN 或车型、分类，含分面计数",
        parameters=[SearchParamsSerializer],
        responses=SearchResultSerializer,
    )
    def get(self, request: Request) -> Response:
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        result: SearchResult = selectors.search_parts(actor=actor_of(request), query=params.to_query())
        selectors.price_hits(actor=actor_of(request), hits=result.hits)
        return Response(SearchResultSerializer(result).data)


@api_access(permission=Perm.PURCHASE, scope="organization", selector="part_detail")
class PartDetailApi(APIView):
    @extend_schema(
        operation_id="part_detail",
        tags=["search"],
        summary="配件详情：原厂编号、互换替代、适配车型、报价对比",
        responses=PartDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        detail: PartDetail = selectors.part_detail(actor=actor_of(request), part_id=pk)
        return Response(PartDetailSerializer(detail, context={"prices": detail.prices}).data)
