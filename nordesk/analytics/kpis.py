"""The KPI selectors reports, exports and the API read (definitions: docs/kpis.md).

A slice filtered or grouped by one dimension reads its rollups (a few rows per day); one
within channel, priority and language reads the combined rollups (those three together);
any other, filtered by several dimensions or grouped by one while filtered by another, sums
the parts of the matching facts instead: the same numbers, more rows read."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import BooleanField, Count, Q, QuerySet, Sum, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors
from nordesk.core.selectors import raw_rows, statements_unprepared
from nordesk.customers import selectors as customer_selectors
from nordesk.tickets.selectors import ticket_vocabulary

from .bulk import ROLLUP_JSON
from .facts import HISTOGRAMS, bucket_of, bucket_starts, bucket_value
from .models import ArrivalHour, DailyRollup, MonthlyRollup, TicketFact, second_value
from .rollups import COMBINED, COMBINED_DIMENSIONS, JOINED, PAIRS
from .services import reporting_zone

DIMENSIONS = ("channel", "team", "agent", "category", "language", "organisation", "priority")
PERIODS = ("hour", "day", "week", "month")
SLA_TARGETS = (("first_response", "fr"), ("next_response", "nr"), ("resolution", "res"))
MEASURES = (
    "created",
    "solved",
    "fcr",
    "reopened",
    "first_response",
    "sla_breached",
    "csat_answered",
    "csat_good",
    "csat_bad",
    "open",
    "next_response",
    "transfers",
    "backlog",
)
# Measures whose tickets are those with a part of this name on a day of the slice.
PART_MEASURES = {"next_response": "nr", "transfers": "transfers"}
# Where a ticket's own value sits for each dimension, on the fact row.
FACT_COLUMNS = {
    "channel": "channel",
    "team": "team_id",
    "agent": "agent_id",
    "category": "category",
    "language": "language",
    "organisation": "organisation_id",
    "priority": "priority",
}


@dataclass(frozen=True)
class Slice:
    start: date
    end: date
    channel: str = ""
    team_id: int | None = None
    agent_id: int | None = None
    category: str = ""
    language: str = ""
    organisation_id: int | None = None
    priority: str = ""

    def filters(self) -> list[tuple[str, str]]:
        """The dimensions it is filtered by, as (dimension, rollup value)."""
        values = (
            ("channel", self.channel),
            ("team", "" if self.team_id is None else str(self.team_id)),
            ("agent", "" if self.agent_id is None else str(self.agent_id)),
            ("category", self.category),
            ("language", self.language),
            ("organisation", "" if self.organisation_id is None else str(self.organisation_id)),
            ("priority", self.priority),
        )
        return [(dimension, value) for dimension, value in values if value]


@dataclass(frozen=True)
class Durations:
    count: int
    median: float | None
    p90: float | None
    business_median: float | None
    business_p90: float | None


@dataclass(frozen=True)
class Kpis:
    created: int
    solved: int
    first_response: Durations
    next_response: Durations
    resolution: Durations
    handle_time_avg: float | None
    fcr_rate: float | None
    reopen_rate: float | None
    transfers_per_ticket: float | None
    csat_good_share: float | None
    csat_response_rate: float | None
    sla_compliance: dict[str, float | None]
    deflection_rate: float | None
    replies: int = 0  # extension: agent replies sent (agent productivity)


@dataclass(frozen=True)
class Group:
    key: str
    label: str


@dataclass(frozen=True)
class Matrix:
    rows: list[Group]  # categories
    columns: list[Group]  # channels
    counts: list[list[int]]  # counts[row][column]: tickets created
    row_totals: list[int] = field(default_factory=list)
    column_totals: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class AgentFigures:
    agent: Group
    solved: int
    replies: int
    handle_time_avg: float | None
    csat_good_share: float | None


# ---------------------------------------------------------------- summing figures


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percentile(histogram: dict[int, int], count: int, q: float) -> float | None:
    if not count:
        return None
    rank = max(1, math.ceil(q * count))
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return bucket_value(bucket)
    return None


def _durations(histograms: dict[str, dict[int, int]], name: str) -> Durations:
    calendar, business = histograms[name], histograms[name + "b"]
    count, business_count = sum(calendar.values()), sum(business.values())
    return Durations(
        count=count,
        median=_percentile(calendar, count, 0.5),
        p90=_percentile(calendar, count, 0.9),
        business_median=_percentile(business, business_count, 0.5),
        business_p90=_percentile(business, business_count, 0.9),
    )


def kpis_from(data: dict[str, int], *, deflections: bool = True) -> Kpis:
    """The KPIs of summed rollup data (`deflections`: whether the data counts deflections,
    which only unfiltered and by-language figures do)."""
    created, solved = data.get("created", 0), data.get("solved", 0)
    compliance = {}
    for target, short in SLA_TARGETS:
        met, breached = data.get(f"sla_{short}_met", 0), data.get(f"sla_{short}_breached", 0)
        compliance[target] = _ratio(met, met + breached)
    deflected = data.get("deflections", 0)
    histograms: dict[str, dict[int, int]] = {name: {} for name in HISTOGRAMS}
    for key, amount in data.items():
        measure, _sep, bucket = key.partition(":")
        if bucket:
            histograms[measure][int(bucket)] = amount
    return Kpis(
        created=created,
        solved=solved,
        first_response=_durations(histograms, "fr"),
        next_response=_durations(histograms, "nr"),
        resolution=_durations(histograms, "res"),
        handle_time_avg=_ratio(data.get("handle", 0), solved),
        fcr_rate=_ratio(data.get("fcr", 0), solved),
        reopen_rate=_ratio(data.get("reopened", 0), solved),
        transfers_per_ticket=_ratio(data.get("transfers", 0), solved),
        csat_good_share=_ratio(data.get("csat_good", 0), data.get("csat_answered", 0)),
        csat_response_rate=_ratio(data.get("csat_answered", 0), data.get("csat_sent", 0)),
        sla_compliance=compliance,
        deflection_rate=_ratio(deflected, deflected + created) if deflections else None,
        replies=data.get("replies", 0),
    )


def _add(into: dict[str, int], data: dict[str, int], sign: int = 1) -> None:
    for name, amount in data.items():
        into[name] = into.get(name, 0) + sign * amount


# ---------------------------------------------------------------- reading the data


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


# A rollup table, the first and last day of its rows to read, and whether they add (1) or
# are taken away (-1).
Span = tuple[Any, date, date, int]


def _spans(start: date, end: date) -> list[Span]:
    """The rollup rows whose sum is the days `start` to `end`: a month's row where the range
    covers more than half of that month's days so far, less the daily rows of the days it
    leaves out, and daily rows for the rest. A 30-day report reads a month's row and a few
    days, a third of the rows of its days. The days after tomorrow (UTC: today, in every
    zone) hold nothing yet, so a report up to today reads this month's row less nothing, not
    the facts of its days, which for a pair cost more than all its months (a year of email
    by organisation). Which rows is a choice of cost: the sums are the same."""
    spans: list[Span] = []
    latest = timezone.now().date() + timedelta(days=1)
    month = _month_start(start)
    while month <= end:
        after = _next_month(month)
        low, high = max(start, month), min(end, after - timedelta(days=1))
        so_far = min(after - timedelta(days=1), max(latest, month))
        if 2 * ((min(high, so_far) - low).days + 1) > (so_far - month).days + 1:
            spans.append((MonthlyRollup, month, month, 1))
            if low > month:
                spans.append((DailyRollup, month, low - timedelta(days=1), -1))
            if high < after - timedelta(days=1):
                spans.append((DailyRollup, high + timedelta(days=1), after - timedelta(days=1), -1))
        else:
            spans.append((DailyRollup, low, high, 1))
        month = after
    return spans


def _rollup_spans(slice: Slice, *, whole_days: bool) -> list[Span]:
    if whole_days:
        return [(DailyRollup, slice.start, slice.end, 1)]
    return _spans(slice.start, slice.end)


def _row_dimensions(dimension: str, value: str) -> dict[str, str]:
    """The dimension values a rollup row stands for."""
    names = JOINED.get(dimension)
    if names is None:
        return {dimension: value}
    return dict(zip(names, value.split("|", len(names) - 1), strict=True))


def _joined_pattern(dimension: str, within: Sequence[tuple[str, str]]) -> str:
    """A regular expression for the values of joined `dimension` rows that are `within` (only
    the last of the values may hold "|"), for the database to pick them."""
    wanted = dict(within)
    names = JOINED[dimension]
    pattern = r"\|".join(
        re.escape(wanted[name]) if name in wanted else ".*" if name == names[-1] else "[^|]*"
        for name in names
    )
    return f"^{pattern}$"


def _rollup_sums(
    spans: list[Span],
    dimension: str,
    value: str | None,
    key_of: str,
    *,
    within: Sequence[tuple[str, str]] = (),
) -> dict[str, dict[str, int]]:
    """The data of the rollup rows of `dimension` in `spans` (those of `value`, unless
    None, and of the combined or pair rows' `within` values) summed per `key_of` group (see
    `_sums`)."""
    if dimension == COMBINED and connection.vendor == "postgresql":
        return _combined_sums_in_sql(spans, key_of, within)
    sums: dict[str, dict[str, int]] = {}
    for model in (DailyRollup, MonthlyRollup):
        ranges = [(low, high, sign) for table, low, high, sign in spans if table is model]
        if not ranges:
            continue
        days = Q()
        for low, high, _sign in ranges:
            days |= Q(day__gte=low, day__lte=high)
        rows = model.objects.filter(days, dimension=dimension)
        if value is not None:
            rows = rows.filter(value=value)
        if within:
            rows = rows.filter(value__regex=_joined_pattern(dimension, within))
            second = dict(within).get(PAIRS[dimension][1]) if dimension in PAIRS else None
            if second is not None:  # by its index (the pattern starts with no fixed text)
                rows = rows.alias(second=second_value()).filter(second=second)
        # As text, decoded by orjson: 2.5× as fast as the json module Django's JSONField uses
        # (a year of email by organisation, 6,000 rows: 496 → 348 ms).
        texts = [Cast(column, TextField()) for column in ROLLUP_JSON]
        read = rows.values_list("day", "value", *texts).iterator(chunk_size=5000)
        for day, row_value, counters, buckets in read:
            values = _row_dimensions(dimension, row_value)
            if all(values[name] == wanted for name, wanted in within):
                group = sums.setdefault(_group_key(key_of, day, values.get(key_of, "")), {})
                sign = next(sign for low, high, sign in ranges if low <= day <= high)
                _add(group, orjson.loads(counters), sign)
                _add(group, orjson.loads(buckets), sign)
    return sums


# A day's period key (`_period_key`) in SQL: a week's is its Monday, as PostgreSQL's
# date_trunc has it.
_PERIOD_SQL = {
    "day": "to_char({day}, 'YYYY-MM-DD')",
    "week": "to_char(date_trunc('week', ({day})::timestamp), 'YYYY-MM-DD')",
    "month": "to_char({day}, 'YYYY-MM')",
}


def _combined_sums_in_sql(
    spans: list[Span], key_of: str, within: Sequence[tuple[str, str]]
) -> dict[str, dict[str, int]]:
    """`_rollup_sums` of the combined rows with PostgreSQL picking the rows and adding up
    their JSON: a year of email by priority is thousands of rows (about 120 a day) that
    Python took four times as long to decode and add. (Rows of one dimension or of a pair
    are fewer per group: Python adds them faster, a year of email by organisation, 6,000
    rows, in 252 ms against 387, even before orjson decoded them.)"""

    def part(name: str) -> str:
        return f"split_part(r.value, '|', {COMBINED_DIMENSIONS.index(name) + 1})"

    selects, params = [], []
    pattern = _joined_pattern(COMBINED, within)
    for model, low, high, sign in spans:
        selects.append(
            f"SELECT day, value, data, histograms, {sign:d} AS sign "  # noqa: S608
            f"FROM {model._meta.db_table} "
            "WHERE dimension = %s AND day >= %s AND day <= %s AND value ~ %s"
        )
        params += [COMBINED, low, high, pattern]
    if key_of in _PERIOD_SQL:
        group = _PERIOD_SQL[key_of].format(day="r.day")
    else:
        group = part(key_of) if key_of in COMBINED_DIMENSIONS else "''"
    statement = (
        f"SELECT {group}, e.key, SUM(e.value::bigint * r.sign) "  # noqa: S608
        f"FROM ({' UNION ALL '.join(selects)}) r "
        "CROSS JOIN LATERAL (SELECT * FROM jsonb_each_text(r.data) "
        "UNION ALL SELECT * FROM jsonb_each_text(r.histograms)) e GROUP BY 1, 2"
    )
    return _summed_rows(raw_rows(statement, params))


def _summed_rows(rows: Iterable[tuple[str, str, Any]]) -> dict[str, dict[str, int]]:
    """(group, name, total) rows as the groups' data."""
    sums: dict[str, dict[str, int]] = {}
    for group_key, name, total in rows:
        sums.setdefault(group_key, {})[name] = int(total)
    return sums


