"""Prices per customer: a supplier's customer groups 客户组 and contract price lists 大客户协议价.

Every row belongs to one supplier (through its group or list). The standard price stays
on the offer (catalog.Offer.price); which price a buyer pays is decided in one place,
`partsmall.pricing.resolver`.
"""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from partsmall.catalog.models import Offer
from partsmall.organizations.models import Organization


class PriceSource(models.TextChoices):
    """Where an order line's unit price came from (snapshotted by orders)."""

    CONTRACT = "contract", _("协议价")
    GROUP = "group", _("客户组价")
    STANDARD = "standard", _("标准价")
    QUOTE = "quote", _("询价报价")


class CustomerGroup(models.Model):
    """客户组: the buyers a supplier prices alike, named one by one or everyone of a platform
    tier (Organization.Tier). It gives a percentage off the standard price on all the
    supplier's offers, and/or a fixed price per offer (GroupPrice, which wins over the
    percentage for its offer)."""

    class Basis(models.TextChoices):
        MEMBERS = "members", _("指定客户")
        TIER = "tier", _("平台等级")

    supplier = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="customer_groups")
    name = models.CharField(_("客户组名称"), max_length=50)
    basis = models.CharField(_("客户范围"), max_length=10, choices=Basis.choices, default=Basis.MEMBERS)
    tier = models.CharField(_("平台等级"), max_length=20, choices=Organization.Tier.choices, blank=True)
    discount_percent = models.DecimalField(
        _("优惠百分比"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("客户组")
        verbose_name_plural = _("客户组")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "name"], name="customer_group_unique_name"),
            models.CheckConstraint(
                condition=(Q(basis="tier") & ~Q(tier="")) | (Q(basis="members") & Q(tier="")),
                name="customer_group_tier_only_for_tier_basis",
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__isnull=True)
                | (Q(discount_percent__gt=0) & Q(discount_percent__lt=100)),
                name="customer_group_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_by_tier(self) -> bool:
        return self.basis == self.Basis.TIER


class CustomerGroupMember(models.Model):
    """A named buyer (汽修门店) of a customer group."""

    group = models.ForeignKey(CustomerGroup, on_delete=models.CASCADE, related_name="members")
    buyer = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("客户")
    )
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("客户组成员")
        verbose_name_plural = _("客户组成员")
        constraints = [
            models.UniqueConstraint(fields=["group", "buyer"], name="customer_group_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.buyer_id}"


class GroupPrice(models.Model):
    """A customer group's fixed unit price (tax included) for one of the supplier's offers."""

    group = models.ForeignKey(CustomerGroup, on_delete=models.CASCADE, related_name="prices")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+", verbose_name=_("报价"))
    price = models.DecimalField(_("客户组价(含税)"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("客户组价")
        verbose_name_plural = _("客户组价")
        constraints = [
            models.UniqueConstraint(fields=["group", "offer"], name="group_price_unique_offer"),
            models.CheckConstraint(condition=Q(price__gt=0), name="group_price_positive"),
        ]
        indexes = [models.Index(fields=["offer", "group"])]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.offer_id} {self.price}"


class ContractPriceList(models.Model):
    """大客户协议价: a supplier's price list for one named buyer, valid from one day to another
    (both included; no end day means open-ended), with quantity breaks per offer."""

    supplier = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="contract_price_lists")
    buyer = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("客户")
    )
    name = models.CharField(_("协议名称"), max_length=100)
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("截止日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("协议价目表")
        verbose_name_plural = _("协议价目表")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="contract_list_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["buyer", "supplier", "valid_from"])]

    def __str__(self) -> str:
        return self.name

    def status_on(self, day: date) -> str:
        """valid / upcoming / expired / inactive on the day (ListStatus values)."""
        if not self.is_active:
            return ListStatus.INACTIVE
        if self.valid_from > day:
            return ListStatus.UPCOMING
        if self.valid_until is not None and self.valid_until < day:
            return ListStatus.EXPIRED
        return ListStatus.VALID


class ListStatus(models.TextChoices):
    """A contract list's state on a day (computed, not stored)."""

    VALID = "valid", _("生效中")
    UPCOMING = "upcoming", _("未生效")
    EXPIRED = "expired", _("已过期")
    INACTIVE = "inactive", _("已停用")


class ContractPrice(models.Model):
    """One quantity break of a contract list: from `min_quantity` units of the offer on, the
    unit price (tax included) is `price`."""

    price_list = models.ForeignKey(ContractPriceList, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+", verbose_name=_("报价"))
    min_quantity = models.PositiveIntegerField(_("起始数量"), default=1)
    price = models.DecimalField(_("协议价(含税)"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["offer_id", "min_quantity", "id"]
        verbose_name = _("协议价")
        verbose_name_plural = _("协议价")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "offer", "min_quantity"], name="contract_price_unique_break"
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="contract_price_positive"),
            models.CheckConstraint(condition=Q(min_quantity__gte=1), name="contract_price_break_positive"),
        ]
        indexes = [models.Index(fields=["offer", "price_list"])]

    def __str__(self) -> str:
        return f"{self.price_list_id}:{self.offer_id} ≥{self.min_quantity} {self.price}"
