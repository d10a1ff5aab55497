"""Buyer-facing search over the shared catalogue, and a part's page with its offers.

`search_parts` combines every criterion with AND: keyword (jieba words and pinyin
initials through the full-text index, see search.fulltext), part or OE number
(normalised, exact or prefix; the parts that interchange with or supersede a match are
found too), vehicle (VIN, a picked vehicle type, or make / model / year / engine, as a
semi-join on catalog_fitment (vehicle_type_id, part_id)), category with its
descendants, brand, grade, price range (on the part's lowest price) and stock.

Counts. Keyword, number, vehicle and category select the base set; the category facet
counts the base set, as filtered (it shows where the parts are, below the chosen
category). The brand, grade, price-range and stock facets each count the base set under
every filter except their own, so a buyer who picked one brand still sees the others to
add. With none of the base criteria, the filters make the base set (never the whole
catalogue). The page, the total and every facet come from one statement over the base
set (a CTE), so a search costs: the categories, the VIN or number look-ups when asked,
that statement, and the page's parts by id.

Parts under review stay findable; rejected parts never show.

Prices. The facets, the price filter and the price sort read the standard summary
(Part.min_price, the lowest standard price of the listed offers), so counts and order
are the same for every buyer and stay one statement. What a row and the part page show
is the acting organization's own price (pricing.resolver: contract → customer group →
standard), added by `price_hits` / `part_detail` with a constant number of statements.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThan
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from partsmall.catalog.indexing import QueryTerms, query_terms
from partsmall.catalog.models import (
    GRADE_BITS,
    Brand,
    Category,
    Fitment,
    Grade,
    OeNumber,
    Offer,
    Part,
    PartLink,
    ReviewStatus,
)
from partsmall.catalog.normalize import normalize_number
from partsmall.core.rawrows import models_from_rows, quoted_column
from partsmall.organizations.actor import Actor
from partsmall.pricing.resolver import ResolvedPrice, resolve_prices
from partsmall.search.fulltext import TokenMatch
from partsmall.search.models import PartIndex
from partsmall.vehicles.models import Make, VehicleModel, VehicleType
from partsmall.vehicles.selectors import vehicle_types_for
from partsmall.vehicles.services import VinDecoding, vin_decode

Sort = Literal["relevance", "price", "delivery"]
SORTS: tuple[tuple[str, Any], ...] = (
    ("relevance", _("综合")),
    ("price", _("价格最低")),
    ("delivery", _("交期最快")),
)
MAX_PAGE_SIZE = 100
# A number prefix shorter than this is matched exactly only (a prefix of "9" finds everything).
NUMBER_PREFIX_MIN = 3
# A number prefix matching more parts than this is cut there (refine the number).
NUMBER_MATCH_LIMIT = 5000

PRICE_RANGES: tuple[tuple[str, Decimal, Decimal | None], ...] = (
    ("0-50", Decimal("0"), Decimal("50")),
    ("50-100", Decimal("50"), Decimal("100")),
    ("100-200", Decimal("100"), Decimal("200")),
    ("200-500", Decimal("200"), Decimal("500")),
    ("500-", Decimal("500"), None),
)
IN_STOCK_LABEL = _("有货")


@dataclass(frozen=True)
class SearchQuery:
    """What a buyer asks. Prices: price_min <= min_price < price_max."""

    q: str = ""
    oe: str = ""
    vin: str = ""
    vehicle_type_ids: tuple[int, ...] = ()
    make_id: int | None = None
    model_id: int | None = None
    year: int | None = None
    engine_code: str = ""
    category_id: int | None = None
    brand_ids: tuple[int, ...] = ()
    grades: tuple[str, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False
    sort: Sort = "relevance"
    page: int = 1
    page_size: int = 20

    @property
    def has_vehicle(self) -> bool:
        return bool(self.vin or self.vehicle_type_ids or self.has_cascade)

    @property
    def has_cascade(self) -> bool:
        return bool(self.make_id or self.model_id or self.year or self.engine_code)

    @property
    def has_criteria(self) -> bool:
        return bool(
            self.q.strip()
            or self.oe.strip()
            or self.has_vehicle
            or self.category_id
            or self.brand_ids
            or self.grades
            or self.price_min is not None
            or self.price_max is not None
            or self.in_stock
        )


class FacetValue(NamedTuple):
    value: Any
    label: str
    count: int  # type: ignore[assignment]  # the contract's (value, label, count)


@dataclass
class Facets:
    category: list[FacetValue] = field(default_factory=list)
    brand: list[FacetValue] = field(default_factory=list)
    grade: list[FacetValue] = field(default_factory=list)
    price_range: list[FacetValue] = field(default_factory=list)
    in_stock: list[FacetValue] = field(default_factory=list)


@dataclass
class PartHit:
    part: Part
    min_price: Decimal | None
    fastest_lead_days: int | None
    supplier_count: int
    offer_count: int
    in_stock: bool
    # How the part matched a number: "exact", "prefix", "interchange" or "" (not by number).
    number_match: str = ""
    # The acting buyer's lowest price over the part's listed offers (price_hits); None
    # until priced or without listed offers. min_price stays the standard summary.
    price: ResolvedPrice | None = None


@dataclass
class SearchResult:
    total: int
    hits: list[PartHit]
    facets: Facets
    page: int = 1
    page_size: int = 20
    num_pages: int = 1
    # The vehicle searched for: the decoded VIN, the vehicle types, or the cascade's label.
    vin_decoding: VinDecoding | None = None
    vehicles: list[VehicleType] = field(default_factory=list)
    vehicle_label: str = ""
    has_criteria: bool = False
    # The category tree in the order it is shown (pages draw it beside the results).
    categories: list[Category] = field(default_factory=list)


@dataclass
class _Numbers:
    exact: set[int] = field(default_factory=set)
    prefix: set[int] = field(default_factory=set)
    linked: set[int] = field(default_factory=set)

    @property
    def all(self) -> set[int]:
        return self.exact | self.prefix | self.linked


@dataclass
class _Plan:
    """The query resolved into conditions on Part: the base ones (keyword, number, vehicle,
    category) select the parts every count starts from; the filters of the brand, grade,
    price and stock facets become flags, each tested by the counts of the other facets."""

    base: list[Q] = field(default_factory=list)
    flags: dict[str, Q] = field(default_factory=dict)
    numbers: _Numbers = field(default_factory=_Numbers)
    has_text: bool = False
    text_chunks: tuple[str, ...] = ()
    vin_decoding: VinDecoding | None = None
    vehicles: list[VehicleType] = field(default_factory=list)
    vehicle_label: str = ""


def visible_parts() -> QuerySet[Part]:
    return Part.objects.exclude(review_status=ReviewStatus.REJECTED)


def _indexed_parts() -> QuerySet[PartIndex]:
    """The visible parts in the search index (search.models): what searches filter and count."""
    return PartIndex.objects.filter(visible=True)


def _index_id() -> str:
    return f"{connection.ops.quote_name(PartIndex._meta.db_table)}.{connection.ops.quote_name('id')}"


# Categories ------------------------------------------------------------------------------


def _children_of(categories: Iterable[Category]) -> dict[int | None, list[Category]]:
    children: dict[int | None, list[Category]] = defaultdict(list)
    for category in categories:
        children[category.parent_id].append(category)
    return children


CATEGORY_FIELDS = tuple(f.name for f in Category._meta.concrete_fields)


def _categories() -> list[Category]:
    """Every category, in Category.Meta.ordering, by one raw statement."""
    table = Category._meta.db_table
    columns = ", ".join(quoted_column(Category, name) for name in CATEGORY_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY sort, code")
        rows = cursor.fetchall()
    return models_from_rows(Category, CATEGORY_FIELDS, rows)


def category_tree() -> list[Category]:
    """Every category in the order the tree is shown: each parent, then its children."""
    children = _children_of(_categories())
    ordered: list[Category] = []
    todo = list(reversed(children.get(None, [])))
    while todo:
        category = todo.pop()
        ordered.append(category)
        todo.extend(reversed(children.get(category.pk, [])))
    return ordered


def descendant_ids(category_id: int, categories: Iterable[Category]) -> set[int]:
    """The category and every category below it."""
    children = _children_of(categories)
    found, todo = set(), [category_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(c.pk for c in children.get(current, []))
    return found


# Numbers ---------------------------------------------------------------------------------


def _number_test(number: str, *, prefix: bool) -> tuple[str, list[Any]]:
    """`number_norm` is the number (exact) or starts with it (prefix), on the column's index."""
    if not prefix:
        return "number_norm = %s", [number]
    if connection.vendor == "sqlite":
        # A range uses the index on SQLite (LIKE there is case-insensitive and does not).
        return "number_norm >= %s AND number_norm < %s", [number, number + "\U0010ffff"]
    escaped = number.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "number_norm LIKE %s", [escaped + "%"]


