"""Per-ticket SLA clocks: started when a ticket arrives (and, for the next response, with
each customer message after an answer), fulfilled by the agent's answer and the solve,
paused while the ticket waits, re-activated when it reopens, warned and breached by the
periodic scan. Every change writes its SlaEvent rows and keeps `Ticket.sla_due_at` (the
earliest due time of the running clocks) up to date with one UPDATE."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Min
from django.db.models.functions import Coalesce

from nordesk.core.events import emit
from nordesk.tickets import services as ticket_services

from . import history
from .business_time import ZERO, Schedule, due_at, elapsed_between
from .calendar_links import calendar_for
from .models import ClockKind, ClockState, SlaClock, SlaEvent, SlaEventKind, SlaPolicy
from .policies import policies_exist, policies_read_tags, policy_for
from .selectors import schedule_for_calendar

# Rows per scan transaction: big enough that a 10,000-clock backlog takes a few round trips.
BREACH_BATCH = 5000
# Clocks that count: a breached clock keeps running (and stays the most urgent) until met.
RUNNING = (ClockState.ACTIVE, ClockState.BREACHED)
# Targets that stop while the ticket waits for the customer, when the policy says so.
PAUSABLE = (ClockKind.RESOLUTION, ClockKind.NEXT_RESPONSE)
START_TARGETS = (
    (ClockKind.FIRST_RESPONSE, "first_response_minutes"),
    (ClockKind.RESOLUTION, "resolution_minutes"),
)


def _schedule(calendar_id: int | None) -> Schedule | None:
    return None if calendar_id is None else schedule_for_calendar(calendar_id)


def _facts(ticket: Any) -> dict[str, Any]:
    facts = {
        "priority": ticket.priority,
        "channel": ticket.channel,
        "team_id": ticket.team_id,
        "organisation_id": ticket.organisation_id,
    }
    if policies_read_tags():
        # Intake attached the tags before the event; a prefetched ticket costs no query.
        facts["tags"] = frozenset(tag.name for tag in ticket.tags.all())
    return facts


def deadlines_set(
    clock: SlaClock, *, start: datetime, warning_percent: int, schedule: Schedule | None
) -> None:
    """Due and warning times of a clock counting from `start`, with its elapsed time so far
    already in `business_elapsed_seconds`; either is `start` itself when already used up."""
    target = timedelta(minutes=clock.target_minutes)
    elapsed = timedelta(seconds=clock.business_elapsed_seconds)
    clock.due_at = due_at(start, max(target - elapsed, ZERO), schedule)
    clock.warning_at = due_at(start, max(target * warning_percent / 100 - elapsed, ZERO), schedule)


def _earliest_due(clocks: Iterable[SlaClock]) -> datetime | None:
    return min(
        (c.due_at for c in clocks if c.state in RUNNING and c.due_at is not None), default=None
    )


def _ticket_due_sync(ticket_id: int) -> None:
    """Tell the ticket its earliest running due time: one aggregate, one UPDATE."""
    due = SlaClock.objects.filter(ticket_id=ticket_id, state__in=RUNNING).aggregate(
        due=Min("due_at")
    )["due"]
    ticket_services.ticket_sla_due_set(ticket_id=ticket_id, due_at=due)


def clocks_start(*, ticket: Any, at: datetime) -> list[SlaClock]:
    """Applies the first matching policy to a new ticket: one clock for each of its first
    response and resolution targets, due in business time (see `calendar_for`)."""
    if not policies_exist():
        return []
    policy = policy_for(_facts(ticket))
    if policy is None:
        return []
    targets = [
        (kind, getattr(policy, field))
        for kind, field in START_TARGETS
        if getattr(policy, field) is not None
    ]
    if not targets:
        return []
    calendar_id = calendar_for(
        policy, team_id=ticket.team_id, organisation_id=ticket.organisation_id
    )
    schedule = _schedule(calendar_id)
    clocks = []
    for kind, minutes in targets:
        clock = SlaClock(
            ticket_id=ticket.pk,
            policy=policy,
            calendar_id=calendar_id,
            kind=kind,
            target_minutes=minutes,
            started_at=at,
        )
        deadlines_set(clock, start=at, warning_percent=policy.warning_percent, schedule=schedule)
        clocks.append(clock)
    SlaClock.objects.bulk_create(clocks)
    SlaEvent.objects.bulk_create(
        event
        for clock in clocks
        for event in (
            history.sla_applied(clock=clock, at=at),
            history.sla_activated(clock=clock, at=at),
        )
    )
    ticket.sla_due_at = _earliest_due(clocks)
    ticket_services.ticket_sla_due_set(ticket_id=ticket.pk, due_at=ticket.sla_due_at)
    return clocks


def clocks_next_response_start(*, ticket: Any, at: datetime) -> SlaClock | None:
    """A customer wrote after an answer: the next-response clock starts a new cycle, unless
    one is counting (or paused) already. The ticket's one next-response row is reused; the
    policy is the one its other clocks run under (or, without clocks, the one matching now).
    """
    if not policies_exist():
        return None
    clocks = list(
        SlaClock.objects.select_for_update(of=("self",))
        .select_related("policy")
        .filter(ticket_id=ticket.pk)
    )
    clock = next((c for c in clocks if c.kind == ClockKind.NEXT_RESPONSE), None)
    if clock is not None and clock.state != ClockState.FULFILLED:
        return None
    policy: SlaPolicy | None = clocks[0].policy if clocks else policy_for(_facts(ticket))
    if policy is None or policy.next_response_minutes is None:
        return None
    calendar_id = calendar_for(
        policy, team_id=ticket.team_id, organisation_id=ticket.organisation_id
    )
    if clock is None:
        clock = SlaClock(ticket_id=ticket.pk, kind=ClockKind.NEXT_RESPONSE)
        clocks.append(clock)
    clock.policy = policy
    clock.calendar_id = calendar_id
    clock.target_minutes = policy.next_response_minutes
    clock.state = ClockState.ACTIVE
    clock.business_elapsed_seconds = 0
    clock.started_at = at
    clock.paused_at = clock.fulfilled_at = clock.breached_at = clock.warned_at = None
    deadlines_set(
        clock, start=at, warning_percent=policy.warning_percent, schedule=_schedule(calendar_id)
    )
    clock.save()
    SlaEvent.objects.bulk_create(
        [history.sla_applied(clock=clock, at=at), history.sla_activated(clock=clock, at=at)]
    )
    ticket.sla_due_at = _earliest_due(clocks)
    ticket_services.ticket_sla_due_set(ticket_id=ticket.pk, due_at=ticket.sla_due_at)
    return clock


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
        _ticket_due_sync(ticket_id)
    return clocks


def _seconds(clock: SlaClock, start: datetime, end: datetime) -> int:
    return int(elapsed_between(start, end, _schedule(clock.calendar_id)).total_seconds())


def clocks_pause(*, ticket_id: int, at: datetime) -> list[SlaClock]:
    """Stops the ticket's running resolution and next-response clocks while it waits for the
    customer, when their policy says so: the time that counted so far is kept, the due time
    is unknown."""
    clocks = list(
        SlaClock.objects.select_for_update().filter(
            ticket_id=ticket_id,
            kind__in=PAUSABLE,
            state__in=RUNNING,
            policy__pause_when_pending=True,
        )
    )
    for clock in clocks:
        clock.business_elapsed_seconds += _seconds(clock, clock.started_at, at)
        clock.state = ClockState.PAUSED
        clock.paused_at = at
        clock.due_at = clock.warning_at = None
    if clocks:
        SlaClock.objects.bulk_update(
            clocks, ["business_elapsed_seconds", "state", "paused_at", "due_at", "warning_at"]
        )
        SlaEvent.objects.bulk_create(history.sla_paused(clock=c, at=at) for c in clocks)
        _ticket_due_sync(ticket_id)
    return clocks


def _restart(
    clocks: list[SlaClock], *, at: datetime, event: Any, fields: tuple[str, ...] = ()
) -> None:
    """Counts `clocks` again from `at` with the rest of their target; a clock breached
    before stays breached."""
    for clock in clocks:
        clock.state = ClockState.BREACHED if clock.breached_at else ClockState.ACTIVE
        clock.started_at = at
        clock.paused_at = None
        deadlines_set(
            clock,
            start=at,
            warning_percent=clock.policy.warning_percent,
            schedule=_schedule(clock.calendar_id),
        )
    if clocks:
        SlaClock.objects.bulk_update(
            clocks, ["due_at", "warning_at", "state", "started_at", "paused_at", *fields]
        )
        SlaEvent.objects.bulk_create(event(clock=c, at=at) for c in clocks)
        _ticket_due_sync(clocks[0].ticket_id)


def clocks_resume(*, ticket_id: int, at: datetime) -> list[SlaClock]:
    """Restarts the ticket's paused clocks: due when the rest of the target has counted."""
    clocks = list(
        SlaClock.objects.select_for_update(of=("self",))
        .select_related("policy")
        .filter(ticket_id=ticket_id, state=ClockState.PAUSED)
    )
    _restart(clocks, at=at, event=history.sla_resumed)
    return clocks


