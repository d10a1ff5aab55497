"""Forms of the operator console. They only carry input: the services check it and their
field errors are shown under the fields (organizations.forms.show_errors)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partsmall.organizations.forms import StyledForm
from partsmall.vehicles.models import Fuel, VehicleType, VinPattern


def _text(label: Any, *, max_length: int, help_text: Any = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


class VehicleTypeForm(StyledForm):
    required_marks = frozenset({"make_name", "model_name"})

    make_name = _text(
        _("品牌"),
        max_length=50,
        help_text=_("如 大众；没有的品牌会新建。"),
        list="make-options",
        autocomplete="off",
    )
    model_name = _text(
        _("车系"), max_length=80, help_text=_("如 朗逸；没有的车系会新建。"), autocomplete="off"
    )
    manufacturer = _text(_("厂商"), max_length=80, help_text=_("如 上汽大众（合资厂商）。"))
    generation = _text(_("代别"), max_length=100, help_text=_("如 第三代 (MQB)。"))
    body = _text(_("车身"), max_length=50, help_text=_("如 三厢、两厢、SUV。"))
    engine_code = _text(_("发动机型号"), max_length=50, help_text=_("如 EA211、2ZR-FE。"))
    displacement_l = _text(
        _("排量(L)"), max_length=5, help_text=_("单位 L，如 1.6；纯电动留空。"), inputmode="decimal"
    )
    fuel = forms.ChoiceField(label=_("燃料"), required=False, choices=[("", _("请选择")), *Fuel.choices])
    transmission = _text(_("变速箱"), max_length=100, help_text=_("如 6AT、7DSG、CVT。"))
    year_from = _text(
        _("起始年份"),
        max_length=4,
        help_text=_("来源未注明则留空。"),
        inputmode="numeric",
        placeholder="2015",
    )
    year_to = _text(_("终止年份"), max_length=4, help_text=_("仍在生产则留空。"), inputmode="numeric")
    source = _text(_("来源"), max_length=500, help_text=_("数据出处，如网址或资料名称。"))

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}

    @classmethod
    def initial_from(cls, vehicle_type: VehicleType) -> dict[str, Any]:
        model = vehicle_type.model
        return {
            "make_name": model.make.name,
            "model_name": model.name,
            "manufacturer": model.manufacturer,
            "generation": vehicle_type.generation,
            "body": vehicle_type.body,
            "engine_code": vehicle_type.engine_code,
            "displacement_l": vehicle_type.displacement_l or "",
            "fuel": vehicle_type.fuel,
            "transmission": vehicle_type.transmission,
            "year_from": vehicle_type.year_from or "",
            "year_to": vehicle_type.year_to or "",
            "source": vehicle_type.source,
        }


class VinPatternForm(StyledForm):
    required_marks = frozenset({"wmi", "vds_prefix", "vehicle_types"})

    wmi = _text(
        _("WMI"), max_length=3, help_text=_("VIN 前 3 位，如 LSV。"), autocomplete="off", style="width: 8rem"
    )
    vds_prefix = _text(
        _("VDS 前缀"),
        max_length=5,
        help_text=_("VIN 第 4–8 位的开头部分（0–5 位）；前缀越长越具体，识别时取最长匹配。"),
        autocomplete="off",
        style="width: 10rem",
    )
    vehicle_types = forms.CharField(label=_("车型"), required=False)
    vehicle_type_ids = _text(
        _("车型 ID"), max_length=2000, help_text=_("也可直接填写车型 ID，用逗号分隔。"), placeholder="12, 15"
    )
    note = _text(_("备注"), max_length=200)
    source = _text(_("来源"), max_length=500)

    @classmethod
    def initial_from(cls, pattern: VinPattern) -> dict[str, Any]:
        return {
            "wmi": pattern.wmi,
            "vds_prefix": pattern.vds_prefix,
            "note": pattern.note,
            "source": pattern.source,
        }