def _number_matches(number: str) -> _Numbers:
    """Parts whose number or an OE number is this one (exact) or starts with it (prefix),
    and the parts that interchange with them or supersede them (either direction).

    One statement: the matches (a CTE, at most 2 × NUMBER_MATCH_LIMIT rows), then the
    links of the matched parts (at most NUMBER_MATCH_LIMIT), both by index.
    """
    test, values = _number_test(number, prefix=len(number) >= NUMBER_PREFIX_MIN)
    part, oe, link = Part._meta.db_table, OeNumber._meta.db_table, PartLink._meta.db_table
    sql = (
        f"WITH m AS (SELECT id AS part_id, number_norm FROM {part} WHERE review_status <> %s AND {test}"
        f" UNION ALL SELECT part_id, number_norm FROM {oe} WHERE review_status <> %s AND {test}"
        f" LIMIT {2 * NUMBER_MATCH_LIMIT:d})"
        " SELECT part_id, number_norm, CAST(NULL AS INTEGER) FROM m"
        " UNION ALL SELECT l.from_part_id, NULL, l.to_part_id FROM ("
        f"SELECT from_part_id, to_part_id FROM {link} WHERE review_status <> %s"
        " AND to_part_id IN (SELECT part_id FROM m)"
        f" UNION ALL SELECT from_part_id, to_part_id FROM {link} WHERE review_status <> %s"
        f" AND from_part_id IN (SELECT part_id FROM m) LIMIT {NUMBER_MATCH_LIMIT:d}) l"
    )
    rejected = ReviewStatus.REJECTED.value
    with connection.cursor() as cursor:
        cursor.execute(sql, [rejected, *values, rejected, *values, rejected, rejected])
        rows = cursor.fetchall()
    found = _Numbers()
    for part_id, number_norm, other_id in rows:
        if other_id is None:
            (found.exact if number_norm == number else found.prefix).add(part_id)
        else:
            found.linked.update((part_id, other_id))
    found.prefix -= found.exact
    found.linked -= found.exact | found.prefix
    return found


