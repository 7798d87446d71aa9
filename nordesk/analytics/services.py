"""Keeping the analytics tables: `analytics_refresh` (the incremental job: events past a
cursor → the touched tickets' facts recomputed → the difference applied to the rollups) and
`analytics_rebuild` (everything recomputed from history). Both compute facts with the same
function, so they give the same rows."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from nordesk.csat import selectors as csat_selectors
from nordesk.kb.selectors import deflections as kb_deflections
from nordesk.sla import selectors as sla_selectors
from nordesk.sla.business_time import Schedule
from nordesk.sla.calendar_links import CalendarLinks, calendar_links
from nordesk.tickets import history_selectors as history

from . import bulk, rebuild_workers, rollups
from .facts import Fact, FcrRule, fact_compute
from .models import ArrivalHour, Cursor, DailyRollup, MonthlyRollup, TicketFact

EVENTS, SLA_EVENTS, SURVEYS, DEFLECTIONS = "events", "sla_events", "surveys", "deflections"
BATCH = 1000
# The event kinds whose data a fact reads (facts.fact_compute).
DATA_KINDS = ("status", "merged", "time_spent")
# Surveys are found by when they went out: read again this far back on each run.
SURVEY_OVERLAP = timedelta(minutes=10)


def reporting_zone() -> ZoneInfo:
    """The default business calendar's zone, else the site's."""
    calendar = sla_selectors.calendar_default()
    return ZoneInfo(calendar.time_zone if calendar else settings.TIME_ZONE)


@dataclass
class Context:
    zone: ZoneInfo
    fcr_rule: FcrRule
    links: CalendarLinks
    schedules: dict[int, Schedule] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Context:
        return cls(
            zone=reporting_zone(),
            fcr_rule=FcrRule(
                max_replies=settings.ANALYTICS_FCR_MAX_REPLIES,
                reopen_days=settings.ANALYTICS_FCR_REOPEN_DAYS,
            ),
            links=calendar_links(),
        )

    def schedule_for(self, team_id: int | None, organisation_id: int | None) -> Schedule | None:
        """The ticket's business calendar: its organisation's, else its team's, else the
        default; None (calendar time) without any."""
        calendar_id = None
        if organisation_id is not None:
            calendar_id = self.links.organisations.get(organisation_id)
        if calendar_id is None and team_id is not None:
            calendar_id = self.links.teams.get(team_id)
        if calendar_id is None:
            calendar_id = self.links.default
        if calendar_id is None:
            return None
        if calendar_id not in self.schedules:
            self.schedules[calendar_id] = sla_selectors.schedule_for_calendar(calendar_id)
        return self.schedules[calendar_id]


def facts_compute(
    ticket_ids: list[int], context: Context, *, contiguous: bool = False
) -> dict[int, Fact]:
    """The facts of the tickets that exist among `ticket_ids`, in four queries
    (`contiguous`: the ids are every ticket id from the first to the last, read by range)."""
    between = (ticket_ids[0], ticket_ids[-1]) if contiguous and ticket_ids else None
    tickets = history.ticket_rows(ticket_ids, between=between)
    ids = list(tickets)
    timelines = history.ticket_timelines(ids, between=between, data_kinds=DATA_KINDS)
    sla_events = sla_selectors.events_for_tickets(ids, between=between)
    surveys = csat_selectors.survey_facts_for_tickets(ids, between=between)
    return {
        ticket_id: fact_compute(
            ticket,
            timelines.get(ticket_id, []),
            sla_events=sla_events.get(ticket_id, ()),
            survey=surveys.get(ticket_id),
            schedule=context.schedule_for(ticket.team_id, ticket.organisation_id),
            zone=context.zone,
            fcr_rule=context.fcr_rule,
        )
        for ticket_id, ticket in tickets.items()
    }


@transaction.atomic
def facts_refresh(ticket_ids: Iterable[int], context: Context) -> int:
    """Recompute these tickets' facts and apply the difference to the rollups (idempotent).
    The number of facts that changed."""
    ids = list(dict.fromkeys(ticket_ids))
    if not ids:
        return 0
    stored = TicketFact.objects.filter(ticket_id__in=ids).values_list(*bulk.FACT_COLUMNS)
    old = {row[0]: Fact(**dict(zip(bulk.FACT_COLUMNS, row, strict=True))) for row in stored}
    new = facts_compute(ids, context)
    deltas: rollups.Deltas = {}
    arrivals: dict[rollups.ArrivalKey, int] = {}
    changed = [ticket_id for ticket_id in ids if old.get(ticket_id) != new.get(ticket_id)]
    for ticket_id in changed:
        rollups.fact_change(deltas, old.get(ticket_id), new.get(ticket_id))
        if ticket_id in old:
            rollups.arrival_add(arrivals, old[ticket_id], -1)
        if ticket_id in new:
            rollups.arrival_add(arrivals, new[ticket_id])
    if not changed:
        return 0
    bulk.delete_in("analytics_ticketfact", "ticket_id", changed)
    bulk.fact_insert(new[ticket_id] for ticket_id in changed if ticket_id in new)
    rollups.rollups_apply(deltas)
    rollups.arrivals_apply(arrivals)
    return len(changed)


def _cursor(name: str) -> Cursor:
    cursor, _ = Cursor.objects.get_or_create(name=name)
    return cursor


def _deflections_recount(days: set[date], zone: ZoneInfo) -> None:
    """Set the deflection counters of these days from the knowledge base's history."""
    totals: dict[tuple[int, str], int] = {}
    languages: dict[tuple[int, str], int] = {}
    for day in days:
        ordinal = day.toordinal()
        totals[(ordinal, "")] = 0
        start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        for _at, language in kb_deflections.deflections_between(start, end):
            totals[(ordinal, "")] += 1
            languages[(ordinal, language)] = languages.get((ordinal, language), 0) + 1
    rollups.rollups_set("deflections", rollups.ALL, totals, days)
    rollups.rollups_set("deflections", "language", languages, days)


