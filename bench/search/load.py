"""Writing a generated dataset into the Django tables: COPY on PostgreSQL, executemany on SQLite.

Columns a table does not give get the model field's default (auto_now fields a fixed
timestamp), prepared by the field for the backend, so new nullable or defaulted fields
added by other apps need no change here.
"""

import datetime as dt
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Field, Model

from bench.search.dataset import Dataset, Table

NOW = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)

OFFER_SUMMARY_SQL = """
UPDATE catalog_part SET
    offer_count = s.n,
    supplier_count = s.suppliers,
    min_price = s.low,
    fastest_lead_days = s.fastest,
    in_stock = s.stock > 0,
    listed_grades = s.grades
FROM (
    SELECT part_id, COUNT(*) AS n, COUNT(DISTINCT supplier_id) AS suppliers, MIN(price) AS low,
           MIN(lead_time_days) AS fastest, MAX(stock_quantity) AS stock,
           MAX(CASE WHEN grade = 'genuine' THEN 1 ELSE 0 END)
           + MAX(CASE WHEN grade = 'brand' THEN 2 ELSE 0 END)
           + MAX(CASE WHEN grade = 'aftermarket' THEN 4 ELSE 0 END)
           + MAX(CASE WHEN grade = 'used' THEN 8 ELSE 0 END) AS grades
    FROM catalog_offer WHERE is_listed GROUP BY part_id
) AS s
WHERE catalog_part.id = s.part_id
"""


def _default(model: type[Model], field: Field) -> object:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value: object = NOW
    elif field.has_default():
        value = field.get_default()
    elif field.null:
        value = None
    elif field.blank and field.empty_strings_allowed:
        value = ""
    else:
        raise ValueError(f"{model.__name__}.{field.name} has no default: the generator must give it")
    return field.get_db_prep_save(value, connection)


def columns_and_tail(table: Table) -> tuple[type[Model], list[str], tuple]:
    """The model, its column names (given ones first) and the prepared defaults of the rest."""
    model = apps.get_model(table.model)
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    by_attname = {f.attname: f for f in fields}
    columns = [by_attname[name].column for name in table.columns]
    # An auto primary key not given is left to the database.
    rest = [
        f
        for f in fields
        if f.attname not in table.columns
        and not (f.primary_key and f.get_internal_type().endswith("AutoField"))
    ]
    return model, columns + [f.column for f in rest], tuple(_default(model, f) for f in rest)


def write(table: Table) -> int:
    model, columns, tail = columns_and_tail(table)
    rows: Iterator[tuple] = (row + tail for row in table.rows)
    name = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        return _copy(name, column_list, rows)
    marks = ", ".join("?" * len(columns))
    raw = connection.connection
    written = 0
    for batch in _batches(rows, 20_000):
        raw.executemany(f"INSERT INTO {name} ({column_list}) VALUES ({marks})", batch)
        written += len(batch)
    return written


def _copy(name: str, column_list: str, rows: Iterable[tuple]) -> int:
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {name} ({column_list}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def _batches(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def reset_sequences(dataset: Dataset) -> None:
    models = [apps.get_model(t.model) for t in dataset.tables]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def write_offer_summary() -> int:
    with connection.cursor() as cursor:
        cursor.execute(OFFER_SUMMARY_SQL)
        return cursor.rowcount


def analyze() -> None:
    """Statistics for the planner; on PostgreSQL also VACUUM, as autovacuum would after a
    load: the offer-summary UPDATE leaves a dead version of every part (and its index
    entries, the full-text index's included) that bitmap scans would otherwise visit."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def delete(label: str) -> None:
    table = connection.ops.quote_name(apps.get_model(label)._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
