import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def first_row(queryset: QuerySet[M]) -> M | None:
    """The first row in the queryset's own order, or None. Unlike `.first()` it adds no
    ORDER BY on the primary key: for lookups by a unique key that is work for nothing, and on
    the intake path it is measurable."""
    return next(iter(queryset[:1]), None)


@contextmanager
def statements_unprepared() -> Iterator[None]:
    """Run the block's queries unprepared on PostgreSQL (a context manager or decorator).
    psycopg prepares a statement run twice, and PostgreSQL plans a prepared one for any
    parameters after five runs: summing a year of facts by report, that generic plan read
    them by index in 4.0 s where each range's own plan took 1.6 s. Reports are few and
    heavy; planning each costs nothing that counts."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    psycopg_connection = connection.connection
    threshold = psycopg_connection.prepare_threshold
    psycopg_connection.prepare_threshold = None
    try:
        yield
    finally:
        psycopg_connection.prepare_threshold = threshold


def raw_rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Rows of a hand-written read, for the few hot paths where building the ORM query costs
    several times the query itself (routing's decision: 1.4 ms to build, 0.2 ms to run, on
    the 2-core reference machine). Its tables and columns are checked against the models by
    the tests of the module that holds the SQL."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def columns_of(model: type[Model], alias: str) -> str:
    """Every column of `model` in field order, as `model_from_row` reads them."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


def model_from_row(model: type[M], row: Sequence[Any]) -> M:
    """An instance of `model` from a hand-written read of `columns_of(model)`, its values
    converted as the ORM converts them (SQLite's datetimes made aware, JSON decoded…)."""
    values = list(row)
    for index, field, converters in _converters(model, connection.vendor):
        for convert in converters:
            values[index] = convert(values[index], field, connection)
    return model.from_db(connection.alias, _attnames(model), values)


@cache
def _attnames(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


@cache
def _converters(model: type[Model], vendor: str) -> list[tuple[int, Any, list[Callable]]]:
    """Per column, the converters the ORM applies on this database (the same for every
    connection of one vendor)."""
    found = []
    for index, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if converters:
            found.append((index, column, converters))
    return found


def aware(value: datetime | None) -> datetime | None:
    """A datetime column read by hand: SQLite gives naive UTC, PostgreSQL an aware value."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def json_value(value: Any) -> Any:
    """A JSON column read by hand arrives as text on both databases."""
    return json.loads(value) if isinstance(value, str) else value


def in_literals(values: Sequence[str]) -> str:
    """A hand-written read's fixed choices (statuses, roles) written into its text. As
    parameters they cost PostgreSQL its estimates: a prepared statement's generic plan takes
    `role <> $1` to keep one row in 200, and joins for that (1.3 ms instead of 0.2)."""
    if not all(value.isidentifier() for value in values):
        raise ValueError(f"not a plain constant: {values!r}")
    return ", ".join(f"'{value!s}'" for value in values)
