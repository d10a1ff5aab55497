"""Model instances from the rows of hand-written SQL, converted as a queryset would.

Hot reads (a VIN decoding, a search page) fetch several models in one statement; these
helpers name the columns and turn each slice of a row back into an instance, applying the
backend's and the fields' converters (dates, decimals, JSON) without compiling a queryset.
"""

import functools
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)

_Converters = list[tuple[int, Any, list[Any]]]


def concrete_names(model: type[Model]) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.concrete_fields)


def _field(model: type[Model], name: str) -> Any:
    return next(f for f in model._meta.concrete_fields if f.name == name)


def quoted_column(model: type[Model], name: str) -> str:
    return str(connection.ops.quote_name(_field(model, name).column))


def quoted_columns(model: type[Model], alias: str, names: Sequence[str] | None = None) -> list[str]:
    """`alias."column"` for each named field (all concrete fields by default)."""
    return [f"{alias}.{quoted_column(model, name)}" for name in names or concrete_names(model)]


def quoted_table(model: type[Model]) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


@functools.cache
def _converters(vendor: str, model: type[Model], names: tuple[str, ...]) -> _Converters:
    """The converters a queryset applies to these fields' values (by position), per backend."""
    found: _Converters = []
    for index, name in enumerate(names):
        column = _field(model, name).get_col(model._meta.db_table)
        functions = [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]
        if functions:
            found.append((index, column, functions))
    return found


def model_from_row(model: type[M], values: Sequence[Any], names: Sequence[str] | None = None) -> M | None:
    """An instance from the values of the named fields' columns, in that order; None when
    the first value (the primary key) is NULL, as a LEFT JOIN that found no row gives."""
    if values[0] is None:
        return None
    names = tuple(names or concrete_names(model))
    converted = list(values)
    for index, column, functions in _converters(connection.vendor, model, names):
        for convert in functions:
            converted[index] = convert(converted[index], column, connection)
    attnames = [_field(model, name).attname for name in names]
    return model.from_db(connection.alias, attnames, converted)


def models_from_rows(model: type[M], names: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[M]:
    return [instance for row in rows if (instance := model_from_row(model, row, names)) is not None]
