"""Validators for Chinese identity numbers used across apps."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－　", "0123456789+- ")


def normalize_cn_mobile(raw: str) -> str:
    """Return the 11-digit mainland mobile number, or raise a field message."""
    text = (raw or "").translate(_FULL_WIDTH).strip().replace(" ", "").replace("-", "")
    if not text:
        raise ValidationError(_("请输入手机号。"), code="required")
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("手机号格式不正确，请输入 11 位中国大陆手机号。"), code="invalid_phone"
        ) from None
    number_type = phonenumbers.number_type(parsed)
    if (
        parsed.country_code != 86
        or not phonenumbers.is_valid_number(parsed)
        or number_type
        not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    ):
        raise ValidationError(_("手机号格式不正确，请输入 11 位中国大陆手机号。"), code="invalid_phone")
    return str(parsed.national_number)


def mask_phone(phone: str) -> str:
    if len(phone) != 11:
        return phone
    return f"{phone[:3]}****{phone[7:]}"


def normalize_credit_code(raw: str) -> str:
    """Return the 18-character unified social credit code (统一社会信用代码), or raise."""
    text = (raw or "").translate(_FULL_WIDTH).strip().upper().replace(" ", "")
    if not text:
        raise ValidationError(_("请输入统一社会信用代码。"), code="required")
    try:
        return str(uscc.validate(text))
    except StdnumError:
        raise ValidationError(
            _("统一社会信用代码无效：应为 18 位，且校验位正确。"), code="invalid_credit_code"
        ) from None
