"""Bulk inserts of staged rows and new offers, the largest writes of an import.

On PostgreSQL the rows go in by COPY: bulk_create would send them as UNNEST arrays that
psycopg quotes in Python, value by value (most of validation's SQL time on 100,000 rows).
Elsewhere (SQLite) through bulk_create, as before. The caller passes the values as the
model holds them (JSON fields as Python objects); the fields are named as on the model.
Errors surface as Django's database errors (IntegrityError …), as bulk_create raises them.
"""

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, JSONField, Model

BATCH_SIZE = 1000


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Inserts `rows` (one value per field of `fields`, in order) into the model's table."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=BATCH_SIZE
        )
        return
    quote = connection.ops.quote_name
    model_fields = [_concrete(model, name) for name in fields]
    columns = ", ".join(quote(field.column) for field in model_fields)
    encoders = {i: field.encoder for i, field in enumerate(model_fields) if isinstance(field, JSONField)}
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                if encoders:
                    row = list(row)
                    for i, encoder in encoders.items():
                        row[i] = json.dumps(row[i], cls=encoder)
                copy.write_row(row)


def _concrete(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field
