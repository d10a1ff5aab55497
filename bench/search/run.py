"""Times search_parts on dataset M beside its raw-SQL floor, per query kind.

    .venv/bin/python -m bench.search.generate            # once: dataset M in partsmall_bench
    .venv/bin/python -m bench.search.run                 # PostgreSQL
    .venv/bin/python -m bench.search.run --db sqlite     # var/bench.sqlite3 (generate --db sqlite first)

Kinds: `vin` (a VIN decoded through the bench VIN patterns, within a maintenance category),
`keyword` (Chinese words, synonyms, model or brand + part type, pinyin initials), `oe`
(OE numbers as written, re-spaced, lower-case, or a prefix) and `faceted` (keyword or
category + brand + grade + price range, sometimes in stock). Every query runs through
search_parts (the project's figure: decoding, planning, the page and every facet) and
through bench.search.floor (the same answer in hand-written SQL); the two answers are
compared, so the floor is known to do the same work. Both run on the same connection,
alternating which goes first, after a warm-up pass.
"""

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from bench.search.common import database_url, format_table, percentile, setup_django

if TYPE_CHECKING:
    from partsmall.organizations.actor import Actor
    from partsmall.search.selectors import SearchQuery, SearchResult

T = TypeVar("T")

KINDS = ("vin", "keyword", "oe", "faceted")
TARGET_MS = 50.0
TARGET_RATIO = 2.0
VIN_CATEGORIES = ("oil-filter", "air-filter", "cabin-filter", "spark-plug", "brake-pad", "filters")
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


@dataclass
class Sample:
    kind: str
    label: str
    query: "SearchQuery"


@dataclass
class Timing:
    kind: str
    project_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    statements: int = 0
    floor_statements: int = 0
    totals: list[int] = field(default_factory=list)
    slowest: tuple[float, Sample | None] = (0.0, None)
    labels: list[str] = field(default_factory=list)

    def worst(self, count: int) -> list[tuple[float, float, str]]:
        return sorted(zip(self.project_ms, self.floor_ms, self.labels, strict=True), reverse=True)[:count]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--url", default="")
    parser.add_argument("-n", type=int, default=200, help="queries per kind")
    parser.add_argument("--warmup", type=int, default=20, help="untimed queries per kind first")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--worst", type=int, default=3, help="list this many slowest queries per kind")
    parser.add_argument(
        "--explain", default="", help="write EXPLAIN ANALYZE of each kind's slowest query here"
    )
    args = parser.parse_args(argv)
    setup_django(database_url(args.db, args.url))
    from django.db import connection

    actor = bench_actor()
    rng = random.Random(args.seed)
    samplers = samplers_by_kind()
    timings = []
    print(
        f"search on {connection.vendor} {server_version()}: {args.n} queries per kind + {args.warmup} warm-up"
    )
    for kind in args.kinds.split(","):
        samples = [samplers[kind](rng) for _ in range(args.n + args.warmup)]
        timings.append(measure(kind, samples, actor, warmup=args.warmup))
    print()
    print(results_table(timings))
    print("load average (1, 5, 15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print("\nslowest queries (project ms / floor ms):")
    for timing in timings:
        for project_ms, floor_ms, label in timing.worst(args.worst):
            print(f"  {timing.kind:<8} {project_ms:7.1f} / {floor_ms:7.1f}  {label}")
    for timing in timings:
        for line in timing.mismatches[:3]:
            print(f"  MISMATCH {timing.kind}: {line}")
    if args.explain:
        write_explain(Path(args.explain), timings, actor)


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0])


def bench_actor() -> "Actor":
    from bench.search.generate import BENCH_SHOP_PHONE
    from partsmall.organizations.actor import Actor
    from partsmall.organizations.models import Membership

    membership = Membership.objects.select_related("user", "organization").get(user__phone=BENCH_SHOP_PHONE)
    return Actor(
        user=membership.user,
        organization=membership.organization,
        membership=membership,
        role=membership.role,
    )


