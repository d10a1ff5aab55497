"""Orders: address book, cart, purchase lists, approval rules, checkouts and the supplier
orders they make, shipments and after-sales (售后).

A checkout (one submission of a buyer's cart, with its delivery address and idempotency
key) owns one supplier order per supplier. A supplier order has two separate states: its
fulfilment `status` and its `payment_status`; both change only through
`orders.services.transitions.order_transition`, which writes an OrderEvent per change.
Order lines snapshot what was sold and at what price; they point at the offer (PROTECT)
but never read their price from it again.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from partsmall.catalog.models import Fitment, Grade, Offer, Part
from partsmall.organizations.models import Organization, Region
from partsmall.pricing.models import PriceSource
from partsmall.vehicles.models import VehicleType

DEFAULT_VAT_RATE = Decimal("0.13")


def _status_label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


class Address(models.Model):
    """A delivery address 收货地址 in a buying organization's address book."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(_("地址名称"), max_length=30, blank=True)
    contact_name = models.CharField(_("收货人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=11)
    province = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("省"))
    # Empty only where the region table has no lower level (东莞市 has no districts).
    city = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("市")
    )
    district = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("区县")
    )
    detail = models.CharField(_("详细地址"), max_length=200)
    is_default = models.BooleanField(_("默认地址"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "-created_at", "-id"]
        verbose_name = _("收货地址")
        verbose_name_plural = _("收货地址")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(is_default=True), name="address_one_default_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_name} {self.full_address}"

    @property
    def full_address(self) -> str:
        names = [r.name for r in (self.province, self.city, self.district) if r is not None]
        if self.city is not None and self.city.name == self.province.name:
            names.remove(self.city.name)
        return "".join(names) + self.detail


class Cart(models.Model):
    """购物车: one per buying organization, shared by its purchasers."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="cart")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("购物车")
        verbose_name_plural = _("购物车")

    def __str__(self) -> str:
        return f"{self.organization_id}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+", verbose_name=_("报价"))
    quantity = models.PositiveIntegerField(_("数量"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("购物车商品")
        verbose_name_plural = _("购物车商品")
        constraints = [
            models.UniqueConstraint(fields=["cart", "offer"], name="cart_line_unique_offer"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} × {self.quantity}"


class PurchaseList(models.Model):
    """常购清单: a saved list of offers and quantities for repeat buying."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="purchase_lists")
    name = models.CharField(_("清单名称"), max_length=50)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("常购清单")
        verbose_name_plural = _("常购清单")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="purchase_list_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class PurchaseListLine(models.Model):
    purchase_list = models.ForeignKey(PurchaseList, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+", verbose_name=_("报价"))
    quantity = models.PositiveIntegerField(_("数量"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("清单商品")
        verbose_name_plural = _("清单商品")
        constraints = [
            models.UniqueConstraint(fields=["purchase_list", "offer"], name="purchase_list_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="purchase_list_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} × {self.quantity}"


class ApprovalRule(models.Model):
    """采购审批规则: a checkout whose total is above the threshold waits for an owner's or
    admin's approval (never the submitter's own). One active rule per organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="approval_rules")
    threshold = models.DecimalField(_("审批金额阈值"), max_digits=12, decimal_places=2)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("采购审批规则")
        verbose_name_plural = _("采购审批规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=0), name="approval_rule_threshold_not_negative"
            ),
            models.UniqueConstraint(
                fields=["organization"], condition=Q(is_active=True), name="approval_rule_one_active_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} > {self.threshold}"


class Checkout(models.Model):
    """结算: one submission of a buyer's cart. Owns one supplier order per supplier; keeps a
    snapshot of the delivery address. (buyer, idempotency_key) is unique, so a replayed
    submission finds the first checkout instead of making a second one."""

    class ApprovalStatus(models.TextChoices):
        NOT_REQUIRED = "not_required", _("无需审批")
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")
        # Nobody decided within ORDERS_APPROVAL_TIMEOUT_HOURS: its orders were cancelled.
        EXPIRED = "expired", _("已超时")

    buyer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="checkouts")
    idempotency_key = models.CharField(_("幂等键"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("收货人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=11)
    province_code = models.CharField(_("省代码"), max_length=12)
    province_name = models.CharField(_("省"), max_length=50)
    city_name = models.CharField(_("市"), max_length=50, blank=True)
    district_name = models.CharField(_("区县"), max_length=50, blank=True)
    address_detail = models.CharField(_("详细地址"), max_length=200)
    total = models.DecimalField(_("商品总额"), max_digits=14, decimal_places=2)
    approval_status = models.CharField(
        _("审批状态"), max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.NOT_REQUIRED
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approval_deadline = models.DateTimeField(_("审批截止"), null=True, blank=True)
    approval_reason = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("结算单")
        verbose_name_plural = _("结算单")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "idempotency_key"], name="checkout_unique_idempotency_key"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="checkout_total_not_negative"),
        ]
        indexes = [
            models.Index(fields=["approval_status", "approval_deadline"]),
            models.Index(fields=["buyer", "approval_status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def full_address(self) -> str:
        names = [self.province_name, self.city_name, self.district_name]
        if self.city_name == self.province_name:
            names = [self.province_name, self.district_name]
        return "".join(names) + self.address_detail


class SupplierOrder(models.Model):
    """订单: what one buyer ordered from one supplier in one checkout."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("待审批")
        SUBMITTED = "submitted", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        PARTIALLY_SHIPPED = "partially_shipped", _("部分发货")
        SHIPPED = "shipped", _("已发货")
        DELIVERED = "delivered", _("已收货")
        COMPLETED = "completed", _("已完成")
        CANCELLED = "cancelled", _("已取消")
        CLOSED = "closed", _("已关闭")

    class PaymentStatus(models.TextChoices):
        UNPAID = "unpaid", _("待付款")
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("待确认收款")
        PAID = "paid", _("已付款")
        ON_ACCOUNT = "on_account", _("账期")

    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="purchase_orders", verbose_name=_("采购方")
    )
    supplier = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="sales_orders", verbose_name=_("供应商")
    )
    number = models.CharField(_("订单号"), max_length=40, unique=True)
    status = models.CharField(_("订单状态"), max_length=20, choices=Status.choices, db_index=True)
    payment_status = models.CharField(
        _("付款状态"), max_length=30, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    # Empty means 运费另议 (freight to be agreed) until the logistics capability arrives.
    freight = models.DecimalField(_("运费"), max_digits=12, decimal_places=2, null=True, blank=True)
    goods_total = models.DecimalField(_("商品金额"), max_digits=14, decimal_places=2)
    on_account = models.BooleanField(_("账期支付"), default=False)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    reject_reason = models.TextField(_("拒单原因"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("付款时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("收货时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    payment_deadline = models.DateTimeField(_("付款截止"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("订单")
        verbose_name_plural = _("订单")
        constraints = [
            models.CheckConstraint(condition=Q(goods_total__gte=0), name="order_goods_total_not_negative"),
            models.CheckConstraint(
                condition=Q(freight__isnull=True) | Q(freight__gte=0), name="order_freight_not_negative"
            ),
            models.CheckConstraint(condition=~Q(buyer=F("supplier")), name="order_buyer_is_not_supplier"),
        ]
        indexes = [
            models.Index(fields=["buyer", "status", "created_at"]),
            models.Index(fields=["supplier", "status", "created_at"]),
            models.Index(fields=["status", "payment_status", "payment_deadline"]),
            models.Index(fields=["status", "delivered_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def freight_to_be_agreed(self) -> bool:
        return self.freight is None


class OrderLine(models.Model):
    """A line of a supplier order, with a snapshot of the part and of its price: unit price
    tax included, VAT rate, where the price came from (contract/group/standard/quote)."""

    order = models.ForeignKey(SupplierOrder, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="+", verbose_name=_("报价"))
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="+", verbose_name=_("配件"))
    grade = models.CharField(_("品质"), max_length=20, choices=Grade.choices)
    sku = models.CharField(_("商家编码"), max_length=64)
    part_number = models.CharField(_("零件号"), max_length=50)
    part_name = models.CharField(_("配件名称"), max_length=200)
    brand_name = models.CharField(_("品牌"), max_length=50)
    quantity = models.PositiveIntegerField(_("数量"))
    unit_price = models.DecimalField(_("单价(含税)"), max_digits=12, decimal_places=2)
    vat_rate = models.DecimalField(_("增值税率"), max_digits=5, decimal_places=4, default=DEFAULT_VAT_RATE)
    price_source = models.CharField(_("价格来源"), max_length=20, choices=PriceSource.choices)
    price_ref_type = models.CharField(_("价格依据类型"), max_length=30, blank=True)
    price_ref_id = models.BigIntegerField(_("价格依据"), null=True, blank=True)
    price_ref_label = models.CharField(_("价格依据说明"), max_length=200, blank=True)
    discount = models.DecimalField(_("优惠"), max_digits=12, decimal_places=2, default=Decimal("0"))
    commission_rate = models.DecimalField(
        _("佣金比例"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2)
    made_to_order = models.BooleanField(_("按单生产"), default=False)
    lead_time_days = models.PositiveSmallIntegerField(_("交期(天)"), default=0)
    shipped_quantity = models.PositiveIntegerField(_("已发数量"), default=0)
    returned_quantity = models.PositiveIntegerField(_("已退数量"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("订单明细")
        verbose_name_plural = _("订单明细")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_line_price_not_negative"),
            models.CheckConstraint(condition=Q(discount__gte=0), name="order_line_discount_not_negative"),
            models.CheckConstraint(
                condition=Q(shipped_quantity__lte=F("quantity")), name="order_line_shipped_within_quantity"
            ),
            models.CheckConstraint(
                condition=Q(returned_quantity__lte=F("shipped_quantity")),
                name="order_line_returned_within_shipped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity}"

    @property
    def open_quantity(self) -> int:
        return self.quantity - self.shipped_quantity


class OrderEvent(models.Model):
    """One change of a supplier order's status or payment status: who, when, from, to, why."""

    order = models.ForeignKey(SupplierOrder, on_delete=models.CASCADE, related_name="events")
    # Empty for what the system does by itself (timeouts, demo data).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    from_payment_status = models.CharField(_("原付款状态"), max_length=30, blank=True)
    to_payment_status = models.CharField(_("新付款状态"), max_length=30, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("订单记录")
        verbose_name_plural = _("订单记录")

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"

    @property
    def from_label(self) -> str:
        return _status_label(SupplierOrder.Status, self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(SupplierOrder.Status, self.to_status)

    @property
    def from_payment_label(self) -> str:
        return _status_label(SupplierOrder.PaymentStatus, self.from_payment_status)

    @property
    def to_payment_label(self) -> str:
        return _status_label(SupplierOrder.PaymentStatus, self.to_payment_status)


class Shipment(models.Model):
    """发货: one parcel of a supplier order, from one warehouse."""

    order = models.ForeignKey(SupplierOrder, on_delete=models.CASCADE, related_name="shipments")
    warehouse = models.ForeignKey(
        "inventory.Warehouse", on_delete=models.PROTECT, related_name="+", verbose_name=_("发货仓库")
    )
    carrier = models.CharField(_("承运商"), max_length=50, blank=True)
    tracking_number = models.CharField(_("运单号"), max_length=50, blank=True)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发货人"),
    )
    created_at = models.DateTimeField(_("发货时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("发货单")
        verbose_name_plural = _("发货单")

    def __str__(self) -> str:
        return f"{self.order_id}/{self.pk}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="shipment_lines")
    quantity = models.PositiveIntegerField(_("数量"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("发货明细")
        verbose_name_plural = _("发货明细")
        constraints = [
            models.UniqueConstraint(fields=["shipment", "line"], name="shipment_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="shipment_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} × {self.quantity}"


class ReturnRequest(models.Model):
    """退货申请 for one order line, within the return window after delivery."""

    class Reason(models.TextChoices):
        DOESNT_FIT = "doesnt_fit", _("不适配")
        DAMAGED = "damaged", _("破损")
        WRONG_ITEM = "wrong_item", _("发错货")
        QUALITY = "quality", _("质量问题")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审核")
        APPROVED = "approved", _("已同意")
        REJECTED = "rejected", _("已拒绝")
        DISPUTED = "disputed", _("平台介入")
        SHIPPED_BACK = "shipped_back", _("已寄回")
        RECEIVED = "received", _("已收货")
        CANCELLED = "cancelled", _("已撤销")

    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="return_requests")
    quantity = models.PositiveIntegerField(_("退货数量"))
    reason = models.CharField(_("退货原因"), max_length=20, choices=Reason.choices)
    description = models.TextField(_("问题描述"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    # The fitment row the buyer relied on, so "doesn't fit" returns count against it.
    fitment = models.ForeignKey(
        Fitment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="return_requests",
        verbose_name=_("适配记录"),
    )
    vehicle_type = models.ForeignKey(
        VehicleType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("车型"),
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("退回仓库"),
    )
    # How the buyer sends the part back (free text until the logistics capability).
    carrier = models.CharField(_("退回承运商"), max_length=50, blank=True)
    tracking_number = models.CharField(_("退回运单号"), max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("退货申请")
        verbose_name_plural = _("退货申请")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="return_quantity_positive"),
        ]
        indexes = [models.Index(fields=["reason", "status"])]

    def __str__(self) -> str:
        return f"{self.line_id} × {self.quantity}"


class ReturnPhoto(models.Model):
    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="returns/%Y/%m/")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("退货照片")
        verbose_name_plural = _("退货照片")

    def __str__(self) -> str:
        return self.image.name


class ReturnEvent(models.Model):
    """One status change of a return request: who, when, from, to, why."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    reason = models.TextField(_("原因"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("退货记录")
        verbose_name_plural = _("退货记录")

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"

    @property
    def from_label(self) -> str:
        return _status_label(ReturnRequest.Status, self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(ReturnRequest.Status, self.to_status)
