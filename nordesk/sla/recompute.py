"""Deadlines recomputed from history: when a calendar's hours, closed days or zone change, or
a policy's targets, warning share or calendar, the running and paused clocks that use it are
replayed from their SlaEvent rows (applied, activated, paused, resumed, fulfilled) on the
schedule as it is now. Run as a job, in batches, each in its own transaction.

What a replay changes: the elapsed time counted up to the last pause, the due and warning
times, and a warning not yet due any more is cleared so the scan warns again on time. A
breached clock stays breached (its breach is history); a clock that the new deadline makes
overdue is breached by the next scan. A policy that names no calendar keeps each clock's
calendar (its organisation's, team's or the default, chosen when it started)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from nordesk.tickets import services as ticket_services

from .business_time import ZERO, Schedule, elapsed_between
from .clocks import RUNNING, deadlines_set
from .models import ClockKind, ClockState, SlaClock, SlaEvent, SlaEventKind
from .selectors import schedule_for_calendar

RECOMPUTE_BATCH = 500
TARGET_FIELD = {
    ClockKind.FIRST_RESPONSE: "first_response_minutes",
    ClockKind.NEXT_RESPONSE: "next_response_minutes",
    ClockKind.RESOLUTION: "resolution_minutes",
}
STARTS = (SlaEventKind.ACTIVATED, SlaEventKind.RESUMED)
STOPS = (SlaEventKind.PAUSED, SlaEventKind.FULFILLED)


def clocks_recompute(
    *,
    calendar_id: int | None = None,
    policy_id: int | None = None,
    batch_size: int = RECOMPUTE_BATCH,
    now: datetime | None = None,
) -> int:
    """Replays the unfulfilled clocks counting in `calendar_id` or running under
    `policy_id`; returns how many it replayed."""
    if (calendar_id is None) == (policy_id is None):
        raise ValueError("give either calendar_id or policy_id")
    scope: dict[str, Any] = (
        {"calendar_id": calendar_id} if calendar_id is not None else {"policy_id": policy_id}
    )
    now = now or timezone.now()
    after, done = 0, 0
    while True:
        with transaction.atomic():
            clocks = list(
                SlaClock.objects.select_for_update(of=("self",))
                .select_related("policy")
                .filter(**scope, pk__gt=after)
                .exclude(state=ClockState.FULFILLED)
                .order_by("pk")[:batch_size]
            )
            if not clocks:
                return done
            _batch_replay(clocks, follow_policy=policy_id is not None, now=now)
        done += len(clocks)
        after = clocks[-1].pk
        if len(clocks) < batch_size:
            return done


def _batch_replay(clocks: list[SlaClock], *, follow_policy: bool, now: datetime) -> None:
    tickets = {clock.ticket_id for clock in clocks}
    history: dict[tuple[int, str], list[tuple[str, datetime]]] = defaultdict(list)
    rows = SlaEvent.objects.filter(ticket_id__in=tickets).order_by("at", "id")
    for ticket_id, target, kind, at in rows.values_list("ticket_id", "target", "kind", "at"):
        history[ticket_id, target].append((kind, at))
    schedules: dict[int, Schedule] = {}
    for clock in clocks:
        if follow_policy:
            _policy_follow(clock)
        schedule = None
        if clock.calendar_id is not None:
            if clock.calendar_id not in schedules:
                schedules[clock.calendar_id] = schedule_for_calendar(clock.calendar_id)
            schedule = schedules[clock.calendar_id]
        _replay(clock, history[clock.ticket_id, clock.kind], schedule, now=now)
    SlaClock.objects.bulk_update(
        clocks,
        [
            "calendar_id",
            "target_minutes",
            "business_elapsed_seconds",
            "started_at",
            "due_at",
            "warning_at",
            "warned_at",
        ],
    )
    due_by_ticket = dict(
        SlaClock.objects.filter(ticket_id__in=tickets, state__in=RUNNING)
        .values_list("ticket_id")
        .annotate(due=Min("due_at"))
        .values_list("ticket_id", "due")
        .order_by()
    )
    for ticket_id in sorted(tickets):
        ticket_services.ticket_sla_due_set(ticket_id=ticket_id, due_at=due_by_ticket.get(ticket_id))


def _policy_follow(clock: SlaClock) -> None:
    policy = clock.policy
    minutes = getattr(policy, TARGET_FIELD[ClockKind(clock.kind)])
    if minutes is not None:  # a target removed from the policy leaves running clocks be
        clock.target_minutes = minutes
    if policy.calendar_id is not None:
        clock.calendar_id = policy.calendar_id
    elif not policy.business_hours:
        clock.calendar_id = None


def _replay(
    clock: SlaClock, events: list[tuple[str, datetime]], schedule: Schedule | None, *, now: datetime
) -> None:
    """The clock's current cycle (from its last "applied") counted again on `schedule`."""
    elapsed, since = ZERO, None
    for kind, at in events:
        if kind == SlaEventKind.APPLIED:
            elapsed, since = ZERO, None
        elif kind in STARTS and since is None:
            since = at
        elif kind in STOPS and since is not None:
            elapsed += elapsed_between(since, at, schedule)
            since = None
    clock.business_elapsed_seconds = int(elapsed.total_seconds())
    if clock.state not in RUNNING or since is None:
        return  # paused: no deadline until it resumes
    clock.started_at = since
    deadlines_set(
        clock, start=since, warning_percent=clock.policy.warning_percent, schedule=schedule
    )
    if clock.warned_at is not None and clock.warning_at is not None and clock.warning_at > now:
        clock.warned_at = None
    if clock.state == ClockState.BREACHED and clock.warned_at is None:
        clock.warned_at = clock.warning_at
