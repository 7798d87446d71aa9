"""A channel's staffing plan for one day: forecast arrivals per hour turned into the agents
each hour needs (Erlang C with the channel's answer target, handle time and shrinkage), next
to what actually arrived and to the agents online now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache

from nordesk.accounts import selectors as account_selectors
from nordesk.tickets import figures as ticket_figures

from . import erlang, forecast

CHANNELS = ("chat", "phone", "social", "email", "web", "api")


@dataclass(frozen=True)
class Target:
    seconds: int  # answer within
    service_level: float  # share of contacts


# Conversations are answered in seconds, written channels in hours.
TARGETS = {
    "chat": Target(20, 0.8),
    "phone": Target(20, 0.8),
    "social": Target(3600, 0.8),
    "email": Target(4 * 3600, 0.8),
    "web": Target(4 * 3600, 0.8),
    "api": Target(4 * 3600, 0.8),
}
# Handle time per contact when neither the setting nor history says.
DEFAULT_AHT_SECONDS = {"chat": 480, "phone": 300, "social": 300}
DEFAULT_WRITTEN_AHT_SECONDS = 600
AHT_WINDOW = timedelta(days=28)
# Handle time changes slowly and reading it scans a month of events: a job refreshes it every
# hour (`aht_refresh`), so no page view pays for the scan but the first.
AHT_CACHE_KEY = "analytics:aht-by-channel:v1"
AHT_CACHE_SECONDS = 2 * 3600
# Capacity kinds whose capacity is conversations held at once. An email capacity caps an
# agent's queue, but they still write one answer at a time.
CONCURRENT_KINDS = frozenset({"chat"})
MAX_CONCURRENCY = 10


@dataclass(frozen=True)
class Aht:
    seconds: float
    source: str  # "setting", "history" or "default"


def aht_refresh(*, now: datetime) -> dict[str, tuple[int, int]]:
    """Per channel: handle seconds recorded in the last four weeks and the tickets they were
    spent on (only those: tickets nobody timed say nothing about handle time)."""
    by_channel = ticket_figures.handle_time_by_channel(since=now - AHT_WINDOW)
    cache.set(AHT_CACHE_KEY, by_channel, AHT_CACHE_SECONDS)
    return by_channel


def aht_for(channel: str, *, now: datetime) -> Aht:
    if settings.STAFFING_AHT_SECONDS > 0:
        return Aht(float(settings.STAFFING_AHT_SECONDS), "setting")
    by_channel = cache.get(AHT_CACHE_KEY)
    if by_channel is None:
        by_channel = aht_refresh(now=now)
    seconds, tickets = by_channel.get(channel, (0, 0))
    if tickets and seconds > 0:
        return Aht(seconds / tickets, "history")
    return Aht(float(DEFAULT_AHT_SECONDS.get(channel, DEFAULT_WRITTEN_AHT_SECONDS)), "default")


@dataclass(frozen=True)
class Concurrency:
    contacts: int  # an agent handles at once
    source: str  # "setting", "agents" or "default"


def concurrency_for(channel: str) -> Concurrency:
    """The median chat capacity set on the agents who take chats, or one at a time."""
    kind = account_selectors.kind_of_channel(channel)
    if kind not in CONCURRENT_KINDS:
        return Concurrency(1, "default")
    set_on_agents = account_selectors.agents_taking_tickets().values_list(
        "channel_capacity", flat=True
    )
    capacities = sorted(by_kind[kind] for by_kind in set_on_agents if by_kind.get(kind, 0) > 0)
    if not capacities:
        return Concurrency(1, "default")
    return Concurrency(min(capacities[(len(capacities) - 1) // 2], MAX_CONCURRENCY), "agents")


def default_shrinkage() -> float:
    return settings.STAFFING_SHRINKAGE_PERCENT / 100


def agents_online(channel: str) -> int:
    """Agents online now who take tickets of the channel's kind (capacity above zero)."""
    kind = account_selectors.kind_of_channel(channel)
    online = account_selectors.agents_taking_tickets().filter(presence="online")
    return sum(1 for agent in online if agent.capacity_for(kind) > 0)


@dataclass(frozen=True)
class HourPlan:
    hour: datetime  # UTC start
    expected: float
    actual: int | None  # None while the hour has not begun
    staffing: erlang.Staffing
    is_now: bool


@dataclass(frozen=True)
class StaffingPlan:
    channel: str
    day: date
    days: list[date]  # the days the forecast covers, for choosing one
    aht: Aht
    concurrency: Concurrency
    target: Target
    shrinkage: float
    hours: list[HourPlan]
    backtest: forecast.Backtest
    online_now: int
    now: HourPlan | None  # the current hour's row when the day is today

    @property
    def expected_total(self) -> float:
        return sum(hour.expected for hour in self.hours)

    @property
    def peak_scheduled(self) -> int:
        return max((hour.staffing.agents_scheduled for hour in self.hours), default=0)


def staffing_plan(
    *,
    channel: str,
    now: datetime,
    day: date | None = None,
    target: Target | None = None,
    shrinkage: float | None = None,
    aht_seconds: float | None = None,
    concurrency: int | None = None,
) -> StaffingPlan:
    """The plan of `day` (today in the reporting zone when None or outside the forecast)."""
    zone = forecast.reporting_zone()
    predicted = forecast.channel_forecast(channel, now=now)
    days = sorted({hour.astimezone(zone).date() for hour, _ in predicted.hours})
    if day not in days:
        day = days[0]
    target = target or TARGETS.get(channel, TARGETS["email"])
    shrinkage = default_shrinkage() if shrinkage is None else shrinkage
    aht = Aht(aht_seconds, "setting") if aht_seconds else aht_for(channel, now=now)
    at_once = Concurrency(concurrency, "setting") if concurrency else concurrency_for(channel)
    current_hour = now.replace(minute=0, second=0, microsecond=0)
    hours = []
    for hour, expected in predicted.hours:
        if hour.astimezone(zone).date() != day:
            continue
        staffing = erlang.staffing(
            calls=expected,
            interval_minutes=60,
            aht_seconds=aht.seconds,
            target_seconds=target.seconds,
            service_level_target=target.service_level,
            shrinkage=shrinkage,
            concurrency=at_once.contacts,
        )
        actual = predicted.actual.get(hour, 0) if hour <= now else None
        hours.append(HourPlan(hour, expected, actual, staffing, hour == current_hour))
    return StaffingPlan(
        channel=channel,
        day=day,
        days=days,
        aht=aht,
        concurrency=at_once,
        target=target,
        shrinkage=shrinkage,
        hours=hours,
        backtest=predicted.backtest,
        online_now=agents_online(channel),
        now=next((hour for hour in hours if hour.is_now), None),
    )