def _part_id_in(ids: Iterable[int]) -> RawSQL:
    """`id IN (…)` on the search index, written once: the ORM would prepare each of a long
    list's values one by one (a number prefix matches thousands of parts)."""
    ordered = sorted(ids)
    marks = ", ".join(["%s"] * len(ordered))
    return RawSQL(f"{_index_id()} IN ({marks})", ordered, output_field=BooleanField())


def _numbers_condition(numbers: Iterable[str], plan: _Plan) -> Q | None:
    """Each number must match (AND): by part or OE number, interchange, or an indexed token
    of the name (a grade like 5W-30)."""
    condition: Q | None = None
    for number in numbers:
        found = _number_matches(number)
        plan.numbers.exact |= found.exact
        plan.numbers.prefix |= found.prefix
        plan.numbers.linked |= found.linked
        this = Q(TokenMatch(prefixes=[number.lower()]))
        if found.all:
            this = Q(_part_id_in(found.all)) | this
        condition = this if condition is None else condition & this
    return condition


# Vehicles --------------------------------------------------------------------------------


def _cascade_label(query: SearchQuery) -> str:
    names: list[str] = []
    if query.model_id:
        model = VehicleModel.objects.select_related("make").filter(pk=query.model_id).first()
        names += [str(model)] if model else []
    elif query.make_id:
        make = Make.objects.filter(pk=query.make_id).first()
        names += [make.name] if make else []
    if query.year:
        names.append(str(query.year))
    if query.engine_code:
        names.append(query.engine_code)
    return " ".join(names)


def _vehicle_type_ids(query: SearchQuery, actor: Actor, plan: _Plan) -> set[int] | None:
    """The vehicle types named by the query (picked ids AND the VIN's), None: not named."""
    type_ids: set[int] | None = set(query.vehicle_type_ids) if query.vehicle_type_ids else None
    if query.vin:
        decoding = vin_decode(vin=query.vin, organization=actor.organization)
        plan.vin_decoding = decoding
        picked = [decoding.chosen] if decoding.chosen and not query.vehicle_type_ids else decoding.candidates
        type_ids = {t.pk for t in picked} if type_ids is None else type_ids & {t.pk for t in picked}
        plan.vehicles = [t for t in decoding.candidates if t.pk in type_ids]
    elif type_ids is not None:
        plan.vehicles = list(
            VehicleType.objects.filter(pk__in=sorted(type_ids)).select_related("model__make")[:20]
        )
    return type_ids


def _fitting_parts(type_ids: Iterable[int]) -> RawSQL:
    """`id IN (the parts fitting these vehicle types)`, written once (a VIN's few types)."""
    ordered = sorted(type_ids)
    marks = ", ".join(["%s"] * len(ordered))
    return RawSQL(
        f"{_index_id()} IN (SELECT part_id FROM {Fitment._meta.db_table}"
        f" WHERE review_status <> %s AND vehicle_type_id IN ({marks}))",
        [ReviewStatus.REJECTED.value, *ordered],
        output_field=BooleanField(),
    )


