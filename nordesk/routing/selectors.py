from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet

from nordesk.accounts import selectors as account_selectors
from nordesk.core.selectors import aware, first_row, in_literals, json_value, raw_rows
from nordesk.tickets import selectors as ticket_selectors
from nordesk.tickets.selectors import ACTIVE_WORK

from .models import DecisionKind, RoutingDecision, RoutingRule, SkillRequirement


def rule_list() -> QuerySet[RoutingRule]:
    """Every rule in the order they are tried."""
    return RoutingRule.objects.order_by("position", "id")


def rule_get(*, rule_id: int) -> RoutingRule | None:
    return first_row(RoutingRule.objects.filter(pk=rule_id))


def decision_for_ticket(*, ticket_id: int) -> RoutingDecision | None:
    """The latest decision about the ticket's team. Callers check the ticket's scope first."""
    return first_row(
        RoutingDecision.objects.filter(ticket_id=ticket_id, kind=DecisionKind.TEAM).order_by(
            "-created_at", "-id"
        )
    )


def decisions_for_ticket(*, ticket_id: int) -> list[RoutingDecision]:
    """Every automatic decision about the ticket (team, agent, overflow), newest first, for
    supervisors. Callers check the ticket's scope first."""
    return list(
        RoutingDecision.objects.filter(ticket_id=ticket_id)
        .select_related("assignee", "team")
        .order_by("-created_at", "-id")[:DECISIONS_SHOWN]
    )


DECISIONS_SHOWN = 50
PACE_WINDOW = timedelta(hours=1)


def queue_wait_estimate(*, team_id: int, position: int, now: datetime) -> timedelta | None:
    """How long the ticket at `position` (0: next) should wait, at the pace the team's queue
    was handed out over the last hour; None when nothing was handed out (manual teams, or
    nobody online)."""
    handed_out = RoutingDecision.objects.filter(
        team_id=team_id, kind=DecisionKind.ASSIGNMENT, created_at__gte=now - PACE_WINDOW
    ).count()
    if not handed_out:
        return None
    return PACE_WINDOW * (position + 1) / handed_out


def queue_entries(*, team_id: int, now: datetime) -> list[dict[str, Any]]:
    """The team's queue, most urgent first, with each ticket's position, wait so far and
    estimated wait left."""
    rows = ticket_selectors.team_queue(team_id=team_id)
    pace = queue_wait_estimate(team_id=team_id, position=0, now=now)
    return [
        {
            "ticket_id": row["id"],
            "number": row["number"],
            "position": position,
            "priority": row["priority"],
            "sla_due_at": row["sla_due_at"],
            "waiting_minutes": int(
                (now - (row["queued_at"] or row["created_at"])).total_seconds() // 60
            ),
            "estimated_wait_minutes": None
            if pace is None
            else int(pace.total_seconds() * (position + 1) // 60),
        }
        for position, row in enumerate(rows)
    ]


def skill_requirement_list() -> QuerySet[SkillRequirement]:
    return SkillRequirement.objects.select_related("skill").order_by("attribute", "value", "id")


def skill_requirement_get(*, requirement_id: int) -> SkillRequirement | None:
    return first_row(SkillRequirement.objects.filter(pk=requirement_id).select_related("skill"))


@dataclass(frozen=True, slots=True)
class AssignmentCandidate:
    """An agent of a team as assignment sees them, with the work they hold (new or open
    tickets, in every team) per channel kind."""

    user_id: int
    name: str
    presence: str
    capacity: int
    channel_capacity: Mapping[str, int]
    skills: Mapping[str, int]
    last_assigned_at: datetime | None
    load: Mapping[str, int]

    def capacity_for(self, kind: str) -> int:
        return int(self.channel_capacity.get(kind, self.capacity))


KINDS = account_selectors.CAPACITY_KINDS
_LOAD_COLUMNS = ",\n       ".join(
    f"(SELECT COUNT(*) FROM tickets_ticket t WHERE t.assignee_id = a.user_id"  # noqa: S608
    f" AND t.status IN ({in_literals(ACTIVE_WORK)})"
    f" AND t.channel IN ({in_literals(account_selectors.channels_of_kind(kind))}))"
    for kind in KINDS
)
# The hottest read of routing, written by hand (see core.selectors.raw_rows) and in one
# statement of one shape, which PostgreSQL keeps prepared: the team's agents, each with a
# count of their work per channel kind. tests/routing checks the names against the models.
CANDIDATES_SQL = f"""
SELECT a.user_id, u.first_name, u.last_name, u.username, a.presence, a.capacity,
       a.channel_capacity, a.last_assigned_at,
       {_LOAD_COLUMNS}
FROM accounts_agent_teams m
JOIN accounts_agent a ON a.id = m.agent_id
JOIN auth_user u ON u.id = a.user_id
WHERE m.team_id = %s AND u.is_active AND NOT a.is_service_account
  AND a.role <> {in_literals(account_selectors.ROLES_WITHOUT_TICKETS)}
ORDER BY a.user_id
"""  # noqa: S608 - constants, checked by in_literals


def assignment_candidates(team_id: int) -> list[AssignmentCandidate]:
    """Every active agent of the team who may own tickets (not light agents, not service
    accounts), whatever their presence: assignment says why it passed over someone. One
    query; skills, which change rarely, come through the configuration cache."""
    skills = account_selectors.agent_skills()
    return [_candidate(row, skills) for row in raw_rows(CANDIDATES_SQL, [team_id])]


def _candidate(row: tuple, skills: Mapping[int, Mapping[str, int]]) -> AssignmentCandidate:
    user_id, first, last, username, presence, capacity, channel_capacity, last_assigned = row[:8]
    return AssignmentCandidate(
        user_id=user_id,
        name=f"{first} {last}".strip() or username,
        presence=presence,
        capacity=capacity,
        channel_capacity=json_value(channel_capacity) or {},
        skills=skills.get(user_id, {}),
        last_assigned_at=aware(last_assigned),
        load=dict(zip(KINDS, row[8:], strict=True)),
    )
