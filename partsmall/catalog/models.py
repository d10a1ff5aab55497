"""Catalogue: categories, brands, parts, OE numbers, interchange, fitment and offers.

Categories, brands, parts, OE numbers, interchange and fitment are shared platform data:
operators curate them; a supplier's import may add missing parts and fitment, and every
such row records its source (organization and import job) so operators can review it and
a "doesn't fit" return can be traced back to it. Offers belong to one supplier.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partsmall.organizations.models import Organization
from partsmall.vehicles.models import VehicleType


class ReviewStatus(models.TextChoices):
    APPROVED = "approved", _("已审核")
    PENDING = "pending", _("待审核")
    REJECTED = "rejected", _("已驳回")


class Grade(models.TextChoices):
    """Quality grade 品质."""

    GENUINE = "genuine", _("原厂件")
    BRAND = "brand", _("品牌件")
    AFTERMARKET = "aftermarket", _("副厂件")
    USED = "used", _("拆车件")


# Part.listed_grades: bit of each grade (genuine 1, brand 2, aftermarket 4, used 8).
GRADE_BITS: dict[str, int] = {grade: 1 << index for index, grade in enumerate(Grade.values)}


class Category(models.Model):
    """Part type in a tree (e.g. 滤清器 › 机油滤清器)."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    code = models.SlugField(_("编码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名"), max_length=80, blank=True)
    initials = models.CharField(_("拼音首字母"), max_length=20, blank=True, db_index=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("配件分类")
        verbose_name_plural = _("配件分类")

    def __str__(self) -> str:
        return self.name


class Brand(models.Model):
    """A parts brand: carmakers' genuine brands (丰田) and aftermarket brands (博世)."""

    name = models.CharField(_("品牌"), max_length=50)
    name_norm = models.CharField(_("规范名"), max_length=50, unique=True)
    name_en = models.CharField(_("英文名"), max_length=50, blank=True)
    is_oe = models.BooleanField(_("整车厂品牌"), default=False)
    source = models.CharField(_("来源"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("配件品牌")
        verbose_name_plural = _("配件品牌")

    def __str__(self) -> str:
        return self.name


class SourcedRow(models.Model):
    """Shared rows a supplier's import may add: who added them, from which import."""

    source = models.CharField(_("来源"), max_length=500, blank=True)
    source_organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_import = models.ForeignKey(
        "catalog.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_status = models.CharField(
        _("审核状态"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.APPROVED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        abstract = True


class Part(SourcedRow):
    """A part: brand + part number. Carries denormalised search tokens and an offer summary,
    both written by catalog services whenever the part or its offers change."""

    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="parts")
    number = models.CharField(_("零件号"), max_length=50)
    number_norm = models.CharField(_("规范零件号"), max_length=50, db_index=True)
    name = models.CharField(_("名称"), max_length=200)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="parts")
    attributes = models.JSONField(_("属性"), default=dict, blank=True)
    image = models.ImageField(_("图片"), upload_to="parts/%Y/%m/", blank=True)
    description = models.TextField(_("说明"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    # Search: space-separated tokens (jieba words, pinyin initials, normalised numbers).
    search_text = models.TextField(_("检索词"), blank=True)
    # Offer summary over listed offers.
    offer_count = models.PositiveIntegerField(_("报价数"), default=0)
    supplier_count = models.PositiveIntegerField(_("供应商数"), default=0)
    min_price = models.DecimalField(_("最低价"), max_digits=12, decimal_places=2, null=True, blank=True)
    fastest_lead_days = models.PositiveSmallIntegerField(_("最快交期(天)"), null=True, blank=True)
    in_stock = models.BooleanField(_("有货"), default=False)
    # The grades of the listed offers, one bit per grade (GRADE_BITS): search's grade facet
    # and filter read it instead of the offers.
    listed_grades = models.PositiveSmallIntegerField(_("在售品质"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("配件")
        verbose_name_plural = _("配件")
        constraints = [
            models.UniqueConstraint(fields=["brand", "number_norm"], name="part_unique_brand_number")
        ]
        indexes = [
            models.Index(fields=["category", "min_price"]),
            models.Index(fields=["category", "brand"]),
        ]

    def __str__(self) -> str:
        return f"{self.brand.name} {self.number} {self.name}"


class OeNumber(SourcedRow):
    """An OE number 原厂编号 of a part: stored as written and normalised for lookup."""

    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="oe_numbers")
    oe_brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="+", verbose_name=_("原厂品牌")
    )
    number = models.CharField(_("原厂编号"), max_length=50)
    number_norm = models.CharField(_("规范编号"), max_length=50, db_index=True)

    class Meta:
        ordering = ["number_norm"]
        verbose_name = _("原厂编号")
        verbose_name_plural = _("原厂编号")
        constraints = [models.UniqueConstraint(fields=["part", "number_norm"], name="oe_unique_per_part")]

    def __str__(self) -> str:
        return self.number


class PartLink(SourcedRow):
    """Interchange 互换 (either replaces the other) or supersession 替代 (new replaces old)."""

    class Kind(models.TextChoices):
        INTERCHANGE = "interchange", _("互换")
        SUPERSESSION = "supersession", _("替代")

    from_part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="links_out")
    to_part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("关系"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("互换替代关系")
        verbose_name_plural = _("互换替代关系")
        constraints = [
            models.UniqueConstraint(fields=["from_part", "to_part", "kind"], name="part_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(from_part=models.F("to_part")), name="part_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_part_id} {self.kind} {self.to_part_id}"


class Position(models.TextChoices):
    ANY = "", _("不限")
    FRONT = "front", _("前")
    REAR = "rear", _("后")
    LEFT = "left", _("左")
    RIGHT = "right", _("右")
    FRONT_LEFT = "front_left", _("左前")
    FRONT_RIGHT = "front_right", _("右前")
    REAR_LEFT = "rear_left", _("左后")
    REAR_RIGHT = "rear_right", _("右后")


class Fitment(SourcedRow):
    """适配: a part fits a vehicle type, at a position, in a quantity, with qualifiers."""

    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="fitments")
    vehicle_type = models.ForeignKey(VehicleType, on_delete=models.CASCADE, related_name="fitments")
    position = models.CharField(_("位置"), max_length=20, choices=Position.choices, blank=True)
    quantity = models.PositiveSmallIntegerField(_("用量"), default=1)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("适配车型")
        verbose_name_plural = _("适配车型")
        constraints = [
            models.UniqueConstraint(fields=["part", "vehicle_type", "position"], name="fitment_unique")
        ]
        indexes = [models.Index(fields=["vehicle_type", "part"])]

    def __str__(self) -> str:
        return f"{self.part_id} ↔ {self.vehicle_type_id}"


class Offer(models.Model):
    """A supplier's listing of a part in one quality grade."""

    supplier = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="offers")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="offers")
    grade = models.CharField(_("品质"), max_length=20, choices=Grade.choices)
    sku = models.CharField(_("商家编码"), max_length=64)
    price = models.DecimalField(_("单价(含税)"), max_digits=12, decimal_places=2)
    min_order_quantity = models.PositiveIntegerField(_("起订量"), default=1)
    order_multiple = models.PositiveIntegerField(_("订购倍数"), default=1)
    lead_time_days = models.PositiveSmallIntegerField(_("交期(天)"), default=1)
    warranty_months = models.PositiveSmallIntegerField(_("质保(月)"), default=0)
    # The available quantity (Σ on_hand − reserved over the supplier's active warehouses, for
    # this part and grade), kept in step by the inventory services; never written here.
    stock_quantity = models.PositiveIntegerField(_("可售库存"), default=0)
    # Sold made to order 按单生产: no stock is reserved, the lead time is what the buyer waits.
    # (db_default too: bulk loaders that write the table directly need not know the column.)
    made_to_order = models.BooleanField(_("按单生产"), default=False, db_default=False)
    is_listed = models.BooleanField(_("上架"), default=True, db_index=True)
    source_import = models.ForeignKey(
        "catalog.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["price", "id"]
        verbose_name = _("报价")
        verbose_name_plural = _("报价")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "part", "grade"], name="offer_unique_part_grade"),
            models.UniqueConstraint(fields=["supplier", "sku"], name="offer_unique_sku"),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="offer_price_positive"),
            models.CheckConstraint(condition=models.Q(min_order_quantity__gte=1), name="offer_moq_positive"),
            models.CheckConstraint(condition=models.Q(order_multiple__gte=1), name="offer_multiple_positive"),
        ]
        indexes = [models.Index(fields=["part", "is_listed", "price"])]

    def __str__(self) -> str:
        return f"{self.supplier_id}:{self.sku}"


