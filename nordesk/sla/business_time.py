"""Business-time arithmetic: pure functions over an immutable `Schedule`, no database.

Opening hours are wall-clock times in the schedule's zone: 08:00-16:00 is eight hours of
business time on every working day, the days the clocks change included. Each day's intervals
are turned into UTC instants with zoneinfo, so an interval that spans a change (a night shift)
counts the hours that really passed.

A wall-clock time the clocks skip in spring stands for the moment of the jump, and one they
repeat in autumn for its first occurrence: "the first instant the clock reads that time or
later". That mapping never goes backwards, so a day's intervals stay ordered in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)
ZERO = timedelta(0)
# Scanning this many days in a row without one open hour means the schedule never opens
# (weekly hours exist, but custom closed days cover every one of them).
MAX_IDLE_DAYS = 3660

# Days offices in the country close that the holidays package files outside "public":
# Sweden's Midsommarafton, Julafton and Nyårsafton are "de_facto"; Denmark's Grundlovsdag,
# Juleaftensdag, Nytårsaften and 1 May are "optional". Finland's eves are public already.
HOLIDAY_CATEGORIES: dict[str, tuple[str, ...]] = {
    "NO": ("public",),
    "DK": ("public", "optional"),
    "SE": ("public", "de_facto"),
    "FI": ("public",),
}

Interval = tuple[time, time]
Span = tuple[datetime, datetime]


class NoBusinessHours(ValueError):
    """The schedule is never open, so business time can never elapse on it."""


def zone_load(name: str) -> ZoneInfo:
    """The IANA zone called `name`; ValueError when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def region_check(country: str, subdivision: str) -> None:
    """ValueError unless the holidays package knows `country` and `subdivision` (both may be
    blank: no public holidays; no regional ones)."""
    if not country:
        if subdivision:
            raise ValueError("a region needs a country")
        return
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ValueError(f"no public holidays for country {country!r}")
    if subdivision and subdivision not in supported[country]:
        raise ValueError(f"no region {subdivision!r} in {country}")


@lru_cache(maxsize=512)
def public_holidays(country: str, subdivision: str, year: int) -> frozenset[date]:
    """The days the country (and subdivision) closes in `year`. Built once per year and
    process: it depends only on the installed holidays package, never on the database."""
    found = holidays.country_holidays(
        country,
        subdiv=subdivision or None,
        years=year,
        categories=HOLIDAY_CATEGORIES.get(country, ("public",)),
    )
    return frozenset(found)


def _wall_length(opens: time, closes: time) -> timedelta:
    return datetime.combine(date.min, closes) - datetime.combine(date.min, opens)


@dataclass(frozen=True, slots=True)
class Schedule:
    """A business calendar as plain values: weekly wall-clock intervals (Monday first), the
    zone they are read in, the custom closed dates and the country whose public holidays
    close it too."""

    zone: ZoneInfo
    week: tuple[tuple[Interval, ...], ...]
    closed_dates: frozenset[date] = frozenset()
    country: str = ""
    subdivision: str = ""
    week_length: timedelta = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("a schedule has intervals for exactly 7 weekdays")
        for weekday, intervals in enumerate(self.week):
            _intervals_check(weekday, intervals)
        length = sum((_wall_length(*interval) for day in self.week for interval in day), ZERO)
        object.__setattr__(self, "week_length", length)

    @classmethod
    def build(
        cls,
        *,
        time_zone: str,
        hours: Iterable[tuple[int, time, time]],
        country: str = "",
        subdivision: str = "",
        closed_dates: Iterable[date] = (),
    ) -> Schedule:
        week: list[list[Interval]] = [[] for _ in range(7)]
        for weekday, opens, closes in hours:
            if not 0 <= weekday <= 6:
                raise ValueError(f"weekday {weekday} is not 0 (Monday) to 6 (Sunday)")
            week[weekday].append((opens, closes))
        return cls(
            zone=zone_load(time_zone),
            week=tuple(tuple(sorted(day)) for day in week),
            closed_dates=frozenset(closed_dates),
            country=country,
            subdivision=subdivision,
        )

    def is_closed(self, day: date) -> bool:
        if day in self.closed_dates:
            return True
        return bool(self.country) and day in public_holidays(
            self.country, self.subdivision, day.year
        )

    def spans_on(self, day: date) -> tuple[Span, ...]:
        """The day's open intervals as UTC instants; none on a closed day."""
        intervals = self.week[day.weekday()]
        if not intervals or self.is_closed(day):
            return ()
        spans = []
        for opens, closes in intervals:
            start = _first_instant(day, opens, self.zone)
            end = _first_instant(day, closes, self.zone)
            if end > start:
                spans.append((start, end))
        return tuple(spans)

    def ensure_open(self) -> None:
        if not self.week_length:
            raise NoBusinessHours("the schedule has no opening hours on any weekday")


