"""Hand-written bulk reads and writes of the analytics tables: COPY on PostgreSQL,
executemany on SQLite. The ORM's bulk_create spends more time preparing values than the
database spends storing them, and the rebuild writes a million facts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def adapt_datetime(moment: datetime | None) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def adapt_date(day: date | None) -> Any:
    return day if _postgres() or day is None else day.isoformat()


def insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows of already adapted values (JSON as text)."""
    with connection.cursor() as cursor:
        if _postgres():
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("%s" for _ in columns)
        names = ", ".join(columns)
        statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - constants
        cursor.executemany(statement, list(rows))


def delete_in(table: str, column: str, values: Sequence[Any]) -> None:
    if not values:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            chunk = values[start : start + 5000]
            marks = ", ".join("%s" for _ in chunk)
            statement = f"DELETE FROM {table} WHERE {column} IN ({marks})"  # noqa: S608
            cursor.execute(statement, chunk)


DAILY, MONTHLY = "analytics_dailyrollup", "analytics_monthlyrollup"


def rollup_rows(
    keys: Sequence[tuple[int, str, str]], table: str = DAILY
) -> dict[tuple[int, str, str], tuple]:
    """The stored DailyRollup rows of these (day ordinal, dimension, value) keys, as
    key → (id, data)."""
    found: dict[tuple[int, str, str], tuple] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 2000):
            chunk = keys[start : start + 2000]
            day = "CAST(%s AS date)" if _postgres() else "%s"
            values = ", ".join(f"({day}, %s, %s)" for _ in chunk)
            params: list[Any] = []
            for ordinal, dimension, value in chunk:
                params += [adapt_date(date.fromordinal(ordinal)), dimension, value]
            cursor.execute(
                f"SELECT id, day, dimension, value, data FROM {table} "  # noqa: S608
                f"WHERE (day, dimension, value) IN (VALUES {values})",
                params,
            )
            for row_id, day_value, dimension, value, data in cursor.fetchall():
                if isinstance(day_value, str):
                    day_value = date.fromisoformat(day_value)
                if isinstance(data, str):
                    data = json.loads(data)
                found[(day_value.toordinal(), dimension, value)] = (row_id, data)
    return found


def rollup_update(rows: Sequence[tuple[int, dict[str, int]]], table: str = DAILY) -> None:
    """Set the data of rows given as (id, data): on PostgreSQL one statement per thousand."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if not _postgres():
            cursor.executemany(
                f"UPDATE {table} SET data = %s WHERE id = %s",  # noqa: S608
                [(_json(data), row_id) for row_id, data in rows],
            )
            return
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            values = ", ".join("(%s, CAST(%s AS jsonb))" for _ in chunk)
            params: list[Any] = []
            for row_id, data in chunk:
                params += [row_id, _json(data)]
            cursor.execute(
                f"UPDATE {table} AS t SET data = v.data "  # noqa: S608
                f"FROM (VALUES {values}) AS v (id, data) WHERE t.id = v.id",
                params,
            )


def rollup_insert(rows: Iterable[tuple[int, str, str, dict[str, int]]], table: str = DAILY) -> None:
    insert(
        table,
        ("day", "dimension", "value", "data"),
        (
            (adapt_date(date.fromordinal(ordinal)), dimension, value, _json(data))
            for ordinal, dimension, value, data in rows
        ),
    )


FACT_COLUMNS = (
    "ticket_id",
    "channel",
    "team_id",
    "agent_id",
    "category",
    "language",
    "organisation_id",
    "priority",
    "created_at",
    "created_day",
    "solved_day",
    "first_response_day",
    "csat_day",
    "sla_breach_day",
    "last_day",
    "is_open",
    "merged",
    "fcr",
    "reopened",
    "csat_score",
    "agents",
    "parts",
)
DATES = {
    "created_day",
    "solved_day",
    "first_response_day",
    "csat_day",
    "sla_breach_day",
    "last_day",
}


def fact_insert(facts: Iterable[Any]) -> None:
    def row(fact: Any) -> list[Any]:
        values = []
        for column in FACT_COLUMNS:
            value = getattr(fact, column)
            if column == "parts":
                value = _json(value)
            elif column == "created_at":
                value = adapt_datetime(value)
            elif column in DATES:
                value = adapt_date(value)
            values.append(value)
        return values

    insert("analytics_ticketfact", FACT_COLUMNS, (row(fact) for fact in facts))