def _vehicle_condition(query: SearchQuery, actor: Actor, plan: _Plan) -> Q | None:
    if not query.has_vehicle:
        return None
    type_ids = _vehicle_type_ids(query, actor, plan)
    if type_ids and not query.has_cascade:
        return Q(_fitting_parts(type_ids))
    fitments = Fitment.objects.exclude(review_status=ReviewStatus.REJECTED)
    if type_ids is not None:
        fitments = fitments.filter(vehicle_type_id__in=sorted(type_ids))
    if query.has_cascade:
        cascade = vehicle_types_for(
            make_id=query.make_id,
            model_id=query.model_id,
            year=query.year,
            engine_code=query.engine_code or None,
        )
        fitments = fitments.filter(vehicle_type_id__in=cascade.values("id"))
        plan.vehicle_label = _cascade_label(query)
    return Q(pk__in=fitments.values("part_id"))


# The plan --------------------------------------------------------------------------------


def _text_condition(terms: QueryTerms) -> Q | None:
    if not (terms.words or terms.prefixes):
        return None
    return Q(TokenMatch(words=terms.words, prefixes=terms.prefixes))


def _price_condition(query: SearchQuery) -> Q | None:
    condition = Q()
    if query.price_min is not None:
        condition &= Q(min_price__gte=query.price_min)
    if query.price_max is not None:
        condition &= Q(min_price__lt=query.price_max)
    return condition or None


def _category_condition(query: SearchQuery, categories: list[Category]) -> Q | None:
    if not query.category_id:
        return None
    return Q(category_id__in=sorted(descendant_ids(query.category_id, categories)))


def _grade_condition(grades: tuple[str, ...]) -> Q:
    """A listed offer in one of the grades: a bit of Part.listed_grades (no offer is read)."""
    mask = sum(GRADE_BITS[grade] for grade in set(grades) if grade in GRADE_BITS)
    return Q(GreaterThan(F("listed_grades").bitand(mask), 0))


def _flags(query: SearchQuery) -> dict[str, Q | None]:
    return {
        "brand": Q(brand_id__in=sorted(set(query.brand_ids))) if query.brand_ids else None,
        "price": _price_condition(query),
        "in_stock": Q(in_stock=True) if query.in_stock else None,
        "grade": _grade_condition(query.grades) if query.grades else None,
    }


def _plan(query: SearchQuery, actor: Actor, categories: list[Category]) -> _Plan:
    plan = _Plan()
    terms = query_terms(query.q)
    numbers = list(terms.numbers)
    oe = normalize_number(query.oe)
    if oe and oe not in numbers:
        numbers.append(oe)
    plan.text_chunks = tuple(chunk for chunk in query.q.split() if chunk)
    plan.has_text = bool(terms.words or terms.prefixes)
    base = [
        _text_condition(terms),
        _numbers_condition(numbers, plan),
        _vehicle_condition(query, actor, plan),
        _category_condition(query, categories),
    ]
    plan.base = [condition for condition in base if condition is not None]
    flags = {name: flag for name, flag in _flags(query).items() if flag is not None}
    if plan.base:
        plan.flags = flags
    else:
        # Filters alone (no keyword, number, vehicle or category) would make every count
        # start from the whole catalogue: they narrow the base instead.
        plan.base = list(flags.values())
    return plan


# One statement: the page, the total and every facet ---------------------------------------
#
# The parts matching the base conditions are selected once, as a CTE `m` carrying what
# the counts and the order need, with one boolean column per facet filter; each branch
# of a UNION ALL counts `m` under the flags its facet keeps. The page of ids comes in the
# same statement, numbered in the chosen order; the total, price, stock and grade counts
# come as one summary row. The grade facet and filter read the bits of
# Part.listed_grades (the grades of the part's listed offers), not the offers.

COLUMNS = (
    "id",
    "category_id",
    "brand_id",
    "min_price",
    "fastest_lead_days",
    "in_stock",
    "supplier_count",
    "listed_grades",
)
SUMMARY, PAGE, CATEGORY, BRAND = "summary", "page", "category", "brand"


def _caseless(text: str) -> bool:
    """True when no character of the text has a case (Chinese, digits): the name then
    contains it exactly when it contains it ignoring case."""
    return text.upper() == text.lower()


# Ignoring case, the name is compared in capitals: the index keeps UPPER(name), so no hit's
# name is folded at query time (that was a third of a broad search's time).


def _name_is(text: str) -> Q:
    return Q(name=text) if _caseless(text) else Q(name_upper=text.upper())


