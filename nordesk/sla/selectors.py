from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from nordesk.core.selectors import first_row

from .business_time import ZERO, Schedule, elapsed_between
from .errors import CalendarNotFound
from .models import (
    BusinessCalendar,
    ClockKind,
    ClockState,
    ClosedDay,
    SlaClock,
    SlaEvent,
    SlaPolicy,
)


def calendar_default() -> BusinessCalendar | None:
    return first_row(BusinessCalendar.objects.filter(is_default=True))


def calendar_get(*, calendar_id: int) -> BusinessCalendar | None:
    return first_row(BusinessCalendar.objects.filter(pk=calendar_id))


def calendar_list() -> QuerySet[BusinessCalendar]:
    return BusinessCalendar.objects.order_by("name")


def closed_day_list(*, calendar_id: int) -> QuerySet[ClosedDay]:
    return ClosedDay.objects.filter(calendar_id=calendar_id).order_by("date")


def closed_day_get(*, calendar_id: int, closed_day_id: int) -> ClosedDay | None:
    return first_row(ClosedDay.objects.filter(calendar_id=calendar_id, pk=closed_day_id))


def policy_list() -> QuerySet[SlaPolicy]:
    """Every policy in the order they are tried."""
    return SlaPolicy.objects.order_by("position", "id")


def policy_get(*, policy_id: int) -> SlaPolicy | None:
    return first_row(SlaPolicy.objects.filter(pk=policy_id))


def schedule_for_calendar(calendar_id: int) -> Schedule:
    """The calendar as a Schedule for the business-time arithmetic, in two queries: the
    calendar joined with its hours, then its closed days."""
    rows = list(
        BusinessCalendar.objects.filter(pk=calendar_id).values_list(
            "time_zone", "country", "subdivision", "hours__weekday", "hours__opens", "hours__closes"
        )
    )
    if not rows:
        raise CalendarNotFound()
    time_zone, country, subdivision = rows[0][:3]
    closed_dates = ClosedDay.objects.filter(calendar_id=calendar_id).values_list("date", flat=True)
    return Schedule.build(
        time_zone=time_zone,
        country=country,
        subdivision=subdivision,
        hours=[
            (weekday, opens, closes) for *_, weekday, opens, closes in rows if weekday is not None
        ],
        closed_dates=list(closed_dates),
    )


@dataclass(frozen=True)
class ClockView:
    kind: str
    name: str  # the target's translated name
    state: str  # the clock's: active, paused, fulfilled, breached
    status: str  # for display: ok, warning, breached or met
    due_at: datetime | None
    warning_at: datetime | None
    target: timedelta
    elapsed: timedelta
    remaining: timedelta | None  # business time left; negative when overdue; None when met
    policy: str = ""  # the policy's name


KIND_ORDER = {ClockKind.FIRST_RESPONSE: 0, ClockKind.NEXT_RESPONSE: 1, ClockKind.RESOLUTION: 2}


def clocks_for_ticket(ticket_id: int, *, now: datetime | None = None) -> list[ClockView]:
    """The ticket's clocks for the remaining-time display: first response, next response,
    resolution. Reads the clocks with their policies in one query and each calendar they
    count in with two more. The caller has already checked that the reader may see the
    ticket."""
    now = now or timezone.now()
    clocks = sorted(
        SlaClock.objects.filter(ticket_id=ticket_id).select_related("policy"),
        key=lambda clock: KIND_ORDER.get(ClockKind(clock.kind), 9),
    )
    schedules = {
        calendar_id: schedule_for_calendar(calendar_id)
        for calendar_id in {clock.calendar_id for clock in clocks if clock.calendar_id}
    }
    return [
        _clock_view(clock, schedules[clock.calendar_id] if clock.calendar_id else None, now)
        for clock in clocks
    ]


def _clock_view(clock: SlaClock, schedule: Schedule | None, now: datetime) -> ClockView:
    target = timedelta(minutes=clock.target_minutes)
    elapsed = timedelta(seconds=clock.business_elapsed_seconds)
    if clock.state in (ClockState.ACTIVE, ClockState.BREACHED):
        elapsed += elapsed_between(clock.started_at, now, schedule)
    remaining = None if clock.state == ClockState.FULFILLED else target - elapsed
    if clock.breached_at is not None or (remaining is not None and remaining <= ZERO):
        status = "breached"
    elif clock.state == ClockState.FULFILLED:
        status = "met"
    elif elapsed >= target * clock.policy.warning_percent / 100:
        status = "warning"
    else:
        status = "ok"
    return ClockView(
        kind=clock.kind,
        name=str(ClockKind(clock.kind).label),
        state=clock.state,
        status=status,
        due_at=clock.due_at,
        warning_at=clock.warning_at,
        target=target,
        elapsed=elapsed,
        remaining=remaining,
        policy=clock.policy.name,
    )


@dataclass(frozen=True)
class EventView:
    target: str
    kind: str  # applied, activated, paused, resumed, fulfilled, breached
    at: datetime
    policy: str | None  # the policy's name; None once the policy is deleted


def events_for_ticket(ticket_id: int) -> list[EventView]:
    """The ticket's SLA history, oldest first, in one query. The caller has already checked
    that the reader may see the ticket."""
    rows = (
        SlaEvent.objects.filter(ticket_id=ticket_id)
        .order_by("at", "id")
        .values_list("target", "kind", "at", "policy__name")
    )
    return [
        EventView(target=target, kind=kind, at=at, policy=policy)
        for target, kind, at, policy in rows
    ]


def events_for_tickets(
    ticket_ids: list[int], *, between: tuple[int, int] | None = None
) -> dict[int, list[tuple[str, str, datetime]]]:
    """Each ticket's SLA history as (target, kind, at), oldest first, in one query: what
    the analytics app's compliance figures are counted from (`between`: the tickets with ids
    in that range instead)."""
    found: dict[int, list[tuple[str, str, datetime]]] = {}
    events = (
        SlaEvent.objects.filter(ticket_id__gte=between[0], ticket_id__lte=between[1])
        if between
        else SlaEvent.objects.filter(ticket_id__in=ticket_ids)
    )
    rows = events.order_by("ticket_id", "at", "id").values_list("ticket_id", "target", "kind", "at")
    for ticket_id, target, kind, at in rows:
        found.setdefault(ticket_id, []).append((target, kind, at))
    return found


def event_ticket_ids_after(*, after_id: int, limit: int) -> tuple[list[int], int]:
    """The tickets of the next `limit` SLA events past `after_id` (each once) and the id of
    the last one read: a breach changes a ticket's figures without a ticket event."""
    rows = list(
        SlaEvent.objects.filter(id__gt=after_id)
        .order_by("id")
        .values_list("id", "ticket_id")[:limit]
    )
    if not rows:
        return [], after_id
    return list(dict.fromkeys(ticket_id for _id, ticket_id in rows)), rows[-1][0]


def event_last_id() -> int:
    return SlaEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
