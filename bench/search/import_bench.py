"""Times a 100,000-row offers import (报价单) through the real import services, beside a floor.

    .venv/bin/python -m bench.search.import_bench                 # PostgreSQL, dataset M loaded
    .venv/bin/python -m bench.search.import_bench --db sqlite --rows 20000

The workbook is written with openpyxl's write-only mode in the import template's columns,
one row per part of dataset M (brand + part number, a quality grade, price, stock …), for a
fresh bench supplier. Then, as a supplier would, with Celery eager (the tasks run in this
process when the services queue them):

- upload + validate: `import_job_create` (stores the file, queues validation, which runs
  `import_job_validate`: streams the sheet, stages ImportRow rows with their errors);
- confirm + apply: `import_job_confirm` (queues `import_job_apply`: applies the valid rows
  in bulk chunks and refreshes the parts' offer summaries).

The floor inserts the same rows (values already parsed, part ids known) into catalog_offer
with COPY on PostgreSQL or executemany on SQLite, in one transaction. Reading the sheet
alone (openpyxl read-only, every cell) is timed too, since no import can be faster.

Memory: the peak resident set size of this process (resource.getrusage RUSAGE_SELF
ru_maxrss), before and after the import; the workbook is written before it starts.
Afterwards the bench supplier's offers and import jobs are deleted, the touched parts'
offer summaries recomputed and the database vacuumed, so the dataset is left as generated.
"""

import argparse
import logging
import os
import random
import resource
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from bench.search.common import database_url, format_table, setup_django

if TYPE_CHECKING:
    from partsmall.accounts.models import User
    from partsmall.organizations.models import Organization

SUPPLIER_NAME = "压测导入供应商"
SUPPLIER_PHONE = "13900009002"
GRADE_LABELS = {"genuine": "原厂件", "brand": "品牌件", "aftermarket": "副厂件", "used": "拆车件"}
TARGET_ROWS_PER_S = 2000.0
TARGET_PEAK_MB = 500.0


@dataclass
class OfferRow:
    part_id: int
    sku: str
    brand: str
    number: str
    grade: str
    price: Decimal
    moq: int
    lead: int
    warranty: int
    stock: int


