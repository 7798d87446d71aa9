"""From facts to rollup rows: the amounts a fact adds to each (day, dimension, value) row and
to ArrivalHour, and writing a difference of them to the tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from itertools import combinations
from typing import Any

from . import bulk
from .facts import HISTOGRAMS, Fact, bucket_of
from .models import ArrivalHour, DailyRollup

DIMENSIONS = ("channel", "team", "agent", "category", "language", "organisation", "priority")
ALL = "all"
# The few-valued dimensions, also rolled up together: the value of a "combined" row is a
# ticket's channel, priority and language joined by "|" (none of them holds one), so a slice
# filtered or grouped by any of them at once still reads rollup rows, not facts.
COMBINED = "combined"
COMBINED_DIMENSIONS = ("channel", "priority", "language")
# Two dimensions the combined rows do not already hold are also rolled up as a pair, per
# month: the value of a "team+agent" row is the two values joined by "|" (a topic, which may
# hold one, always comes last). So a slice of two dimensions reads rollups however large a
# share of the tickets it covers, but for an agent with an organisation: their rows would be
# near one per ticket (about 390,000 monthly rows at 1,000,000 tickets, where all the others
# hold 500,000), slowing every read and write of the table, and a slice of them picks few
# facts either way (an agent's through an index of their ids). Daily rows of pairs would add
# a row per ticket a refresh touches; a slice reads facts for the days of its part months
# instead. (A many-valued dimension with the combined value covers three-way slices too, but
# reads twenty times the rows: email by topic over a year, 750 ms against 120.)
PAIRED = ("team", "agent", "organisation", *COMBINED_DIMENSIONS, "category")
UNPAIRED = ({"agent", "organisation"},)
PAIRS = {
    f"{first}+{second}": (first, second)
    for first, second in combinations(PAIRED, 2)
    if not {first, second} <= set(COMBINED_DIMENSIONS) and {first, second} not in UNPAIRED
}
# The dimensions whose rows' values join several ("email|high|nb"), and theirs in order.
JOINED = {COMBINED: COMBINED_DIMENSIONS, **PAIRS}

HISTOGRAM_NAMES = frozenset(HISTOGRAMS)
KEEP: Any = object()  # a part that counts for the ticket's assignee
RowKey = tuple[int, str, str]  # day ordinal, dimension, value
Deltas = dict[RowKey, dict[str, int]]
ArrivalKey = tuple[datetime, str, str]


def _id(value: int | None) -> str:
    return "" if value is None else str(value)


def dimension_values(fact: Fact) -> dict[str, str]:
    return {
        ALL: "",
        "channel": fact.channel,
        "team": _id(fact.team_id),
        "agent": _id(fact.agent_id),
        "category": fact.category,
        "language": fact.language,
        "organisation": _id(fact.organisation_id),
        "priority": fact.priority,
        COMBINED: f"{fact.channel}|{fact.priority}|{fact.language}",
    }


def fact_add(deltas: Deltas, fact: Fact, sign: int = 1) -> None:
    """Add (sign 1) or take away (sign -1) the fact's parts to `deltas`."""
    _parts_add(deltas, dimension_values(fact), ((part, sign) for part in fact.parts))


def fact_change(deltas: Deltas, old: Fact | None, new: Fact | None) -> None:
    """Add to `deltas` what the rollups gain from `old` (the stored fact, if any) becoming
    `new` (None: the ticket is gone). A fact that keeps its dimension values adds only the
    parts that differ: a reply on a ticket of last year adds its own parts, not all of the
    ticket's once taken away and once added again (a fifth of the job's time)."""
    if old is not None and new is not None:
        values = dimension_values(new)
        if values == dimension_values(old):
            counts = Counter(map(tuple, new.parts))
            counts.subtract(map(tuple, old.parts))
            _parts_add(deltas, values, ((part, n) for part, n in counts.items() if n))
            return
    if old is not None:
        fact_add(deltas, old, -1)
    if new is not None:
        fact_add(deltas, new)


