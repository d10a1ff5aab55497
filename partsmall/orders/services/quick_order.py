"""Quick order 快速下单: lines of "OE/part number, quantity", pasted or from Excel.

Each line's number is normalised as the catalogue does (full-width folded, upper case,
separators dropped) and looked up among part numbers and OE numbers. A line is
- matched: exactly one offer can be bought for it;
- ambiguous: several offers (suppliers, grades) — the buyer picks one;
- unmatched: no part has that number, or no supplier sells it now;
- invalid: the line itself is wrong (no number, a quantity that is no whole number).
Matching reads only (a constant number of statements, whatever the number of lines);
`quick_order_add` then puts the picked offers in the cart, all of them or none.
"""

import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from partsmall.catalog.models import OeNumber, Offer, Part, ReviewStatus
from partsmall.catalog.normalize import normalize_number
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.orders import errors
from partsmall.orders.services.addresses import buyer_check
from partsmall.orders.services.cart import MAX_QUANTITY, cart_add
from partsmall.organizations.models import Organization
from partsmall.pricing.resolver import ResolvedPrice, resolve_prices

if TYPE_CHECKING:
    from partsmall.accounts.models import User

MAX_ROWS = 200
MATCHED, AMBIGUOUS, UNMATCHED, INVALID = "matched", "ambiguous", "unmatched", "invalid"
STATUSES = (MATCHED, AMBIGUOUS, UNMATCHED, INVALID)
_FIELD_SEPARATORS = re.compile(r"[,，\t;；]+")
_TRAILING_QUANTITY = re.compile(r"^(.*\S)\s+(\S+)$")
TEMPLATE_HEADERS = ("OE号/零件号", "数量")


@dataclass(frozen=True)
class QuickRow:
    """One line as the buyer wrote it (row: its line or sheet row number)."""

    row: int
    number: str
    quantity: int | None
    error: str = ""


@dataclass(frozen=True)
class OfferOption:
    offer: Offer
    price: ResolvedPrice


@dataclass
class QuickMatch:
    row: QuickRow
    status: str
    message: str = ""
    options: list[OfferOption] = field(default_factory=list)

    @property
    def chosen(self) -> OfferOption | None:
        return self.options[0] if self.status == MATCHED else None


# Reading ---------------------------------------------------------------------------------