def cpu_s() -> float:
    """CPU seconds this process has used (user + system): the Python side of an import,
    without the time spent waiting for the database or for other processes."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    """Peak resident set size of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--url", default="")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    # The services queue their tasks on commit; eager, they run here and are timed.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    setup_django(database_url(args.db, args.url))
    logging.getLogger("celery").setLevel(logging.WARNING)
    from django.db import connection

    from bench.search import load

    supplier, user = bench_supplier()
    clean_up(supplier)
    rows = offer_rows(args.rows, random.Random(args.seed))
    with tempfile.TemporaryDirectory(prefix="partsmall-bench-") as scratch:
        path = Path(scratch) / "offers-100k.xlsx"
        started = time.perf_counter()
        write_workbook(path, rows)
        size_mb = path.stat().st_size / 1e6
        print(f"offers import on {connection.vendor}: {len(rows):,} rows, workbook {size_mb:.1f} MB", end="")
        print(f" written in {time.perf_counter() - started:.1f} s")
        read_s = time_reading(path)
        figures = run_import(path, supplier, user, len(rows))
    clean_up(supplier)
    floor_s = time_floor(rows, supplier)
    clean_up(supplier)
    # The clean-up rewrote the touched parts: vacuum so the search bench finds the dataset
    # as generated (dead row versions and their index entries gone).
    load.analyze()
    print()
    print(results_table(len(rows), figures, read_s, floor_s))
    print("load average (1, 5, 15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def bench_supplier() -> tuple["Organization", "User"]:
    from partsmall.accounts.models import User
    from partsmall.organizations.models import Membership, Organization
    from partsmall.organizations.roles import Role

    supplier, _ = Organization.objects.get_or_create(
        name=SUPPLIER_NAME, kind=Organization.Kind.SUPPLIER, defaults={"status": Organization.Status.ACTIVE}
    )
    user = User.objects.filter(phone=SUPPLIER_PHONE).first() or User.objects.create_user(
        phone=SUPPLIER_PHONE, name="压测导入"
    )
    Membership.objects.update_or_create(user=user, organization=supplier, defaults={"role": Role.SALES})
    return supplier, user


def offer_rows(count: int, rng: random.Random) -> list[OfferRow]:
    """One row per (part, grade), parts in id order, grades in turn when rows outnumber parts."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, b.name, p.number, p.min_price FROM catalog_part p "
            "JOIN catalog_brand b ON b.id = p.brand_id WHERE p.review_status <> 'rejected' ORDER BY p.id"
        )
        parts = cursor.fetchall()
    grades = list(GRADE_LABELS)
    rows = []
    for index in range(min(count, len(parts) * len(grades))):
        part_id, brand, number, min_price = parts[index % len(parts)]
        grade = grades[(index // len(parts) + part_id) % len(grades)]
        base = float(min_price or 50)
        price = Decimal(str(round(base * rng.uniform(0.9, 1.2), 2)))
        stock = 0 if rng.random() < 0.2 else rng.randint(1, 400)
        rows.append(
            OfferRow(
                part_id,
                f"IMP-{index + 1:06d}",
                brand,
                number,
                grade,
                price,
                1,
                rng.choice((1, 2, 3, 5)),
                rng.choice((0, 6, 12)),
                stock,
            )
        )
    return rows


def write_workbook(path: Path, rows: list[OfferRow]) -> None:
    from openpyxl import Workbook

    from partsmall.catalog.imports.kinds import kind_of

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("报价单")
    headers = kind_of("offers").headers
    sheet.append(headers)
    for row in rows:
        values = {
            "商家编码": row.sku,
            "品牌": row.brand,
            "零件号": row.number,
            "品质": GRADE_LABELS[row.grade],
            "单价": float(row.price),
            "起订量": row.moq,
            "订购倍数": 1,
            "交期(天)": row.lead,
            "质保(月)": row.warranty,
            "库存": row.stock,
            "上架": "是",
        }
        sheet.append([values.get(h) for h in headers])
    workbook.save(path)


def time_reading(path: Path) -> float:
    """openpyxl read-only over every cell: the least any import of this file costs."""
    from openpyxl import load_workbook

    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)  # as the import opens it
    cells = sum(len(row) for row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    seconds = time.perf_counter() - started
    print(f"  read the sheet only (openpyxl read-only, {cells:,} cells): {seconds:.1f} s")
    return seconds


@dataclass
class ImportFigures:
    validate_s: float
    apply_s: float
    validate_cpu_s: float
    apply_cpu_s: float
    rss_before_mb: float
    rss_after_validate_mb: float
    rss_after_mb: float
    status: str
    created: int
    errors: int


def run_import(path: Path, supplier: "Organization", user: "User", expected: int) -> ImportFigures:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partsmall.catalog.imports.services import import_job_confirm, import_job_create

    before = peak_mb()
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    started, cpu = time.perf_counter(), cpu_s()
    job = import_job_create(organization=supplier, by=user, kind="offers", upload=upload)
    validate_s, validate_cpu_s = time.perf_counter() - started, cpu_s() - cpu
    job.refresh_from_db()
    after_validate = peak_mb()
    print(f"  upload + validate: {validate_s:.1f} s, {job.status}, ", end="")
    print(f"{job.valid_rows:,} valid, {job.error_rows:,} errors")
    started, cpu = time.perf_counter(), cpu_s()
    import_job_confirm(job=job, by=user)
    apply_s, apply_cpu_s = time.perf_counter() - started, cpu_s() - cpu
    job.refresh_from_db()
    print(f"  confirm + apply: {apply_s:.1f} s, {job.status}, {job.created_count:,} created")
    if job.created_count != expected:
        print(f"  WARNING: expected {expected:,} offers created, the job says {job.created_count:,}")
    return ImportFigures(
        validate_s,
        apply_s,
        validate_cpu_s,
        apply_cpu_s,
        before,
        after_validate,
        peak_mb(),
        job.status,
        job.created_count,
        job.error_rows,
    )


def time_floor(rows: list[OfferRow], supplier: "Organization") -> float:
    """The same offers written straight into catalog_offer in one transaction."""
    from django.db import transaction

    from bench.search import load
    from bench.search.dataset import Table

    table = Table(
        "catalog.Offer",
        (
            "supplier_id",
            "part_id",
            "grade",
            "sku",
            "price",
            "min_order_quantity",
            "order_multiple",
            "lead_time_days",
            "warranty_months",
            "stock_quantity",
            "is_listed",
        ),
        [
            (supplier.pk, r.part_id, r.grade, r.sku, r.price, r.moq, 1, r.lead, r.warranty, r.stock, True)
            for r in rows
        ],
    )
    started = time.perf_counter()
    with transaction.atomic():
        written = load.write(table)
    seconds = time.perf_counter() - started
    how = "COPY" if load.connection.vendor == "postgresql" else "executemany"
    print(f"  floor ({how}): {written:,} rows in {seconds:.1f} s")
    return seconds


def clean_up(supplier: "Organization") -> None:
    """Deletes the bench supplier's offers and imports; recomputes the touched parts' summaries."""
    from django.db import connection, transaction

    from bench.search.load import OFFER_SUMMARY_SQL
    from partsmall.catalog.models import ImportJob, Offer

    with transaction.atomic(), connection.cursor() as cursor:
        offers = Offer.objects.filter(supplier=supplier)
        touched = "SELECT part_id FROM catalog_offer WHERE supplier_id = %s"
        cursor.execute(
            "UPDATE catalog_part SET offer_count = 0, supplier_count = 0, min_price = NULL, "
            f"fastest_lead_days = NULL, in_stock = %s WHERE id IN ({touched})",
            [False, supplier.pk],
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_touched AS " + touched,
            [supplier.pk],
        )
        offers.delete()
        cursor.execute(
            OFFER_SUMMARY_SQL.replace(
                "WHERE is_listed", "WHERE is_listed AND part_id IN (SELECT part_id FROM bench_touched)"
            )
        )
        cursor.execute("DROP TABLE bench_touched")
        for job in ImportJob.objects.filter(organization=supplier):
            job.file.delete(save=False)
            if job.report:
                job.report.delete(save=False)
            job.delete()


def results_table(rows: int, f: ImportFigures, read_s: float, floor_s: float) -> str:
    total_s = f.validate_s + f.apply_s
    rate = rows / total_s
    floor_rate = rows / floor_s
    met = "yes" if rate >= TARGET_ROWS_PER_S and f.rss_after_mb <= TARGET_PEAK_MB else "NO"
    lines = [
        (
            "upload + validate (import_job_create, eager)",
            f.validate_s,
            f.validate_cpu_s,
            f.rss_after_validate_mb,
        ),
        ("confirm + apply (import_job_confirm, eager)", f.apply_s, f.apply_cpu_s, f.rss_after_mb),
        ("import total", total_s, f.validate_cpu_s + f.apply_cpu_s, f.rss_after_mb),
        ("read the sheet only (openpyxl read-only)", read_s, None, None),
        ("floor: the rows by COPY / executemany", floor_s, None, None),
    ]
    table = format_table(
        ("step", "wall s", "rows/s", "CPU s (this process)", "peak RSS MB (ru_maxrss)"),
        [
            (
                name,
                f"{wall:.1f}",
                f"{rows / wall:,.0f}",
                "" if cpu is None else f"{cpu:.1f}",
                "" if rss is None else f"{rss:.0f}",
            )
            for name, wall, cpu, rss in lines
        ],
    )
    return (
        f"{table}\n\nimport {rate:,.0f} rows/s, {floor_rate / rate:.1f}× the floor's time; "
        f"RSS before the import {f.rss_before_mb:.0f} MB, peak {f.rss_after_mb:.0f} MB; "
        f"job {f.status}, {f.created:,} created, {f.errors:,} errors; "
        f"target ≥ {TARGET_ROWS_PER_S:,.0f} rows/s and ≤ {TARGET_PEAK_MB:.0f} MB: {met}"
    )


if __name__ == "__main__":
    main()
