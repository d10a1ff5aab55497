"""Plain SQL for the hot write paths (checkout, the stock ledger), on SQLite and PostgreSQL.

The ORM costs about half a millisecond of Python per statement to build; a checkout
issues twenty-odd statements, so on the paths that must reach a given number of
checkouts per second the statements are written here, by hand, once. Everything else
uses the ORM.

Values go in through `adapt` (what the ORM would send: naive UTC datetimes on SQLite)
and come out through `decimal` (SQLite returns numeric columns as float or int). Lists
go in through `is_in`: an array on PostgreSQL, one placeholder per value on SQLite.
Only `%s` placeholders; table and column names are the code's own, never input.

`pipeline()` sends the statements of a block together (PostgreSQL's pipeline mode: one
round trip instead of one per statement) and reads what they return when the block ends;
the stock ledger writes through it, so that the stock rows every checkout queues on are
held for as short a time as possible. On SQLite the statements run one by one, as given.
"""

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

M = TypeVar("M", bound=models.Model)

# SQLite allows 32,766 bound values per statement, PostgreSQL 65,535.
MAX_VALUES = 30_000

_pipelines = threading.local()  # .after: the callbacks of the block open on this thread


def _db() -> BaseDatabaseWrapper:
    """This thread's connection, looked up once per call (django.db.connection is a proxy
    that looks it up on every attribute)."""
    return connections[DEFAULT_DB_ALIAS]


