"""VIN 车辆识别代号: normalising, validating, the check digit and the model year.

Pure functions (no database): `vin_validate` is what forms, imports and the API call.
The check digit (position 9, ISO 3779 / GB 16735 / 49 CFR 565) is required for
China-built (WMI starting with L) and North-America-built (1–5) vehicles; European
makers do not all use it, so a mismatch there is noted, not refused.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partsmall.core.errors import ApplicationError

VIN_LENGTH = 17
ALLOWED = frozenset("0123456789ABCDEFGHJKLMNPRSTUVWXYZ")
FORBIDDEN_LETTERS = frozenset("IOQ")
CHECK_DIGIT_REQUIRED_REGIONS = frozenset("L12345")
EUROPE_REGIONS = frozenset("STUVWXYZ")
YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
YEAR_CYCLE_START = 1980

_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)

VIN_REQUIRED = _("请输入 VIN（车辆识别代号）。")
VIN_WRONG_LENGTH = _("VIN 应为 17 位，当前为 %(length)s 位。")
VIN_FORBIDDEN_LETTER = _("VIN 中不能含字母 I、O、Q（第 %(position)s 位为 %(char)s）。")
VIN_BAD_CHARACTER = _("VIN 只能包含数字和英文字母（第 %(position)s 位为 %(char)s）。")
VIN_WRONG_CHECK_DIGIT = _("VIN 校验位错误：第 9 位应为 %(expected)s，实际为 %(actual)s。")
NOTE_EUROPE_CHECK_DIGIT = _(
    "第 9 位校验位不符（按标准算法应为 %(expected)s，实际为 %(actual)s）："
    "欧洲车辆不强制校验位，仍按此 VIN 识别。"
)
NOTE_OTHER_CHECK_DIGIT = _(
    "第 9 位校验位不符（按标准算法应为 %(expected)s，实际为 %(actual)s）："
    "该产地车辆不强制校验位，仍按此 VIN 识别。"
)
NOTE_UNKNOWN_YEAR = _("第 10 位（年份码）为 %(char)s，无法判断车型年份。")


def vin_normalize(raw: object) -> str:
    """Upper-case ASCII without spaces: full-width characters (ＬＳＶ…) folded by NFKC."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    return "".join(text.split()).upper()


def check_digit_of(vin: str) -> str:
    """The check digit (0–9 or X) that positions 1–8 and 10–17 give."""
    total = sum(_VALUES[char] * weight for char, weight in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def with_check_digit(vin: str) -> str:
    """The 17 characters with position 9 set to their check digit (demo data, tests)."""
    return f"{vin[:8]}{check_digit_of(vin)}{vin[9:]}"


def check_digit_required(vin: str) -> bool:
    return bool(vin) and vin[0] in CHECK_DIGIT_REQUIRED_REGIONS


def is_european(vin: str) -> bool:
    return bool(vin) and vin[0] in EUROPE_REGIONS


def _raise(message: object) -> None:
    raise ApplicationError(str(message), code="invalid_vin", field="vin")


def _check_characters(vin: str) -> None:
    for position, char in enumerate(vin, start=1):
        if char in FORBIDDEN_LETTERS:
            _raise(VIN_FORBIDDEN_LETTER % {"position": position, "char": char})
        if char not in ALLOWED:
            _raise(VIN_BAD_CHARACTER % {"position": position, "char": char})


def vin_validate(vin: str) -> str:
    """The normalised VIN, or ApplicationError(field="vin") naming what is wrong."""
    text = vin_normalize(vin)
    if not text:
        _raise(VIN_REQUIRED)
    if len(text) != VIN_LENGTH:
        _raise(VIN_WRONG_LENGTH % {"length": len(text)})
    _check_characters(text)
    expected = check_digit_of(text)
    if check_digit_required(text) and text[8] != expected:
        _raise(VIN_WRONG_CHECK_DIGIT % {"expected": expected, "actual": text[8]})
    return text


@dataclass(frozen=True)
class CheckDigit:
    """What position 9 says: valid is None where the maker uses no check digit there."""

    expected: str
    actual: str
    required: bool
    valid: bool | None
    note: str


def check_digit_inspect(vin: str) -> CheckDigit:
    """The check digit of an already validated VIN, with the note for a tolerated mismatch."""
    expected, actual = check_digit_of(vin), vin[8]
    required = check_digit_required(vin)
    if actual == expected:
        return CheckDigit(expected, actual, required, True, "")
    template = NOTE_EUROPE_CHECK_DIGIT if is_european(vin) else NOTE_OTHER_CHECK_DIGIT
    note = str(template % {"expected": expected, "actual": actual})
    # A letter other than X cannot be a check digit: the maker does not use one.
    valid = False if actual.isdigit() or actual == "X" else None
    return CheckDigit(expected, actual, required, valid, note)


def model_years(vin: str, *, today: date | None = None) -> list[int]:
    """Every model year position 10 may mean on the 30-year cycle (1980 on), up to next year."""
    code = vin[9] if len(vin) >= 10 else ""
    if not code or code not in YEAR_CODES:
        return []
    last = (today or timezone.localdate()).year + 1
    year = YEAR_CYCLE_START + YEAR_CODES.index(code)
    years = []
    while year <= last:
        years.append(year)
        year += len(YEAR_CODES)
    return years
