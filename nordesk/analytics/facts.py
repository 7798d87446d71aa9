"""One ticket's figures as a pure function of its history (docs/kpis.md is the contract).

A fact is the ticket's slicing values (its current channel, team, assignee, category, language,
organisation and priority), a few columns the drill-down lists filter on, and its *parts*:
every amount the ticket adds to the daily rollups, each on the day (reporting zone) it counts.
The rollups are the sum of the parts of all facts, so recomputing a ticket's fact and applying
the difference keeps them equal to a full rebuild by construction."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from nordesk.csat.selectors import SurveyFacts
from nordesk.sla.business_time import NoBusinessHours, Schedule, elapsed_between
from nordesk.tickets.history_selectors import EventRow, TicketRow

# Histograms: bucket 0 holds durations under one second; bucket b >= 1 holds
# [2^((b-1)/4), 2^(b/4)) seconds, i.e. each bucket is 19% wider than the one before. A
# percentile is reported as its bucket's geometric middle: within ±9.1% of the exact value.
BUCKETS_PER_DOUBLING = 4
HISTOGRAMS = ("fr", "frb", "nr", "nrb", "res", "resb")
SLA_TARGETS = {"first_response": "fr", "next_response": "nr", "resolution": "res"}
SOLVED_STATUSES = ("solved", "closed")
UNSOLVED = ("new", "open", "pending", "on_hold")

# A part: [day ordinal, name, amount] counts for the ticket's assignee in the agent
# dimension; [day ordinal, name, amount, agent id or None] for that agent instead.
Part = list[Any]


def bucket_of(seconds: float) -> int:
    if seconds < 1:
        return 0
    return 1 + int(math.floor(math.log2(seconds) * BUCKETS_PER_DOUBLING))


@lru_cache(maxsize=1)
def bucket_starts(longest: int = 2**40) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The smallest whole number of seconds in each bucket that holds one, and that bucket,
    up to `longest`: a whole number's bucket is the one of the last start at or below it,
    exactly as `bucket_of` gives it (for a database to bucket without logarithms)."""
    starts: list[int] = []
    buckets: list[int] = []
    for bucket in range(1, bucket_of(longest) + 1):
        start = max(1, math.ceil(2 ** ((bucket - 1) / BUCKETS_PER_DOUBLING)))
        while start > 1 and bucket_of(start - 1) >= bucket:
            start -= 1
        while bucket_of(start) < bucket:
            start += 1
        if bucket_of(start) == bucket and (not starts or start > starts[-1]):
            starts.append(start)
            buckets.append(bucket)
    return tuple(starts), tuple(buckets)


def bucket_value(bucket: int) -> float:
    """The duration a bucket stands for: the geometric middle of its bounds."""
    if bucket <= 0:
        return 0.0
    return round(2 ** ((bucket - 0.5) / BUCKETS_PER_DOUBLING), 2)


@dataclass(frozen=True)
class FcrRule:
    max_replies: int = 1
    reopen_days: int = 7


@dataclass
class Fact:
    ticket_id: int
    channel: str
    team_id: int | None
    agent_id: int | None
    category: str
    language: str
    organisation_id: int | None
    priority: str
    created_at: datetime
    created_day: date
    solved_day: date | None = None
    first_response_day: date | None = None
    csat_day: date | None = None
    sla_breach_day: date | None = None
    last_day: date | None = None
    is_open: bool = False
    merged: bool = False
    fcr: bool = False
    reopened: bool = False
    csat_score: int | None = None
    agents: str = ""
    parts: list[Part] = field(default_factory=list)

    def arrival_key(self) -> tuple[datetime, str, str]:
        hour = self.created_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        return hour, self.channel, self.category


@lru_cache(maxsize=65536)
def _local_day_of_quarter(zone: ZoneInfo, utc_quarter: datetime) -> date:
    return utc_quarter.astimezone(zone).date()


def _local_day(zone: ZoneInfo, at: datetime) -> date:
    """The day of `at` in `zone`; every zone's offset is a multiple of 15 minutes, so the
    UTC quarter-hour decides it (cached: converting each moment would cost a rebuild a
    tenth of its time)."""
    at = at.astimezone(UTC)
    return _local_day_of_quarter(
        zone, at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)
    )


def _seconds(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds()))


def _business_seconds(start: datetime, end: datetime, schedule: Schedule | None) -> int:
    try:
        return int(elapsed_between(start, end, schedule).total_seconds())
    except NoBusinessHours:
        return _seconds(start, end)


