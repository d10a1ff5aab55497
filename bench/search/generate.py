"""Builds dataset M in a dedicated bench database (never the development one).

    .venv/bin/python -m bench.search.generate                      # PostgreSQL partsmall_bench, M
    .venv/bin/python -m bench.search.generate --db sqlite --scale 0.1   # var/bench.sqlite3

PostgreSQL: the database is dropped and created (so its schema is what the migrations
make today), migrated, filled with COPY in one transaction, then VACUUM ANALYZE. SQLite:
the file is recreated, migrated and filled with executemany.
Part.search_text is computed like catalog.indexing.part_search_text (checked on a sample)
and the offer summary in one SQL statement (checked against refresh_offer_summary).
"""

import argparse
import random
import time
from collections.abc import Callable

from bench.search.common import SQLITE_PATH, Stopwatch, database_url, recreate_postgres_database, setup_django
from bench.search.dataset import Dataset

BENCH_SHOP_PHONE = "13900009001"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--url", default="", help="database URL (default: the bench database of --db)")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = dataset M")
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args(argv)
    url = database_url(args.db, args.url)
    watch = Stopwatch()
    print(f"dataset M × {args.scale} (seed {args.seed}) into {url}")
    with watch.stage("prepare database"):
        _prepare(url)
    from django.core.management import call_command

    with watch.stage("migrate"):
        call_command("migrate", verbosity=0, interactive=False)
    generate(scale=args.scale, seed=args.seed, watch=watch)
    print(f"  {'total':<40} {watch.total:8.2f} s")


def _prepare(url: str) -> None:
    if url.startswith("postgres"):
        recreate_postgres_database(url)
    else:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            SQLITE_PATH.with_name(SQLITE_PATH.name + suffix).unlink(missing_ok=True)
    setup_django(url)


def generate(*, scale: float, seed: int, watch: Stopwatch | None = None) -> dict[str, int]:
    """Builds and writes the dataset into the current, freshly migrated database (or the
    test database); returns the rows written per model."""
    from django.db import connection, transaction

    from bench.search import load
    from bench.search.dataset import build

    watch = watch or Stopwatch()
    with watch.stage("build rows in memory"):
        dataset = build(scale=scale, seed=seed)
    written: dict[str, int] = {}
    with transaction.atomic():
        # The vehicles migrations load the real WMIs; the dataset writes them with their makes.
        load.delete("vehicles.Wmi")
        for table in dataset.tables:
            with watch.stage(f"write {table.model}"):
                written[table.model] = load.write(table)
        load.reset_sequences(dataset)
        with watch.stage("offer summary (SQL)"):
            load.write_offer_summary()
        _bench_users(dataset.shop_ids[0])
        with watch.stage("foreign-key checks (deferred ones, now)"):
            connection.check_constraints()
    with watch.stage("vacuum / analyze"):
        load.analyze()
    with watch.stage("checks"):
        _check(dataset, seed)
    for label, rows in written.items():
        print(f"  {label:<40} {rows:>10,} rows")
    return written


def _bench_users(shop_id: int) -> None:
    """The repair-shop purchaser the search benchmark acts as."""
    from partsmall.accounts.models import User
    from partsmall.organizations.models import Membership
    from partsmall.organizations.roles import Role

    user = User.objects.filter(phone=BENCH_SHOP_PHONE).first()
    if user is None:
        user = User.objects.create_user(phone=BENCH_SHOP_PHONE, name="压测采购")
    Membership.objects.update_or_create(user=user, organization_id=shop_id, defaults={"role": Role.PURCHASER})


def _check(dataset: Dataset, seed: int) -> None:
    from bench.search.tokens import check_search_text
    from partsmall.catalog.indexing import refresh_offer_summary
    from partsmall.catalog.normalize import normalize_number
    from partsmall.catalog.services.parts import part_reindex

    sample = random.Random(seed + 9).sample(dataset.parts, min(300, len(dataset.parts)))
    differ = check_search_text(
        {
            "name": p.name,
            "brand": dataset.brands[p.brand_id],
            "number_norm": normalize_number(p.number),
            "oe_numbers": sorted({normalize_number(n) for n, _ in p.oe}),
            "categories": (p.leaf.name, p.leaf.parent_name),
        }
        for p in sample
    )
    print(f"  search_text vs part_search_text: {len(sample)} sampled, {differ} differ")
    ids = [p.id for p in sample]
    differ = _rewrite_differs(ids, ("search_text",), lambda: part_reindex(part_ids=ids))
    print(f"  search_text vs catalog part_reindex: {len(ids)} sampled, {differ} differ")
    fields = ("offer_count", "supplier_count", "min_price", "fastest_lead_days", "in_stock", "listed_grades")
    differ = _rewrite_differs(ids, fields, lambda: refresh_offer_summary(ids))
    print(f"  offer summary vs refresh_offer_summary: {len(ids)} sampled, {differ} differ")
    print(f"  search index (triggers) vs parts: {_index_differs()} of all parts differ")


def _index_differs() -> int:
    """Parts whose row in search_partindex (kept by triggers) is missing or not their copy."""
    from django.db import connection

    tsv = "AND i.tsv IS NOT DISTINCT FROM strip(to_tsvector('simple', p.search_text))"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM catalog_part p WHERE NOT EXISTS (SELECT 1 FROM search_partindex i"
            " WHERE i.id = p.id AND i.visible = (p.review_status <> 'rejected') AND i.name = p.name"
            " AND i.category_id = p.category_id AND i.brand_id = p.brand_id"
            " AND i.min_price IS NOT DISTINCT FROM p.min_price"
            " AND i.fastest_lead_days IS NOT DISTINCT FROM p.fastest_lead_days AND i.in_stock = p.in_stock"
            " AND i.supplier_count = p.supplier_count AND i.listed_grades = p.listed_grades"
            f" {tsv if connection.vendor == 'postgresql' else ''})"
        )
        (count,) = cursor.fetchone()
    return int(count)


def _rewrite_differs(ids: list[int], fields: tuple[str, ...], rewrite: Callable[[], object]) -> int:
    """How many parts change when the catalogue's own code rewrites these fields."""
    from partsmall.catalog.models import Part

    before = list(Part.objects.filter(id__in=ids).order_by("id").values_list("id", *fields))
    rewrite()
    after = list(Part.objects.filter(id__in=ids).order_by("id").values_list("id", *fields))
    return sum(a != b for a, b in zip(before, after, strict=True))


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"done in {time.perf_counter() - started:.1f} s")
