"""Forms of the login, register and password pages.

They only check the shape of the input; the services decide, and their refusals are
put back under the field they name with `add_service_error`.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partsmall.accounts.services import TERMS_REQUIRED
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.core.validators import normalize_cn_mobile

PASSWORDS_DIFFER = _("两次输入的密码不一致。")


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, and `is-invalid` on the fields with errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            field.widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._mark_invalid()

    def _mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs["class"]:
                self.fields[name].widget.attrs["class"] += " is-invalid"


def add_service_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's refusal under the field it names (or above the form)."""
    if isinstance(exc, FieldErrors):
        errors: dict[str | None, list[Any]] = {field: list(msgs) for field, msgs in exc.errors.items()}
    else:
        errors = {exc.field: list(exc.extra.get("messages") or [exc.message])}
    for field, messages in errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, str(message))


class PhoneField(forms.CharField):
    """A mainland mobile number, normalised to its 11 digits."""

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return normalize_cn_mobile(text) if text else text


def _phone_field() -> forms.CharField:
    return PhoneField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "placeholder": _("11 位手机号")}
        ),
    )


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "placeholder": _("6 位数字")}
        ),
    )


def _new_password_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 8 位，不能全是数字，不能过于常见。"),
    )


def _repeat_field() -> forms.CharField:
    return forms.CharField(
        label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class PasswordLoginForm(StyledForm):
    phone = _phone_field()
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    captcha = forms.CharField(
        label=_("图形验证码"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("图中 4 个字符")}),
    )


class SmsLoginForm(StyledForm):
    phone = _phone_field()
    code = _code_field()


class _RepeatedPasswordMixin:
    """`new_password` typed twice (the field names the services use)."""

    password_field = "new_password"

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean()  # type: ignore[misc]
        first, second = data.get(self.password_field), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", PASSWORDS_DIFFER)  # type: ignore[attr-defined]
        return data


class RegisterForm(_RepeatedPasswordMixin, StyledForm):
    password_field = "password"

    phone = _phone_field()
    code = _code_field()
    name = forms.CharField(
        label=_("姓名"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": _("选填，方便门店称呼您")}),
    )
    password = _new_password_field(_("密码"))
    password2 = _repeat_field()
    accept_terms = forms.BooleanField(required=False)

    def clean_accept_terms(self) -> bool:
        if not self.cleaned_data.get("accept_terms"):
            raise forms.ValidationError(TERMS_REQUIRED)
        return True


class PasswordResetForm(_RepeatedPasswordMixin, StyledForm):
    phone = _phone_field()
    code = _code_field()
    new_password = _new_password_field(_("新密码"))
    password2 = _repeat_field()


class PasswordChangeForm(_RepeatedPasswordMixin, StyledForm):
    old_password = forms.CharField(
        label=_("原密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = _new_password_field(_("新密码"))
    password2 = _repeat_field()