def fact_compute(
    ticket: TicketRow,
    events: Sequence[EventRow],
    *,
    sla_events: Sequence[tuple[str, str, datetime]] = (),
    survey: SurveyFacts | None = None,
    schedule: Schedule | None,
    zone: ZoneInfo,
    fcr_rule: FcrRule,
) -> Fact:
    parts: list[Part] = []
    agents: set[int] = set()

    def day(at: datetime) -> date:
        return _local_day(zone, at)

    def add(at: datetime, name: str, amount: int, *agent: int | None) -> None:
        parts.append([day(at).toordinal(), name, amount, *agent])
        if agent and agent[0] is not None:
            agents.add(agent[0])

    def durations(name: str, start: datetime, end: datetime) -> None:
        add(end, name, _seconds(start, end))
        add(end, name + "b", _business_seconds(start, end, schedule))

    fact = Fact(
        ticket_id=ticket.id,
        channel=ticket.channel,
        team_id=ticket.team_id,
        agent_id=ticket.assignee_id,
        category=ticket.category,
        language=ticket.language,
        organisation_id=ticket.organisation_id,
        priority=ticket.priority,
        created_at=ticket.created_at,
        created_day=day(ticket.created_at),
        merged=ticket.merged_into_id is not None,
    )
    status = "new"
    fr_start: datetime | None = None
    waiting_since: datetime | None = None
    first_reply_at: datetime | None = None
    replies = 0
    replies_at_first_solve = 0
    first_solved_at: datetime | None = None
    last_solved_at: datetime | None = None
    returns: list[datetime] = []  # reopens and follow-ups
    transfers = 0
    handle: dict[int | None, int] = {}
    for event in events:
        kind, at, data = event.kind, event.created_at, event.data
        if kind == "created":
            if event.actor_kind == "customer" and first_reply_at is None:
                fr_start = waiting_since = at
        elif kind == "message_in":
            if waiting_since is None:
                waiting_since = at
            if fr_start is None and first_reply_at is None:
                fr_start = at
        elif kind == "message_out":
            replies += 1
            add(at, "replies", 1, event.actor_user_id)
            if waiting_since is not None:
                if first_reply_at is None and fr_start is not None:
                    durations("fr", fr_start, at)
                    fact.first_response_day = day(at)
                else:
                    durations("nr", waiting_since, at)
                waiting_since = None
            if first_reply_at is None:
                first_reply_at = at
        elif kind == "status":
            old, new = data.get("old"), data.get("new")
            if old == "solved" and new in UNSOLVED:
                fact.reopened = True
                returns.append(at)
            if new == "solved":
                if first_solved_at is None:
                    first_solved_at, replies_at_first_solve = at, replies
                last_solved_at = at
            status = new or status
        elif kind == "merged":
            if "into" in data:
                fact.merged = True
                status = "closed"
            elif status == "solved":
                status = "open"
        elif kind in ("transferred", "escalated"):
            transfers += 1
        elif kind == "time_spent":
            agent = data.get("agent")
            handle[agent] = handle.get(agent, 0) + int(data.get("seconds") or 0)
        elif kind == "follow_up":
            returns.append(at)

    add(ticket.created_at, "created", 1)
    fact.is_open = ticket.status in UNSOLVED and not fact.merged
    solved = (
        ticket.status in SOLVED_STATUSES
        and status in SOLVED_STATUSES
        and not fact.merged
        and last_solved_at is not None
    )
    if solved and last_solved_at is not None and first_solved_at is not None:
        fact.solved_day = day(last_solved_at)
        add(last_solved_at, "solved", 1)
        durations("res", ticket.created_at, last_solved_at)
        window = timedelta(days=fcr_rule.reopen_days)
        fact.fcr = 1 <= replies_at_first_solve <= fcr_rule.max_replies and not any(
            first_solved_at < at <= first_solved_at + window for at in returns
        )
        if fact.fcr:
            add(last_solved_at, "fcr", 1)
        if fact.reopened:
            add(last_solved_at, "reopened", 1)
        if transfers:
            add(last_solved_at, "transfers", transfers)
        for agent, seconds in sorted(handle.items(), key=lambda item: item[0] or 0):
            if seconds:
                add(last_solved_at, "handle", seconds, agent)

    breached: dict[str, bool] = {}
    for target, kind, at in sla_events:
        short = SLA_TARGETS.get(target)
        if short is None:
            continue
        if kind == "breached" and not breached.get(short):
            breached[short] = True
            add(at, f"sla_{short}_breached", 1)
            fact.sla_breach_day = fact.sla_breach_day or day(at)
        elif kind == "fulfilled":
            if not breached.get(short):
                add(at, f"sla_{short}_met", 1)
            breached[short] = False

    if survey is not None:
        asked = survey.sent_at or survey.answered_at
        if asked is not None:
            fact.csat_day = day(asked)
            add(asked, "csat_sent", 1, survey.agent_id)
            if survey.score is not None:
                fact.csat_score = survey.score
                add(asked, "csat_answered", 1, survey.agent_id)
                if survey.good:
                    add(asked, "csat_good", 1, survey.agent_id)

    if ticket.assignee_id is not None:
        agents.add(ticket.assignee_id)
    fact.agents = "".join(f",{agent}" for agent in sorted(agents)) + "," if agents else ""
    fact.last_day = date.fromordinal(max(part[0] for part in parts))
    fact.parts = parts
    return fact
