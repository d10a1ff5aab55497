"""Forms of the catalogue pages. They carry input only: the services check it and their
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


def _whole(label: Any, *, help_text: Any = "", initial: int | None = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        initial=initial,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )


class OfferTermsForm(StyledForm):
    """The terms of an offer (the part is fixed once the offer exists)."""

    required_marks = frozenset({"grade", "sku", "price", "min_order_quantity", "order_multiple"})

    grade = forms.ChoiceField(label=_("品质"), required=False, choices=[("", _("请选择")), *Grade.choices])
    sku = _text(_("商家编码"), max_length=100, help_text=_("贵司自己的商品编码（SKU），在贵司的报价中唯一。"))
    price = _text(
        _("单价(含税)"),
        max_length=30,
        help_text=_("单位：元，最多两位小数。"),
        inputmode="decimal",
        placeholder="0.00",
    )
    min_order_quantity = _whole(_("起订量"), initial=1)
    order_multiple = _whole(_("订购倍数"), help_text=_("买家须按此数量的整数倍订购。"), initial=1)
    lead_time_days = _whole(_("交期(天)"), help_text=_("下单后几天内发货，现货填 0 或 1。"), initial=1)
    warranty_months = _whole(_("质保(月)"), initial=0)
    made_to_order = forms.BooleanField(
        label=_("按单生产"),
        required=False,
        help_text=_("不占用库存，买家按交期等待；库存在「库存」中管理。"),
    )
    is_listed = forms.BooleanField(label=_("立即上架"), required=False, initial=True)

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "grade": data.get("grade") or "",
            "sku": data.get("sku") or "",
            "price": data.get("price") or "",
            "min_order_quantity": data.get("min_order_quantity"),
            "order_multiple": data.get("order_multiple"),
            "lead_time_days": data.get("lead_time_days"),
            "warranty_months": data.get("warranty_months"),
            "made_to_order": bool(data.get("made_to_order")),
            "is_listed": bool(data.get("is_listed")),
        }


class OfferCreateForm(OfferTermsForm):
    """A new offer: the part by brand + part number; a missing part may be added (it then
    waits for the platform's review)."""

    required_marks = OfferTermsForm.required_marks | {"brand", "number"}
    field_order = ["brand", "number", "part_name", "category"]

    brand = forms.TypedChoiceField(label=_("品牌"), required=False, coerce=int, empty_value=None)
    number = _text(
        _("零件号"),
        max_length=50,
        help_text=_("按品牌和零件号匹配平台上的配件，大小写、空格和横线不限。"),
        autocomplete="off",
    )
    part_name = _text(
        _("配件名称"), max_length=200, help_text=_("仅在平台上还没有这个配件时填写，新配件需平台审核。")
    )
    category = forms.TypedChoiceField(label=_("分类"), required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, brands: list[tuple[int, str]], categories: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        brand_field = self.fields["brand"]
        assert isinstance(brand_field, forms.ChoiceField)
        brand_field.choices = [("", _("请选择品牌")), *brands]
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = [("", _("请选择分类")), *categories]


class CategoryForm(StyledForm):
    required_marks = frozenset({"name"})

    name = _text(_("名称"), max_length=100)
    parent = forms.TypedChoiceField(label=_("上级分类"), required=False, coerce=int, empty_value=None)
    code = _text(
        _("编码"),
        max_length=100,
        help_text=_("小写字母、数字和连字符；留空时按名称的拼音生成。"),
        autocomplete="off",
    )
    name_en = _text(_("英文名"), max_length=80)
    sort = forms.IntegerField(label=_("排序"), required=False, initial=0, help_text=_("数字小的排在前面。"))

    def __init__(self, *args: Any, parents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ChoiceField)
        parent_field.choices = [("", _("（顶级分类）")), *parents]


class BrandForm(StyledForm):
    required_marks = frozenset({"name"})

    name = _text(_("品牌"), max_length=100, help_text=_("中文名或通用写法，如 博世、ACDelco。"))
    name_en = _text(_("英文名"), max_length=50)
    is_oe = forms.BooleanField(label=_("整车厂品牌（原厂件）"), required=False)


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("驳回原因"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("会通知提交数据的配件厂商。"),
    )