# The days a fact is alive as a range, as PostgreSQL's range index (migration 0009) has
# them: its estimate of the facts alive in a range is close, where it took the two days'
# own conditions for ten times the rows and read the whole table for a week long ago.
_ALIVE_IN = "daterange(LEAST(created_day, last_day), last_day, '[]') && daterange(%s, %s, '[]')"


# The facts an agent counts in, by the GIN index of their ids on PostgreSQL (migration
# 0011), which a LIKE cannot use: a year of one agent by organisation read every fact alive
# in it, 335 against 159 ms at 1,000,000 tickets.
_AGENT_IN = "string_to_array(analytics_ticketfact.agents, ',') @> ARRAY[%s]"


def _of_agent(facts: QuerySet[TicketFact], agent: str) -> QuerySet[TicketFact]:
    if connection.vendor == "postgresql":
        return facts.filter(RawSQL(_AGENT_IN, (agent,), output_field=BooleanField()))  # noqa: S611 - a constant
    return facts.filter(agents__contains=f",{agent},")


def _facts(slice: Slice) -> QuerySet[TicketFact]:
    facts = TicketFact.objects.filter(created_day__lte=slice.end, last_day__gte=slice.start)
    if connection.vendor == "postgresql":
        alive = RawSQL(_ALIVE_IN, (slice.start, slice.end), output_field=BooleanField())  # noqa: S611 - a constant
        facts = facts.filter(alive)
    for dimension, value in slice.filters():
        if dimension == "agent":
            facts = _of_agent(facts, value)
        else:
            facts = facts.filter(**{FACT_COLUMNS[dimension]: value})
    return facts