# Queries -----------------------------------------------------------------------------------


def samplers_by_kind() -> dict[str, Callable[[random.Random], Sample]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, code, name, parent_id FROM catalog_category")
        categories = cursor.fetchall()
        cursor.execute(
            "SELECT p.wmi, p.vds_prefix, vt.year_from, vt.year_to FROM vehicles_vinpattern p "
            "JOIN vehicles_vinpattern_vehicle_types pv ON pv.vinpattern_id = p.id "
            "JOIN vehicles_vehicletype vt ON vt.id = pv.vehicletype_id ORDER BY p.id, vt.id"
        )
        patterns = cursor.fetchall()
        cursor.execute("SELECT DISTINCT name FROM vehicles_vehiclemodel ORDER BY name")
        models = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT id, name FROM catalog_brand ORDER BY id")
        brands = cursor.fetchall()
        cursor.execute("SELECT number FROM catalog_oenumber WHERE id % 97 = 0 ORDER BY id")
        oe_numbers = [r[0] for r in cursor.fetchall()]
        # Facets worth asking for: the brands a category has most parts of.
        cursor.execute(
            "SELECT category_id, brand_id, COUNT(*) AS n FROM catalog_part GROUP BY category_id, brand_id "
            "ORDER BY category_id, n DESC, brand_id"
        )
        category_brands: dict[int, list[int]] = {}
        for category_id, brand_id, _n in cursor.fetchall():
            category_brands.setdefault(category_id, []).append(brand_id)
        cursor.execute("SELECT category_id, AVG(min_price) FROM catalog_part GROUP BY category_id")
        category_price = {row[0]: Decimal(str(row[1] or 0)) for row in cursor.fetchall()}
    leaves = [c for c in categories if c[3] is not None]
    by_code = {c[1]: c for c in categories}
    return {
        "vin": lambda rng: vin_sample(rng, patterns, [by_code[c] for c in VIN_CATEGORIES if c in by_code]),
        "keyword": lambda rng: keyword_sample(rng, leaves, models, brands),
        "oe": lambda rng: oe_sample(rng, oe_numbers),
        "faceted": lambda rng: faceted_sample(rng, leaves, category_brands, category_price),
    }


def make_vin(rng: random.Random, wmi: str, vds_prefix: str, year: int) -> str:
    from partsmall.vehicles.vin import YEAR_CODES, YEAR_CYCLE_START, with_check_digit

    vds = (vds_prefix + "".join(rng.choice(VIN_CHARS) for _ in range(5)))[:5]
    year_code = YEAR_CODES[(year - YEAR_CYCLE_START) % len(YEAR_CODES)]
    serial = f"{rng.randrange(1_000_000):06d}"
    return with_check_digit(f"{wmi}{vds}0{year_code}{rng.choice(VIN_CHARS)}{serial}")


def vin_sample(rng: random.Random, patterns: list[tuple], categories: list[tuple]) -> Sample:
    from partsmall.search.selectors import SearchQuery

    wmi, vds_prefix, year_from, year_to = rng.choice(patterns)
    first = year_from or year_to or 2015
    year = rng.randint(first, max(first, year_to or first))
    vin = make_vin(rng, wmi, vds_prefix, year)
    category = rng.choice(categories)
    return Sample("vin", f"{vin} + {category[2]}", SearchQuery(vin=vin, category_id=category[0]))


def keyword_sample(rng: random.Random, leaves: list[tuple], models: list[str], brands: list[tuple]) -> Sample:
    from partsmall.catalog.indexing import SYNONYMS, initials
    from partsmall.search.selectors import SearchQuery

    leaf = rng.choice(leaves)[2]
    synonyms = sorted(next((g for g in SYNONYMS if leaf in g), {leaf}))
    shape = rng.random()
    if shape < 0.3:
        q = leaf
    elif shape < 0.45:
        q = rng.choice(synonyms)
    elif shape < 0.7:
        q = f"{rng.choice(models)} {leaf}"
    elif shape < 0.9:
        q = f"{rng.choice(brands[11:60])[1]} {leaf}"
    else:
        # The whole initials or all but the last letter (jylqq, jylq), at least 3 letters:
        # two (sc, hh) are a stress test, not a search (see RESULTS.md).
        code = initials(leaf)
        q = code[: rng.randint(min(len(code), max(3, len(code) - 1)), len(code))]
    sort: Literal["price", "relevance"] = "price" if rng.random() < 0.2 else "relevance"
    return Sample("keyword", q, SearchQuery(q=q, sort=sort))


def oe_sample(rng: random.Random, numbers: list[str]) -> Sample:
    from partsmall.catalog.normalize import normalize_number
    from partsmall.search.selectors import SearchQuery

    number = rng.choice(numbers)
    shape = rng.random()
    if shape < 0.6:
        typed = number
    elif shape < 0.8:
        typed = normalize_number(number).lower()
    else:
        norm = normalize_number(number)
        typed = norm[: rng.randint(min(6, len(norm)), max(6, len(norm) - 1))]
    return Sample("oe", typed, SearchQuery(oe=typed))


def faceted_sample(
    rng: random.Random, leaves: list[tuple], category_brands: dict[int, list[int]], prices: dict[int, Decimal]
) -> Sample:
    """A part type (as a keyword or a category) narrowed by 1–3 of its ten biggest brands,
    one or two quality grades, a price range (mostly the one of its average price) and
    sometimes stock."""
    from partsmall.search.selectors import PRICE_RANGES, SearchQuery

    leaf = rng.choice(leaves)
    top = category_brands.get(leaf[0], [])[:10]
    picked = tuple(sorted(rng.sample(top, min(len(top), rng.randint(1, 3)))))
    grades = tuple(rng.sample(["genuine", "brand", "aftermarket", "used"], rng.randint(1, 2)))
    average = prices.get(leaf[0], Decimal(0))
    usual = [r for r in PRICE_RANGES if r[1] <= average and (r[2] is None or average < r[2])]
    _value, low, high = usual[0] if usual and rng.random() < 0.7 else rng.choice(PRICE_RANGES)
    in_stock = rng.random() < 0.3
    by_keyword = rng.random() < 0.5
    query = SearchQuery(
        q=leaf[2] if by_keyword else "",
        category_id=None if by_keyword else leaf[0],
        brand_ids=picked,
        grades=grades,
        price_min=Decimal(low),
        price_max=Decimal(high) if high is not None else None,
        in_stock=in_stock,
    )
    label = f"{'q=' if by_keyword else 'category='}{leaf[2]} brands={picked} grades={','.join(grades)}"
    label += f" ¥{low}-{high}"
    return Sample("faceted", label + (" in stock" if in_stock else ""), query)


# Measuring ---------------------------------------------------------------------------------


def project_key(result: "SearchResult") -> tuple:
    facets = result.facets
    return (
        result.total,
        [hit.part.pk for hit in result.hits],
        [(f.value, f.label, f.count) for f in facets.category],
        [(f.value, f.label, f.count) for f in facets.brand],
        [(f.value, f.count) for f in facets.grade],
        [(f.value, f.count) for f in facets.price_range],
        facets.in_stock[0].count if facets.in_stock else 0,
    )


def measure(kind: str, samples: list[Sample], actor: "Actor", *, warmup: int) -> Timing:
    """Each query through the project and the floor (alternating which goes first)."""
    from bench.search import floor
    from partsmall.search.selectors import search_parts

    categories = floor.load_categories()
    timing = Timing(kind)
    for index, sample in enumerate(samples):
        spec = floor.prepare(sample.query, organization_id=actor.organization_id, categories=categories)
        project = partial(search_parts, actor=actor, query=sample.query)
        if index % 2 == 0:
            project_ms, result = _timed(project)
            floor_ms, answer = _timed(partial(floor.search, spec))
        else:
            floor_ms, answer = _timed(partial(floor.search, spec))
            project_ms, result = _timed(project)
        if index < warmup:
            continue
        timing.project_ms.append(project_ms)
        timing.floor_ms.append(floor_ms)
        timing.totals.append(result.total)
        timing.labels.append(f"{sample.label} ({result.total:,} hits)")
        if project_key(result) != answer.key():
            timing.mismatches.append(f"{sample.label}: project {project_key(result)} floor {answer.key()}")
        if project_ms > timing.slowest[0]:
            timing.slowest = (project_ms, sample)
    timing.statements, timing.floor_statements = _statements(samples[-1].query, actor, categories)
    p50, p95 = percentile(timing.project_ms, 0.5), percentile(timing.project_ms, 0.95)
    print(f"  {kind:<8} project p50 {p50:7.1f} ms p95 {p95:7.1f} ms; {len(timing.mismatches)} mismatches")
    return timing


def _statements(query: "SearchQuery", actor: "Actor", categories: list) -> tuple[int, int]:
    """SQL statements one search sends: the project's and the floor's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.search import floor
    from partsmall.search.selectors import search_parts

    with CaptureQueriesContext(connection) as project_queries:
        search_parts(actor=actor, query=query)
    spec = floor.prepare(query, organization_id=actor.organization_id, categories=categories)
    with CaptureQueriesContext(connection) as floor_queries:
        floor.search(spec)
    return len(project_queries), len(floor_queries)


def _timed(call: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = call()
    return (time.perf_counter() - start) * 1000, value


def results_table(timings: list[Timing]) -> str:
    rows = []
    for t in timings:
        p50, p95 = percentile(t.project_ms, 0.5), percentile(t.project_ms, 0.95)
        f50, f95 = percentile(t.floor_ms, 0.5), percentile(t.floor_ms, 0.95)
        ratio = p95 / f95 if f95 else float("nan")
        met = "yes" if p95 <= TARGET_MS and ratio <= TARGET_RATIO else "NO"
        rows.append(
            (
                t.kind,
                len(t.project_ms),
                f"{statistics.median(t.totals):,.0f}",
                f"{p50:.1f}",
                f"{p95:.1f}",
                f"{f50:.1f}",
                f"{f95:.1f}",
                f"{ratio:.2f}",
                f"{t.statements} / {t.floor_statements}",
                f"{len(t.project_ms) - len(t.mismatches)}/{len(t.project_ms)}",
                met,
            )
        )
    headers = (
        "kind",
        "n",
        "median hits",
        "p50 ms",
        "p95 ms",
        "floor p50",
        "floor p95",
        "p95/floor",
        "SQL stmts (proj / floor)",
        "same answer",
        "target met",
    )
    return format_table(headers, rows)


def write_explain(path: Path, timings: list[Timing], actor: "Actor") -> None:
    """EXPLAIN ANALYZE of every statement search_parts issues for each kind's slowest query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partsmall.search.selectors import search_parts

    lines: list[str] = []
    for timing in timings:
        sample = timing.slowest[1]
        if sample is None:
            continue
        with CaptureQueriesContext(connection) as captured:
            search_parts(actor=actor, query=sample.query)
        lines.append(f"## {timing.kind}: slowest query {sample.label!r} ({timing.slowest[0]:.1f} ms)\n")
        for query in captured.captured_queries:
            lines.append(f"-- {query['time']} s\n{query['sql']}\n")
            explainable = query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
            if connection.vendor == "postgresql" and explainable:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    lines += [row[0] for row in cursor.fetchall()]
            lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"EXPLAIN ANALYZE written to {path}")


if __name__ == "__main__":
    main()
