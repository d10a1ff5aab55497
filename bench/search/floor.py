"""The floor: the same search answered by hand-written SQL on the same connection.

For a SearchQuery it returns the same page of part ids (with the columns the result row
shows) and the same facet counts as search.selectors.search_parts, in as few statements as
the answer allows:

1. VIN: one statement for the pattern's vehicle types and the organization's remembered
   choice (the longest VDS prefix and the model-year narrowing are done on the rows);
   OE / part number: one statement for the exact and prefix matches and their
   interchange / supersession links.
2. The page's ids, the total and every facet: one statement over a materialised CTE of
   the base set (keyword, number, vehicle, category; with none of them, the filters),
   with UNION ALL branches applying the filters (brand, grade, price, stock) each keeps:
   the semantics of search_parts, which every answer is checked against.
3. The page's rows (name, number, price, brand, category …) by id: one statement.

What is not SQL (cutting the keyword into index tokens with jieba, the category tree) is
prepared before the clock starts: `prepare` turns the query into a `Spec`.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from partsmall.catalog.indexing import query_terms
from partsmall.catalog.models import GRADE_BITS
from partsmall.catalog.normalize import normalize_number
from partsmall.search.selectors import NUMBER_PREFIX_MIN, PRICE_RANGES, SearchQuery
from partsmall.vehicles.vin import YEAR_CODES, YEAR_CYCLE_START

GRADES = tuple(GRADE_BITS)


@dataclass
class Category:
    id: int
    parent_id: int | None
    name: str


@dataclass
class Spec:
    """A SearchQuery with its non-SQL work done."""

    query: SearchQuery
    organization_id: int | None
    words: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    chunks: tuple[str, ...] = ()
    category_ids: tuple[int, ...] = ()
    categories: list[Category] = field(default_factory=list)


@dataclass
class Answer:
    total: int
    page: list[tuple]
    category: list[tuple[int, str, int]]
    brand: list[tuple[int, str, int]]
    grade: list[tuple[str, int]]
    price_range: list[tuple[str, int]]
    in_stock: int

    def key(self) -> tuple:
        """What must equal the project's answer."""
        return (
            self.total,
            [row[0] for row in self.page],
            self.category,
            self.brand,
            self.grade,
            self.price_range,
            self.in_stock,
        )


def load_categories() -> list[Category]:
    """The category tree in the order the project shows it (loaded once, before timing)."""
    from partsmall.search.selectors import category_tree

    return [Category(c.pk, c.parent_id, c.name) for c in category_tree()]


def prepare(query: SearchQuery, *, organization_id: int | None, categories: list[Category]) -> Spec:
    terms = query_terms(query.q)
    numbers = list(terms.numbers)
    oe = normalize_number(query.oe)
    if oe and oe not in numbers:
        numbers.append(oe)
    spec = Spec(query, organization_id, terms.words, terms.prefixes, tuple(numbers), tuple(query.q.split()))
    spec.categories = categories
    if query.category_id:
        spec.category_ids = tuple(sorted(_descendants(query.category_id, categories)))
    return spec


