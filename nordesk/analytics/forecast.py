"""Arrivals per channel per hour for the next 14 days, from ArrivalHour history, with the error
it would have made on the last four weeks.

The model, in the reporting zone's wall-clock time:

    expected(day, hour) = day_total(kind of day) × share(hour | class of day)

- weekly seasonality: `day_total` is the mean number of arrivals on that weekday over the last
  eight weeks (fewer when history is shorter);
- daily seasonality: `share` is the pooled intraday profile of the day's class — Monday to
  Friday, Saturday, or closed (Sunday and holidays) — the share of a day's arrivals that fall
  in each hour;
- holidays (the business calendar's public holidays and closed days) are not counted as
  ordinary weekdays; a holiday is forecast from past holidays in the window when there are
  any, else like a Sunday.

Pooling the profile over many days is what makes it better than repeating last week: the
noise of one week's hours averages out. The backtest replays the last 28 days as two 14-day
forecasts (made 28 and 14 days ago, each from the history before it) and reports MAPE over
the hours with arrivals (an hour with none has no percentage error), next to the MAPE of the
naive forecast "the same hour one week earlier".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Min, Sum

from nordesk.sla import selectors as sla_selectors

from .models import ArrivalHour
from .services import reporting_zone

HORIZON_DAYS = 14
HISTORY_WEEKS = 8
BACKTEST_DAYS = 28
HOUR = timedelta(hours=1)

CLOSED = "closed"  # the day class of Sundays and holidays
Holidays = Callable[[date], bool]


def no_holidays(day: date) -> bool:
    return False


@dataclass(frozen=True)
class Backtest:
    mape: float | None  # percent; None when no hour had arrivals
    naive_mape: float | None  # the same hour one week earlier, on the same hours
    hours: int  # hours scored (those with arrivals)
    start: datetime  # the first hour replayed (UTC)


@dataclass(frozen=True)
class Forecast:
    channel: str  # "" for all channels
    hours: list[tuple[datetime, float]]  # UTC hour start → expected arrivals
    backtest: Backtest
    actual: Mapping[datetime, int] = field(default_factory=dict)  # arrived so far, by hour


def mape(pairs: Iterable[tuple[float, float]]) -> tuple[float | None, int]:
    """Mean absolute percentage error of (actual, forecast) pairs, in percent, over the pairs
    whose actual is above zero; and how many those were."""
    errors = [abs(actual - predicted) / actual for actual, predicted in pairs if actual > 0]
    if not errors:
        return None, 0
    return 100 * sum(errors) / len(errors), len(errors)


def _day_class(day: date, holidays: Holidays) -> str:
    if holidays(day) or day.weekday() == 6:
        return CLOSED
    return "saturday" if day.weekday() == 5 else "weekday"


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _hours_of(day: date, zone: ZoneInfo) -> list[datetime]:
    """The UTC hour starts of a local day: 23, 24 or 25 of them."""
    hour, end = local_midnight(day, zone), local_midnight(day + timedelta(days=1), zone)
    hours = []
    while hour < end:
        hours.append(hour)
        hour += HOUR
    return hours


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@dataclass(frozen=True)
class _Model:
    day_totals: dict[int | str, float]  # weekday (0-6) or "holiday" → mean arrivals in a day
    shares: dict[str, list[float]]  # day class → share of the day's arrivals per local hour

    def expected(self, day: date, holidays: Holidays) -> list[float]:
        if holidays(day):
            total = self.day_totals.get("holiday", self.day_totals.get(6, 0.0))
        else:
            total = self.day_totals.get(day.weekday(), 0.0)
        share = self.shares.get(_day_class(day, holidays), [0.0] * 24)
        return [total * portion for portion in share]


def _fit(
    history: Mapping[datetime, float],
    *,
    origin: date,
    since: date,
    zone: ZoneInfo,
    holidays: Holidays,
    weeks: int,
) -> _Model:
    first = max(since, origin - timedelta(weeks=weeks))
    totals: dict[int | str, list[float]] = defaultdict(list)
    by_hour: dict[str, list[float]] = defaultdict(lambda: [0.0] * 24)
    for day in _days(first, origin - timedelta(days=1)):
        counts = [0.0] * 24
        for hour in _hours_of(day, zone):
            counts[hour.astimezone(zone).hour] += history.get(hour, 0)
        totals["holiday" if holidays(day) else day.weekday()].append(sum(counts))
        pooled = by_hour[_day_class(day, holidays)]
        for index, count in enumerate(counts):
            pooled[index] += count
    shares = {}
    for day_class, counts in by_hour.items():
        total = sum(counts)
        shares[day_class] = [count / total for count in counts] if total else [0.0] * 24
    return _Model({key: sum(values) / len(values) for key, values in totals.items()}, shares)


def forecast_hours(
    history: Mapping[datetime, float],
    *,
    origin: date,
    since: date,
    zone: ZoneInfo,
    holidays: Holidays = no_holidays,
    days: int = HORIZON_DAYS,
    weeks: int = HISTORY_WEEKS,
) -> list[tuple[datetime, float]]:
    """Expected arrivals per UTC hour of the local days `origin` .. `origin + days − 1`,
    learnt from `history` (UTC hour start → arrivals; an hour not in it had none) of the days
    from `since` (the first day with history) up to the day before `origin`."""
    model = _fit(history, origin=origin, since=since, zone=zone, holidays=holidays, weeks=weeks)
    hours: list[tuple[datetime, float]] = []
    for day in _days(origin, origin + timedelta(days=days - 1)):
        expected = model.expected(day, holidays)
        hours.extend((hour, expected[hour.astimezone(zone).hour]) for hour in _hours_of(day, zone))
    return hours


def naive_hours(
    history: Mapping[datetime, float], *, origin: date, zone: ZoneInfo, days: int = HORIZON_DAYS
) -> list[tuple[datetime, float]]:
    """The baseline: each hour as the same hour in the last full week before `origin`."""
    start = local_midnight(origin, zone)
    hours: list[tuple[datetime, float]] = []
    for day in _days(origin, origin + timedelta(days=days - 1)):
        for hour in _hours_of(day, zone):
            earlier = hour
            while earlier >= start:
                earlier -= timedelta(weeks=1)
            hours.append((hour, history.get(earlier, 0)))
    return hours


def backtest(
    history: Mapping[datetime, float],
    *,
    today: date,
    since: date,
    zone: ZoneInfo,
    holidays: Holidays = no_holidays,
    days: int = BACKTEST_DAYS,
    weeks: int = HISTORY_WEEKS,
) -> Backtest:
    """Replay the `days` before `today` in forecasts of HORIZON_DAYS, each made from the
    history before its first day, and score them against what arrived."""
    predicted: list[tuple[datetime, float]] = []
    naive: list[tuple[datetime, float]] = []
    origin = today - timedelta(days=days)
    while origin < today:
        span = min(HORIZON_DAYS, (today - origin).days)
        predicted += forecast_hours(
            history,
            origin=origin,
            since=since,
            zone=zone,
            holidays=holidays,
            days=span,
            weeks=weeks,
        )
        naive += naive_hours(history, origin=origin, zone=zone, days=span)
        origin += timedelta(days=span)
    error, scored = mape((history.get(hour, 0), value) for hour, value in predicted)
    naive_error, _ = mape((history.get(hour, 0), value) for hour, value in naive)
    return Backtest(
        mape=error,
        naive_mape=naive_error,
        hours=scored,
        start=local_midnight(today - timedelta(days=days), zone),
    )


# Reading ArrivalHour.


def calendar_holidays() -> Holidays:
    """The default business calendar's closed days (public holidays and its own)."""
    calendar = sla_selectors.calendar_default()
    if calendar is None:
        return no_holidays
    return sla_selectors.schedule_for_calendar(calendar.pk).is_closed