# A part's agent (see facts.Part) and its day (an ordinal: day 1 is 0001-01-01), in SQL.
_PART_AGENT = (
    "CASE WHEN jsonb_array_length(p) > 3 THEN COALESCE(p ->> 3, '') "
    "ELSE COALESCE(f.agent_id::text, '') END"
)
_PART_DAY = "(DATE '0001-01-01' + ((p ->> 0)::int - 1))"


def _fact_sums_in_sql(slice: Slice, key_of: str) -> dict[str, dict[str, int]]:
    """`_fact_sums` with PostgreSQL unpacking and adding up the parts (a histogram amount
    bucketed by `facts.bucket_starts`): a year of email by topic at 1,000,000 tickets,
    4 million parts, took Python 5.7 s and takes PostgreSQL 1.7 s."""
    facts, facts_params = (
        _facts(slice).values(*FACT_COLUMNS.values(), "parts").query.sql_with_params()
    )
    starts, buckets = bucket_starts()
    if key_of == "agent":
        group = _PART_AGENT
    elif key_of in DIMENSIONS:
        group = f"COALESCE(f.{FACT_COLUMNS[key_of]}::text, '')"
    elif key_of in _PERIOD_SQL:
        group = _PERIOD_SQL[key_of].format(day=_PART_DAY)
    else:
        group = "''"
    histogram = "p ->> 1 = ANY(%s)"
    bucket = "COALESCE((%s::int[])[width_bucket((p ->> 2)::bigint, %s::bigint[])], 0)"
    agent = "" if slice.agent_id is None else f" AND {_PART_AGENT} = %s"
    statement = (
        f"SELECT {group}, CASE WHEN {histogram} THEN (p ->> 1) || ':' || {bucket} "  # noqa: S608
        f"ELSE p ->> 1 END, SUM(CASE WHEN {histogram} THEN 1 ELSE (p ->> 2)::bigint END) "
        f"FROM ({facts}) f CROSS JOIN LATERAL jsonb_array_elements(f.parts) p "
        f"WHERE (p ->> 0)::int BETWEEN %s AND %s{agent} GROUP BY 1, 2"
    )
    params = [
        list(HISTOGRAMS),
        list(buckets),
        list(starts),
        list(HISTOGRAMS),
        *facts_params,
        slice.start.toordinal(),
        slice.end.toordinal(),
    ]
    if slice.agent_id is not None:
        params.append(str(slice.agent_id))
    # The parts are opaque to PostgreSQL: it takes a fact for one part in the range where
    # there are eight or nine, and sorts what it thinks a few rows to add them up, tens of
    # thousands on disk. Hashing them instead takes a year of a team's email by agent from
    # 255-280 to 197-202 ms, a topic by organisation from 492 to 414-427. SET LOCAL ends
    # with the transaction: this one, or a caller's.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        return _summed_rows(raw_rows(statement, params))