def _name_has(text: str) -> Q:
    return Q(name__contains=text) if _caseless(text) else Q(name_upper__contains=text.upper())


def _relevance_annotations(plan: _Plan) -> dict[str, Any]:
    annotations: dict[str, Any] = {}
    numbers = plan.numbers
    if numbers.all:
        ranked = [(numbers.exact, 0), (numbers.prefix, 1), (numbers.linked, 2)]
        annotations["number_rank"] = Case(
            *(When(_part_id_in(ids), then=Value(rank)) for ids, rank in ranked if ids),
            default=Value(3),
            output_field=IntegerField(),
        )
    if plan.has_text and plan.text_chunks:
        whole = " ".join(plan.text_chunks)
        rank: Any = Case(When(_name_is(whole), then=Value(0)), default=Value(1), output_field=IntegerField())
        for chunk in plan.text_chunks:
            rank = rank + Case(
                When(_name_has(chunk), then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        annotations["text_rank"] = rank
    return annotations


def _order_by(query: SearchQuery, annotations: dict[str, Any]) -> str:
    if query.sort == "price":
        keys = ["min_price ASC NULLS LAST", "fastest_lead_days ASC NULLS LAST"]
    elif query.sort == "delivery":
        keys = ["fastest_lead_days ASC NULLS LAST", "min_price ASC NULLS LAST"]
    else:
        keys = [f"{name} ASC" for name in ("number_rank", "text_rank") if name in annotations]
        keys += ["in_stock DESC", "supplier_count DESC", "min_price ASC NULLS LAST"]
    return ", ".join([*keys, "id ASC"])


def _matching(query: SearchQuery, plan: _Plan) -> tuple[str, list[Any], list[str], str]:
    """The CTE's SQL and parameters, its column names, and the page's ORDER BY."""
    parts = _indexed_parts()
    for condition in plan.base:
        parts = parts.filter(condition)
    flags = {
        f"f_{name}": ExpressionWrapper(flag, output_field=BooleanField()) for name, flag in plan.flags.items()
    }
    ranks = _relevance_annotations(plan) if query.sort == "relevance" else {}
    annotations = {**flags, **ranks}
    selected = parts.annotate(**annotations).order_by().values(*COLUMNS, *annotations)
    sql, params = selected.query.sql_with_params()
    return sql, list(params), [*COLUMNS, *annotations], _order_by(query, ranks)


def _where(plan: _Plan, *, without: str = "", extra: str = "") -> str:
    tests = [f"m.f_{name}" for name in plan.flags if name != without]
    return " AND ".join([*tests, extra] if extra else tests) or "1 = 1"


def _with(query: SearchQuery, plan: _Plan) -> tuple[str, list[Any], str]:
    """The WITH clause (m), its parameters and ORDER BY."""
    cte, params, columns, order_by = _matching(query, plan)
    return f"WITH m ({', '.join(columns)}) AS ({cte})", params, order_by


def _summary_counts(plan: _Plan) -> list[str]:
    """The one-row counts, in SUMMARY order: total, each price range, in stock, each grade.

    Each is COUNT(*) FILTER over `m` under the flags its facet keeps, so the hits are read
    once for all of them (the bounds and bits are constants of the code, not input)."""
    counts = [_where(plan)]
    for _value, low, high in PRICE_RANGES:
        bound = (
            f"m.min_price >= {low} AND m.min_price < {high}" if high is not None else f"m.min_price >= {low}"
        )
        counts.append(_where(plan, without="price", extra=bound))
    counts.append(_where(plan, without="in_stock", extra="m.in_stock"))
    counts += [
        _where(plan, without="grade", extra=f"(m.listed_grades & {bit:d}) <> 0")
        for bit in GRADE_BITS.values()
    ]
    return [f"COUNT(*) FILTER (WHERE {where})" for where in counts]


def _statement(query: SearchQuery, plan: _Plan, *, offset: int, limit: int) -> tuple[str, list[Any]]:
    """Rows (facet, key, label, n, counts…): the summary row carries the one-row counts,
    the page rows their position in the page, category and brand rows their counts.

    The page is cut first (ORDER BY … LIMIT, a top-N sort over the hits) and only its
    rows are numbered, so the hits are never sorted whole."""
    clause, params, order_by = _with(query, plan)
    brand = Brand._meta.db_table
    counts = _summary_counts(plan)
    pad = ", ".join(["NULL"] * len(counts))
    page = (
        f"SELECT c.id, ROW_NUMBER() OVER (ORDER BY {order_by}) AS position FROM (SELECT * FROM m"
        f" WHERE {_where(plan)} ORDER BY {order_by} LIMIT {limit:d} OFFSET {offset:d}) c"
    )
    brands = (
        f"SELECT m.brand_id, COUNT(*) AS n FROM m WHERE {_where(plan, without='brand')} GROUP BY m.brand_id"
    )
    branches = [
        f"SELECT '{SUMMARY}', NULL, NULL, NULL, {', '.join(counts)} FROM m",
        f"SELECT '{PAGE}', p.id, NULL, p.position, {pad} FROM ({page}) p",
        f"SELECT '{CATEGORY}', m.category_id, NULL, COUNT(*), {pad} FROM m"
        f" WHERE {_where(plan)} GROUP BY m.category_id",
        f"SELECT '{BRAND}', c.brand_id, b.name, c.n, {pad} FROM ({brands}) c"
        f" JOIN {brand} b ON b.id = c.brand_id",
    ]
    return f"{clause} " + " UNION ALL ".join(branches), params


@dataclass
class _Counted:
    total: int = 0
    page_ids: list[int] = field(default_factory=list)
    price: dict[int, int] = field(default_factory=dict)
    in_stock: int = 0
    category: dict[int, int] = field(default_factory=dict)
    brand: list[tuple[int, str, int]] = field(default_factory=list)
    grade: dict[str, int] = field(default_factory=dict)

    def add_summary(self, counts: tuple[int, ...]) -> None:
        ranges = len(PRICE_RANGES)
        self.total = counts[0]
        self.price = dict(enumerate(counts[1 : 1 + ranges]))
        self.in_stock = counts[1 + ranges]
        self.grade = dict(zip(GRADE_BITS, counts[2 + ranges :], strict=True))


def _run(query: SearchQuery, plan: _Plan, *, offset: int, limit: int) -> _Counted:
    counted = _Counted()
    try:
        sql, params = _statement(query, plan, offset=offset, limit=limit)
    except EmptyResultSet:  # a criterion that nothing can meet (a VIN without vehicle types)
        return counted
    page: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for facet, key, label, n, *counts in rows:
        if facet == SUMMARY:
            counted.add_summary(tuple(counts))
        elif facet == PAGE:
            page.append((n, key))
        elif facet == CATEGORY:
            counted.category[key] = n
        else:
            counted.brand.append((key, label, n))
    counted.page_ids = [part_id for _position, part_id in sorted(page)]
    return counted


# Facets ----------------------------------------------------------------------------------


def _price_range_q(low: Decimal, high: Decimal | None) -> Q:
    condition = Q(min_price__gte=low)
    return condition & Q(min_price__lt=high) if high is not None else condition


def _price_range_label(low: Decimal, high: Decimal | None) -> str:
    return f"¥{low:,.0f}–{high:,.0f}" if high is not None else f"¥{low:,.0f}+"


def _category_facet(direct: dict[int, int], categories: list[Category]) -> list[FacetValue]:
    """Counts per category, each including its descendants, in tree order."""
    by_id = {c.pk: c for c in categories}
    totals: dict[int, int] = defaultdict(int)
    for category_id, n in direct.items():
        node = by_id.get(category_id)
        while node is not None:
            totals[node.pk] += n
            node = by_id.get(node.parent_id) if node.parent_id else None
    return [FacetValue(c.pk, c.name, totals[c.pk]) for c in categories if totals.get(c.pk)]


def _facets(counted: _Counted, categories: list[Category]) -> Facets:
    return Facets(
        category=_category_facet(counted.category, categories),
        brand=[FacetValue(*row) for row in sorted(counted.brand, key=lambda row: (-row[2], row[1]))],
        grade=[
            FacetValue(grade.value, str(grade.label), counted.grade[grade.value])
            for grade in Grade
            if counted.grade.get(grade.value)
        ],
        price_range=[
            FacetValue(value, _price_range_label(low, high), counted.price.get(index, 0))
            for index, (value, low, high) in enumerate(PRICE_RANGES)
        ],
        in_stock=[FacetValue(True, str(IN_STOCK_LABEL), counted.in_stock)],
    )


# Results ---------------------------------------------------------------------------------


def _number_match(part_id: int, numbers: _Numbers) -> str:
    if part_id in numbers.exact:
        return "exact"
    if part_id in numbers.prefix:
        return "prefix"
    return "interchange" if part_id in numbers.linked else ""


# What a result row shows (pages, API): other fields of a hit's part load when read.
HIT_FIELDS = (
    "id",
    "brand",
    "number",
    "name",
    "category",
    "review_status",
    "min_price",
    "fastest_lead_days",
    "supplier_count",
    "offer_count",
    "in_stock",
)


BRAND_FIELDS = tuple(f.name for f in Brand._meta.concrete_fields)
# HIT_FIELDS in the model's field order (Model.from_db takes deferred values in that order).
PAGE_FIELDS = tuple(f.name for f in Part._meta.concrete_fields if f.name in HIT_FIELDS)


def _page_rows(ids: list[int]) -> tuple[list[Part], dict[int, Brand]]:
    """The page's parts (HIT_FIELDS) and their brands, by one raw statement."""
    if not ids:
        return [], {}
    part, brand = Part._meta.db_table, Brand._meta.db_table
    part_columns = [f"p.{quoted_column(Part, name)}" for name in PAGE_FIELDS]
    brand_columns = [f"b.{quoted_column(Brand, name)}" for name in BRAND_FIELDS]
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join([*part_columns, *brand_columns])} FROM {part} p"
            f" JOIN {brand} b ON b.id = p.brand_id WHERE p.id IN ({marks})",
            ids,
        )
        rows = cursor.fetchall()
    width = len(PAGE_FIELDS)
    parts = models_from_rows(Part, PAGE_FIELDS, (row[:width] for row in rows))
    brands = models_from_rows(Brand, BRAND_FIELDS, {row[width]: row[width:] for row in rows}.values())
    return parts, {b.pk: b for b in brands}


