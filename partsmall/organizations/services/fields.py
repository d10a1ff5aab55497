"""Validation of an organization's fields, shared by the application and profile services.

Every field is checked before anything is written, and all errors come back at once,
each under the field it belongs to (FieldErrors).
"""

import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import Image

from partsmall.core.errors import FieldErrors
from partsmall.core.validators import normalize_cn_mobile, normalize_credit_code
from partsmall.organizations import errors
from partsmall.organizations.models import Application, Organization, Region

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise
LICENCE_MAX_BYTES = 5 * 1024 * 1024
_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png"}
_TAX_NUMBER = re.compile(r"^[0-9A-Z]{15,20}$")
_BANK_ACCOUNT = re.compile(r"^[0-9]{8,30}$")
_REFERRAL_CODE = re.compile(r"^[0-9A-Za-z]{4,32}$")

ORGANIZATION_FIELDS = (
    "name",
    "credit_code",
    "address_detail",
    "contact_name",
    "contact_phone",
    "invoice_title",
    "invoice_tax_number",
    "invoice_bank_name",
    "invoice_bank_account",
    "invoice_address",
    "invoice_phone",
)
REGION_FIELDS = ("province", "city", "district")


def _text(required: "_StrPromise | None", max_length: int, too_long: "_StrPromise") -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        text = str(value or "").strip()
        if not text and required is not None:
            raise ValidationError(required)
        if len(text) > max_length:
            raise ValidationError(too_long)
        return text

    return clean


def _pattern(regex: re.Pattern[str], message: "_StrPromise", *, upper: bool = False) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        text = str(value or "").strip().replace(" ", "")
        text = text.upper() if upper else text
        if text and not regex.match(text):
            raise ValidationError(message)
        return text

    return clean


def _choice(choices: list[str], message: "_StrPromise") -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        if value not in choices:
            raise ValidationError(message)
        return str(value)

    return clean


CLEANERS: dict[str, Callable[[Any], Any]] = {
    "kind": _choice([Organization.Kind.SUPPLIER, Organization.Kind.REPAIR_SHOP], errors.KIND_REQUIRED),
    "name": _text(errors.NAME_REQUIRED, 100, errors.NAME_TOO_LONG),
    "credit_code": normalize_credit_code,
    "address_detail": _text(errors.ADDRESS_REQUIRED, 200, errors.ADDRESS_TOO_LONG),
    "contact_name": _text(errors.CONTACT_NAME_REQUIRED, 50, errors.CONTACT_NAME_TOO_LONG),
    "contact_phone": normalize_cn_mobile,
    "invoice_title": _text(None, 100, errors.INVOICE_FIELD_TOO_LONG),
    "invoice_tax_number": _pattern(_TAX_NUMBER, errors.INVOICE_TAX_NUMBER_INVALID, upper=True),
    "invoice_bank_name": _text(None, 100, errors.INVOICE_FIELD_TOO_LONG),
    "invoice_bank_account": _pattern(_BANK_ACCOUNT, errors.INVOICE_BANK_ACCOUNT_INVALID),
    "invoice_address": _text(None, 200, errors.INVOICE_FIELD_TOO_LONG),
    "invoice_phone": _text(None, 30, errors.INVOICE_FIELD_TOO_LONG),
    "channel": _choice(list(Application.Channel.values), errors.CHANNEL_INVALID),
    "referral_code": _pattern(_REFERRAL_CODE, errors.REFERRAL_CODE_INVALID),
}


class Cleaner:
    """Collects cleaned values and field errors; raises them all at once."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.errors: dict[str, list[str]] = {}

    def add_error(self, field: str, message: "str | _StrPromise") -> None:
        self.errors.setdefault(field, []).append(str(message))

    def clean(self, field: str, value: Any) -> None:
        try:
            self.data[field] = CLEANERS[field](value)
        except ValidationError as exc:
            for message in exc.messages:
                self.add_error(field, message)

    def raise_if_errors(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)

    def check_credit_code_free(self, *, exclude_pk: int | None = None) -> None:
        code = self.data.get("credit_code")
        if not code:
            return
        taken = Organization.objects.filter(credit_code=code).exclude(status=Organization.Status.REJECTED)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            self.add_error("credit_code", errors.DUPLICATE_CREDIT_CODE)

    def clean_licence(self, licence: File | None, *, required: bool) -> None:
        if licence is None or not getattr(licence, "size", 0):
            if required:
                self.add_error("licence", errors.LICENCE_REQUIRED)
            return
        if licence.size > LICENCE_MAX_BYTES:
            self.add_error("licence", errors.LICENCE_TOO_LARGE)
            return
        extension = licence_extension(licence)
        if extension is None:
            self.add_error("licence", errors.LICENCE_BAD_TYPE)
            return
        # Stored under a random name with the detected type: the uploader's file name
        # and claimed type are never trusted.
        self.data["licence"] = (licence, f"{uuid.uuid4().hex}.{extension}")

    def clean_regions(self, province: Any, city: Any, district: Any) -> None:
        p = self._region("province", province, Region.Level.PROVINCE, errors.PROVINCE_REQUIRED, None)
        c = self._region("city", city, Region.Level.CITY, errors.CITY_REQUIRED, p)
        d = self._region("district", district, Region.Level.DISTRICT, errors.DISTRICT_REQUIRED, c)
        if p and c and c.parent_id != p.pk:
            self.add_error("city", errors.CITY_NOT_IN_PROVINCE)
        if c and d and d.parent_id != c.pk:
            self.add_error("district", errors.DISTRICT_NOT_IN_CITY)
        self.data.update(province=p, city=c, district=d)

    def _region(
        self, field: str, value: Any, level: str, required: "_StrPromise", parent: Region | None
    ) -> Region | None:
        code = value.pk if isinstance(value, Region) else str(value or "").strip()
        if not code:
            # A level is required only when the level above has children (东莞市 has no
            # districts; 香港 has no cities in the source data).
            if field == "province" or (parent is not None and Region.objects.filter(parent=parent).exists()):
                self.add_error(field, required)
            return None
        region = Region.objects.filter(code=code, level=level).first()
        if region is None:
            self.add_error(field, errors.REGION_UNKNOWN)
        return region


def licence_extension(licence: File) -> str | None:
    """'pdf', 'jpg' or 'png' from the file's content, or None for anything else."""
    licence.seek(0)
    head = licence.read(5)
    licence.seek(0)
    if head == b"%PDF-":
        return "pdf"
    try:
        with Image.open(licence) as image:
            image_format = image.format
            image.verify()
    except Exception:  # Pillow raises many kinds of errors for a file that is no image.
        return None
    finally:
        licence.seek(0)
    return _IMAGE_FORMATS.get(image_format or "")


def clean_organization(
    raw: dict[str, Any], *, fields: tuple[str, ...], licence_required: bool, exclude_pk: int | None
) -> dict[str, Any]:
    """Clean the named fields of `raw` (missing ones count as empty); raise FieldErrors."""
    cleaner = Cleaner()
    for field in fields:
        if field in CLEANERS:
            cleaner.clean(field, raw.get(field))
    if "province" in fields:
        cleaner.clean_regions(raw.get("province"), raw.get("city"), raw.get("district"))
    if "licence" in fields:
        cleaner.clean_licence(raw.get("licence"), required=licence_required)
    if "credit_code" in fields:
        cleaner.check_credit_code_free(exclude_pk=exclude_pk)
    cleaner.raise_if_errors()
    return cleaner.data
