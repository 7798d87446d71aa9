"""Time rules: a timer row per (rule, ticket, occurrence), written when a ticket enters the
moment a rule counts from, claimed and fired once when it is due.

Writing: `timers_start` runs in the transaction of the change (a status change, an
assignment, the new ticket). It retires the rule's earlier live timers for the ticket (the
moment moved) and writes a new one when the rule's conditions hold now. Firing:
`timers_fire` claims due rows — `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, one
`UPDATE … WHERE fired_at IS NULL` under SQLite's write lock — re-checks the conditions (a
ticket no longer pending is not solved) and marks the row fired in the same transaction as
the actions, so each occurrence fires exactly once however many workers run."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from nordesk.core.config_cache import config_cached
from nordesk.core.errors import NotFound
from nordesk.sla import selectors as sla_selectors
from nordesk.sla.business_time import NoBusinessHours, due_at
from nordesk.tickets import selectors as ticket_selectors

from ..matching import Broken, Facts, conditions_hold
from ..models import AutomationTimer, Since, TimerOutcome, TimeRule
from .running import actions_run, run_record

logger = logging.getLogger(__name__)

ACTIVE_TIME_RULES = "automation:active-time-rules"
BATCH = 100
# A timer this far overdue when it is written counts from history being imported: not run.
HISTORY_SLACK = timedelta(days=1)
TIMER_EVENT = "timer"


class CachedRule(NamedTuple):
    id: int
    since: str
    after_minutes: int
    business_hours: bool
    calendar_id: int | None
    conditions: dict[str, Any]


def _active_time_rules() -> dict[str, tuple[CachedRule, ...]]:
    by_since: dict[str, list[CachedRule]] = defaultdict(list)
    for rule in TimeRule.objects.filter(is_active=True).order_by("id"):
        by_since[rule.since].append(
            CachedRule(
                rule.pk,
                rule.since,
                rule.after_minutes,
                rule.business_hours,
                rule.calendar_id,
                rule.conditions,
            )
        )
    return {since: tuple(rules) for since, rules in by_since.items()}


def time_rules_counting_from(kinds: tuple[str, ...]) -> list[CachedRule]:
    rules = config_cached(ACTIVE_TIME_RULES, _active_time_rules)
    return [rule for kind in kinds for rule in rules.get(kind, ())]


def timer_due_at(
    *, start: datetime, after_minutes: int, business_hours: bool, calendar_id: int | None
) -> datetime:
    """When `after_minutes` have passed since `start`: in business time on the calendar (or
    the default calendar) when `business_hours`, else on the wall clock."""
    duration = timedelta(minutes=after_minutes)
    schedule = None
    if business_hours:
        if calendar_id is None:
            default = sla_selectors.calendar_default()
            calendar_id = default.pk if default is not None else None
        if calendar_id is not None:
            schedule = sla_selectors.schedule_for_calendar(calendar_id)
    try:
        return due_at(start, duration, schedule)
    except NoBusinessHours:
        logger.warning("automation: calendar %s never opens; counting wall time", calendar_id)
        return due_at(start, duration, None)


def _occurrence(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


def timers_start(*, ticket: Any, kinds: tuple[str, ...], at: datetime) -> list[AutomationTimer]:
    """`ticket` entered, at `at`, a moment the rules counting from `kinds` watch. Call in the
    transaction of that change; costs no query when no active rule counts from `kinds`."""
    rules = time_rules_counting_from(kinds)
    if not rules:
        return []
    occurrence = _occurrence(at)
    now = timezone.now()
    AutomationTimer.objects.filter(
        ticket_id=ticket.pk, rule_id__in=[rule.id for rule in rules], fired_at__isnull=True
    ).exclude(occurrence=occurrence).update(fired_at=now, outcome=TimerOutcome.SUPERSEDED)
    facts = Facts(ticket=ticket)
    timers = []
    for rule in rules:
        try:
            if not conditions_hold(rule.conditions, facts):
                continue
        except Broken:
            logger.warning("automation: time rule %s has broken conditions", rule.id)
            continue
        due = timer_due_at(
            start=at,
            after_minutes=rule.after_minutes,
            business_hours=rule.business_hours,
            calendar_id=rule.calendar_id,
        )
        if due < now - HISTORY_SLACK:
            continue
        timers.append(
            AutomationTimer(
                rule_id=rule.id,
                ticket_id=ticket.pk,
                occurrence=occurrence,
                kind=rule.since,
                due_at=due,
                created_at=now,
            )
        )
    # The same moment seen twice (two events of one change) is one occurrence.
    return AutomationTimer.objects.bulk_create(timers, ignore_conflicts=True)


def timers_fire(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Fire every timer due by `now`, in batches of `limit`, each batch in one transaction;
    the number fired or retired. Safe to run in several workers at once."""
    now = now or timezone.now()
    total = 0
    while True:
        count = _batch_fire(now=now, limit=limit)
        total += count
        if count < limit:
            return total


def _claim(now: datetime, limit: int) -> list[AutomationTimer]:
    due = AutomationTimer.objects.filter(fired_at__isnull=True, due_at__lte=now).order_by(
        "due_at", "id"
    )
    if connection.features.has_select_for_update_skip_locked:
        # Rows another worker holds are skipped, not waited for; its commit sets fired_at.
        return list(due.select_for_update(skip_locked=True, of=("self",))[:limit])
    # SQLite: one writer at a time; the claim is an UPDATE that only unclaimed rows match.
    ids = list(due.values_list("pk", flat=True)[:limit])
    AutomationTimer.objects.filter(pk__in=ids, fired_at__isnull=True).update(fired_at=now)
    return list(AutomationTimer.objects.filter(pk__in=ids, fired_at=now, outcome=""))


def _batch_fire(*, now: datetime, limit: int) -> int:
    with transaction.atomic():
        timers = _claim(now, limit)
        rules = {
            rule.pk: rule for rule in TimeRule.objects.filter(pk__in={t.rule_id for t in timers})
        }
        for timer in timers:
            try:
                with transaction.atomic():
                    timer.outcome = _timer_fire(timer, rules[timer.rule_id])
            except Exception:  # a bug must not stop the other timers, nor fire this one twice
                logger.exception("automation: timer %s failed", timer.pk)
                timer.outcome = TimerOutcome.FAILED
            timer.fired_at = now
        AutomationTimer.objects.bulk_update(timers, ["fired_at", "outcome"])
    return len(timers)


def _timer_fire(timer: AutomationTimer, rule: TimeRule) -> str:
    if not rule.is_active:
        return TimerOutcome.SKIPPED
    try:
        ticket = ticket_selectors.ticket_get_created_by(ticket_id=timer.ticket_id)
    except NotFound:
        return TimerOutcome.GONE
    try:
        holds = conditions_hold(rule.conditions, Facts(ticket=ticket))
    except Broken:
        holds = False
    if not holds:
        return TimerOutcome.SKIPPED
    outcome = actions_run(actions=rule.actions, ticket=ticket, actor=None, event=TIMER_EVENT)
    run_record(
        ticket=ticket, name=rule.name, event=TIMER_EVENT, outcome=outcome, time_rule_id=rule.pk
    )
    return TimerOutcome.FIRED


SINCE_ON_CREATE = tuple(Since.values)
