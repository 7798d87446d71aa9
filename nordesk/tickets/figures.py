"""Counts over tickets for the people pages and the supervisor view: each one aggregate
(GROUP BY), so a page costs the same however many teams, agents or tickets there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, Min, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from .listing import SLA_AT_RISK_WITHIN
from .models import ACTIVE_WORK, UNSOLVED, EventKind, Status, Ticket, TicketEvent
from .selectors import ticket_visible_qs

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

SOLVED = (Status.SOLVED, Status.CLOSED)


@dataclass(frozen=True)
class StatusCounts:
    unsolved: int
    solved: int


def ticket_counts_for_customer(*, agent: Agent, customer_id: int) -> StatusCounts:
    """How many of the customer's tickets the agent may see are unsolved and solved."""
    counts = (
        ticket_visible_qs(agent)
        .filter(customer_id=customer_id)
        .aggregate(
            unsolved=Count("id", filter=Q(status__in=UNSOLVED)),
            solved=Count("id", filter=Q(status__in=SOLVED)),
        )
    )
    return StatusCounts(unsolved=counts["unsolved"], solved=counts["solved"])


@dataclass(frozen=True)
class TeamQueueFigures:
    """A team's queue as a supervisor watches it: tickets waiting for an agent (the routing
    queue: unassigned, new or open), since when the oldest of them waits, and the team's
    unsolved tickets whose running SLA deadline is within `SLA_AT_RISK_WITHIN` or past."""

    waiting: int
    oldest_waiting_since: datetime | None
    sla_at_risk: int


def team_queue_figures(*, now: datetime) -> dict[int | None, TeamQueueFigures]:
    """Every team's figures by team id (None: tickets no team holds yet), in one query.
    Teams with no unsolved ticket are left out."""
    waiting = Q(assignee__isnull=True, status__in=ACTIVE_WORK)
    rows = (
        Ticket.objects.filter(status__in=UNSOLVED)
        .values("team_id")
        .annotate(
            waiting=Count("id", filter=waiting),
            oldest=Min(Coalesce("queued_at", "created_at"), filter=waiting),
            at_risk=Count("id", filter=Q(sla_due_at__lte=now + SLA_AT_RISK_WITHIN)),
        )
        .order_by()
    )
    return {
        row["team_id"]: TeamQueueFigures(row["waiting"], row["oldest"], row["at_risk"])
        for row in rows
    }


@dataclass(frozen=True)
class AgentWork:
    """An agent's assigned unsolved tickets, and of those the new or open ones: what routing
    counts against their capacity (pending and on-hold tickets wait on someone else)."""

    unsolved: int
    active: int


def agent_work() -> dict[int, AgentWork]:
    """Every agent's assigned work by user id, in one query; agents without any are left
    out."""
    rows = (
        Ticket.objects.filter(assignee__isnull=False, status__in=UNSOLVED)
        .values("assignee_id")
        .annotate(unsolved=Count("id"), active=Count("id", filter=Q(status__in=ACTIVE_WORK)))
        .order_by()
    )
    return {row["assignee_id"]: AgentWork(row["unsolved"], row["active"]) for row in rows}


def handle_time_by_channel(*, since: datetime) -> dict[str, tuple[int, int]]:
    """Per ticket channel: the seconds of handle time recorded since `since` (time_spent
    events, corrections included) and how many tickets they were spent on. One aggregate over
    the events of that window; the staffing page caches it."""
    rows = (
        TicketEvent.objects.filter(kind=EventKind.TIME_SPENT, created_at__gte=since)
        .values("ticket__channel")
        .annotate(
            seconds=Sum(Cast(KT("data__seconds"), IntegerField())),
            tickets=Count("ticket", distinct=True),
        )
        .values_list("ticket__channel", "seconds", "tickets")
    )
    return {channel: (seconds or 0, tickets) for channel, seconds, tickets in rows}


def tickets_arrived_after(
    *, after_id: int, limit: int
) -> list[tuple[int, datetime, str, str, str]]:
    """(id, created_at, channel, category, subject) of the next `limit` tickets after
    `after_id`, by primary key: a cursor for jobs that count arrivals as they come."""
    return list(
        Ticket.objects.filter(pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", "created_at", "channel", "category", "subject")[:limit]
    )


def ticket_id_created_before(moment: datetime, *, batch: int = 5000) -> int:
    """The highest id of a ticket created before `moment` (0 if none), walking ids down by the
    primary key: tickets are numbered as they are created, and the tickets table has no index
    on created_at (intake writes it; an index there costs every message)."""
    upper: int | None = None
    while True:
        rows = Ticket.objects.order_by("-pk")
        if upper is not None:
            rows = rows.filter(pk__lt=upper)
        found = list(rows.values_list("pk", "created_at")[:batch])
        if not found:
            return 0
        for pk, created_at in found:
            if created_at < moment:
                return pk
        upper = found[-1][0]


@dataclass(frozen=True)
class ChannelQueueFigures:
    """A channel's unsolved tickets as the live dashboard shows them: all of them (open),
    those nobody has (unassigned), those whose customer waits for us (new or open: not pending
    on the customer, not on hold), since when the longest of those waits (its last message),
    and those whose running SLA deadline is within `SLA_AT_RISK_WITHIN` or past."""

    open: int
    unassigned: int
    waiting: int
    waiting_since: datetime | None
    sla_at_risk: int


def channel_queue_figures(*, now: datetime) -> dict[str, ChannelQueueFigures]:
    """Every channel's figures by channel, in one query over the unsolved tickets (the
    partial index ticket_unsolved_scope). Channels with no unsolved ticket are left out."""
    waiting = Q(status__in=ACTIVE_WORK)
    rows = (
        Ticket.objects.filter(status__in=UNSOLVED)
        .values("channel")
        .annotate(
            open=Count("id"),
            unassigned=Count("id", filter=Q(assignee__isnull=True)),
            waiting=Count("id", filter=waiting),
            since=Min(Coalesce("last_message_at", "created_at"), filter=waiting),
            at_risk=Count("id", filter=Q(sla_due_at__lte=now + SLA_AT_RISK_WITHIN)),
        )
        .order_by()
    )
    return {
        row["channel"]: ChannelQueueFigures(
            row["open"], row["unassigned"], row["waiting"], row["since"], row["at_risk"]
        )
        for row in rows
    }


def solved_counts_since(*, since: datetime) -> dict[str, int]:
    """Tickets solved since `since` that are still solved, by channel, in one query (the
    partial index ticket_solved_at). A ticket reopened since no longer counts; closing one
    only happens by merging it away."""
    rows = (
        Ticket.objects.filter(status=Status.SOLVED, solved_at__gte=since)
        .values("channel")
        .annotate(solved=Count("id"))
        .order_by()
    )
    return {row["channel"]: row["solved"] for row in rows}
