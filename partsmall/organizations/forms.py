"""Forms of the organization pages. They only carry input: the services check it and
their field errors are shown under the fields (`show_errors`)."""

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.organizations.models import Application, Organization
from partsmall.organizations.roles import Role, roles_for_kind

REGION_FIELD_NAMES = ("province", "city", "district")


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, `is-invalid` on fields with errors."""

    required_marks: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            else:
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        if field and field in self.fields:
            widget = self.fields[field].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def show_errors(exc: ApplicationError, *forms_: StyledForm) -> None:
    """Put a service's refusal under the field it names, in whichever form has it."""
    errors = (
        exc.errors if isinstance(exc, FieldErrors) else {exc.field or NON_FIELD_ERRORS: [str(exc.message)]}
    )
    for field, messages in errors.items():
        target = next((f for f in forms_ if field in f.fields), None)
        for message in messages:
            if target is not None:
                target.add_error(field, message)
            else:
                forms_[0].add_error(None, message)


def _text(label: Any, *, max_length: int, help_text: Any = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


class OrganizationProfileForm(StyledForm):
    """Address, contact and invoice details (开票信息): the profile and part of the application."""

    required_marks = frozenset({"province", "address_detail", "contact_name", "contact_phone"})

    province = forms.CharField(label=_("省"), required=False)
    city = forms.CharField(label=_("市"), required=False)
    district = forms.CharField(label=_("区县"), required=False)
    address_detail = _text(_("详细地址"), max_length=200, placeholder=_("街道、门牌号"))
    contact_name = _text(_("联系人"), max_length=50)
    contact_phone = _text(
        _("联系电话"), max_length=20, help_text=_("11 位中国大陆手机号，用于审核联系。"), inputmode="tel"
    )
    invoice_title = _text(_("发票抬头"), max_length=100, help_text=_("通常与企业名称一致。"))
    invoice_tax_number = _text(_("税号"), max_length=20, help_text=_("通常为统一社会信用代码。"))
    invoice_bank_name = _text(_("开户银行"), max_length=100)
    invoice_bank_account = _text(_("银行账号"), max_length=30, inputmode="numeric")
    invoice_address = _text(_("注册地址"), max_length=200)
    invoice_phone = _text(_("注册电话"), max_length=30)

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}

    @classmethod
    def initial_from(cls, org: Organization) -> dict[str, Any]:
        names = OrganizationProfileForm.base_fields
        initial = {name: getattr(org, name) for name in names if name not in REGION_FIELD_NAMES}
        initial.update({name: getattr(org, f"{name}_id") or "" for name in REGION_FIELD_NAMES})
        return initial


class ApplicationForm(OrganizationProfileForm):
    """The organization part of an onboarding application 入驻申请."""

    required_marks = OrganizationProfileForm.required_marks | {"kind", "name", "credit_code", "licence"}
    field_order = ["kind", "name", "credit_code", "licence"]

    kind = forms.ChoiceField(
        label=_("入驻类型"),
        required=False,
        choices=[
            (Organization.Kind.SUPPLIER, _("配件厂商：发布配件、接询价、发货结算")),
            (Organization.Kind.REPAIR_SHOP, _("汽修门店：按车型找件、采购、开工单")),
        ],
        widget=forms.RadioSelect,
    )
    name = _text(_("企业名称"), max_length=100, help_text=_("与营业执照上的名称一致。"))
    credit_code = _text(
        _("统一社会信用代码"), max_length=30, help_text=_("18 位，见营业执照。"), autocomplete="off"
    )
    licence = forms.FileField(
        label=_("营业执照"),
        required=False,
        help_text=_("JPG、PNG 图片或 PDF，不超过 5 MB。"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"}
        ),
    )
    channel = forms.ChoiceField(
        label=_("您从哪里了解到我们"),
        required=False,
        choices=[("", _("请选择")), *Application.Channel.choices],
    )
    referral_code = _text(_("推荐码"), max_length=32, help_text=_("选填，推荐人提供的推荐码。"))

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        kwargs["licence"] = self.cleaned_data.get("licence") or None
        kwargs["channel"] = self.cleaned_data.get("channel") or Application.Channel.OTHER
        return kwargs

    @classmethod
    def initial_from_application(cls, application: Application) -> dict[str, Any]:
        org = application.organization
        initial = cls.initial_from(org)
        initial.update(
            kind=org.kind,
            name=org.name,
            credit_code=org.credit_code,
            channel=application.channel,
            referral_code=application.referral_code,
        )
        return initial


class VisitorForm(StyledForm):
    """The account part of a visitor's application: phone, SMS code, password, consent."""

    required_marks = frozenset({"phone", "code", "password", "accept_terms"})

    phone = _text(_("手机号"), max_length=20, inputmode="tel", autocomplete="tel")
    code = _text(_("短信验证码"), max_length=6, inputmode="numeric", autocomplete="one-time-code")
    password = forms.CharField(
        label=_("登录密码"),
        required=False,
        strip=False,
        help_text=_("至少 8 位，不能全是数字。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    person_name = _text(_("您的姓名"), max_length=50)
    accept_terms = forms.BooleanField(label=_("我已阅读并同意《隐私政策》和《用户协议》"), required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "phone": data.get("phone") or "",
            "code": data.get("code") or "",
            "password": data.get("password") or "",
            "person_name": data.get("person_name") or "",
            "accept_terms": bool(data.get("accept_terms")),
        }


class InviteForm(StyledForm):
    required_marks = frozenset({"phone", "role"})

    phone = _text(_("手机号"), max_length=20, inputmode="tel")
    name = _text(_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("角色"), required=False, choices=())

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("请选择角色")), *role_choices(organization)]
        self.fields["role"].choices = choices  # type: ignore[attr-defined]


def role_choices(organization: Organization) -> list[tuple[str, str]]:
    allowed = roles_for_kind(organization.kind)
    return [(role.value, str(role.label)) for role in Role if role in allowed]


class ReasonForm(StyledForm):
    required_marks = frozenset({"reason"})

    reason = forms.CharField(
        label=_("驳回原因"),
        required=False,
        max_length=500,
        help_text=_("申请人会在站内信和申请进度页看到这段原因。"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