def _quantity(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() and 1 <= raw <= MAX_QUANTITY else None
    text = str(raw).strip()
    if not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= MAX_QUANTITY else None


def quick_row(row: int, number: object, quantity: object) -> QuickRow:
    """One line from its parts as written: a missing quantity means 1."""
    text = str(number or "").strip()
    if not text:
        return QuickRow(row, "", None, str(errors.QUICK_ORDER_NUMBER % {"row": row}))
    if quantity is None or str(quantity).strip() == "":
        return QuickRow(row, text, 1)
    parsed = _quantity(quantity)
    if parsed is None:
        return QuickRow(row, text, None, str(errors.QUICK_ORDER_QUANTITY % {"row": row, "value": quantity}))
    return QuickRow(row, text, parsed)


def _limited(rows: list[QuickRow]) -> list[QuickRow]:
    if not rows:
        raise ApplicationError(errors.QUICK_ORDER_EMPTY, field="text")
    if len(rows) > MAX_ROWS:
        raise ApplicationError(errors.QUICK_ORDER_TOO_MANY % {"max": MAX_ROWS}, field="text")
    return rows


def parse_text(text: str) -> list[QuickRow]:
    """Lines of "number, quantity" (comma, Chinese comma, tab or semicolon; or a space
    before a trailing quantity). A line without a quantity means 1."""
    rows = []
    for index, line in enumerate(str(text or "").splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        pieces = [p.strip() for p in _FIELD_SEPARATORS.split(stripped)]
        if len(pieces) >= 2:
            rows.append(quick_row(index, pieces[0], pieces[1]))
            continue
        trailing = _TRAILING_QUANTITY.match(stripped)
        if trailing and _quantity(trailing.group(2)) is not None:
            rows.append(quick_row(index, trailing.group(1), trailing.group(2)))
        else:
            rows.append(quick_row(index, stripped, None))
    return _limited(rows)


def parse_workbook(file: IO[bytes]) -> list[QuickRow]:
    """Column A the number, column B the quantity, from the first sheet; a first row
    whose quantity cell is no number is the header."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # not a zip, not a workbook, encrypted …
        raise ApplicationError(errors.QUICK_ORDER_FILE, field="file") from exc
    try:
        rows = _sheet_rows(workbook.worksheets[0].iter_rows(max_col=2, values_only=True))
    except Exception as exc:  # a broken file can fail half-way through
        raise ApplicationError(errors.QUICK_ORDER_FILE, field="file") from exc
    finally:
        workbook.close()
    return _limited(rows)


def _sheet_rows(values: Iterable[tuple[Any, ...]]) -> list[QuickRow]:
    rows = []
    for index, cells in enumerate(values, start=1):
        number, quantity = (list(cells) + [None, None])[:2]
        if (number is None or str(number).strip() == "") and (
            quantity is None or str(quantity).strip() == ""
        ):
            continue
        if index == 1 and quantity is not None and _quantity(quantity) is None:
            continue  # the header
        rows.append(quick_row(index, number, quantity))
        if len(rows) > MAX_ROWS:
            break
    return rows


def template_bytes() -> bytes:
    """The downloadable template: the two columns and two example lines."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    sheet = workbook.create_sheet(_("快速下单"))
    sheet.append(list(TEMPLATE_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.append(["90915-YZZD4", 10])
    sheet.append(["0986AF0134", 4])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 10
    for row in range(2, 1001):
        sheet.cell(row=row, column=1).number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Matching --------------------------------------------------------------------------------


def _parts_by_number(norms: set[str]) -> dict[str, set[int]]:
    """Normalised number → ids of the parts with that part number or OE number."""
    found: dict[str, set[int]] = defaultdict(set)
    parts = Part.objects.filter(number_norm__in=norms).exclude(review_status=ReviewStatus.REJECTED)
    for part_id, norm in parts.values_list("id", "number_norm"):
        found[norm].add(part_id)
    oe = OeNumber.objects.filter(number_norm__in=norms).exclude(part__review_status=ReviewStatus.REJECTED)
    for part_id, norm in oe.values_list("part_id", "number_norm"):
        found[norm].add(part_id)
    return found


def buyable_offers(buyer: Organization, part_ids: Iterable[int]) -> list[Offer]:
    """Listed offers of active suppliers for these parts (never the buyer's own)."""
    return list(
        Offer.objects.filter(
            Q(part_id__in=list(part_ids)),
            is_listed=True,
            supplier__status=Organization.Status.ACTIVE,
            supplier__kind=Organization.Kind.SUPPLIER,
        )
        .exclude(supplier=buyer)
        .select_related("part__brand", "supplier")
        .order_by("id")
    )


def _priced(
    buyer: Organization, rows: list[QuickRow], offers_of: dict[int, list[Offer]]
) -> dict[tuple[int, int], ResolvedPrice]:
    """(quantity, offer id) → the buyer's price, one resolver call per distinct quantity."""
    by_quantity: dict[int, dict[int, Offer]] = defaultdict(dict)
    for row in rows:
        for offer in offers_of.get(row.row, []):
            by_quantity[row.quantity or 1][offer.pk] = offer
    prices: dict[tuple[int, int], ResolvedPrice] = {}
    for quantity, offers in by_quantity.items():
        for offer_id, price in resolve_prices(
            buyer=buyer, offers=list(offers.values()), quantity=quantity
        ).items():
            prices[(quantity, offer_id)] = price
    return prices


def quick_order_match(*, buyer: Organization, rows: Sequence[QuickRow]) -> list[QuickMatch]:
    """Each row matched to the offers that could fill it, cheapest (for this buyer) first."""
    buyer_check(buyer)
    valid = [row for row in rows if not row.error]
    parts_of = _parts_by_number({normalize_number(row.number) for row in valid})
    offers = buyable_offers(buyer, {pid for ids in parts_of.values() for pid in ids})
    by_part: dict[int, list[Offer]] = defaultdict(list)
    for offer in offers:
        by_part[offer.part_id].append(offer)
    offers_of = {
        row.row: [o for pid in sorted(parts_of.get(normalize_number(row.number), ())) for o in by_part[pid]]
        for row in valid
    }
    prices = _priced(buyer, valid, offers_of)
    return [
        _match(row, offers_of.get(row.row, []), prices, bool(parts_of.get(normalize_number(row.number))))
        for row in rows
    ]


def _match(
    row: QuickRow, offers: list[Offer], prices: dict[tuple[int, int], ResolvedPrice], known: bool
) -> QuickMatch:
    if row.error:
        return QuickMatch(row, INVALID, row.error)
    if not offers:
        message = _("暂无供应商在售") if known else _("未找到该编号的配件")
        return QuickMatch(row, UNMATCHED, message)
    options = sorted(
        (OfferOption(offer, prices[(row.quantity or 1, offer.pk)]) for offer in offers),
        key=lambda o: (o.price.unit_price, o.offer.lead_time_days, o.offer.pk),
    )
    if len(options) == 1:
        return QuickMatch(row, MATCHED, "", options)
    return QuickMatch(row, AMBIGUOUS, _("%(n)s 个报价，请选择") % {"n": len(options)}, options)


# Adding ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """The offer the buyer chose for a row, and the quantity."""

    row: int
    offer_id: int | None
    quantity: object


@transaction.atomic
def quick_order_add(*, buyer: Organization, by: "User | None", picks: Sequence[Pick]) -> int:
    """Adds every picked offer to the cart, or nothing: the refusals come back per row
    (field "row_<n>"), each naming the offer. Returns the number of lines added."""
    buyer_check(buyer)
    if not picks:
        raise ApplicationError(errors.QUICK_ORDER_EMPTY, field="text")
    ids = {pick.offer_id for pick in picks if pick.offer_id}
    offers = Offer.objects.select_related("part__brand", "supplier").in_bulk(list(ids))
    problems: dict[str, list[str]] = {}
    for pick in picks:
        offer = offers.get(pick.offer_id or 0)
        message = ""
        if offer is None:
            message = str(errors.QUICK_ORDER_PICK % {"row": pick.row})
        else:
            try:
                with transaction.atomic():
                    cart_add(buyer=buyer, offer=offer, quantity=pick.quantity, by=by)
            except ApplicationError as exc:
                message = str(errors.QUICK_ORDER_LINE % {"row": pick.row, "message": exc.message})
        if message:
            problems[f"row_{pick.row}"] = [message]
    if problems:
        raise FieldErrors(problems)
    return len(picks)