class ImportJob(models.Model):
    """One Excel upload: staged and validated (preview), then applied in short transactions
    by a background job, with progress; failing rows come back in an Excel report."""

    class Kind(models.TextChoices):
        PARTS = "parts", _("配件与原厂编号")
        FITMENT = "fitment", _("适配车型")
        OFFERS = "offers", _("报价单")
        VEHICLE_TYPES = "vehicle_types", _("车型库")
        VIN_PATTERNS = "vin_patterns", _("VIN 规则")
        # Applied by inventory (settings.CATALOG_IMPORT_KINDS), served by its pages.
        STOCK = "stock", _("库存表")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("已上传")
        VALIDATING = "validating", _("校验中")
        VALIDATED = "validated", _("待确认")
        APPLYING = "applying", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        CANCELLED = "cancelled", _("已取消")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("文件名"), max_length=200)
    report = models.FileField(_("错误报告"), upload_to="imports/reports/%Y/%m/", blank=True)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理"), default=0)
    valid_rows = models.PositiveIntegerField(_("有效行"), default=0)
    error_rows = models.PositiveIntegerField(_("错误行"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变"), default=0)
    fatal_error = models.TextField(_("致命错误"), blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # Last sign of progress: beat re-queues a job whose background work went quiet.
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ImportRow(models.Model):
    """A staged row of an import: its normalised values, or its errors."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("行号"))
    key = models.CharField(_("键"), max_length=255, blank=True)
    data = models.JSONField(_("数据"), default=dict)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    applied = models.BooleanField(_("已导入"), default=False)

    class Meta:
        ordering = ["job", "row_number"]
        verbose_name = _("导入行")
        verbose_name_plural = _("导入行")
        indexes = [models.Index(fields=["job", "applied", "row_number"])]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number}"
