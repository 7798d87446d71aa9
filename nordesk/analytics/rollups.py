"""From facts to rollup rows: the amounts a fact adds to each (day, dimension, value) row and
to ArrivalHour, and writing a difference of them to the tables."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from .facts import HISTOGRAMS, Fact, bucket_of
from .models import ArrivalHour, DailyRollup

DIMENSIONS = ("channel", "team", "agent", "category", "language", "organisation", "priority")
ALL = "all"

RowKey = tuple[int, str, str]  # day ordinal, dimension, value
Deltas = dict[RowKey, dict[str, int]]
ArrivalKey = tuple[datetime, str, str]


def _id(value: int | None) -> str:
    return "" if value is None else str(value)


def dimension_values(fact: Fact) -> tuple[tuple[str, str], ...]:
    return (
        (ALL, ""),
        ("channel", fact.channel),
        ("team", _id(fact.team_id)),
        ("agent", _id(fact.agent_id)),
        ("category", fact.category),
        ("language", fact.language),
        ("organisation", _id(fact.organisation_id)),
        ("priority", fact.priority),
    )


def fact_add(deltas: Deltas, fact: Fact, sign: int = 1) -> None:
    """Add (sign 1) or take away (sign -1) the fact's parts to `deltas`."""
    values = dimension_values(fact)
    for part in fact.parts:
        ordinal, name, amount = part[0], part[1], part[2]
        if name in HISTOGRAMS:
            name, amount = f"{name}:{bucket_of(amount)}", 1
        amount *= sign
        for dimension, value in values:
            if dimension == "agent" and len(part) > 3:
                value = _id(part[3])
            row = deltas.get((ordinal, dimension, value))
            if row is None:
                deltas[(ordinal, dimension, value)] = {name: amount}
            else:
                row[name] = row.get(name, 0) + amount


def arrival_add(arrivals: dict[ArrivalKey, int], fact: Fact, sign: int = 1) -> None:
    key = fact.arrival_key()
    arrivals[key] = arrivals.get(key, 0) + sign


def _merged(data: dict[str, int], delta: dict[str, int]) -> dict[str, int]:
    merged = dict(data)
    for name, amount in delta.items():
        total = merged.get(name, 0) + amount
        if total:
            merged[name] = total
        else:
            merged.pop(name, None)
    return merged


def _clean(deltas: Deltas) -> Deltas:
    cleaned = {}
    for key, row in deltas.items():
        kept = {name: amount for name, amount in row.items() if amount}
        if kept:
            cleaned[key] = kept
    return cleaned


def rollups_apply(deltas: Deltas) -> None:
    """Add `deltas` to the stored rows: new rows are created, rows left all zero deleted.
    Call inside the transaction that also writes the facts, with the analytics lock held."""
    deltas = _clean(deltas)
    if not deltas:
        return
    days = {date.fromordinal(ordinal) for ordinal, _, _ in deltas}
    dimensions = {dimension for _, dimension, _ in deltas}
    values = {value for _, _, value in deltas}
    existing = {
        (row.day.toordinal(), row.dimension, row.value): row
        for row in DailyRollup.objects.filter(
            day__in=days, dimension__in=dimensions, value__in=values
        )
    }
    changed: list[DailyRollup] = []
    created: list[DailyRollup] = []
    emptied: list[DailyRollup] = []
    for key, delta in deltas.items():
        row = existing.get(key)
        if row is None:
            data = {name: amount for name, amount in delta.items() if amount}
            if data:
                ordinal, dimension, value = key
                created.append(
                    DailyRollup(
                        day=date.fromordinal(ordinal), dimension=dimension, value=value, data=data
                    )
                )
            continue
        row.data = _merged(row.data, delta)
        (changed if row.data else emptied).append(row)
    if emptied:
        DailyRollup.objects.filter(pk__in=[row.pk for row in emptied]).delete()
    if changed:
        DailyRollup.objects.bulk_update(changed, ["data"], batch_size=1000)
    if created:
        DailyRollup.objects.bulk_create(created, batch_size=1000)


def rollups_set(
    name: str, dimension: str, values: dict[tuple[int, str], int], days: set[date]
) -> None:
    """Set counter `name` of the rows of `dimension` on `days` to `values` ((day ordinal,
    value) → total); a row of those days missing from `values` gets none."""
    rows = {
        (row.day.toordinal(), row.value): row
        for row in DailyRollup.objects.filter(day__in=days, dimension=dimension)
    }
    changed: list[DailyRollup] = []
    created: list[DailyRollup] = []
    emptied: list[DailyRollup] = []
    for (ordinal, value), total in values.items():
        row = rows.pop((ordinal, value), None)
        if row is None:
            if total:
                created.append(
                    DailyRollup(
                        day=date.fromordinal(ordinal),
                        dimension=dimension,
                        value=value,
                        data={name: total},
                    )
                )
            continue
        row.data = _merged(row.data, {name: total - row.data.get(name, 0)})
        (changed if row.data else emptied).append(row)
    for row in rows.values():  # the day's values that have none now
        if name in row.data:
            row.data = _merged(row.data, {name: -row.data[name]})
            (changed if row.data else emptied).append(row)
    if emptied:
        DailyRollup.objects.filter(pk__in=[row.pk for row in emptied]).delete()
    if changed:
        DailyRollup.objects.bulk_update(changed, ["data"], batch_size=1000)
    if created:
        DailyRollup.objects.bulk_create(created, batch_size=1000)


def arrivals_apply(arrivals: dict[ArrivalKey, int]) -> None:
    arrivals = {key: amount for key, amount in arrivals.items() if amount}
    if not arrivals:
        return
    hours = {hour for hour, _, _ in arrivals}
    existing = {
        (row.hour, row.channel, row.category): row
        for row in ArrivalHour.objects.filter(hour__in=hours)
    }
    changed: list[ArrivalHour] = []
    created: list[ArrivalHour] = []
    emptied: list[ArrivalHour] = []
    for key, amount in arrivals.items():
        row = existing.get(key)
        if row is None:
            if amount > 0:
                hour, channel, category = key
                created.append(
                    ArrivalHour(hour=hour, channel=channel, category=category, tickets=amount)
                )
            continue
        row.tickets += amount
        (changed if row.tickets > 0 else emptied).append(row)
    if emptied:
        ArrivalHour.objects.filter(pk__in=[row.pk for row in emptied]).delete()
    if changed:
        ArrivalHour.objects.bulk_update(changed, ["tickets"], batch_size=1000)
    if created:
        ArrivalHour.objects.bulk_create(created, batch_size=1000)


def rows_from(deltas: Deltas) -> Iterable[DailyRollup]:
    for (ordinal, dimension, value), data in _clean(deltas).items():
        yield DailyRollup(
            day=date.fromordinal(ordinal), dimension=dimension, value=value, data=data
        )
