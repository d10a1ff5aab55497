"""Messages of refused inventory actions (the tests assert on these constants)."""

from django.utils.translation import gettext_lazy as _

# Warehouses.
WAREHOUSE_NAME_REQUIRED = _("请填写仓库名称。")
WAREHOUSE_NAME_TOO_LONG = _("仓库名称不能超过 100 个字符。")
WAREHOUSE_CODE_REQUIRED = _("请填写仓库编码。")
WAREHOUSE_CODE_INVALID = _("仓库编码只能用字母、数字、横线和下划线，不超过 32 个字符。")
WAREHOUSE_CODE_TAKEN = _("贵组织已有这个仓库编码。")
WAREHOUSE_ADDRESS_TOO_LONG = _("详细地址不能超过 200 个字符。")
WAREHOUSE_ORG_KIND = _("只有配件厂商和汽修门店可以建仓库。")
WAREHOUSE_INACTIVE = _("仓库「%(name)s」已停用，不能再入库或调整。")
WAREHOUSE_NOT_YOURS = _("仓库不属于该组织。")
WAREHOUSE_REQUIRED = _("请选择仓库。")
PART_NOT_FOUND = _("平台上没有这个品牌和零件号的配件。")

# Quantities.
QUANTITY_POSITIVE = _("数量须为大于 0 的整数。")
QUANTITY_NOT_NEGATIVE = _("数量须为不小于 0 的整数。")
QUANTITY_TOO_LARGE = _("数量不能超过 2,000,000,000。")
DELTA_ZERO = _("调整数量不能为 0。")
REASON_REQUIRED = _("请填写调整原因。")
REASON_TOO_LONG = _("原因不能超过 200 个字符。")
GRADE_INVALID = _("请选择品质：原厂件、品牌件、副厂件或拆车件。")
KIND_INVALID = _("入库类型只能是入库或退货入库。")
PART_REQUIRED = _("请选择配件。")
THRESHOLD_INVALID = _("预警值须为不小于 0 的整数，空着用默认值。")

# Stock rules.
INSUFFICIENT_STOCK = _("「%(offer)s」库存不足：需要 %(wanted)s 件，可售 %(available)s 件。")
BELOW_RESERVED = _("调整后在库 %(on_hand)s 件少于已预留的 %(reserved)s 件（有未发货的订单占用）。")
BELOW_ZERO = _("调整后在库不能小于 0（现有 %(on_hand)s 件）。")
ALREADY_RESERVED = _("该订单行已预留过库存，不能重复预留。")
SHIP_MORE_THAN_HELD = _("发货数量 %(wanted)s 超过该仓库为「%(ref)s」预留的 %(held)s 件。")
SHIP_NOT_IN_STOCK = _("仓库在库可发 %(available)s 件，不足 %(wanted)s 件。")
SHIP_NEEDS_OFFER = _("该订单行没有预留库存：按单生产的订单行发货须指明报价。")
REF_TYPE_REQUIRED = _("缺少关联类型。")
LEVEL_NOT_IN_WAREHOUSE = _("第 %(row)s 行不是本仓库的库存。")
STOCKTAKE_EMPTY = _("请至少填写一行盘点数量。")