def _fact_parts(slice: Slice) -> Iterator[tuple[date, dict[str, str], str, int]]:
    """Every part of the slice's facts on its days that its filters keep, as (day, the
    part's dimension values, name, amount) with histogram amounts as buckets."""
    first, last = slice.start.toordinal(), slice.end.toordinal()
    agent = "" if slice.agent_id is None else str(slice.agent_id)
    columns = ["parts", *FACT_COLUMNS.values()]
    for parts, *values in _facts(slice).values_list(*columns).iterator(chunk_size=5000):
        dims = {
            dimension: "" if value is None else str(value)
            for dimension, value in zip(FACT_COLUMNS, values, strict=True)
        }
        for part in parts:
            if not first <= part[0] <= last:
                continue
            part_dims = dims
            if len(part) > 3:
                part_dims = {**dims, "agent": "" if part[3] is None else str(part[3])}
            if agent and part_dims["agent"] != agent:
                continue
            name, amount = part[1], part[2]
            if name in HISTOGRAMS:
                name, amount = f"{name}:{bucket_of(amount)}", 1
            yield date.fromordinal(part[0]), part_dims, name, amount


def _group_key(key_of: str, day: date, value: str) -> str:
    if key_of in DIMENSIONS:
        return value
    if key_of in _PERIOD_SQL:
        return _period_key(day, key_of)
    return ""


