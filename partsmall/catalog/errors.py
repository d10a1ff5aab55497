"""Messages of refused catalogue actions (tests assert on these; imports reuse them)."""

from django.utils.translation import gettext_lazy as _

# Categories.
CATEGORY_NAME_REQUIRED = _("请输入分类名称。")
CATEGORY_NAME_TOO_LONG = _("分类名称不能超过 50 个字。")
CATEGORY_NAME_TAKEN = _("同一上级分类下已有同名分类。")
CATEGORY_CODE_INVALID = _("编码只能包含小写字母、数字和连字符。")
CATEGORY_CODE_TAKEN = _("该分类编码已被使用。")
CATEGORY_PARENT_UNKNOWN = _("上级分类不存在。")
CATEGORY_PARENT_CYCLE = _("不能把分类移到它自己或它的下级分类之下。")

# Brands.
BRAND_NAME_REQUIRED = _("请输入品牌名称。")
BRAND_NAME_TOO_LONG = _("品牌名称不能超过 50 个字。")
BRAND_NAME_TAKEN = _("该品牌已存在。")

# Parts, OE numbers, interchange.
PART_NUMBER_REQUIRED = _("请输入零件号。")
PART_NUMBER_TOO_LONG = _("零件号不能超过 50 个字符。")
PART_NAME_REQUIRED = _("请输入配件名称。")
PART_NAME_TOO_LONG = _("配件名称不能超过 200 个字。")
PART_DUPLICATE = _("该品牌下已有此零件号的配件。")
PART_NOT_FOUND_FOR_OFFER = _(
    "平台上没有这个品牌和零件号的配件。请核对零件号，或填写配件名称和分类新建配件（需平台审核）。"
)
PART_REJECTED = _("该配件未通过平台审核，不能报价。")
OE_NUMBER_REQUIRED = _("请输入原厂编号。")
OE_NUMBER_TOO_LONG = _("原厂编号不能超过 50 个字符。")
OE_NUMBER_DUPLICATE = _("该配件已有此原厂编号。")
LINK_TO_ITSELF = _("配件不能与自己互换或替代。")
LINK_DUPLICATE = _("这两个配件之间已有此关系。")
LINK_KIND_INVALID = _("请选择关系：互换或替代。")

# Fitment.
FITMENT_DUPLICATE = _("该配件已适配此车型的这个位置。")
FITMENT_QUANTITY_INVALID = _("用量至少为 1。")
FITMENT_POSITION_INVALID = _("请选择有效的安装位置。")
FITMENT_NOTES_TOO_LONG = _("备注不能超过 200 个字。")

# Offers.
OFFER_SUPPLIER_ONLY = _("只有配件厂商可以发布报价。")
OFFER_GRADE_INVALID = _("请选择品质：原厂件、品牌件、副厂件或拆车件。")
OFFER_SKU_REQUIRED = _("请输入商家编码。")
OFFER_SKU_TOO_LONG = _("商家编码不能超过 64 个字符。")
OFFER_SKU_TAKEN = _("商家编码已被您的另一条报价使用。")
OFFER_DUPLICATE_GRADE = _("您已发布过该配件同一品质的报价，请编辑原报价。")
OFFER_PRICE_REQUIRED = _("请输入单价。")
OFFER_PRICE_INVALID = _("单价须为大于 0 的金额。")
OFFER_PRICE_DECIMALS = _("单价最多保留 2 位小数。")
OFFER_PRICE_TOO_HIGH = _("单价不能超过 ¥9,999,999,999.99。")
OFFER_MOQ_INVALID = _("起订量须为不小于 1 的整数。")
OFFER_MULTIPLE_INVALID = _("订购倍数须为不小于 1 的整数。")
OFFER_LEAD_TIME_INVALID = _("交期须为 0 到 365 天的整数。")
OFFER_WARRANTY_INVALID = _("质保须为 0 到 120 个月的整数。")
OFFERS_REQUIRED = _("请至少选择一条报价。")

# Review of supplier-added data.
REVIEW_NOTHING_SELECTED = _("请至少选择一条待审核的数据。")
REVIEW_NOT_PENDING = _("所选数据中有已审核过的，请刷新后重试。")
REVIEW_REASON_REQUIRED = _("请填写驳回原因。")
REVIEW_REASON_TOO_LONG = _("驳回原因不能超过 200 个字。")
