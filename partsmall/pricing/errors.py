"""Messages of refused pricing actions (tests assert on these)."""

from django.utils.translation import gettext_lazy as _

SUPPLIER_ONLY = _("只有配件厂商可以设置客户价格。")

# Customer groups.
GROUP_NAME_REQUIRED = _("请输入客户组名称。")
GROUP_NAME_TOO_LONG = _("客户组名称不能超过 50 个字。")
GROUP_NAME_TAKEN = _("已有同名的客户组。")
GROUP_BASIS_INVALID = _("请选择客户范围：指定客户或平台等级。")
GROUP_TIER_REQUIRED = _("按平台等级划分的客户组请选择平台等级。")
GROUP_PERCENT_INVALID = _("优惠百分比须为大于 0、小于 100 的数，最多两位小数。")
GROUP_HAS_MEMBERS = _("该客户组还有指定客户，请先移除后再改为按平台等级。")
GROUP_BY_TIER_NO_MEMBERS = _("按平台等级划分的客户组包含该等级的全部客户，不能再添加指定客户。")
MEMBER_DUPLICATE = _("该客户已在此客户组中。")

# Buyers and offers named in prices.
BUYER_REQUIRED = _("请选择客户。")
BUYER_NOT_SHOP = _("客户须为已启用的汽修门店。")
OFFER_REQUIRED = _("请输入商家编码。")
OFFER_NOT_FOUND = _("没有这个商家编码的报价。")
OFFER_NOT_OWN = _("只能为本厂商的报价设置价格。")
PRICE_TOO_HIGH = _("价格不能超过 ¥9,999,999,999.99。")

# Contract price lists.
CONTRACT_NAME_REQUIRED = _("请输入协议名称。")
CONTRACT_NAME_TOO_LONG = _("协议名称不能超过 100 个字。")
CONTRACT_VALID_FROM_REQUIRED = _("请选择生效日期。")
CONTRACT_DATE_INVALID = _("请输入有效的日期，如 2026-01-01。")
CONTRACT_DATES_ORDER = _("截止日期不能早于生效日期。")
CONTRACT_NOTE_TOO_LONG = _("备注不能超过 200 个字。")
MIN_QUANTITY_INVALID = _("起始数量须为不小于 1 的整数。")
BREAK_DUPLICATE = _("该报价已有这个起始数量的协议价，请直接修改。")

# The price check.
QUANTITY_INVALID = _("数量须为不小于 1 的整数。")