def _sums(slice: Slice, key_of: str) -> tuple[dict[str, dict[str, int]], bool]:
    """Summed data per group: `key_of` a dimension (groups by its value), a period ("day",
    "week" or "month": groups by `_period_key`) or "" (one group). Also whether the data
    counts deflections. A slice that filters or groups by one dimension reads its rollups,
    one within channel, priority and language the combined rollups, one within a pair the
    pair's monthly rows (not by day or week), any other the facts."""
    filters = slice.filters()
    dimensions = {dimension for dimension, _value in filters}
    if key_of in DIMENSIONS:
        dimensions.add(key_of)
    by_days = key_of in ("day", "week")
    spans = _rollup_spans(slice, whole_days=by_days)
    if len(dimensions) <= 1:
        if filters:
            dimension, value = filters[0]
        elif key_of in DIMENSIONS:
            dimension, value = key_of, None
        else:
            dimension, value = "all", ""
        sums = _rollup_sums(spans, dimension, value, key_of)
        return _without_zeros(sums), dimension in ("all", "language")
    if dimensions <= set(COMBINED_DIMENSIONS):
        return _without_zeros(_rollup_sums(spans, COMBINED, None, key_of, within=filters)), False
    pair = next((pair for pair, names in PAIRS.items() if dimensions <= set(names)), None)
    if pair and not by_days:
        return _without_zeros(_pair_sums(slice, pair, key_of)), False
    return _without_zeros(_fact_sums(slice, key_of)), False


def _pair_sums(slice: Slice, pair: str, key_of: str) -> dict[str, dict[str, int]]:
    """The pair's monthly rows where the slice covers more than half of a month (see
    `_spans`), and the sums of the facts for the days around them, added, or taken away for
    the days of those months it leaves out: a year reads at most a month of facts' days."""
    spans = _spans(slice.start, slice.end)
    months = [span for span in spans if span[0] is MonthlyRollup]
    sums = _rollup_sums(months, pair, None, key_of, within=slice.filters()) if months else {}
    for table, low, high, sign in spans:
        if table is DailyRollup:
            for group, data in _fact_sums(replace(slice, start=low, end=high), key_of).items():
                _add(sums.setdefault(group, {}), data, sign)
    return sums