def clocks_reopen(*, ticket_id: int, at: datetime) -> list[SlaClock]:
    """A solved ticket opened again: its resolution clock counts on from where it stopped
    (a breached one stays breached)."""
    clocks = list(
        SlaClock.objects.select_for_update(of=("self",))
        .select_related("policy")
        .filter(ticket_id=ticket_id, kind=ClockKind.RESOLUTION, state=ClockState.FULFILLED)
    )
    for clock in clocks:
        clock.fulfilled_at = None
    _restart(clocks, at=at, event=history.sla_activated, fields=("fulfilled_at",))
    return clocks


def sla_breaches_mark(now: datetime, *, batch_size: int = BREACH_BATCH) -> int:
    """The periodic scan. Marks every active clock due at or before `now` breached at its
    due time, with a `breached` event, then every active clock whose warning time has come
    warned, in batches of `batch_size`, each its own transaction of a few statements however
    large (see `_breach_batch`). Each batch emits one `sla_breached` or `sla_warning` with
    `clocks`: a list of {ticket_id, target, at}. Returns how many clocks it marked breached.

    Clocks already breached keep running (state stays "breached") until fulfilled; a clock
    breached before it was warned gets its warning time recorded without a warning."""
    breached = 0
    while True:
        with transaction.atomic():
            batch = _breach_batch(now, batch_size)
            if batch:
                emit("sla_breached", clocks=batch)
        breached += len(batch)
        if len(batch) < batch_size:
            break
    _warnings_mark(now, batch_size=batch_size)
    return breached


