"""Plain-text tables for the terminal, aligned for Chinese (double-width) characters."""

import unicodedata
from collections.abc import Sequence

from partsmall.demo.catalog_data import DemoVin
from partsmall.demo.selectors import DemoLogin

HEADERS = ("role", "phone", "password", "organization")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(_width(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    rule = "  ".join("-" * w for w in widths)
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    head = "  ".join(_pad(cell, w) for cell, w in zip(headers, widths, strict=True)).rstrip()
    return "\n".join([head, rule, *lines])


def format_logins(logins: Sequence[DemoLogin]) -> str:
    rows = [(login.role, login.phone, login.password, login.organization) for login in logins]
    return format_table(HEADERS, rows)


def format_vins(vins: Sequence[DemoVin], labels: dict[str, str]) -> str:
    """One line per demo VIN; an ambiguous VIN once, with its candidate types together."""
    rows: dict[str, list[str]] = {}
    for vin in vins:
        rows.setdefault(vin.vin, []).append(labels.get(vin.vehicle_type_key, vin.vehicle_type_key))
    table = [(vin, " ／ ".join(types)) for vin, types in rows.items()]
    return format_table(("vin", "vehicle type"), table)
