"""Messages of refused order actions (tests assert on these)."""

from django.utils.translation import gettext_lazy as _

# Transitions.
ILLEGAL_TRANSITION = _("订单 %(number)s 当前为「%(from)s」，不能变为「%(to)s」。")

# Buying is for repair shops.
BUYER_ONLY = _("只有汽修门店可以采购。")

# Address book.
ADDRESS_LABEL_TOO_LONG = _("地址名称不能超过 30 个字。")
ADDRESS_REQUIRED = _("请选择收货地址。")
ADDRESS_UNKNOWN = _("收货地址不存在，请重新选择。")

# Cart.
OFFER_UNKNOWN = _("该报价不存在或已下架。")
OFFER_NOT_LISTED = _("「%(offer)s」已下架，不能购买。")
OFFER_OWN = _("不能购买本组织自己的报价。")
QUANTITY_INVALID = _("数量须为正整数。")
QUANTITY_TOO_LARGE = _("数量不能超过 %(max)s 件。")
QUANTITY_BELOW_MOQ = _(
    "「%(offer)s」起订量为 %(moq)s 件，您填写了 %(quantity)s 件（可改为 %(suggested)s 件）。"
)
QUANTITY_NOT_MULTIPLE = _(
    "「%(offer)s」须按 %(multiple)s 件的倍数订购，您填写了 %(quantity)s 件（可改为 %(suggested)s 件）。"
)
STOCK_SHORT = _("库存不足：当前可售 %(available)s 件。")
CART_LINE_UNKNOWN = _("购物车中没有这件商品，请刷新页面。")
CART_TOO_MANY_LINES = _("购物车最多放 %(max)s 种商品。")

# Checkout.
CART_EMPTY = _("购物车是空的，请先加入商品。")
LINES_UNKNOWN = _("所选商品已不在购物车中，请刷新页面。")
IDEMPOTENCY_KEY_REQUIRED = _("缺少幂等键（Idempotency-Key），请刷新页面后重新提交。")
IDEMPOTENCY_KEY_TOO_LONG = _("幂等键不能超过 100 个字符。")
ON_ACCOUNT_NOT_ALLOWED = _("只有大客户可以选择账期支付。")

# Purchase approval.
APPROVAL_THRESHOLD_INVALID = _("审批金额阈值须为不小于 0 的金额，最多两位小数。")
APPROVAL_NOT_PENDING = _("该采购单当前为「%(status)s」，不能再审批。")
APPROVAL_EXPIRED = _("该采购单已超过审批期限，已自动取消。")
APPROVAL_SELF = _("不能审批自己提交的采购单。")
APPROVAL_ROLE = _("只有所有者或管理员可以审批采购单。")
APPROVAL_REASON_REQUIRED = _("请填写驳回原因。")
APPROVAL_REASON_TOO_LONG = _("原因不能超过 200 个字。")
APPROVAL_REJECTED_REASON = _("采购审批未通过：%(reason)s")
APPROVAL_EXPIRED_REASON = _("超过 %(hours)s 小时未审批，已自动取消。")

# Purchase lists.
LIST_NAME_REQUIRED = _("请输入清单名称。")
LIST_NAME_TOO_LONG = _("清单名称不能超过 50 个字。")
LIST_NAME_TAKEN = _("已有同名的常购清单。")
LIST_EMPTY = _("清单中没有可加入购物车的商品。")

# Quick order.
QUICK_ORDER_EMPTY = _("请粘贴至少一行「OE号/零件号, 数量」，或上传 Excel。")
QUICK_ORDER_TOO_MANY = _("一次最多 %(max)s 行。")
QUICK_ORDER_QUANTITY = _("第 %(row)s 行：数量「%(value)s」不是正整数。")
QUICK_ORDER_NUMBER = _("第 %(row)s 行：缺少 OE号或零件号。")
QUICK_ORDER_FILE = _("无法读取该文件，请上传 .xlsx 格式的 Excel（可先下载模板）。")
QUICK_ORDER_PICK = _("第 %(row)s 行：请选择一个报价。")
QUICK_ORDER_LINE = _("第 %(row)s 行：%(message)s")
