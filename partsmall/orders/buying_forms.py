"""Forms of the buying pages. They only carry input: the services check it and their
field errors are shown under the fields (`show_errors`)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partsmall.orders.models import Address
from partsmall.organizations.forms import StyledForm


def _text(label: Any, *, max_length: int, help_text: Any = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


class AddressForm(StyledForm):
    required_marks = frozenset({"province", "contact_name", "contact_phone", "detail"})

    label = _text(_("地址名称"), max_length=30, help_text=_("选填，如：门店、二号仓库。"))
    contact_name = _text(_("收货人"), max_length=50)
    contact_phone = _text(_("联系电话"), max_length=20, help_text=_("11 位中国大陆手机号。"), inputmode="tel")
    province = forms.CharField(label=_("省"), required=False)
    city = forms.CharField(label=_("市"), required=False)
    district = forms.CharField(label=_("区县"), required=False)
    detail = _text(_("详细地址"), max_length=200, placeholder=_("街道、门牌号"))
    is_default = forms.BooleanField(label=_("设为默认地址"), required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs = {name: data.get(name) or "" for name in self.fields if name != "is_default"}
        kwargs["is_default"] = bool(data.get("is_default"))
        return kwargs

    @staticmethod
    def initial_from(address: Address) -> dict[str, Any]:
        return {
            "label": address.label,
            "contact_name": address.contact_name,
            "contact_phone": address.contact_phone,
            "province": address.province_id,
            "city": address.city_id or "",
            "district": address.district_id or "",
            "detail": address.detail,
            "is_default": address.is_default,
        }


class ApprovalRuleForm(StyledForm):
    threshold = forms.CharField(
        label=_("需审批金额"),
        required=False,
        max_length=20,
        help_text=_("一次结算的商品总额超过此金额时，须所有者或管理员审批；留空表示不需要审批。"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "5000.00"}),
    )


class ReasonForm(StyledForm):
    required_marks = frozenset({"reason"})

    reason = forms.CharField(
        label=_("驳回原因"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ListNameForm(StyledForm):
    required_marks = frozenset({"name"})

    name = _text(_("清单名称"), max_length=100, placeholder=_("如：每月保养件"))


class QuickOrderForm(StyledForm):
    text = forms.CharField(
        label=_("粘贴清单"),
        required=False,
        max_length=20_000,
        help_text=_("每行一个：OE号或零件号，逗号或空格，数量（不填为 1）。"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "90915-YZZD4, 10\n0986AF0134 4"}),
    )
    file = forms.FileField(
        label=_("或上传 Excel"),
        required=False,
        help_text=_("第一列 OE号/零件号，第二列数量；可先下载模板。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