def _hits(ids: list[int], plan: _Plan, categories: list[Category]) -> list[PartHit]:
    by_category = {c.pk: c for c in categories}
    parts, brands = _page_rows(ids)
    by_id = {part.pk: part for part in parts}
    hits = []
    for part_id in ids:
        part = by_id[part_id]
        part.brand = brands[part.brand_id]
        if part.category_id in by_category:
            part.category = by_category[part.category_id]
        hits.append(
            PartHit(
                part=part,
                min_price=part.min_price,
                fastest_lead_days=part.fastest_lead_days,
                supplier_count=part.supplier_count,
                offer_count=part.offer_count,
                in_stock=part.in_stock,
                number_match=_number_match(part.pk, plan.numbers),
            )
        )
    return hits


def search_parts(*, actor: Actor, query: SearchQuery) -> SearchResult:
    """Parts matching the query, one page of them, and the facets (see the module docstring).

    Shared catalogue data: every organization searches the same parts. A VIN that is not
    one raises ApplicationError(field="vin") (vehicles.vin.vin_validate).
    """
    page_size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    categories = category_tree()
    if not query.has_criteria:
        return SearchResult(total=0, hits=[], facets=Facets(), page_size=page_size, categories=categories)
    plan = _plan(query, actor, categories)
    page = max(1, query.page)
    counted = _run(query, plan, offset=(page - 1) * page_size, limit=page_size)
    num_pages = max(1, math.ceil(counted.total / page_size))
    if page > num_pages:
        # Past the last page (the results shrank): answer the last one.
        page = num_pages
        counted.page_ids = _run(query, plan, offset=(page - 1) * page_size, limit=page_size).page_ids
    return SearchResult(
        total=counted.total,
        hits=_hits(counted.page_ids, plan, categories),
        facets=_facets(counted, categories),
        page=page,
        page_size=page_size,
        num_pages=num_pages,
        vin_decoding=plan.vin_decoding,
        vehicles=plan.vehicles,
        vehicle_label=plan.vehicle_label,
        has_criteria=True,
        categories=categories,
    )