def _descendants(category_id: int, categories: list[Category]) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for category in categories:
        children[category.parent_id].append(category.id)
    found, todo = set(), [category_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def _in(values: Any) -> tuple[str, list]:
    values = list(values)
    if not values:
        return "(NULL)", []
    return "(" + ", ".join(["%s"] * len(values)) + ")", values


def _text_match(words: tuple[str, ...], prefixes: tuple[str, ...]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        query = " & ".join([f"'{w}'" for w in words] + [f"'{p}':*" for p in prefixes])
        return "{a}.tsv @@ to_tsquery('simple'::regconfig, %s)", [query]
    query = " AND ".join([f'"{w}"' for w in words] + [f'"{p}"*' for p in prefixes])
    return "{a}.id IN (SELECT rowid FROM catalog_part_fts WHERE catalog_part_fts MATCH %s)", [query]


# 1. VIN and numbers ------------------------------------------------------------------------


def _model_years(vin: str, today: dt.date) -> list[int]:
    if vin[9] not in YEAR_CODES:
        return []
    years = range(YEAR_CYCLE_START + YEAR_CODES.index(vin[9]), today.year + 2, len(YEAR_CODES))
    return list(years)


def _covers(year_from: int | None, year_to: int | None, year: int) -> bool:
    """As VehicleType.covers_year: an unknown bound is open."""
    return (year_from is None or year_from <= year) and (year_to is None or year <= year_to)


def vehicle_types_of_vin(vin: str, organization_id: int | None) -> list[int]:
    """The VIN pattern's vehicle types narrowed by model year, or the remembered choice."""
    vds = vin[3:8]
    marks, prefixes = _in(vds[:n] for n in range(len(vds) + 1))
    sql = f"""
        SELECT length(p.vds_prefix), vt.id, vt.year_from, vt.year_to
        FROM vehicles_vinpattern p
        JOIN vehicles_vinpattern_vehicle_types pv ON pv.vinpattern_id = p.id
        JOIN vehicles_vehicletype vt ON vt.id = pv.vehicletype_id
        WHERE p.wmi = %s AND p.vds_prefix IN {marks}
        UNION ALL
        SELECT -1, vehicle_type_id, 0, 0 FROM vehicles_vinchoice WHERE organization_id = %s AND vin = %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [vin[:3], *prefixes, organization_id, vin])
        rows = cursor.fetchall()
    longest = max((r[0] for r in rows), default=-1)
    types = sorted((r for r in rows if r[0] == longest and longest >= 0), key=lambda r: r[1])
    years = _model_years(vin, dt.date.today())  # noqa: DTZ011 - as the project: a calendar year
    fitting = [r for r in types if any(_covers(r[2], r[3], y) for y in years)] or types
    ids = [r[1] for r in fitting]
    remembered = [r[1] for r in rows if r[0] == -1 and r[1] in ids]
    if remembered:
        return remembered[:1]
    return ids


@dataclass
class NumberMatches:
    exact: set[int] = field(default_factory=set)
    prefix: set[int] = field(default_factory=set)
    linked: set[int] = field(default_factory=set)

    @property
    def all(self) -> set[int]:
        return self.exact | self.prefix | self.linked


def number_matches(number: str) -> NumberMatches:
    """Parts whose number or OE number is `number` or starts with it, and their links."""
    prefix = len(number) >= NUMBER_PREFIX_MIN
    if not prefix:
        test, params = "number_norm = %s", [number]
    elif connection.vendor == "postgresql":
        test, params = (
            "number_norm LIKE %s",
            [number.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
        )
    else:
        test, params = "number_norm >= %s AND number_norm < %s", [number, number + "\U0010ffff"]
    sql = f"""
        WITH m AS (
            SELECT id AS part_id, number_norm FROM catalog_part WHERE review_status <> 'rejected' AND {test}
            UNION ALL
            SELECT part_id, number_norm FROM catalog_oenumber WHERE review_status <> 'rejected' AND {test}
        )
        SELECT part_id, number_norm FROM m
        UNION ALL
        SELECT from_part_id, NULL FROM catalog_partlink
        WHERE review_status <> 'rejected' AND to_part_id IN (SELECT part_id FROM m)
        UNION ALL
        SELECT to_part_id, NULL FROM catalog_partlink
        WHERE review_status <> 'rejected' AND from_part_id IN (SELECT part_id FROM m)
    """
    found = NumberMatches()
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params)
        for part_id, number_norm in cursor.fetchall():
            if number_norm is None:
                found.linked.add(part_id)
            else:
                (found.exact if number_norm == number else found.prefix).add(part_id)
    found.prefix -= found.exact
    found.linked -= found.exact | found.prefix
    return found


# 2 and 3. The page and the facets ------------------------------------------------------


@dataclass
class Where:
    """Conditions by name, like the project's plan, as SQL on `p` (search_partindex: the
    narrow copy of the parts' searched columns that the triggers of search 0001 keep)."""

    parts: dict[str, tuple[str, list]] = field(default_factory=dict)

    def sql(
        self, *, alias: str = "p", only: tuple[str, ...] | None = None, without: tuple[str, ...] = ()
    ) -> tuple[str, list]:
        names = [n for n in self.parts if (only is None or n in only) and n not in without]
        sql = " AND ".join(f"({self.parts[n][0]})" for n in names) or "1 = 1"
        return sql.replace("{a}", alias), [v for n in names for v in self.parts[n][1]]

    def one(self, name: str, alias: str) -> tuple[str, list]:
        sql, params = self.parts.get(name, ("", []))
        return sql.replace("{a}", alias), params


def _conditions(spec: Spec, type_ids: list[int] | None, numbers: list[NumberMatches]) -> Where:
    q = spec.query
    where = Where()
    where.parts["visible"] = ("{a}.visible", [])
    if spec.words or spec.prefixes:
        where.parts["text"] = _text_match(spec.words, spec.prefixes)
    for index, (number, found) in enumerate(zip(spec.numbers, numbers, strict=True)):
        sql, params = _text_match((), (number.lower(),))
        if found.all:
            marks, ids = _in(sorted(found.all))
            sql, params = f"{{a}}.id IN {marks} OR {sql}", ids + params
        where.parts[f"number{index}"] = (sql, params)
    if type_ids is not None:
        marks, ids = _in(type_ids)
        sql = (
            "{a}.id IN (SELECT part_id FROM catalog_fitment WHERE review_status <> 'rejected' "
            f"AND vehicle_type_id IN {marks})"
        )
        where.parts["vehicle"] = (sql, ids)
    if spec.category_ids:
        marks, ids = _in(spec.category_ids)
        where.parts["category"] = (f"{{a}}.category_id IN {marks}", ids)
    if q.brand_ids:
        marks, ids = _in(sorted(set(q.brand_ids)))
        where.parts["brand"] = (f"{{a}}.brand_id IN {marks}", ids)
    if q.grades:
        # Part.listed_grades: one bit per grade of the part's listed offers (GRADE_BITS).
        mask = sum(GRADE_BITS.get(grade, 0) for grade in set(q.grades))
        where.parts["grade"] = ("({a}.listed_grades & %s) <> 0", [mask])
    price = _price(q.price_min, q.price_max)
    if price[0]:
        where.parts["price"] = price
    if q.in_stock:
        where.parts["in_stock"] = ("{a}.in_stock", [])
    return where


def _price(low: Decimal | None, high: Decimal | None, column: str = "{a}.min_price") -> tuple[str, list]:
    tests, params = [], []
    if low is not None:
        tests.append(f"{column} >= %s")
        params.append(low)
    if high is not None:
        tests.append(f"{column} < %s")
        params.append(high)
    return " AND ".join(tests), params


def _number_rank(numbers: list[NumberMatches]) -> tuple[str, list]:
    found = NumberMatches()
    for matches in numbers:
        found.exact |= matches.exact
        found.prefix |= matches.prefix
        found.linked |= matches.linked
    if not found.all:
        return "", []
    whens, params = [], []
    for ids, rank in ((found.exact, 0), (found.prefix, 1), (found.linked, 2)):
        if ids:
            marks, values = _in(sorted(ids))
            whens.append(f"WHEN x.id IN {marks} THEN {rank}")
            params += values
    return f"CASE {' '.join(whens)} ELSE 3 END", params


def _text_rank(chunks: tuple[str, ...]) -> tuple[str, list]:
    """0 per exact or contained chunk of the keyword in the part's name (as search_parts)."""

    def like(value: str) -> str:
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    def test(value: str) -> str:
        # A value with cased letters is compared in capitals with UPPER(name), which the
        # index keeps; one without (Chinese, digits) with the name as it is.
        column = "p.name_upper" if value.upper() != value.lower() else "p.name"
        escape = "" if connection.vendor == "postgresql" else " ESCAPE '\\'"
        return f"(CASE WHEN {column} LIKE %s{escape} THEN 0 ELSE 1 END)"

    params = [like(" ".join(chunks))] + [f"%{like(c)}%" for c in chunks]
    params = [value.upper() if value.upper() != value.lower() else value for value in params]
    return " + ".join(test(value) for value in params), params


def _order(spec: Spec, numbers: list[NumberMatches], has_text: bool) -> tuple[str, list]:
    """ORDER BY over the CTE rows `x` (the text rank is the CTE's column `tr`)."""
    q = spec.query
    if q.sort == "price":
        return "x.min_price ASC NULLS LAST, x.fastest_lead_days ASC NULLS LAST, x.id", []
    if q.sort == "delivery":
        return "x.fastest_lead_days ASC NULLS LAST, x.min_price ASC NULLS LAST, x.id", []
    rank, params = _number_rank(numbers)
    terms = [rank] if rank else []
    if has_text:
        terms.append("x.tr")
    terms += ["x.in_stock DESC", "x.supplier_count DESC", "x.min_price ASC NULLS LAST", "x.id"]
    return ", ".join(terms), params


BASE = ("visible", "text", "vehicle", "category")
FLAGS = ("brand", "grade", "price", "in_stock")


def split(where: Where) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(base, flags) as search_parts counts them: keyword, number, vehicle and category
    make the base set the facets count; brand, grade, price and stock are filters each
    facet applies except its own. With no base criterion the filters make the base."""
    base = tuple(n for n in where.parts if n in BASE or n.startswith("number"))
    flags = tuple(n for n in where.parts if n in FLAGS)
    if base == ("visible",):
        return base + flags, ()
    return base, flags


def _statement(spec: Spec, where: Where, numbers: list[NumberMatches]) -> tuple[str, list]:
    """One statement: a materialised CTE of the base set (with Part.listed_grades and the
    text rank as columns), then UNION ALL branches: the page's ids, the counts (the
    total, price ranges, stock and each grade's bit in one summary row)."""
    q = spec.query
    base, flags = split(where)
    base_sql, base_params = where.sql(only=base)
    has_text = q.sort == "relevance" and "text" in where.parts and bool(spec.chunks)
    rank_column = ""
    head_params: list[Any] = []
    if has_text:
        rank_sql, head_params = _text_rank(spec.chunks)
        rank_column = f", {rank_sql} AS tr"
    columns = (
        "p.id, p.category_id, p.brand_id, p.min_price, p.in_stock, p.supplier_count, p.fastest_lead_days,"
        " p.listed_grades"
    )
    head = (
        f"WITH f AS MATERIALIZED (SELECT {columns}{rank_column} FROM search_partindex p WHERE {base_sql})\n"
    )
    head_params += base_params
    tests = {name: where.one(name, "x") for name in flags}

    def kept(without: str = "", extra: tuple[str, list] = ("", [])) -> tuple[str, list]:
        chosen = [tests[n] for n in flags if n != without] + ([extra] if extra[0] else [])
        return " AND ".join(f"({t})" for t, _ in chosen) or "1 = 1", [
            v for _, values in chosen for v in values
        ]

    counts = [kept()]
    counts += [kept("price", _price(low, high, "x.min_price")) for _value, low, high in PRICE_RANGES]
    counts.append(kept("in_stock", ("x.in_stock", [])))
    # The grade facet: the counted parts with each grade's bit set (no offer is read).
    counts += [kept("grade", (f"(x.listed_grades & {bit:d}) <> 0", [])) for bit in GRADE_BITS.values()]
    filters = ", ".join(f"COUNT(*) FILTER (WHERE {sql})" for sql, _ in counts)
    pad = ", ".join(["CAST(NULL AS BIGINT)"] * (len(counts) - 1))
    order, order_params = _order(spec, numbers, has_text)
    size = max(1, min(q.page_size, 100))
    sql, values = kept()
    branches = [
        (
            f"SELECT 'summary', CAST(NULL AS BIGINT), CAST(NULL AS TEXT), {filters} FROM f x",
            [v for _, values in counts for v in values],
        ),
        (
            # The page is cut first (a top-N sort), then only its rows are numbered.
            f"SELECT 'page', pg.id, NULL, pg.position, {pad} FROM (SELECT x.id, "
            f"ROW_NUMBER() OVER (ORDER BY {order}) AS position FROM (SELECT * FROM f x WHERE {sql} "
            f"ORDER BY {order} LIMIT {size:d} OFFSET {(q.page - 1) * size:d}) x) pg",
            order_params + values + order_params,
        ),
        (
            f"SELECT 'category', x.category_id, NULL, COUNT(*), {pad} FROM f x "
            f"WHERE {sql} GROUP BY x.category_id",
            values,
        ),
    ]
    sql, values = kept("brand")
    branches.append(
        (
            f"SELECT 'brand', c.brand_id, b.name, c.n, {pad} FROM (SELECT x.brand_id, COUNT(*) AS n "
            f"FROM f x WHERE {sql} GROUP BY x.brand_id) c JOIN catalog_brand b ON b.id = c.brand_id",
            values,
        )
    )
    statement = head + "\nUNION ALL\n".join(b[0] for b in branches)
    return statement, head_params + [v for b in branches for v in b[1]]


PAGE_ROWS_SQL = """
SELECT p.id, p.name, p.number, p.min_price, p.fastest_lead_days, p.supplier_count, p.offer_count,
       p.in_stock, b.name, c.name
FROM catalog_part p
JOIN catalog_brand b ON b.id = p.brand_id
JOIN catalog_category c ON c.id = p.category_id
WHERE p.id IN {ids}
"""


def _page_rows(ids: list[int]) -> list[tuple]:
    """What the result rows show, for the page's parts, in the page's order."""
    marks, values = _in(ids)
    with connection.cursor() as cursor:
        cursor.execute(PAGE_ROWS_SQL.format(ids=marks), values)
        by_id = {row[0]: row for row in cursor.fetchall()}
    return [by_id[i] for i in ids]


def _answer(spec: Spec, where: Where, numbers: list[NumberMatches]) -> Answer:
    sql, params = _statement(spec, where, numbers)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    answer = Answer(0, [], [], [], [], [], 0)
    direct: dict[int, int] = {}
    brands, grades, page = [], {}, []
    for kind, key, label, n, *more in rows:
        if kind == "summary":
            answer.total = n
            prices, stock, by_grade = more[: len(PRICE_RANGES)], more[len(PRICE_RANGES)], more[-len(GRADES) :]
            answer.price_range = [(r[0], c) for r, c in zip(PRICE_RANGES, prices, strict=True)]
            answer.in_stock = stock
            grades = {g: c for g, c in zip(GRADES, by_grade, strict=True) if c}
        elif kind == "page":
            page.append((n, key))
        elif kind == "category":
            direct[key] = n
        elif kind == "brand":
            brands.append((key, label, n))
    answer.page = _page_rows([part_id for _position, part_id in sorted(page)]) if page else []
    answer.category = _roll_up(direct, spec.categories)
    answer.brand = sorted(brands, key=lambda b: (-b[2], b[1]))
    answer.grade = [(g, grades[g]) for g in GRADES if g in grades]
    return answer


def _roll_up(direct: dict[int, int], categories: list[Category]) -> list[tuple[int, str, int]]:
    by_id = {c.id: c for c in categories}
    totals: dict[int, int] = defaultdict(int)
    for category_id, n in direct.items():
        node = by_id.get(category_id)
        while node is not None:
            totals[node.id] += n
            node = by_id.get(node.parent_id) if node.parent_id else None
    return [(c.id, c.name, totals[c.id]) for c in categories if totals.get(c.id)]


def search(spec: Spec) -> Answer:
    """The floor for one query: the statements above, on Django's connection."""
    q = spec.query
    type_ids: list[int] | None = list(q.vehicle_type_ids) if q.vehicle_type_ids else None
    if q.vin:
        vin_ids = vehicle_types_of_vin(q.vin, spec.organization_id)
        type_ids = vin_ids if type_ids is None else sorted(set(type_ids) & set(vin_ids))
    numbers = [number_matches(n) for n in spec.numbers]
    return _answer(spec, _conditions(spec, type_ids, numbers), numbers)