def _cursor(db: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor of Django's (logged like any other) on the thread's connection. On
    PostgreSQL it binds the parameters on the server, so that a statement the connection
    has run more than `prepare_threshold` times (settings: DATABASE_PREPARED_STATEMENTS)
    is prepared there: parsed and planned once per connection. The ORM keeps Django's
    default cursor, which binds on the client and prepares nothing."""
    if db.vendor != "postgresql":
        return db.cursor()
    from django.db.backends.postgresql import base as postgresql

    db.ensure_connection()
    db.validate_thread_sharing()
    raw = postgresql.ServerBindingCursor(db.connection)  # type: ignore[attr-defined]  # psycopg 3 only
    return db.make_debug_cursor(raw) if db.queries_logged else db.make_cursor(raw)


def adapt(value: Any, db: BaseDatabaseWrapper | None = None) -> Any:
    """A Python value as the ORM would bind it on this connection."""
    if isinstance(value, dt.datetime):
        return (db or _db()).ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return (db or _db()).ops.adapt_datefield_value(value)
    return value


def _adapted(values: Iterable[Any], db: BaseDatabaseWrapper) -> list[Any]:
    return [adapt(v, db) if isinstance(v, dt.date) else v for v in values]


def decimal(value: Any) -> Decimal:
    """A numeric column's value as a Decimal (SQLite gives a float for 39.9)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def date(value: Any) -> dt.date:
    """A date column's value as a date (SQLite gives the ISO text)."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    if not isinstance(value, dt.date):
        raise TypeError(f"not a date: {value!r}")
    return value


def is_in(column: str, values: Iterable[Any]) -> tuple[str, list[Any]]:
    """`column = ANY(%s)` and the list on PostgreSQL (one text whatever the number of
    values, so the statement can be prepared once); `column IN (%s, …)` and the values on
    SQLite, which has no arrays. No values match nothing."""
    db = _db()
    items = _adapted(values, db)
    if db.vendor == "postgresql":
        return f"{column} = ANY(%s)", [items]
    if not items:
        return f"{column} IN (NULL)", []
    return f"{column} IN (" + ", ".join(["%s"] * len(items)) + ")", items


def for_update(of: str | None = None) -> str:
    """`FOR UPDATE [OF table]` where the database locks rows; nothing on SQLite (whose
    write lock is the whole database)."""
    features = _db().features
    if not features.has_select_for_update:
        return ""
    if of and features.has_select_for_update_of:
        return f" FOR UPDATE OF {of}"
    return " FOR UPDATE"


def fetch_all(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    db = _db()
    with _cursor(db) as cursor:
        cursor.execute(sql, _adapted(params, db))
        return list(cursor.fetchall())


def execute_many(sql: str, rows: Sequence[Sequence[Any]], *, prepared: bool = False) -> None:
    """One statement for each row of parameters (one round trip on PostgreSQL); values
    `prepared` by the fields need no adapting."""
    if not rows:
        return
    db = _db()
    with _cursor(db) as cursor:
        cursor.executemany(sql, rows if prepared else [_adapted(row, db) for row in rows])


# Pipelines ----------------------------------------------------------------------------------


@contextmanager
def pipeline() -> Iterator[None]:
    """Sends the block's statements together and reads their results when it ends (see the
    module's text); a block inside an open one is part of it. A failing statement raises
    (as Django's database error) when the block ends, and the statements after it in the
    block are not run. Inside the block, a statement's result is only read in a `then`
    callback; functions below that return results read them at once (one round trip)."""
    if getattr(_pipelines, "after", None) is not None:
        yield
        return
    db = _db()
    after: list[Callable[[], None]] = []
    _pipelines.after = after
    try:
        if db.vendor == "postgresql":
            db.ensure_connection()
            with db.wrap_database_errors, db.connection.pipeline():
                yield
        else:
            yield
    finally:
        _pipelines.after = None
    for callback in after:
        callback()


def then(callback: Callable[[], None]) -> None:
    """Runs the callback when the open pipeline ends; at once when none is open."""
    after = getattr(_pipelines, "after", None)
    if after is None:
        callback()
    else:
        after.append(callback)


class Rows:
    """What a statement sent by `send` returned: call it once its pipeline has ended."""

    def __init__(self) -> None:
        self._rows: list[tuple[Any, ...]] | None = None

    def __call__(self) -> list[tuple[Any, ...]]:
        if self._rows is None:
            raise RuntimeError("the rows of a statement are read once its pipeline has ended")
        return self._rows


def send(sql: str, params: Sequence[Any] = (), *, rows: bool = True) -> Rows:
    """Runs the statement (inside a pipeline: queues it); its rows (none when `rows` is
    false: an UPDATE without RETURNING) are read when the pipeline ends, at once otherwise."""
    db = _db()
    cursor = _cursor(db)
    cursor.execute(sql, _adapted(params, db))
    result = Rows()

    def read() -> None:
        try:
            result._rows = [tuple(row) for row in cursor.fetchall()] if rows else []
        finally:
            cursor.close()

    then(read)
    return result


# Rows and model instances -------------------------------------------------------------------


def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: str | None = None,
    prepared: bool = False,
    use: Callable[[list[Any]], None] | None = None,
) -> list[Any]:
    """Inserts the rows (in batches of at most MAX_VALUES values); with `returning` (a
    column), the values of that column for the rows, in the order of the rows: returned,
    or given to `use` when the open pipeline ends (then nothing is returned). Values
    `prepared` by the fields need no adapting. (One array per column through UNNEST, as
    Django's bulk_create sends on PostgreSQL, cost the checkout a fifth of its speed in
    bench/checkout: psycopg dumps arrays slowly.)"""
    if not rows:
        if use is not None:
            use([])
        return []
    db = _db()
    width = len(columns)
    per_batch = max(1, MAX_VALUES // width)
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    tuple_ = "(" + ", ".join(["%s"] * width) + ")"
    tail = f" RETURNING {returning}" if returning else ""
    made: list[Any] = []
    sent: list[Rows] = []
    for start in range(0, len(rows), per_batch):
        batch = rows[start : start + per_batch]
        values = [v for row in batch for v in row]
        statement = head + ", ".join([tuple_] * len(batch)) + tail
        params = values if prepared else _adapted(values, db)
        if use is None:
            with _cursor(db) as cursor:
                cursor.execute(statement, params)
                if returning:
                    made.extend(r[0] for r in cursor.fetchall())
        else:
            sent.append(send(statement, params, rows=bool(returning)))
    if use is not None:
        then(lambda: use([row[0] for result in sent for row in result()]))
    return made


def insert_objects(objects: Sequence[M]) -> Sequence[M]:
    """bulk_create for new instances of one model with an auto primary key, without the
    query compiler: every other concrete field is prepared as save() would (defaults,
    auto_now, the backend's adapters); the instances get their primary keys (inside a
    pipeline, when it ends)."""
    if not objects:
        return objects
    meta = type(objects[0])._meta
    pk = meta.pk
    assert pk is not None
    db = _db()
    fields = [f for f in meta.concrete_fields if f is not pk]
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields] for obj in objects]
    quote = db.ops.quote_name

    def saved(ids: list[Any]) -> None:
        for obj, pk_value in zip(objects, ids, strict=True):
            obj.pk = pk_value
            obj._state.adding = False
            obj._state.db = db.alias

    insert_rows(
        quote(meta.db_table),
        [quote(f.column) for f in fields],
        rows,
        returning=quote(pk.column),
        prepared=True,
        use=saved,
    )
    return objects


def update_objects(objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """bulk_update of these fields by primary key, one statement per row in one round
    trip (no CASE expression to compile); like bulk_update, auto_now is not applied."""
    if not objects:
        return
    meta = type(objects[0])._meta
    assert meta.pk is not None
    chosen: list[models.Field[Any, Any]] = []
    for name in fields:
        field = meta.get_field(name)
        if not isinstance(field, models.Field) or not field.concrete:
            raise TypeError(f"{meta.label}.{name} is not a column")
        chosen.append(field)
    db = _db()
    quote = db.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in chosen)
    execute_many(
        f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s",
        [[f.get_db_prep_save(getattr(obj, f.attname), db) for f in chosen] + [obj.pk] for obj in objects],
        prepared=True,
    )