def _without_zeros(sums: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The groups' counters that are not zero, and the groups that have any: a month's row
    less its days can leave a group or counter at nothing."""
    kept = {group: {name: n for name, n in data.items() if n} for group, data in sums.items()}
    return {group: data for group, data in kept.items() if data}


def _fact_sums(slice: Slice, key_of: str) -> dict[str, dict[str, int]]:
    """The slice's facts' parts summed per `key_of` group (see `_sums`)."""
    if connection.vendor == "postgresql":
        return _fact_sums_in_sql(slice, key_of)
    sums: dict[str, dict[str, int]] = {}
    for day, dims, name, amount in _fact_parts(slice):
        group = sums.setdefault(_group_key(key_of, day, dims.get(key_of, "")), {})
        group[name] = group.get(name, 0) + amount
    return sums


# ---------------------------------------------------------------- the selectors


@statements_unprepared()
def kpis_for(slice: Slice) -> Kpis:
    sums, deflections = _sums(slice, "")
    return kpis_from(sums.get("", {}), deflections=deflections)


def _period_key(day: date, by: str) -> str:
    if by == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    if by == "month":
        return day.strftime("%Y-%m")
    return day.isoformat()


def _period_label(key: str, by: str) -> str:
    if by == "week":
        year, week, _ = date.fromisoformat(key).isocalendar()
        return f"{year}-W{week:02d}"
    return key


def _days(slice: Slice) -> Iterator[date]:
    day = slice.start
    while day <= slice.end:
        yield day
        day += timedelta(days=1)


def dimension_labels(dimension: str, keys: Iterable[str]) -> dict[str, str]:
    """Human-readable names of a dimension's values (team and agent names, channel labels)."""
    keys = list(keys)
    none = _("(none)")
    ids = [int(key) for key in keys if key.isdigit()]
    names: dict[Any, Any]
    if dimension in ("channel", "priority"):
        names = dict(ticket_vocabulary()[dimension])
    elif dimension == "team":
        names = {
            str(team.pk): team.name
            for team in account_selectors.team_list().filter(pk__in=ids).only("name")
        }
    elif dimension == "agent":
        names = {str(key): name for key, name in account_selectors.user_names(ids).items()}
    elif dimension == "organisation":
        names = {str(key): name for key, name in customer_selectors.organisation_names(ids).items()}
    else:
        names = {}
    return {key: str(names.get(key, key)) if key else none for key in keys}


def _hourly(slice: Slice) -> list[tuple[Group, Kpis]]:
    """Tickets created per clock hour (reporting zone): ArrivalHour for slices filtered by
    channel and category only, else the facts."""
    zone = reporting_zone()
    start = datetime.combine(slice.start, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(slice.end + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    counts: dict[str, int] = {}
    hours: Iterable[tuple[datetime, int]]
    if {dimension for dimension, _ in slice.filters()} <= {"channel", "category"}:
        rows = ArrivalHour.objects.filter(hour__gte=start, hour__lt=end)
        if slice.channel:
            rows = rows.filter(channel=slice.channel)
        if slice.category:
            rows = rows.filter(category=slice.category)
        hours = rows.values("hour").annotate(n=Sum("tickets")).values_list("hour", "n")
    else:
        facts = _facts(slice).filter(created_at__gte=start, created_at__lt=end)
        hours = [
            (at.replace(minute=0, second=0, microsecond=0), 1)
            for at in facts.values_list("created_at", flat=True)
        ]
    for hour, n in hours:
        key = hour.astimezone(zone).strftime("%Y-%m-%d %H:00")
        counts[key] = counts.get(key, 0) + n
    groups: list[tuple[Group, Kpis]] = []
    moment = start
    while moment < end:
        key = moment.astimezone(zone).strftime("%Y-%m-%d %H:00")
        if not groups or groups[-1][0].key != key:
            groups.append((Group(key, key), kpis_from({"created": counts.get(key, 0)})))
        moment += timedelta(hours=1)
    return groups


@statements_unprepared()
def kpis_by(slice: Slice, by: str) -> list[tuple[Group, Kpis]]:
    """The slice's KPIs per value of a dimension (those with figures, most tickets created
    first) or per period (every period of the range, oldest first). "hour" gives tickets
    created only."""
    if by == "hour":
        return _hourly(slice)
    if by in DIMENSIONS:
        sums, deflections = _sums(slice, by)
        labels = dimension_labels(by, sums)
        groups = [
            (Group(key, labels[key]), kpis_from(data, deflections=deflections))
            for key, data in sums.items()
        ]
        groups.sort(key=lambda group: (-group[1].created, -group[1].solved, group[0].label))
        return groups
    if by not in PERIODS:
        raise ValueError(f"cannot group by {by!r}")
    sums, deflections = _sums(slice, by)
    periods: dict[str, dict[str, int]] = {}
    for day in _days(slice):
        key = _period_key(day, by)
        periods.setdefault(key, sums.get(key, {}))
    return [
        (Group(key, _period_label(key, by)), kpis_from(data, deflections=deflections))
        for key, data in periods.items()
    ]


@statements_unprepared()
def topic_channel_matrix(slice: Slice) -> Matrix:
    """Tickets created in the slice per category (rows) and channel (columns)."""
    facts = TicketFact.objects.filter(created_day__gte=slice.start, created_day__lte=slice.end)
    for dimension, value in slice.filters():
        if dimension == "agent":
            facts = facts.filter(agent_id=value)
        else:
            facts = facts.filter(**{FACT_COLUMNS[dimension]: value})
    cells = facts.values("category", "channel").annotate(n=Count("ticket_id")).order_by()
    counts: dict[tuple[str, str], int] = {}
    for cell in cells:
        counts[(cell["category"], cell["channel"])] = cell["n"]
    return _matrix(counts)


def _matrix(counts: dict[tuple[str, str], int]) -> Matrix:
    row_totals: dict[str, int] = {}
    column_totals: dict[str, int] = {}
    for (category, channel), n in counts.items():
        row_totals[category] = row_totals.get(category, 0) + n
        column_totals[channel] = column_totals.get(channel, 0) + n
    rows = sorted(row_totals, key=lambda key: (-row_totals[key], key))
    columns = sorted(column_totals, key=lambda key: (-column_totals[key], key))
    channel_labels = dimension_labels("channel", columns)
    category_labels = dimension_labels("category", rows)
    return Matrix(
        rows=[Group(key, category_labels[key]) for key in rows],
        columns=[Group(key, channel_labels[key]) for key in columns],
        counts=[[counts.get((row, column), 0) for column in columns] for row in rows],
        row_totals=[row_totals[key] for key in rows],
        column_totals=[column_totals[key] for key in columns],
    )


BACKLOG_BUCKETS = (
    ("under_1d", 1),
    ("1_3d", 3),
    ("3_7d", 7),
    ("7_30d", 30),
    ("over_30d", None),
)


def backlog_labels() -> dict[str, str]:
    return {
        "under_1d": _("Under 1 day"),
        "1_3d": _("1–3 days"),
        "3_7d": _("3–7 days"),
        "7_30d": _("7–30 days"),
        "over_30d": _("Over 30 days"),
    }


@statements_unprepared()
def backlog_by_age(slice: Slice, *, now: datetime) -> list[tuple[Group, int]]:
    """Unsolved tickets now, matching the slice's filters (not its dates), by how long ago
    they were created: (bucket, count) from the youngest bucket to the oldest."""
    counts = _backlog_facts(slice).aggregate(
        **{
            key: Count("ticket_id", filter=_age_condition(key, now))
            for key, _days in BACKLOG_BUCKETS
        }
    )
    labels = backlog_labels()
    return [(Group(key, str(labels[key])), counts[key] or 0) for key, _days in BACKLOG_BUCKETS]


def _age_condition(key: str, now: datetime) -> Q:
    """The tickets of a backlog bucket: created within its ages before `now`."""
    younger = None
    for bucket, days in BACKLOG_BUCKETS:
        if bucket == key:
            condition = Q()
            if younger is not None:
                condition &= Q(created_at__lte=now - timedelta(days=younger))
            if days is not None:
                condition &= Q(created_at__gt=now - timedelta(days=days))
            return condition
        younger = days
    raise ValueError(f"no backlog bucket {key!r}")


def _backlog_facts(slice: Slice) -> QuerySet[TicketFact]:
    facts = TicketFact.objects.filter(is_open=True)
    for dimension, value in slice.filters():
        facts = facts.filter(**{FACT_COLUMNS[dimension]: value})
    return facts


@statements_unprepared()
def agent_productivity(slice: Slice) -> list[AgentFigures]:
    """Per agent: tickets solved (as assignee), replies sent, handle time per solved ticket
    and the share of good CSAT answers; agents with any of these, most solved first."""
    figures = [
        AgentFigures(
            agent=group,
            solved=kpis.solved,
            replies=kpis.replies,
            handle_time_avg=kpis.handle_time_avg,
            csat_good_share=kpis.csat_good_share,
        )
        for group, kpis in kpis_by(slice, "agent")
        if group.key
    ]
    figures.sort(key=lambda row: (-row.solved, -row.replies, row.agent.label))
    return figures


def _group_filter(slice: Slice, group: tuple[str, str] | None) -> tuple[Slice, Q]:
    """Narrow the slice to a group of kpis_by: a period's days or a dimension's value."""
    if group is None:
        return slice, Q()
    by, key = group
    if by in DIMENSIONS:
        column = FACT_COLUMNS[by]
        return slice, Q(**{f"{column}__isnull": True}) if key == "" and column.endswith(
            "_id"
        ) else Q(**{column: key})
    narrowing = Q()
    if by == "day":
        day = date.fromisoformat(key)
        first, last = day, day
    elif by == "week":
        first = date.fromisoformat(key)
        last = first + timedelta(days=6)
    elif by == "month":
        first = date.fromisoformat(key + "-01")
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    elif by == "hour":
        first = last = date.fromisoformat(key[:10])
        narrowing = _hour_condition(key)
    else:
        raise ValueError(f"cannot group by {by!r}")
    narrowed = Slice(
        **{**slice.__dict__, "start": max(slice.start, first), "end": min(slice.end, last)}
    )
    return narrowed, narrowing


def _hour_condition(key: str) -> Q:
    """Tickets created in a clock hour ("2026-11-02 08:00", reporting zone) of `kpis_by(…,
    "hour")`; the hour that repeats when the clocks go back is both of its hours."""
    first = datetime.strptime(key, "%Y-%m-%d %H:%M").replace(tzinfo=reporting_zone())
    last = first.replace(fold=1)
    return Q(created_at__gte=first, created_at__lt=last + timedelta(hours=1))


@statements_unprepared()
def ticket_ids_behind(
    slice: Slice,
    measure: str,
    *,
    group: tuple[str, str] | None = None,
    after_id: int | None = None,
    limit: int = 50,
    now: datetime | None = None,
) -> list[int]:
    """The ids of the tickets a figure counts, ascending, `limit` after `after_id`. The
    backlog's are the unsolved tickets (of an age at `now`: group ("age", bucket)), whatever
    the slice's dates."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if measure == "backlog":
        facts = _backlog_facts(slice)
        if group is not None:
            by, key = group
            if by != "age":
                raise ValueError(f"cannot group the backlog by {by!r}")
            facts = facts.filter(_age_condition(key, now or timezone.now()))
    else:
        facts = _measure_facts(slice, measure, group)
    if after_id is not None:
        facts = facts.filter(ticket_id__gt=after_id)
    return list(facts.order_by("ticket_id").values_list("ticket_id", flat=True)[:limit])


def _measure_facts(
    slice: Slice, measure: str, group: tuple[str, str] | None
) -> QuerySet[TicketFact]:
    slice, narrowing = _group_filter(slice, group)
    facts = TicketFact.objects.filter(narrowing)
    for dimension, value in slice.filters():
        if dimension == "agent" and measure.startswith("csat"):
            facts = _of_agent(facts, value)
        else:
            facts = facts.filter(**{FACT_COLUMNS[dimension]: value})
    if measure in PART_MEASURES:
        facts = facts.filter(created_day__lte=slice.end, last_day__gte=slice.start)
        return facts.filter(_has_part(PART_MEASURES[measure], slice))
    day_column = {
        "created": "created_day",
        "open": "created_day",
        "first_response": "first_response_day",
        "sla_breached": "sla_breach_day",
    }.get(measure, "csat_day" if measure.startswith("csat") else "solved_day")
    facts = facts.filter(**{f"{day_column}__gte": slice.start, f"{day_column}__lte": slice.end})
    conditions = {
        "fcr": Q(fcr=True),
        "reopened": Q(reopened=True),
        "open": Q(is_open=True),
        "csat_answered": Q(csat_score__isnull=False),
        "csat_good": Q(csat_score__gte=4),
        "csat_bad": Q(csat_score__lt=4),
    }
    return facts.filter(conditions.get(measure, Q()))


# Whether a fact has a part of a name on a day between two (ordinals), by the database's
# JSON functions.
_HAS_PART = {
    "postgresql": (
        "EXISTS (SELECT 1 FROM jsonb_array_elements(analytics_ticketfact.parts) p "
        "WHERE p ->> 1 = %s AND (p ->> 0)::int BETWEEN %s AND %s)"
    ),
    "sqlite": (
        "EXISTS (SELECT 1 FROM json_each(analytics_ticketfact.parts) p "
        "WHERE json_extract(p.value, '$[1]') = %s "
        "AND json_extract(p.value, '$[0]') BETWEEN %s AND %s)"
    ),
}


def _has_part(name: str, slice: Slice) -> RawSQL:
    return RawSQL(  # noqa: S611 - the SQL is a constant, the values parameters
        _HAS_PART[connection.vendor],
        (name, slice.start.toordinal(), slice.end.toordinal()),
        output_field=BooleanField(),
    )