Moments = list[dict[str, Any]]


def _moments(rows: Iterable[tuple[Any, ...]]) -> Moments:
    return [{"ticket_id": ticket_id, "target": kind, "at": at} for ticket_id, kind, at in rows]


def _breach_batch(now: datetime, size: int) -> Moments:
    """The next `size` overdue clocks marked breached with their events. PostgreSQL does it in
    one statement (claim with SKIP LOCKED, UPDATE … RETURNING, INSERT of the events from
    what it returned); elsewhere three: the ids, the events copied by INSERT … SELECT, the
    UPDATE. Either way no Python object is built per clock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(BREACH_BATCH_SQL, {"now": now, "size": size, "breached": "breached"})
            return _moments(cursor.fetchall())
    rows = list(
        SlaClock.objects.filter(state=ClockState.ACTIVE, due_at__lte=now)
        .order_by("due_at")
        .values_list("id", "ticket_id", "kind", "due_at")[:size]
    )
    if rows:
        ids = [row[0] for row in rows]
        _breach_events_insert(ids)
        SlaClock.objects.filter(pk__in=ids).update(
            state=ClockState.BREACHED,
            breached_at=F("due_at"),
            warned_at=Coalesce("warned_at", "warning_at"),
        )
    return _moments(row[1:] for row in rows)


# Table and column names as the models declare them (tests/sla keeps them equal).
BREACH_BATCH_SQL = """
WITH batch AS (
    SELECT id FROM sla_slaclock
    WHERE state = 'active' AND due_at <= %(now)s
    ORDER BY due_at
    LIMIT %(size)s
    FOR UPDATE SKIP LOCKED
), marked AS (
    UPDATE sla_slaclock AS clock
    SET state = %(breached)s,
        breached_at = clock.due_at,
        warned_at = COALESCE(clock.warned_at, clock.warning_at)
    FROM batch
    WHERE clock.id = batch.id
    RETURNING clock.ticket_id, clock.policy_id, clock.kind, clock.due_at
), logged AS (
    INSERT INTO sla_slaevent (ticket_id, policy_id, target, kind, at)
    SELECT ticket_id, policy_id, kind, %(breached)s, due_at FROM marked
)
SELECT ticket_id, kind, due_at FROM marked
"""


def _breach_events_insert(clock_ids: list[int]) -> None:
    """One `breached` event per clock, at its due time, copied by the database from the
    clocks themselves (INSERT … SELECT)."""
    placeholders = ", ".join(["%s"] * len(clock_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            BREACH_EVENTS_SQL.format(ids=placeholders),
            [SlaEventKind.BREACHED.value, *clock_ids],
        )


BREACH_EVENTS_SQL = """
INSERT INTO sla_slaevent (ticket_id, policy_id, target, kind, at)
SELECT ticket_id, policy_id, kind, %s, due_at FROM sla_slaclock WHERE id IN ({ids})
"""


def _warnings_mark(now: datetime, *, batch_size: int) -> int:
    warned = 0
    while True:
        with transaction.atomic():
            batch = _warning_batch(now, batch_size)
            if batch:
                emit("sla_warning", clocks=batch)
        warned += len(batch)
        if len(batch) < batch_size:
            return warned


def _warning_batch(now: datetime, size: int) -> Moments:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(WARNING_BATCH_SQL, {"now": now, "size": size})
            return _moments(cursor.fetchall())
    rows = list(
        SlaClock.objects.filter(
            state=ClockState.ACTIVE, warned_at__isnull=True, warning_at__lte=now
        )
        .order_by("warning_at")
        .values_list("id", "ticket_id", "kind", "warning_at")[:size]
    )
    if rows:
        SlaClock.objects.filter(pk__in=[row[0] for row in rows]).update(warned_at=F("warning_at"))
    return _moments(row[1:] for row in rows)


WARNING_BATCH_SQL = """
WITH batch AS (
    SELECT id FROM sla_slaclock
    WHERE state = 'active' AND warned_at IS NULL AND warning_at <= %(now)s
    ORDER BY warning_at
    LIMIT %(size)s
    FOR UPDATE SKIP LOCKED
)
UPDATE sla_slaclock AS clock
SET warned_at = clock.warning_at
FROM batch
WHERE clock.id = batch.id
RETURNING clock.ticket_id, clock.kind, clock.warning_at
"""
