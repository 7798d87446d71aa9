"""What the ticket page's routing panel shows: the ticket's place in its team's queue with the
estimated wait, how often it was transferred, and, for supervisors, every automatic decision
about it with the candidates considered and why each was passed over."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nordesk.routing import selectors as routing_selectors
from nordesk.tickets import selectors as ticket_selectors

from .presenters import Names
from .sla_panel import duration_text

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent
    from nordesk.tickets.models import Ticket

STRATEGY_LABELS = {
    "round_robin": gettext_lazy("round robin"),
    "least_loaded": gettext_lazy("least loaded"),
    "skills": gettext_lazy("skills-based"),
}


@dataclass(frozen=True)
class DecisionLine:
    at: datetime
    text: str
    candidates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RoutingPanel:
    queue_position: int | None
    estimated_wait: str
    transfer_count: int
    decisions: list[DecisionLine]


def _passed_over(candidate: dict[str, Any]) -> str:
    reason = candidate.get("passed_over")
    if reason == "skill":
        return _("lacks %(skill)s (level %(level)s, needs %(needed)s)") % candidate
    if reason == "full":
        return _("at capacity")
    if reason == "away":
        return _("away")
    if reason == "offline":
        return _("offline")
    return ""


def _candidate_text(candidate: dict[str, Any]) -> str:
    load = _("%(load)s of %(capacity)s") % candidate
    if candidate.get("chosen"):
        verdict = _("chosen")
    else:
        verdict = _passed_over(candidate) or _("ranked lower")
    score = _("score %(score)s, ") % candidate if "score" in candidate else ""
    return f"{candidate['name']}: {score}{load} — {verdict}"


def _decision_line(decision: Any, names: Names) -> DecisionLine:
    trace = decision.trace
    if decision.kind == "assignment":
        text = _("Assigned to %(agent)s by %(strategy)s") % {
            "agent": names.user(decision.assignee_id),
            "strategy": STRATEGY_LABELS.get(trace.get("strategy"), trace.get("strategy")),
        }
        if trace.get("relaxed"):
            text += " " + _("(skill levels relaxed after the wait)")
        return DecisionLine(
            decision.created_at, text, [_candidate_text(c) for c in trace.get("candidates", [])]
        )
    if decision.kind == "overflow":
        text = _("Overflowed from %(old)s to %(new)s after %(minutes)s minutes unassigned") % {
            "old": names.team(trace.get("from_team")),
            "new": names.team(decision.team_id),
            "minutes": trace.get("waited_minutes"),
        }
        return DecisionLine(decision.created_at, text)
    if decision.rule_name:
        text = _("Sent to %(team)s by the rule “%(rule)s”") % {
            "team": names.team(decision.team_id),
            "rule": decision.rule_name,
        }
    else:
        text = _("No routing rule matched")
    return DecisionLine(decision.created_at, text)


def routing_panel(agent: Agent, ticket: Ticket, names: Names) -> RoutingPanel:
    position = ticket_selectors.queue_position(ticket=ticket)
    wait: timedelta | None = None
    if position is not None and ticket.team_id is not None:
        wait = routing_selectors.queue_wait_estimate(
            team_id=ticket.team_id, position=position, now=timezone.now()
        )
    decisions = []
    if agent.sees_all_tickets:
        decisions = [
            _decision_line(decision, names)
            for decision in routing_selectors.decisions_for_ticket(ticket_id=ticket.pk)
        ]
    return RoutingPanel(
        queue_position=None if position is None else position + 1,
        estimated_wait=duration_text(wait) if wait is not None else "",
        transfer_count=ticket.transfer_count,
        decisions=decisions,
    )
