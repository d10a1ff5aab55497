"""Forms of the pricing pages. They carry input only: the services check it and their field
errors are shown under the fields (organizations.forms.show_errors)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partsmall.organizations.forms import StyledForm
from partsmall.organizations.models import Organization
from partsmall.pricing.models import CustomerGroup


def _text(label: Any, *, max_length: int, help_text: Any = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def _date(label: Any, *, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _buyer() -> forms.CharField:
    # The shop's id, filled by the buyer picker (pricing/_buyer_picker.html); checked by the services.
    return forms.CharField(label=_("客户"), required=False, max_length=20, widget=forms.HiddenInput())


class CustomerGroupForm(StyledForm):
    required_marks = frozenset({"name", "basis"})

    name = _text(_("客户组名称"), max_length=100, help_text=_("如：华东连锁门店、大客户九五折。"))
    basis = forms.ChoiceField(
        label=_("客户范围"),
        required=False,
        choices=CustomerGroup.Basis.choices,
        initial=CustomerGroup.Basis.MEMBERS,
        widget=forms.RadioSelect,
        help_text=_("指定客户：逐个添加门店；平台等级：该等级的所有门店自动适用。"),
    )
    tier = forms.ChoiceField(
        label=_("平台等级"), required=False, choices=[("", _("请选择")), *Organization.Tier.choices]
    )
    discount_percent = _text(
        _("优惠百分比"),
        max_length=20,
        help_text=_("对本厂商所有报价按标准价优惠的百分比，如 5 即标准价 × 95%；留空则只按单品价。"),
        inputmode="decimal",
        placeholder="5",
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data.get("name") or "",
            "basis": data.get("basis") or "",
            "tier": data.get("tier") or "",
            "discount_percent": data.get("discount_percent") or None,
            "is_active": bool(data.get("is_active")),
        }


class MemberForm(StyledForm):
    buyer = _buyer()


class GroupPriceForm(StyledForm):
    required_marks = frozenset({"offer", "price"})

    offer = _text(_("商家编码"), max_length=64, autocomplete="off", placeholder="SKU")
    price = _text(_("客户组价(含税)"), max_length=30, inputmode="decimal", placeholder="0.00")


class ContractForm(StyledForm):
    required_marks = frozenset({"buyer", "name", "valid_from"})

    buyer = _buyer()
    name = _text(_("协议名称"), max_length=150, help_text=_("如：2026 年度协议价。"))
    valid_from = _date(_("生效日期"))
    valid_until = _date(_("截止日期"), help_text=_("含当天；留空表示长期有效。"))
    note = _text(_("备注"), max_length=300)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data.get("name") or "",
            "valid_from": data.get("valid_from") or None,
            "valid_until": data.get("valid_until") or None,
            "note": data.get("note") or "",
            "is_active": bool(data.get("is_active")),
        }


class ContractLineForm(StyledForm):
    required_marks = frozenset({"offer", "min_quantity", "price"})

    offer = _text(_("商家编码"), max_length=64, autocomplete="off", placeholder="SKU")
    min_quantity = _text(_("起始数量"), max_length=12, inputmode="numeric", placeholder="1")
    price = _text(_("协议价(含税)"), max_length=30, inputmode="decimal", placeholder="0.00")


class PriceCheckForm(StyledForm):
    required_marks = frozenset({"buyer", "offer", "quantity"})

    buyer = _buyer()
    offer = _text(_("商家编码"), max_length=64, autocomplete="off", placeholder="SKU")
    quantity = _text(_("数量"), max_length=12, inputmode="numeric")
    on = _date(_("日期"), help_text=_("留空为今天。"))