def analytics_refresh(*, batch: int = BATCH, now: datetime | None = None) -> int:
    """Bring facts and rollups up to date with the history written since the last run:
    ticket events (re-reading the last ANALYTICS_REREAD_EVENTS, which may have committed
    late), SLA events, surveys sent and deflections. Returns the tickets recomputed. Call
    with the analytics lock held (tasks.analytics_refresh_job)."""
    now = now or timezone.now()
    context = Context.load()
    touched = _events_refresh(context, batch)
    sla = _cursor(SLA_EVENTS)
    position = sla.position
    while True:
        ticket_ids, last = sla_selectors.event_ticket_ids_after(after_id=position, limit=batch)
        if not ticket_ids:
            break
        facts_refresh(ticket_ids, context)
        touched += len(ticket_ids)
        position = last
        Cursor.objects.filter(name=SLA_EVENTS).update(position=position)
    surveys = _cursor(SURVEYS)
    since = (surveys.moment or now - timedelta(days=1)) - SURVEY_OVERLAP
    ticket_ids = csat_selectors.survey_ticket_ids_sent_since(since)
    for start in range(0, len(ticket_ids), batch):
        facts_refresh(ticket_ids[start : start + batch], context)
    touched += len(ticket_ids)
    Cursor.objects.filter(name=SURVEYS).update(moment=now)
    deflections = _cursor(DEFLECTIONS)
    found = kb_deflections.deflections_after(
        after_id=max(0, deflections.position - settings.ANALYTICS_REREAD_EVENTS), limit=100000
    )
    if found:
        with transaction.atomic():
            days = {at.astimezone(context.zone).date() for _, at, _ in found}
            _deflections_recount(days, context.zone)
            Cursor.objects.filter(name=DEFLECTIONS).update(
                position=max(found[-1][0], deflections.position)
            )
    return touched


def _events_refresh(context: Context, batch: int) -> int:
    """Recompute the tickets of the ticket events not read before: those past the cursor and
    those that committed late in the window behind it (ANALYTICS_REREAD_EVENTS ids, read
    again each run; the ids read there before are skipped). The tickets recomputed."""
    cursor = _cursor(EVENTS)
    window = settings.ANALYTICS_REREAD_EVENTS
    read = set(cursor.recent)
    position, last = max(0, cursor.position - window), cursor.position
    touched = 0
    while rows := history.events_after(after_id=position, limit=batch):
        ticket_ids = dict.fromkeys(ticket_id for id_, ticket_id in rows if id_ not in read)
        facts_refresh(ticket_ids, context)
        touched += len(ticket_ids)
        position = rows[-1][0]
        last = max(last, position)
        read.update(id_ for id_, _ in rows)
        read = {id_ for id_ in read if id_ > last - window}
        Cursor.objects.filter(name=EVENTS).update(position=last, recent=sorted(read))
    return touched


