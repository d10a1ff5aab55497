"""Messages of refused actions on supplier orders, shipments and after-sales (tests assert
on these). The checkout's messages are in errors.py."""

from django.utils.translation import gettext_lazy as _

# Transitions.
ILLEGAL_PAYMENT_TRANSITION = _(
    "订单 %(number)s 当前为「%(status)s · %(from)s」，付款状态不能变为「%(to)s」。"
)
CONFIRM_NEEDS_PAYMENT = _("订单 %(number)s 为「%(payment)s」：只有已付款或账期订单才能确认。")

# Actions on orders.
SUPPLIER_ONLY = _("只有配件厂商可以处理销售订单。")
REASON_REQUIRED = _("请填写原因。")
REASON_TOO_LONG = _("原因不能超过 200 个字。")
NOTE_TOO_LONG = _("备注不能超过 200 个字。")
CANCEL_AWAITING_APPROVAL = _("订单 %(number)s 正在等待采购审批：请由审批人驳回该结算单。")
CANCEL_NOT_ALLOWED = _("订单 %(number)s 为「%(status)s」：供应商确认后不能取消，请联系供应商。")
REJECT_NOT_ALLOWED = _("订单 %(number)s 为「%(status)s」：只有发货前的订单可以拒单。")
CONFIRM_NOT_ALLOWED = _("订单 %(number)s 为「%(status)s」：只有待确认的订单可以确认。")
DECLARE_NOT_ALLOWED = _("订单 %(number)s 为「%(status)s · %(payment)s」：只有待付款的订单可以登记转账。")
MARK_PAID_NOT_ALLOWED = _(
    "订单 %(number)s 为「%(status)s · %(payment)s」：只有待确认的未付款订单可以确认收款。"
)
TRANSFER_REJECT_NOT_ALLOWED = _("订单 %(number)s 为「%(payment)s」：只有待确认收款的订单可以退回。")
DELIVERY_NOT_ALLOWED = _("订单 %(number)s 为「%(status)s」：全部发货后才能确认收货。")

# Shipments.
SHIP_NOT_ALLOWED = _("订单 %(number)s 为「%(status)s」：只有已确认或部分发货的订单可以发货。")
SHIP_NOTHING = _("请至少填写一行发货数量。")
SHIP_QUANTITY_INVALID = _("%(sku)s 的发货数量须为正整数。")
SHIP_TOO_MANY = _("%(sku)s 最多还能发 %(open)s 件，不能发 %(quantity)s 件。")
SHIP_LINE_UNKNOWN = _("发货明细中有不属于本订单的商品。")
SHIP_WAREHOUSE_REQUIRED = _("请为 %(sku)s 选择发货仓库。")
SHIP_WAREHOUSE_UNKNOWN = _("所选仓库不存在或已停用。")
CARRIER_REQUIRED = _("请填写承运商（如顺丰、德邦、自送）。")
CARRIER_TOO_LONG = _("承运商不能超过 50 个字。")
TRACKING_TOO_LONG = _("运单号不能超过 50 个字符。")

# Returns.
RETURN_NOT_DELIVERED = _("订单 %(number)s 为「%(status)s」：确认收货后才能申请退货。")
RETURN_WINDOW_CLOSED = _("已超过收货后 %(days)s 天的退货期限。")
RETURN_QUANTITY_INVALID = _("退货数量须为正整数。")
RETURN_QUANTITY_TOO_MANY = _("%(sku)s 最多还能退 %(left)s 件。")
RETURN_REASON_INVALID = _("请选择退货原因：不适配、破损、发错货或质量问题。")
RETURN_DESCRIPTION_TOO_LONG = _("问题描述不能超过 500 个字。")
RETURN_PHOTOS_REQUIRED = _("请上传至少 1 张照片。")
RETURN_PHOTOS_TOO_MANY = _("最多上传 %(max)s 张照片。")
RETURN_PHOTO_INVALID = _("「%(name)s」不是有效的图片（支持 JPG、PNG、WebP）。")
RETURN_PHOTO_TOO_LARGE = _("「%(name)s」超过 %(mb)s MB。")
RETURN_FITMENT_UNKNOWN = _("所选适配车型不属于该配件。")
RETURN_ILLEGAL_TRANSITION = _("退货申请 #%(pk)s 当前为「%(from)s」，不能变为「%(to)s」。")
RETURN_ALREADY_DISPUTED = _("该退货申请已经平台裁决，不能再次申诉。")
RETURN_WAREHOUSE_REQUIRED = _("请选择退货入库的仓库。")
ARBITRATION_DECISION_INVALID = _("请选择裁决结果：同意退货或驳回。")
