"""The live dashboard's figures: the queues per channel as they stand (from the tickets
table), who is online, and today's volumes and satisfaction. A fixed handful of queries,
each an aggregate an index serves, whatever the tickets table holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Sum

from nordesk.accounts import selectors as account_selectors
from nordesk.csat import selectors as csat_selectors
from nordesk.tickets import figures as ticket_figures
from nordesk.tickets import selectors as ticket_selectors
from nordesk.tickets.listing import SLA_AT_RISK_WITHIN

from .models import ArrivalHour
from .services import reporting_zone

AT_RISK_MINUTES = int(SLA_AT_RISK_WITHIN.total_seconds() // 60)


@dataclass(frozen=True)
class ChannelRow:
    channel: str  # "" for the totals row
    label: str
    open: int
    unassigned: int
    waiting: int
    waiting_since: datetime | None
    sla_at_risk: int
    created_today: int
    solved_today: int


@dataclass(frozen=True)
class DashboardFigures:
    now: datetime
    day_start: datetime  # today's midnight in the reporting zone
    channels: list[ChannelRow]  # every channel, in the vocabulary's order
    total: ChannelRow
    presence: dict[str, int]  # "online", "away", "offline" -> agents
    csat: csat_selectors.CsatFigures  # today's answers

    @property
    def agents_online(self) -> int:
        return self.presence.get("online", 0)

    @property
    def longest_wait_since(self) -> datetime | None:
        return self.total.waiting_since


def day_start(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight that began `now`'s day in `zone`, as an aware datetime."""
    return datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)


def _created_since(start: datetime) -> dict[str, int]:
    """Tickets created since `start` per channel, from the hourly arrivals (kpi-core keeps
    them). Hours are UTC clock hours: the hour `start` falls in counts when the zone's offset
    is not whole hours."""
    first_hour = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    rows = (
        ArrivalHour.objects.filter(hour__gte=first_hour)
        .values("channel")
        .annotate(tickets=Sum("tickets"))
        .order_by()
    )
    return {row["channel"]: row["tickets"] or 0 for row in rows}


NO_QUEUE = ticket_figures.ChannelQueueFigures(0, 0, 0, None, 0)


def dashboard_figures(now: datetime) -> DashboardFigures:
    """Six queries: the default calendar (the reporting zone), the unsolved tickets per
    channel, the solved ones since midnight, the arrivals since midnight, the agents'
    presence and today's satisfaction answers."""
    start = day_start(now, reporting_zone())
    queues = ticket_figures.channel_queue_figures(now=now)
    solved = ticket_figures.solved_counts_since(since=start)
    created = _created_since(start)
    rows = []
    for channel, label in ticket_selectors.ticket_vocabulary()["channel"]:
        queue = queues.get(channel, NO_QUEUE)
        rows.append(
            ChannelRow(
                channel=channel,
                label=str(label),
                open=queue.open,
                unassigned=queue.unassigned,
                waiting=queue.waiting,
                waiting_since=queue.waiting_since,
                sla_at_risk=queue.sla_at_risk,
                created_today=created.get(channel, 0),
                solved_today=solved.get(channel, 0),
            )
        )
    waits = [row.waiting_since for row in rows if row.waiting_since is not None]
    total = ChannelRow(
        channel="",
        label="",
        open=sum(row.open for row in rows),
        unassigned=sum(row.unassigned for row in rows),
        waiting=sum(row.waiting for row in rows),
        waiting_since=min(waits, default=None),
        sla_at_risk=sum(row.sla_at_risk for row in rows),
        created_today=sum(row.created_today for row in rows),
        solved_today=sum(row.solved_today for row in rows),
    )
    return DashboardFigures(
        now=now,
        day_start=start,
        channels=rows,
        total=total,
        presence=account_selectors.presence_counts(),
        csat=csat_selectors.csat_figures_since(since=start),
    )
