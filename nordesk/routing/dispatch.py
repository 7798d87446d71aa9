"""Handing out a team's queue to its agents, most urgent ticket first.

Correct under concurrency with any number of workers: each ticket is claimed with
SELECT … FOR UPDATE SKIP LOCKED (a ticket another worker holds is left to it), and the chosen
agent's row is locked and their load counted again before the assignment, inside a savepoint
whose rollback releases the lock at once when the agent turns out to be full. A worker thus
holds at most one ticket and one agent at a time and never waits for a ticket, so workers
cannot deadlock; no ticket is assigned twice and no agent goes over capacity.

A ticket nobody can take stays queued; after the team's relaxation wait the skill levels it
asks for drop to 1, and after the further overflow wait it moves to the team's backup team.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts import services as account_services
from nordesk.accounts.selectors import TeamRouting
from nordesk.core.config_cache import config_cached
from nordesk.tickets import selectors as ticket_selectors
from nordesk.tickets import services as ticket_services

from .assignment import Choice, Requirement, agent_choose
from .models import DecisionKind, RoutingDecision, SkillRequirement
from .selectors import AssignmentCandidate, assignment_candidates

MANUAL, SKILLS = "manual", "skills"
SKILL_REQUIREMENTS = "routing:skill-requirements"
Load = dict[tuple[int, str], int]


def _requirements_load() -> dict[tuple[str, str], list[Requirement]]:
    table: dict[tuple[str, str], list[Requirement]] = {}
    for attribute, value, skill, level in SkillRequirement.objects.values_list(
        "attribute", "value", "skill__name", "level"
    ):
        table.setdefault((attribute, value.casefold()), []).append(Requirement(skill, level))
    return table


def requirements_for(row: dict[str, Any]) -> list[Requirement]:
    """The skills a queued ticket calls for, from its language, category, tier and channel."""
    table = config_cached(SKILL_REQUIREMENTS, _requirements_load)
    facts = {
        "language": row["language"],
        "category": row["category"],
        "tier": row["organisation__tier"] or "",
        "channel": row["channel"],
    }
    return [
        requirement
        for attribute, value in facts.items()
        if value
        for requirement in table.get((attribute, value.casefold()), ())
    ]


def _waited(row: dict[str, Any], now: datetime) -> timedelta:
    return now - (row["queued_at"] or row["created_at"])


def _minutes(value: int | None) -> timedelta | None:
    return None if value is None else timedelta(minutes=value)


def team_dispatch(*, team_id: int, now: datetime | None = None) -> list[RoutingDecision]:
    """Assign what the team's strategy can, overflow what has waited too long; returns the
    decisions made. Each ticket is its own transaction."""
    now = now or timezone.now()
    team = account_selectors.team_routing(team_id)
    if team is None:
        return []
    queue = ticket_selectors.team_queue(team_id=team_id)
    if not queue:
        return []
    dispatcher = Dispatcher(team, now) if team.strategy != MANUAL else None
    decisions = []
    for row in queue:
        decision = dispatcher.assign(row) if dispatcher is not None else None
        if decision is None:
            decision = _overflow(team, row, now)
        if decision is not None:
            decisions.append(decision)
    return decisions


class _Full(Exception):
    """The agent filled up (or left) since the candidates were read."""


@dataclass(frozen=True, slots=True)
class Need:
    """What a queued ticket asks of an agent: room in a channel kind, and skills."""

    kind: str
    requirements: list[Requirement]
    relaxed: bool


class Dispatcher:
    """One pass over one team's queue: the candidates and their loads are read once and
    kept current in memory as tickets are handed out. `need` and `decide` only read;
    `assign` claims, locks and writes."""

    def __init__(self, team: TeamRouting, now: datetime) -> None:
        self.team, self.now = team, now
        self.candidates = assignment_candidates(team.id)
        self.load: Load = {
            (candidate.user_id, kind): held
            for candidate in self.candidates
            for kind, held in candidate.load.items()
        }

    def need(self, row: dict[str, Any]) -> Need:
        relax_after = _minutes(self.team.relax_after_minutes)
        return Need(
            kind=account_selectors.kind_of_channel(row["channel"]),
            requirements=requirements_for(row) if self.team.strategy == SKILLS else [],
            relaxed=relax_after is not None and _waited(row, self.now) >= relax_after,
        )

    def decide(self, need: Need) -> Choice:
        """The best agent by what was read, before any lock."""
        return agent_choose(
            strategy=self.team.strategy,
            candidates=self.candidates,
            kind=need.kind,
            load={c.user_id: self.load.get((c.user_id, need.kind), 0) for c in self.candidates},
            requirements=need.requirements,
            relaxed=need.relaxed,
        )

    def assign(self, row: dict[str, Any]) -> RoutingDecision | None:
        if not self.candidates:
            return None
        need = self.need(row)
        with transaction.atomic():
            ticket = ticket_services.ticket_lock_for_assignment(
                ticket_id=row["id"], team_id=self.team.id
            )
            if ticket is None:
                return None  # another worker holds it, or it left the queue meanwhile
            choice = self._choose(need)
            if choice.winner is None:
                return None
            ticket_services.ticket_assign_from_queue(ticket=ticket, assignee_id=choice.winner)
            assigned_at = timezone.now()  # not self.now: round robin needs every turn in order
            account_services.agent_assigned(user_id=choice.winner, at=assigned_at)
            self._assigned(choice.winner, need.kind, assigned_at)
            return RoutingDecision.objects.create(
                ticket_id=row["id"],
                kind=DecisionKind.ASSIGNMENT,
                team_id=self.team.id,
                assignee_id=choice.winner,
                trace={
                    "strategy": self.team.strategy,
                    "relaxed": need.relaxed,
                    "requirements": [dataclasses.asdict(r) for r in need.requirements],
                    "candidates": choice.candidates,
                },
                created_at=assigned_at,
            )

    def _choose(self, need: Need) -> Choice:
        """The best agent who still has room once locked; an agent found full is marked so
        and the choice is made again without them."""
        while True:
            choice = self.decide(need)
            if choice.winner is None or _seat_reserve(choice.winner, need.kind):
                return choice
            self._mark_full(choice.winner, need.kind)

    def _candidate(self, user_id: int) -> AssignmentCandidate:
        return next(c for c in self.candidates if c.user_id == user_id)

    def _mark_full(self, user_id: int, kind: str) -> None:
        self.load[(user_id, kind)] = self._candidate(user_id).capacity_for(kind)

    def _assigned(self, user_id: int, kind: str, at: datetime) -> None:
        self.load[(user_id, kind)] = self.load.get((user_id, kind), 0) + 1
        self.candidates = [
            dataclasses.replace(c, last_assigned_at=at) if c.user_id == user_id else c
            for c in self.candidates
        ]


def _seat_reserve(user_id: int, kind: str) -> bool:
    """Lock the agent's row and count their load again under the lock; the agent's lock is
    kept (until the assignment commits) only when they still have room."""
    try:
        with transaction.atomic():  # a savepoint: rolling back releases the agent's lock
            agent = account_services.agent_lock(user_id=user_id)
            if agent is None or agent.presence != "online":
                raise _Full
            held = ticket_selectors.active_load_of(
                user_id=user_id, channels=account_selectors.channels_of_kind(kind)
            )
            if held >= agent.capacity_for(kind):
                raise _Full
    except _Full:
        return False
    return True


def _overflow(team: TeamRouting, row: dict[str, Any], now: datetime) -> RoutingDecision | None:
    """Move a ticket nobody could take within the team's waits to its backup team."""
    overflow_after = _minutes(team.overflow_after_minutes)
    if team.backup_team_id is None or overflow_after is None:
        return None
    limit = (_minutes(team.relax_after_minutes) or timedelta(0)) + overflow_after
    if _waited(row, now) < limit:
        return None
    with transaction.atomic():
        ticket = ticket_services.ticket_lock_for_assignment(ticket_id=row["id"], team_id=team.id)
        if ticket is None:
            return None
        ticket_services.ticket_set_team(ticket=ticket, team_id=team.backup_team_id, actor=None)
        return RoutingDecision.objects.create(
            ticket_id=row["id"],
            kind=DecisionKind.OVERFLOW,
            team_id=team.backup_team_id,
            trace={
                "from_team": team.id,
                "waited_minutes": int(_waited(row, now).total_seconds() // 60),
            },
            created_at=now,
        )


def queues_dispatch(*, now: datetime) -> int:
    """Every queue routing works on, once; returns how many decisions were made."""
    teams = account_selectors.teams_dispatched()
    return sum(
        len(team_dispatch(team_id=team_id, now=now))
        for team_id in ticket_selectors.teams_with_queue()
        if team_id in teams
    )
