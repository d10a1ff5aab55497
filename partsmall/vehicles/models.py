"""Vehicles: make 品牌 → model 车系 → vehicle type 车型, and what a VIN says about them.

A vehicle type is the unit that parts fit (like TecDoc's vehicle type, or ACES's base
vehicle + engine). Shared platform data: operators curate it, imports record their source.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partsmall.organizations.models import Organization


class Fuel(models.TextChoices):
    PETROL = "petrol", _("汽油")
    DIESEL = "diesel", _("柴油")
    HYBRID = "hybrid", _("油电混合")
    PHEV = "phev", _("插电混动")
    EV = "ev", _("纯电动")
    OTHER = "other", _("其他")


class Make(models.Model):
    """品牌 (e.g. 大众 Volkswagen)."""

    name = models.CharField(_("品牌"), max_length=50, unique=True)
    name_en = models.CharField(_("英文名"), max_length=50, blank=True)
    initials = models.CharField(_("拼音首字母"), max_length=20, blank=True, db_index=True)
    source = models.CharField(_("来源"), max_length=500, blank=True)

    class Meta:
        ordering = ["initials", "name"]
        verbose_name = _("品牌")
        verbose_name_plural = _("品牌")

    def __str__(self) -> str:
        return self.name


class VehicleModel(models.Model):
    """车系 (e.g. 朗逸), built by a manufacturer (e.g. 上汽大众)."""

    make = models.ForeignKey(Make, on_delete=models.PROTECT, related_name="models")
    name = models.CharField(_("车系"), max_length=80)
    name_en = models.CharField(_("英文名"), max_length=80, blank=True)
    manufacturer = models.CharField(_("厂商"), max_length=80, blank=True)
    source = models.CharField(_("来源"), max_length=500, blank=True)

    class Meta:
        ordering = ["make", "name"]
        verbose_name = _("车系")
        verbose_name_plural = _("车系")
        constraints = [models.UniqueConstraint(fields=["make", "name"], name="vehicle_model_unique_name")]

    def __str__(self) -> str:
        return f"{self.make.name} {self.name}"


class VehicleType(models.Model):
    """车型: one generation + engine + gearbox of a model, with its production years."""

    model = models.ForeignKey(VehicleModel, on_delete=models.PROTECT, related_name="types")
    # A stable key for imports: make|model|generation|engine|displacement|fuel|transmission|years
    key = models.CharField(_("车型键"), max_length=255, unique=True)
    generation = models.CharField(_("代别"), max_length=100, blank=True)
    body = models.CharField(_("车身"), max_length=50, blank=True)
    engine_code = models.CharField(_("发动机型号"), max_length=50, blank=True)
    displacement_l = models.DecimalField(_("排量(L)"), max_digits=3, decimal_places=1, null=True, blank=True)
    fuel = models.CharField(_("燃料"), max_length=10, choices=Fuel.choices, blank=True)
    transmission = models.CharField(_("变速箱"), max_length=100, blank=True)
    # Empty when the source does not state it (never guessed).
    year_from = models.PositiveSmallIntegerField(_("起始年份"), null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(_("终止年份"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=500, blank=True)
    source_organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        # Unknown start years first, on every database (PostgreSQL would put NULL last).
        ordering = ["model", models.F("year_from").asc(nulls_first=True), "id"]
        verbose_name = _("车型")
        verbose_name_plural = _("车型")
        indexes = [models.Index(fields=["model", "year_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_from__isnull=True)
                | models.Q(year_to__isnull=True)
                | models.Q(year_to__gte=models.F("year_from")),
                name="vehicle_type_years_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def years(self) -> str:
        """2008–2012, 2008– (no end year), –2018 (start not stated) or – (neither stated)."""
        return f"{self.year_from or ''}–{self.year_to or ''}"

    @property
    def label(self) -> str:
        parts = [str(self.model)]
        if self.displacement_l:
            parts.append(f"{self.displacement_l}L")
        if self.engine_code:
            parts.append(self.engine_code)
        if self.transmission:
            parts.append(self.transmission)
        if self.year_from or self.year_to:  # no years stated: none shown
            parts.append(self.years)
        if self.generation:
            parts.append(self.generation)
        return " ".join(parts)

    def covers_year(self, year: int) -> bool:
        """Built in that year, as far as we know: an unknown bound is open."""
        return (self.year_from is None or self.year_from <= year) and (
            self.year_to is None or year <= self.year_to
        )


class Wmi(models.Model):
    """World Manufacturer Identifier (VIN positions 1–3)."""

    code = models.CharField(_("WMI"), max_length=3, primary_key=True)
    manufacturer = models.CharField(_("制造商"), max_length=100)
    make = models.ForeignKey(Make, on_delete=models.SET_NULL, null=True, blank=True, related_name="wmis")
    # The make as the source names it (e.g. "Volkswagen"), kept until `make` is linked.
    make_name = models.CharField(_("品牌（来源写法）"), max_length=50, blank=True)
    country = models.CharField(_("国家"), max_length=50, blank=True)
    source = models.CharField(_("来源"), max_length=500, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("WMI 制造商代码")
        verbose_name_plural = _("WMI 制造商代码")

    def __str__(self) -> str:
        return f"{self.code} {self.manufacturer}"


class VinPattern(models.Model):
    """The platform's VIN pattern: WMI + a prefix of the VDS (positions 4–8) → vehicle types.

    The longest matching prefix wins; its vehicle types are narrowed by the model year.
    """

    wmi = models.CharField(_("WMI"), max_length=3)
    vds_prefix = models.CharField(_("VDS 前缀"), max_length=5, blank=True)
    vehicle_types = models.ManyToManyField(VehicleType, related_name="vin_patterns", verbose_name=_("车型"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["wmi", "vds_prefix"]
        verbose_name = _("VIN 规则")
        verbose_name_plural = _("VIN 规则")
        constraints = [
            models.UniqueConstraint(fields=["wmi", "vds_prefix"], name="vin_pattern_unique_prefix")
        ]

    def __str__(self) -> str:
        return f"{self.wmi}{self.vds_prefix}*"


class VinChoice(models.Model):
    """Which vehicle type a buying organization picked for an ambiguous VIN (remembered)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="vin_choices")
    vin = models.CharField(_("VIN"), max_length=17)
    vehicle_type = models.ForeignKey(VehicleType, on_delete=models.CASCADE, related_name="+")
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField(_("选择时间"), auto_now=True)

    class Meta:
        verbose_name = _("VIN 车型选择")
        verbose_name_plural = _("VIN 车型选择")
        constraints = [models.UniqueConstraint(fields=["organization", "vin"], name="vin_choice_unique")]

    def __str__(self) -> str:
        return f"{self.vin} → {self.vehicle_type_id}"
