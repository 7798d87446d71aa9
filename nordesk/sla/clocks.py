"""Per-ticket SLA clocks: started when a ticket arrives, fulfilled by the agent's answer and
the solve, marked breached by the periodic scan. Every change writes its SlaEvent rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from . import history
from .business_time import Schedule, due_at, elapsed_between
from .models import ClockKind, ClockState, SlaClock, SlaEvent, SlaEventKind
from .policies import policy_for
from .selectors import schedule_for_calendar

BREACH_BATCH = 1000


def _schedule(calendar_id: int | None) -> Schedule | None:
    return None if calendar_id is None else schedule_for_calendar(calendar_id)


def clocks_start(*, ticket: Any, at: datetime) -> list[SlaClock]:
    """Applies the first matching policy to a new ticket: one clock per target it sets, due
    in the policy's business time (calendar time without a calendar)."""
    facts = {
        "priority": ticket.priority,
        "channel": ticket.channel,
        "team_id": ticket.team_id,
        "organisation_id": ticket.organisation_id,
    }
    policy = policy_for(facts)
    if policy is None:
        return []
    targets = [
        (kind, minutes)
        for kind, minutes in (
            (ClockKind.FIRST_RESPONSE, policy.first_response_minutes),
            (ClockKind.RESOLUTION, policy.resolution_minutes),
        )
        if minutes is not None
    ]
    if not targets:
        return []
    schedule = _schedule(policy.calendar_id)
    clocks = [
        SlaClock(
            ticket_id=ticket.pk,
            policy=policy,
            calendar_id=policy.calendar_id,
            kind=kind,
            target_minutes=minutes,
            due_at=due_at(at, timedelta(minutes=minutes), schedule),
            started_at=at,
        )
        for kind, minutes in targets
    ]
    SlaClock.objects.bulk_create(clocks)
    SlaEvent.objects.bulk_create(
        event
        for clock in clocks
        for event in (
            history.sla_applied(clock=clock, at=at),
            history.sla_activated(clock=clock, at=at),
        )
    )
    return clocks


def clocks_fulfil(*, ticket_id: int, kinds: tuple[str, ...], at: datetime) -> list[SlaClock]:
    """Fulfils the ticket's unfulfilled clocks of `kinds` at `at`. A clock fulfilled after its
    due time that the scan has not reached yet is recorded breached at its due time first."""
    clocks = list(
        SlaClock.objects.select_for_update()
        .filter(ticket_id=ticket_id, kind__in=kinds)
        .exclude(state=ClockState.FULFILLED)
    )
    events: list[SlaEvent] = []
    for clock in clocks:
        if clock.breached_at is None and clock.due_at is not None and at > clock.due_at:
            clock.breached_at = clock.due_at
            events.append(history.sla_breached(clock=clock, at=clock.due_at))
        if clock.state != ClockState.PAUSED:
            clock.business_elapsed_seconds += _seconds(clock, clock.started_at, at)
        clock.state = ClockState.FULFILLED
        clock.fulfilled_at = at
        events.append(history.sla_fulfilled(clock=clock, at=at))
    if clocks:
        SlaClock.objects.bulk_update(
            clocks, ["state", "fulfilled_at", "breached_at", "business_elapsed_seconds"]
        )
        SlaEvent.objects.bulk_create(events)
    return clocks


def _seconds(clock: SlaClock, start: datetime, end: datetime) -> int:
    return int(elapsed_between(start, end, _schedule(clock.calendar_id)).total_seconds())


def clocks_pause(*, ticket_id: int, at: datetime) -> list[SlaClock]:
    """Stops the ticket's running resolution clock while it waits for the customer, when its
    policy says so: the time that counted so far is kept, the due time is unknown."""
    clocks = list(
        SlaClock.objects.select_for_update().filter(
            ticket_id=ticket_id,
            kind=ClockKind.RESOLUTION,
            state=ClockState.ACTIVE,
            policy__pause_when_pending=True,
        )
    )
    for clock in clocks:
        clock.business_elapsed_seconds += _seconds(clock, clock.started_at, at)
        clock.state = ClockState.PAUSED
        clock.paused_at = at
        clock.due_at = None
    if clocks:
        SlaClock.objects.bulk_update(
            clocks, ["business_elapsed_seconds", "state", "paused_at", "due_at"]
        )
        SlaEvent.objects.bulk_create(history.sla_paused(clock=c, at=at) for c in clocks)
    return clocks


def clocks_resume(*, ticket_id: int, at: datetime) -> list[SlaClock]:
    """Restarts the ticket's paused clocks: due when the rest of the target has counted."""
    clocks = list(
        SlaClock.objects.select_for_update().filter(ticket_id=ticket_id, state=ClockState.PAUSED)
    )
    for clock in clocks:
        left = timedelta(minutes=clock.target_minutes) - timedelta(
            seconds=clock.business_elapsed_seconds
        )
        clock.due_at = due_at(at, max(left, timedelta(0)), _schedule(clock.calendar_id))
        clock.state = ClockState.ACTIVE
        clock.started_at = at
        clock.paused_at = None
    if clocks:
        SlaClock.objects.bulk_update(clocks, ["due_at", "state", "started_at", "paused_at"])
        SlaEvent.objects.bulk_create(history.sla_resumed(clock=c, at=at) for c in clocks)
    return clocks


def sla_breaches_mark(now: datetime, *, batch_size: int = BREACH_BATCH) -> int:
    """Marks every active clock due at or before `now` breached at its due time, in batches:
    per batch one SELECT of ids (the partial (state, due_at) index), one UPDATE and one
    INSERT of the breached events. Returns how many clocks it marked.

    Clocks already breached keep running (state stays "breached") until fulfilled."""
    marked = 0
    while True:
        with transaction.atomic():
            batch = _breach_batch(now, batch_size)
            if not batch:
                return marked
            ids = [row[0] for row in batch]
            SlaClock.objects.filter(pk__in=ids, state=ClockState.ACTIVE).update(
                state=ClockState.BREACHED, breached_at=F("due_at")
            )
            SlaEvent.objects.bulk_create(
                SlaEvent(
                    ticket_id=ticket_id,
                    policy_id=policy_id,
                    target=kind,
                    kind=SlaEventKind.BREACHED,
                    at=due,
                )
                for _id, ticket_id, policy_id, kind, due in batch
            )
        marked += len(batch)
        if len(batch) < batch_size:
            return marked


def _breach_batch(now: datetime, size: int) -> list[tuple[Any, ...]]:
    rows = SlaClock.objects.filter(state=ClockState.ACTIVE, due_at__lte=now).order_by("due_at")
    if connection.features.has_select_for_update_skip_locked:
        # Two scans at once (a slow one overlapping the next minute's) take disjoint batches.
        rows = rows.select_for_update(skip_locked=True)
    return list(rows.values_list("id", "ticket_id", "policy_id", "kind", "due_at")[:size])
