from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection, models
from django.utils import timezone


def model_update(
    *, instance: models.Model, changes: dict[str, Any], allowed: frozenset[str]
) -> list[str]:
    """Apply the allowed `changes` to `instance` and save just those fields (and `updated_at`
    when the model has it). Returns the names of the fields that were given."""
    fields = sorted(set(changes) & allowed)
    if not fields:
        return []
    for field in fields:
        setattr(instance, field, changes[field])
    if hasattr(instance, "updated_at"):
        instance.updated_at = timezone.now()
        fields.append("updated_at")
    instance.save(update_fields=fields)
    return fields


def database_statistics_refresh() -> None:
    """Give SQLite's planner statistics of the tables (ANALYZE, sampled: `analysis_limit`
    rows per index). Without them it cannot tell a partial index of the few unsolved tickets
    from an index of all of them, and counted the inbox's views from the whole table (45 ms
    instead of 4 on 100,000 tickets). Nothing else gathers them on SQLite; PostgreSQL's
    autovacuum keeps its own."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")


@dataclass(frozen=True)
class Write:
    """One prepared INSERT or UPDATE that returns nothing, to run alongside an INSERT that
    does (`rows_insert(…, along=…)`)."""

    sql: str
    params: list[Any]


def rows_insert(
    rows: Sequence[models.Model],
    *,
    ignore_conflicts: bool = False,
    computed: Mapping[str, str] | None = None,
    along: Sequence[Write] = (),
) -> None:
    """INSERT new instances of one model in one statement built once per model and row count,
    and give them their primary keys (unless `ignore_conflicts`: a row that conflicts is
    skipped and has none). On the intake path the ORM took longer to build an INSERT than the
    database took to run it. Values are prepared as the ORM prepares them; no save() or
    signals run (the models written this way have neither).

    `computed` names fields the database fills from an SQL expression (a sequence's nextval):
    the rows get them back with their keys. `along` are independent writes of the same
    transaction: PostgreSQL runs them in the same statement (data-modifying WITH clauses),
    which saves a round trip each; elsewhere they run first, one by one."""
    if not rows:
        return
    model = type(rows[0])
    expressions = tuple(sorted((computed or {}).items()))
    fields = _insert_fields(model, tuple(name for name, _sql in expressions))
    sql = _insert_sql(model, len(rows), connection.vendor, ignore_conflicts, expressions)
    params = _insert_params(rows, fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and along:
            clauses = ", ".join(f"along{i} AS ({write.sql})" for i, write in enumerate(along))
            sql = f"WITH {clauses} {sql}"
            params = [*(param for write in along for param in write.params), *params]
        else:
            for write in along:
                cursor.execute(write.sql, write.params)
        cursor.execute(sql, params)
        if not ignore_conflicts:
            for row, (pk, *filled) in zip(rows, cursor.fetchall(), strict=True):
                row.pk = pk
                row._state.adding = False
                for (name, _sql), value in zip(expressions, filled, strict=True):
                    setattr(row, name, value)


def insert_write(rows: Sequence[models.Model], *, ignore_conflicts: bool) -> Write:
    """The INSERT of `rows_insert`, to run `along` another write (the rows get no keys)."""
    model = type(rows[0])
    sql = _insert_sql(model, len(rows), connection.vendor, ignore_conflicts, ())
    return Write(sql, _insert_params(rows, _insert_fields(model, ())))


def _insert_params(rows: Sequence[models.Model], fields: Sequence[models.Field]) -> list[Any]:
    return [
        field.get_db_prep_save(field.pre_save(row, True), connection)  # auto_now(_add)
        for row in rows
        for field in fields
    ]


@cache
def _insert_fields(
    model: type[models.Model], computed: tuple[str, ...]
) -> tuple[models.Field, ...]:
    return tuple(
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in computed
    )


@cache
def _insert_sql(
    model: type[models.Model],
    count: int,
    vendor: str,
    ignore_conflicts: bool,
    computed: tuple[tuple[str, str], ...],
) -> str:
    meta = model._meta
    fields = _insert_fields(model, tuple(name for name, _sql in computed))
    columns = ", ".join(
        [_quoted_column(field) for field in fields]
        + [_quoted_column(meta.get_field(name)) for name, _sql in computed]  # type: ignore[arg-type]
    )
    one = f"({', '.join(['%s'] * len(fields) + [expression for _name, expression in computed])})"
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "  # noqa: S608
    sql += f"VALUES {', '.join([one] * count)}"
    if ignore_conflicts:
        return sql + " ON CONFLICT DO NOTHING"
    # Rows come back in VALUES order, as bulk_create relies on (PostgreSQL, SQLite 3.35+).
    returned = [meta.pk] + [meta.get_field(name) for name, _sql in computed]
    return sql + f" RETURNING {', '.join(_quoted_column(field) for field in returned)}"  # type: ignore[arg-type]


def update_write(row: models.Model, fields: Sequence[str]) -> Write:
    """UPDATE the named fields of a saved instance, to run `along` another write: a statement
    built once per model and set of fields, `save(update_fields=…)` without the ORM's cost of
    building it (see `rows_insert`)."""
    model = type(row)
    names = tuple(fields)
    columns = _update_fields(model, names)
    params = [field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns]
    return Write(_update_sql(model, names, connection.vendor), [*params, row.pk])


@cache
def _update_fields(model: type[models.Model], names: tuple[str, ...]) -> tuple[models.Field, ...]:
    return tuple(model._meta.get_field(name) for name in names)  # type: ignore[misc]


@cache
def _update_sql(model: type[models.Model], names: tuple[str, ...], vendor: str) -> str:
    sets = ", ".join(f"{_quoted_column(field)} = %s" for field in _update_fields(model, names))
    return (
        f"UPDATE {connection.ops.quote_name(model._meta.db_table)} SET {sets} "  # noqa: S608
        f"WHERE {_quoted_column(model._meta.pk)} = %s"
    )


def _quoted_column(field: models.Field | None) -> str:
    return connection.ops.quote_name(str(getattr(field, "column", "")))