def _cheapest(prices: Iterable[ResolvedPrice]) -> ResolvedPrice | None:
    """The lowest unit price; on a tie the buyer's own price (contract, group) over the standard."""
    return min(prices, key=lambda price: (price.unit_price, price.is_standard), default=None)


def price_hits(*, actor: Actor, hits: list[PartHit]) -> None:
    """Sets each hit's `price`: the acting organization's lowest resolved price over the
    part's listed offers. At most four statements for any page (its listed offers, then
    the resolver's three); none without an acting organization (the standard applies)."""
    if not hits or actor.organization is None:
        return
    offers = list(
        Offer.objects.filter(part_id__in=[hit.part.pk for hit in hits], is_listed=True).only(
            "id", "part_id", "supplier_id", "price"
        )
    )
    prices = resolve_prices(buyer=actor.organization, offers=offers, quantity=1)
    by_part: dict[int, list[ResolvedPrice]] = defaultdict(list)
    for offer in offers:
        by_part[offer.part_id].append(prices[offer.pk])
    for hit in hits:
        hit.price = _cheapest(by_part.get(hit.part.pk, []))


# The part page ---------------------------------------------------------------------------


class Relation(NamedTuple):
    value: str
    label: Any


INTERCHANGE = Relation("interchange", _("可互换"))
SUPERSEDED_BY = Relation("superseded_by", _("新件（替代本件）"))
SUPERSEDES = Relation("supersedes", _("旧件（被本件替代）"))


