"""Reading cells as Excel really gives them.

Excel hands over long part numbers as floats (9091510003.0) or as text in scientific
notation ("9.0915E+09"), full-width characters from Chinese input methods (ＡＢＣ１２３),
stray and non-breaking spaces, prices with "¥" / "￥" and thousands separators
("1，234.50"), and yes/no in several spellings. Each reader returns the clean value or
raises CellError with a message naming what is wrong (the column is added by the caller).
"""

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from partsmall.core.money import CENT

NOT_A_NUMBER = _("不是有效的数字。")
NOT_AN_INTEGER = _("应为整数。")
NOT_AN_AMOUNT = _("不是有效的金额。")
NOT_YES_NO = _("应填写 是 或 否。")
NOT_A_CHOICE = _("应为以下之一：%(choices)s。")

# As Excel writes a long number it shows in scientific notation: 9.0915E+09.
_EXCEL_SCIENTIFIC = re.compile(r"^[+-]?\d(\.\d+)?E\+\d{1,3}$", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_CURRENCY = re.compile(r"^(¥|RMB|CNY)|(元|RMB|CNY)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_YES = {"是", "Y", "YES", "1", "TRUE", "T", "√", "上架"}
_NO = {"否", "N", "NO", "0", "FALSE", "F", "×", "下架"}


class CellError(ValueError):
    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def fold(value: str) -> str:
    """Full-width to half-width (NFKC; also turns U+00A0 into a space), trimmed."""
    if value.isascii():  # NFKC leaves ASCII as it is
        return value.strip()
    return unicodedata.normalize("NFKC", value).strip()


def _float_text(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)).normalize(), "f")


def text(value: object) -> str:
    """Any cell as clean text; a number as Excel shows it without its float tail."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return _SPACES.sub(" ", fold(str(value)))


def code(value: object) -> str:
    """A part number, OE number or SKU: text, with Excel's scientific notation expanded
    when it stands for an exact integer ("9.0915E+09" → "9091500000")."""
    result = text(value)
    if _EXCEL_SCIENTIFIC.match(result):
        number = Decimal(result)
        if number == number.to_integral_value():
            return str(int(number))
    return result


def _decimal(value: object, error: object) -> Decimal:
    if isinstance(value, bool):
        raise CellError(error)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raw = text(value).replace(" ", "")
    raw = _CURRENCY.sub("", raw)
    if _THOUSANDS.match(raw):
        raw = raw.replace(",", "")
    if not _PLAIN_NUMBER.match(raw) and not _EXCEL_SCIENTIFIC.match(raw):
        raise CellError(error)
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise CellError(error) from exc


def money(value: object) -> Decimal:
    """A price in CNY, rounded half up to the cent; never through float arithmetic."""
    return _decimal(value, NOT_AN_AMOUNT).quantize(CENT, rounding=ROUND_HALF_UP)


def decimal(value: object, places: int) -> Decimal:
    return _decimal(value, NOT_A_NUMBER).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def integer(value: object) -> int:
    if type(value) is int:  # as openpyxl reads a whole number (bool is refused below)
        return value
    number = _decimal(value, NOT_AN_INTEGER)
    if number != number.to_integral_value():
        raise CellError(NOT_AN_INTEGER)
    return int(number)


def yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).upper()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError(NOT_YES_NO)


def choice(value: object, choices: dict[str, str]) -> str:
    """A label or value of `choices` (value → label) → its value."""
    raw = text(value)
    for stored, label in choices.items():
        if raw in {str(label), stored} or raw.lower() == stored.lower():
            return stored
    labels = "、".join(str(label) for label in choices.values() if str(label))
    raise CellError(NOT_A_CHOICE % {"choices": labels})


def split_list(value: str) -> list[str]:
    """ "a; b，c" → ["a", "b", "c"] (separators as typed in Chinese or English)."""
    return [item.strip() for item in re.split(r"[;,、\n]+", fold(value)) if item.strip()]


def json_safe(value: object) -> object:
    """A raw cell as it can be kept in JSON and written back to the error report."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