def analytics_rebuild(
    *, batch: int = 2000, progress: Callable[[int], None] | None = None, workers: int = 1
) -> int:
    """Recompute every fact, rollup row and ArrivalHour row from history; the number of
    tickets. Call with the analytics lock held (the CLI takes it). `workers` > 1: on
    PostgreSQL, outside a transaction, that many processes compute the facts while this one
    writes them (see `_rebuild_parts_in_processes`)."""
    context = Context.load()
    now = timezone.now()
    parallel = workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    positions = {
        EVENTS: history.event_last_id(),
        SLA_EVENTS: sla_selectors.event_last_id(),
    }
    deltas: rollups.Deltas = {}
    arrivals: dict[rollups.ArrivalKey, int] = {}
    done = 0
    with transaction.atomic():
        TicketFact.objects.all().delete()
        DailyRollup.objects.all().delete()
        MonthlyRollup.objects.all().delete()
        ArrivalHour.objects.all().delete()
        if parallel:
            parts = _rebuild_parts_in_processes(batch, workers)
        else:
            parts = (
                rebuild_part(ids, context, contiguous=True)
                for ids in history.ticket_id_batches(size=batch)
            )
        for part in parts:
            bulk.fact_rows_insert(part.fact_rows)
            rollups.deltas_add(deltas, part.deltas)
            for arrival, amount in part.arrivals.items():
                arrivals[arrival] = arrivals.get(arrival, 0) + amount
            done += len(part.fact_rows)
            if progress:
                progress(done)
        last_deflection = 0
        while True:
            found = kb_deflections.deflections_after(after_id=last_deflection, limit=50000)
            if not found:
                break
            for _id, at, language in found:
                ordinal = at.astimezone(context.zone).date().toordinal()
                for key in ((ordinal, rollups.ALL, ""), (ordinal, "language", language)):
                    row = deltas.setdefault(key, {})
                    row["deflections"] = row.get("deflections", 0) + 1
            last_deflection = found[-1][0]
        bulk.rollup_insert(
            (*key, kept)
            for key, row in deltas.items()
            if rollups.is_daily(key) and (kept := rollups.cleaned(row))
        )
        bulk.rollup_insert(
            (
                (*key, kept)
                for key, row in rollups.months_from(deltas).items()
                if (kept := rollups.cleaned(row))
            ),
            bulk.MONTHLY,
        )
        ArrivalHour.objects.bulk_create(
            [
                ArrivalHour(hour=hour, channel=channel, category=category, tickets=n)
                for (hour, channel, category), n in arrivals.items()
                if n
            ],
            batch_size=2000,
        )
        for name, position in positions.items():
            Cursor.objects.update_or_create(
                name=name, defaults={"position": position, "recent": []}
            )
        Cursor.objects.update_or_create(name=SURVEYS, defaults={"moment": now})
        Cursor.objects.update_or_create(name=DEFLECTIONS, defaults={"position": last_deflection})
    return done


@dataclass
class RebuildPart:
    """A batch of tickets' share of a rebuild: their facts as rows for `bulk.insert`, and what
    they add to the rollups and to ArrivalHour."""

    fact_rows: list[list[Any]]
    deltas: rollups.Deltas
    arrivals: dict[rollups.ArrivalKey, int]


def rebuild_part(ticket_ids: list[int], context: Context, *, contiguous: bool) -> RebuildPart:
    facts = facts_compute(ticket_ids, context, contiguous=contiguous).values()
    deltas: rollups.Deltas = {}
    arrivals: dict[rollups.ArrivalKey, int] = {}
    for fact in facts:
        rollups.fact_add(deltas, fact)
        rollups.arrival_add(arrivals, fact)
    return RebuildPart([bulk.fact_row(fact) for fact in facts], deltas, arrivals)


def _rebuild_parts_in_processes(batch: int, workers: int) -> Iterator[RebuildPart]:
    """Every ticket's part, `batch` tickets at a time, computed by `workers` processes that
    read what this transaction sees (its exported snapshot) while it writes the parts: the
    facts and their sums are most of a rebuild's work, writing them the rest."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
    ranges = [(ids[0], ids[-1]) for ids in history.ticket_id_batches(size=batch)]
    database = connection.settings_dict["NAME"]
    # A worker that fails to start or dies raises BrokenProcessPool here (multiprocessing's
    # Pool would wait for its batch for ever); a few batches ahead at most, not all in memory.
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=rebuild_workers.start,
        initargs=(database, snapshot),
    ) as pool:
        pending: deque[Future[RebuildPart]] = deque()
        for ticket_range in ranges:
            pending.append(pool.submit(rebuild_workers.part, ticket_range))
            if len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