@dataclass
class LinkedPart:
    part: Part
    relation: str
    relation_label: str


@dataclass
class ModelFitment:
    model: VehicleModel
    fitments: list[Fitment]


@dataclass
class MakeFitment:
    make: Make
    models: list[ModelFitment]

    @property
    def count(self) -> int:
        return sum(len(m.fitments) for m in self.models)


@dataclass
class PartDetail:
    part: Part
    category_path: list[Category]
    oe_numbers: list[OeNumber]
    links: list[LinkedPart]
    fitment: list[MakeFitment]
    offers: list[Offer]
    best_price_offer_id: int | None = None
    fastest_offer_id: int | None = None
    # The acting organization's price per offer id (pricing.resolver, quantity 1).
    prices: dict[int, ResolvedPrice] = field(default_factory=dict)

    @property
    def fitment_count(self) -> int:
        return sum(group.count for group in self.fitment)


def _category_path(part: Part) -> list[Category]:
    by_id = {c.pk: c for c in category_tree()}
    path: list[Category] = []
    node = by_id.get(part.category_id)
    while node is not None and len(path) < 20:
        path.insert(0, node)
        node = by_id.get(node.parent_id) if node.parent_id else None
    return path


def _links(part: Part) -> list[LinkedPart]:
    rows = (
        PartLink.objects.exclude(review_status=ReviewStatus.REJECTED)
        .filter(Q(from_part=part) | Q(to_part=part))
        .exclude(from_part__review_status=ReviewStatus.REJECTED)
        .exclude(to_part__review_status=ReviewStatus.REJECTED)
        .select_related("from_part__brand", "to_part__brand")
        .order_by("kind", "id")
    )
    linked: dict[int, LinkedPart] = {}
    for link in rows:
        outgoing = link.from_part_id == part.pk
        other = link.to_part if outgoing else link.from_part
        if link.kind == PartLink.Kind.SUPERSESSION:
            relation = SUPERSEDED_BY if outgoing else SUPERSEDES
        else:
            relation = INTERCHANGE
        linked.setdefault(other.pk, LinkedPart(other, relation.value, str(relation.label)))
    return list(linked.values())


def _fitment(part: Part) -> list[MakeFitment]:
    rows = (
        part.fitments.exclude(review_status=ReviewStatus.REJECTED)
        .select_related("vehicle_type__model__make")
        .order_by(
            "vehicle_type__model__make__initials",
            "vehicle_type__model__make__name",
            "vehicle_type__model__name",
            # Unknown start years first, on every database (PostgreSQL would put NULL last).
            F("vehicle_type__year_from").asc(nulls_first=True),
            "vehicle_type_id",
            "position",
        )
    )
    makes: dict[int, MakeFitment] = {}
    models: dict[int, ModelFitment] = {}
    for fitment in rows:
        model = fitment.vehicle_type.model
        group = makes.get(model.make_id)
        if group is None:
            group = makes[model.make_id] = MakeFitment(model.make, [])
        if model.pk not in models:
            models[model.pk] = ModelFitment(model, [])
            group.models.append(models[model.pk])
        models[model.pk].fitments.append(fitment)
    return list(makes.values())


def part_detail(*, actor: Actor, part_id: int) -> PartDetail:
    """A part with what the part page shows. Shared data: any organization may read it;
    a rejected or unknown part is 404."""
    part = visible_parts().select_related("brand", "category").filter(pk=part_id).first()
    if part is None:
        raise Http404
    listed = list(part.offers.filter(is_listed=True).select_related("supplier"))
    # Compared at the buyer's own prices: the cheapest for this buyer comes first.
    prices = resolve_prices(buyer=actor.organization, offers=listed, quantity=1)
    offers = sorted(listed, key=lambda o: (prices[o.pk].unit_price, o.lead_time_days, o.pk))
    fastest = min(offers, key=lambda o: (o.lead_time_days, prices[o.pk].unit_price, o.pk), default=None)
    return PartDetail(
        part=part,
        category_path=_category_path(part),
        oe_numbers=list(
            part.oe_numbers.exclude(review_status=ReviewStatus.REJECTED)
            .select_related("oe_brand")
            .order_by("oe_brand__name", "number_norm")
        ),
        links=_links(part),
        fitment=_fitment(part),
        offers=offers,
        best_price_offer_id=offers[0].pk if offers else None,
        fastest_offer_id=fastest.pk if fastest else None,
        prices=prices,
    )
