"""Forms of the inventory pages. They carry input only: the services check it and their
field errors are shown under the fields (organizations.forms.show_errors)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partsmall.catalog.models import Grade
from partsmall.organizations.forms import StyledForm


def _text(label: Any, *, max_length: int, help_text: Any = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def _whole(label: Any, *, help_text: Any = "", minimum: int | None = None) -> forms.IntegerField:
    attrs: dict[str, str] = {"inputmode": "numeric"}
    if minimum is not None:
        attrs["min"] = str(minimum)
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.NumberInput(attrs=attrs),
        error_messages={"invalid": _("请填写整数。")},
    )


class WarehouseForm(StyledForm):
    """A warehouse: name, code, address (province / city / district pickers)."""

    required_marks = frozenset({"name", "code", "province"})

    name = _text(_("仓库名称"), max_length=100, placeholder=_("如 广州白云仓"))
    code = _text(
        _("仓库编码"),
        max_length=32,
        help_text=_("字母、数字、横线，如 GZ01；库存表用它指明仓库。"),
        autocomplete="off",
    )
    province = forms.CharField(label=_("省"), required=False)
    city = forms.CharField(label=_("市"), required=False)
    district = forms.CharField(label=_("区县"), required=False)
    address_detail = _text(_("详细地址"), max_length=200, placeholder=_("街道、门牌号"))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs = {name: data.get(name) or "" for name in ("name", "code", "province", "city", "district")}
        kwargs["address_detail"] = data.get("address_detail") or ""
        kwargs["is_active"] = bool(data.get("is_active"))
        return kwargs


class AdjustForm(StyledForm):
    required_marks = frozenset({"delta", "reason"})

    delta = _whole(_("调整数量"), help_text=_("正数为增加（如盘盈、找回），负数为减少（如损坏、丢失）。"))
    reason = _text(_("调整原因"), max_length=200, placeholder=_("如 包装破损报废"))


class ThresholdForm(StyledForm):
    threshold = _whole(
        _("低库存预警值"), help_text=_("可售数量不高于此值时列入低库存；空着用默认值。"), minimum=0
    )


class ReceiveForm(StyledForm):
    """Goods in by hand: the part by brand + part number, its grade, the quantity."""

    required_marks = frozenset({"warehouse", "brand", "number", "grade", "quantity"})

    warehouse = forms.TypedChoiceField(label=_("入库仓库"), required=False, coerce=int, empty_value=None)
    brand = forms.TypedChoiceField(label=_("品牌"), required=False, coerce=int, empty_value=None)
    number = _text(_("零件号"), max_length=50, autocomplete="off")
    grade = forms.ChoiceField(label=_("品质"), required=False, choices=[("", _("请选择")), *Grade.choices])
    quantity = _whole(_("入库数量"), minimum=1)
    note = _text(_("备注"), max_length=200, placeholder=_("如 采购单号、供货商"))

    def __init__(
        self, *args: Any, warehouses: list[tuple[int, str]], brands: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        warehouse_field = self.fields["warehouse"]
        assert isinstance(warehouse_field, forms.ChoiceField)
        warehouse_field.choices = [("", _("请选择仓库")), *warehouses]
        brand_field = self.fields["brand"]
        assert isinstance(brand_field, forms.ChoiceField)
        brand_field.choices = [("", _("请选择品牌")), *brands]
