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
        if _postgres():  # one array parameter: a statement psycopg converts once
            cursor.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", [list(values)])  # noqa: S608
            return
        for start in range(0, len(values), 5000):
            chunk = values[start : start + 5000]
            marks = ", ".join("%s" for _ in chunk)
            statement = f"DELETE FROM {table} WHERE {column} IN ({marks})"  # noqa: S608
            cursor.execute(statement, chunk)


DAILY, MONTHLY = "analytics_dailyrollup", "analytics_monthlyrollup"
ROLLUP_JSON = ("data", "histograms")  # counters; histogram buckets ("fr:17")


def rollup_columns(data: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """A rollup row's data as its two columns: the counters, the histogram buckets."""
    counters: dict[str, int] = {}
    buckets: dict[str, int] = {}
    for name, amount in data.items():
        (buckets if ":" in name else counters)[name] = amount
    return counters, buckets


# A column's counters with the delta's added, a counter that comes to zero dropped (set to
# null, then stripped): the database reads only the delta's counters of the stored row, so
# neither the stored rows nor their JSON pass through Python. A column the delta has nothing
# for is kept as it is, unread.
_MERGED = {
    "postgresql": (
        "CASE WHEN EXCLUDED.{column} = '{{}}' THEN {table}.{column} ELSE "
        "jsonb_strip_nulls({table}.{column} || (SELECT jsonb_object_agg(key, "
        "NULLIF(COALESCE(({table}.{column} ->> key)::bigint, 0) + value::bigint, 0)) "
        "FROM jsonb_each_text(EXCLUDED.{column}))) END"
    ),
    "sqlite": (  # json_patch drops the keys the patch sets to null
        "CASE WHEN excluded.{column} = '{{}}' THEN {table}.{column} ELSE "
        "json_patch({table}.{column}, (SELECT json_group_object(key, "
        "NULLIF(COALESCE(json_extract({table}.{column}, '$.\"' || key || '\"'), 0) + value, 0)) "
        "FROM json_each(excluded.{column}))) END"
    ),
}


def rollup_add(rows: Sequence[tuple[int, str, str, dict[str, int]]], table: str = DAILY) -> None:
    """Add each (day ordinal, dimension, value, delta) to its stored row's counters, creating
    the row if there is none and deleting it if every counter comes to zero: one statement
    per thousand rows, plus one for the rows emptied."""
    emptied: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            statement, params = _rollup_add_statement(rows[start : start + 1000], table)
            cursor.execute(statement, params)
            emptied += [row_id for row_id, is_empty in cursor.fetchall() if is_empty]
    delete_in(table, "id", emptied)


def _rollup_add_statement(
    rows: Sequence[tuple[int, str, str, dict[str, int]]], table: str
) -> tuple[str, list[Any]]:
    """The rows go as one JSON array of [day, dimension, value, counters, buckets] that the
    database unpacks: a short statement, prepared once, whose one parameter the json module
    writes. (A thousand rows of placeholders cost psycopg a third of the job's time to parse,
    every time; four arrays, a seventh to dump.)"""
    rows_json = _json(
        [
            [date.fromordinal(ordinal).isoformat(), dimension, value, *rollup_columns(delta)]
            for ordinal, dimension, value, delta in rows
        ]
    )
    if _postgres():
        source = (
            "SELECT (e ->> 0)::date, e ->> 1, e ->> 2, e -> 3, e -> 4 "
            "FROM jsonb_array_elements(%s::jsonb) e"
        )
        empty = "'{}'::jsonb"
    else:  # "WHERE true": SQLite would read ON CONFLICT as a join's clause
        source = (
            "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
            "json_extract(value, '$[2]'), json_extract(value, '$[3]'), "
            "json_extract(value, '$[4]') FROM json_each(%s) WHERE true"
        )
        empty = "'{}'"
    merged = _MERGED[connection.vendor]
    updates = ", ".join(
        f"{column} = {merged.format(table=table, column=column)}" for column in ROLLUP_JSON
    )
    emptied = " AND ".join(f"{column} = {empty}" for column in ROLLUP_JSON)
    return (
        f"INSERT INTO {table} (day, dimension, value, {', '.join(ROLLUP_JSON)}) {source} "  # noqa: S608
        f"ON CONFLICT (dimension, value, day) DO UPDATE SET {updates} RETURNING id, {emptied}",
        [rows_json],
    )


def rollup_insert(rows: Iterable[tuple[int, str, str, dict[str, int]]], table: str = DAILY) -> None:
    insert(
        table,
        ("day", "dimension", "value", *ROLLUP_JSON),
        (
            (
                adapt_date(date.fromordinal(ordinal)),
                dimension,
                value,
                *map(_json, rollup_columns(data)),
            )
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


def fact_row(fact: Any) -> list[Any]:
    """The fact's FACT_COLUMNS, adapted for `insert`."""
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


def fact_insert(facts: Iterable[Any]) -> None:
    fact_rows_insert(fact_row(fact) for fact in facts)


def fact_rows_insert(rows: Iterable[Sequence[Any]]) -> None:
    """Insert facts given as `fact_row`s."""
    insert("analytics_ticketfact", FACT_COLUMNS, rows)