def _parts_add(
    deltas: Deltas, values: dict[str, str], parts: Iterable[tuple[Sequence[Any], int]]
) -> None:
    """Add each part times its count to the rows of its day and dimension `values`."""
    # The parts of one day (and agent) first, so each row is looked up once per day.
    days: dict[tuple[int, Any], dict[str, int]] = {}
    for part, count in parts:
        name, amount = part[1], part[2]
        if name in HISTOGRAM_NAMES:
            name, amount = f"{name}:{bucket_of(amount)}", 1
        group_key = (part[0], part[3] if len(part) > 3 else KEEP)
        group = days.get(group_key)
        if group is None:
            days[group_key] = {name: amount * count}
        else:
            group[name] = group.get(name, 0) + amount * count
    for (ordinal, agent), amounts in days.items():
        own = values if agent is KEEP else {**values, "agent": _id(agent)}
        for dimension, value in own.items():
            _row_add(deltas, (ordinal, dimension, value), amounts)
        month = month_of(ordinal)  # pairs have no daily rows (see PAIRS)
        for pair, names in PAIRS.items():
            _row_add(deltas, (month, pair, "|".join(own[name] for name in names)), amounts)


def arrival_add(arrivals: dict[ArrivalKey, int], fact: Fact, sign: int = 1) -> None:
    key = fact.arrival_key()
    arrivals[key] = arrivals.get(key, 0) + sign


def _clean(deltas: Deltas) -> Deltas:
    kept = {}
    for key, row in deltas.items():
        data = cleaned(row)
        if data:
            kept[key] = data
    return kept


@cache
def month_of(ordinal: int) -> int:
    return date.fromordinal(ordinal).replace(day=1).toordinal()


def is_daily(key: RowKey) -> bool:
    """Whether the row has daily rows as well as monthly (pairs have monthly only)."""
    return key[1] not in PAIRS


def months_from(deltas: Deltas) -> Deltas:
    """Daily deltas summed per month (keyed by the month's first day)."""
    months: Deltas = {}
    for (ordinal, dimension, value), data in deltas.items():
        _row_add(months, (month_of(ordinal), dimension, value), data)
    return months


def deltas_add(deltas: Deltas, more: Deltas) -> None:
    for key, data in more.items():
        _row_add(deltas, key, data)


def _row_add(deltas: Deltas, key: RowKey, data: dict[str, int]) -> None:
    row = deltas.get(key)
    if row is None:
        deltas[key] = dict(data)
    else:
        for name, amount in data.items():
            row[name] = row.get(name, 0) + amount


def rollups_apply(deltas: Deltas) -> None:
    """Add `deltas` to the stored daily rows and their months: new rows are created, rows
    left all zero deleted. Call inside the transaction that also writes the facts, with the
    analytics lock held."""
    deltas = _clean(deltas)
    bulk.rollup_add([(*key, delta) for key, delta in deltas.items() if is_daily(key)], bulk.DAILY)
    months = _clean(months_from(deltas))
    bulk.rollup_add([(*key, delta) for key, delta in months.items()], bulk.MONTHLY)


def rollups_set(
    name: str, dimension: str, values: dict[tuple[int, str], int], days: set[date]
) -> None:
    """Set counter `name` (not a histogram's) of the rows of `dimension` on `days` to
    `values` ((day ordinal, value) → total); a row of those days missing from `values` gets
    none."""
    deltas: Deltas = {}
    seen = set()
    current = DailyRollup.objects.filter(day__in=days, dimension=dimension)
    for day, value, data in current.values_list("day", "value", "data"):
        key = (day.toordinal(), value)
        seen.add(key)
        difference = values.get(key, 0) - data.get(name, 0)
        if difference:
            deltas[(key[0], dimension, value)] = {name: difference}
    for (ordinal, value), total in values.items():
        if (ordinal, value) not in seen and total:
            deltas[(ordinal, dimension, value)] = {name: total}
    rollups_apply(deltas)


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


def cleaned(data: dict[str, int]) -> dict[str, int]:
    return {name: amount for name, amount in data.items() if amount}