def arrivals(*, channel: str, start: datetime, end: datetime) -> dict[datetime, int]:
    """Tickets created per UTC hour in [start, end) on `channel` ("" for all), every category
    together. Hours without tickets are left out."""
    rows = ArrivalHour.objects.filter(hour__gte=start, hour__lt=end)
    if channel:
        rows = rows.filter(channel=channel)
    return {
        hour: tickets
        for hour, tickets in rows.values("hour").annotate(n=Sum("tickets")).values_list("hour", "n")
    }


def _first_day(channel: str, zone: ZoneInfo) -> date | None:
    rows = ArrivalHour.objects.filter(tickets__gt=0)
    if channel:
        rows = rows.filter(channel=channel)
    first = rows.aggregate(first=Min("hour"))["first"]
    return first.astimezone(zone).date() if first is not None else None


def channel_forecast(channel: str, *, now: datetime, days: int = HORIZON_DAYS) -> Forecast:
    """The forecast from the start of today (reporting zone) for `days` days, learnt from
    the history before today, with the backtest over the four weeks before today."""
    zone, holidays = reporting_zone(), calendar_holidays()
    today = now.astimezone(zone).date()
    first_needed = today - timedelta(days=BACKTEST_DAYS, weeks=HISTORY_WEEKS)
    since = _first_day(channel, zone)
    if since is None:
        since = today
    history = arrivals(
        channel=channel, start=local_midnight(max(first_needed, since), zone), end=now
    )
    hours = forecast_hours(
        history, origin=today, since=since, zone=zone, holidays=holidays, days=days
    )
    scored = backtest(history, today=today, since=since, zone=zone, holidays=holidays)
    start = local_midnight(today, zone)
    actual = {hour: tickets for hour, tickets in history.items() if hour >= start}
    return Forecast(channel=channel, hours=hours, backtest=scored, actual=actual)
