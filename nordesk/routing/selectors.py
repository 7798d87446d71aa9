from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet

from nordesk.core.selectors import first_row
from nordesk.tickets import selectors as ticket_selectors

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