def _intervals_check(weekday: int, intervals: tuple[Interval, ...]) -> None:
    previous_close: time | None = None
    for opens, closes in intervals:
        if opens.tzinfo is not None or closes.tzinfo is not None:
            raise ValueError("opening hours are wall-clock times without a zone")
        if closes <= opens:
            raise ValueError(f"weekday {weekday}: {closes} is not after {opens}")
        if previous_close is not None and opens < previous_close:
            raise ValueError(f"weekday {weekday}: intervals overlap or are not sorted")
        previous_close = closes


def _first_instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The first instant (UTC) at which the wall clock in `zone` reads `clock` on `day`, or
    later: fold=0 is the first occurrence of a repeated time; a skipped time is the jump."""
    local = datetime.combine(day, clock, tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    return _jump_instant(before=local.replace(fold=1).astimezone(UTC), after=instant, zone=zone)


def _jump_instant(*, before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The instant of the offset change between `before` and `after` (at most a few hours
    apart); zone transitions fall on whole seconds."""
    target = after.astimezone(zone).utcoffset()
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == target:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _as_utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {moment!r}")
    return moment.astimezone(UTC)


def _local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def _week_is_plain(schedule: Schedule, first: date) -> bool:
    """True when the 7 days from `first` hold exactly the nominal weekly hours: none of their
    open days is closed and the zone's offset is the same at both ends (no clock change;
    zones do not change twice within a week)."""
    for offset in range(7):
        day = first + timedelta(days=offset)
        if schedule.week[day.weekday()] and schedule.is_closed(day):
            return False
    zone = schedule.zone
    week_start = datetime.combine(first, time(), tzinfo=zone)
    return week_start.utcoffset() == (week_start + ONE_WEEK).utcoffset()


def business_add(start: datetime, duration: timedelta, schedule: Schedule) -> datetime:
    """The earliest moment (UTC) at which `duration` of business time has elapsed since
    `start`. Time outside opening hours does not count, so a start outside hours counts from
    the next opening; a zero duration is due at `start` itself. Raises NoBusinessHours when
    the schedule never opens."""
    start = _as_utc(start, "start")
    if duration < ZERO:
        raise ValueError("duration must not be negative")
    schedule.ensure_open()
    if not duration:
        return start
    remaining = duration
    day = _local_date(start, schedule.zone)
    for opens, closes in schedule.spans_on(day):
        if closes <= start:
            continue
        opens = max(opens, start)
        if remaining <= closes - opens:
            return opens + remaining
        remaining -= closes - opens
    idle_days = 0
    while True:
        day += ONE_DAY
        while remaining > schedule.week_length and _week_is_plain(schedule, day):
            remaining -= schedule.week_length
            day += ONE_WEEK
        spans = schedule.spans_on(day)
        for opens, closes in spans:
            if remaining <= closes - opens:
                return opens + remaining
            remaining -= closes - opens
        idle_days = 0 if spans else idle_days + 1
        if idle_days > MAX_IDLE_DAYS:
            raise NoBusinessHours(f"the schedule is closed every day for {MAX_IDLE_DAYS} days")


def business_between(start: datetime, end: datetime, schedule: Schedule) -> timedelta:
    """The business time elapsed from `start` to `end`; zero when `end` is not after `start`.
    Raises NoBusinessHours when the schedule never opens."""
    start, end = _as_utc(start, "start"), _as_utc(end, "end")
    schedule.ensure_open()
    if end <= start:
        return ZERO
    first_day, last_day = _local_date(start, schedule.zone), _local_date(end, schedule.zone)
    total = ZERO
    day = first_day
    while day <= last_day:
        # Whole weeks strictly between the first and the last day count without their spans.
        if day > first_day:
            while day + ONE_WEEK <= last_day and _week_is_plain(schedule, day):
                total += schedule.week_length
                day += ONE_WEEK
        for opens, closes in schedule.spans_on(day):
            overlap = min(closes, end) - max(opens, start)
            if overlap > ZERO:
                total += overlap
        day += ONE_DAY
    return total


def due_at(start: datetime, duration: timedelta, schedule: Schedule | None) -> datetime:
    """When `duration` is up: in business time on `schedule`, in calendar time without one."""
    if schedule is None:
        if duration < ZERO:
            raise ValueError("duration must not be negative")
        return _as_utc(start, "start") + duration
    return business_add(start, duration, schedule)


def elapsed_between(start: datetime, end: datetime, schedule: Schedule | None) -> timedelta:
    """The time that counts from `start` to `end`: business time on `schedule`, calendar
    time without one; zero when `end` is not after `start`."""
    if schedule is None:
        return max(_as_utc(end, "end") - _as_utc(start, "start"), ZERO)
    return business_between(start, end, schedule)
