"""Inventory 库存: warehouses, stock levels, the append-only movement ledger, reservations.

`StockLevel(warehouse, part, grade)` changes only through `inventory.services`; every
change writes a `StockMovement` citing what caused it (`ref_type`, `ref_id`, `ref_label`,
passed in by the caller: higher apps hold the real foreign keys). Invariants, checked by
the database where it can and by `manage.py check_invariants` for the rest:
`0 <= reserved <= on_hand`, `on_hand == Σ on_hand_delta`, `reserved == Σ reserved_delta`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partsmall.catalog.models import Grade, Part
from partsmall.organizations.models import Organization, Region


class Warehouse(models.Model):
    """A warehouse 仓库 of an organization: suppliers sell from theirs, repair shops keep the
    parts they bought in theirs."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="warehouses")
    name = models.CharField(_("仓库名称"), max_length=100)
    # The warehouse column of stock sheets.
    code = models.CharField(_("仓库编码"), max_length=32)
    province = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("省"))
    city = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("市")
    )
    district = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("区县")
    )
    address_detail = models.CharField(_("详细地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["organization", "code"]
        verbose_name = _("仓库")
        verbose_name_plural = _("仓库")
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="warehouse_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def address(self) -> str:
        parts = [r.name for r in (self.province, self.city, self.district) if r]
        if self.city and self.province and self.city.name == self.province.name:
            parts = [self.province.name] + ([self.district.name] if self.district else [])
        return "".join(parts) + (f" {self.address_detail}" if self.address_detail else "")


class StockLevel(models.Model):
    """What a warehouse holds of one part in one quality grade: on hand, and how much of it
    is reserved for orders not yet shipped."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stock_levels")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="stock_levels")
    grade = models.CharField(_("品质"), max_length=20, choices=Grade.choices)
    on_hand = models.IntegerField(_("在库"), default=0)
    reserved = models.IntegerField(_("已预留"), default=0)
    # The low-stock list shows the level when on_hand − reserved is at or below this
    # (empty: settings.INVENTORY_LOW_STOCK_DEFAULT).
    low_stock_threshold = models.PositiveIntegerField(_("低库存预警值"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["warehouse", "part", "grade"]
        verbose_name = _("库存")
        verbose_name_plural = _("库存")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "part", "grade"], name="stock_level_unique"),
            models.CheckConstraint(condition=models.Q(reserved__gte=0), name="stock_reserved_not_negative"),
            models.CheckConstraint(
                condition=models.Q(reserved__lte=models.F("on_hand")), name="stock_reserved_within_on_hand"
            ),
        ]
        indexes = [models.Index(fields=["part", "grade"])]

    def __str__(self) -> str:
        return f"{self.warehouse_id}:{self.part_id}:{self.grade}"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("入库")
    RESERVATION = "reservation", _("预留")
    RELEASE = "release", _("释放")
    SHIPMENT = "shipment", _("发货")
    ADJUSTMENT = "adjustment", _("调整")
    RETURN = "return", _("退货入库")
    STOCKTAKE = "stocktake", _("盘点")


class StockMovementQuerySet(models.QuerySet["StockMovement"]):
    """The ledger is append-only: rows are inserted, never changed or removed."""

    def update(self, **kwargs: object) -> int:
        raise TypeError("stock movements are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("stock movements are append-only")


class StockMovement(models.Model):
    """One change of a stock level 库存流水: the deltas, the balance after it, and its cause."""

    stock_level = models.ForeignKey(StockLevel, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("类型"), max_length=20, choices=MovementKind.choices)
    on_hand_delta = models.IntegerField(_("在库变动"), default=0)
    reserved_delta = models.IntegerField(_("预留变动"), default=0)
    on_hand_after = models.IntegerField(_("变动后在库"))
    reserved_after = models.IntegerField(_("变动后预留"))
    ref_type = models.CharField(_("关联类型"), max_length=32, blank=True)
    ref_id = models.BigIntegerField(_("关联 ID"), null=True, blank=True)
    ref_label = models.CharField(_("关联单号"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = StockMovementQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("库存流水")
        verbose_name_plural = _("库存流水")
        indexes = [
            models.Index(fields=["stock_level", "id"]),
            models.Index(fields=["ref_type", "ref_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.on_hand_delta:+d}/{self.reserved_delta:+d} @{self.stock_level_id}"


class StockReservation(models.Model):
    """What one reference (an order line) holds in one stock level: reserved, then shipped
    or released. Held = quantity − shipped − released."""

    stock_level = models.ForeignKey(StockLevel, on_delete=models.PROTECT, related_name="reservations")
    ref_type = models.CharField(_("关联类型"), max_length=32)
    ref_id = models.BigIntegerField(_("关联 ID"))
    quantity = models.PositiveIntegerField(_("预留数量"))
    shipped = models.PositiveIntegerField(_("已发货"), default=0)
    released = models.PositiveIntegerField(_("已释放"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("库存预留")
        verbose_name_plural = _("库存预留")
        constraints = [
            models.UniqueConstraint(fields=["ref_type", "ref_id", "stock_level"], name="reservation_unique"),
            models.CheckConstraint(
                condition=models.Q(shipped__lte=models.F("quantity") - models.F("released")),
                name="reservation_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref_type}#{self.ref_id} {self.held}@{self.stock_level_id}"

    @property
    def held(self) -> int:
        return self.quantity - self.shipped - self.released


class Stocktake(models.Model):
    """A count 盘点 of a warehouse: the counted levels got stocktake movements citing it."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stocktakes")
    note = models.CharField(_("备注"), max_length=200, blank=True)
    counted = models.PositiveIntegerField(_("盘点行数"), default=0)
    changed = models.PositiveIntegerField(_("差异行数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("盘点时间"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("盘点")
        verbose_name_plural = _("盘点")

    def __str__(self) -> str:
        return f"盘点 #{self.pk}"
