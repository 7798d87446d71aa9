"""The supervisor view: every team's queue and every agent's presence, work and satisfaction
answers, refreshed every 30 seconds. Its reads are a fixed handful of queries (two aggregates
over tickets, one over surveys, the teams, the agents with their teams) however many teams
and agents there are."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts.models import Presence
from nordesk.csat import selectors as csat_selectors
from nordesk.tickets import figures as ticket_figures
from nordesk.tickets.listing import SLA_AT_RISK_WITHIN

from .views import is_htmx_fragment, supervisor_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent, Team

NO_FIGURES = ticket_figures.TeamQueueFigures(waiting=0, oldest_waiting_since=None, sla_at_risk=0)
NO_WORK = ticket_figures.AgentWork(unsolved=0, active=0)
NO_CSAT = csat_selectors.AgentCsat(answers=0, good=0)


@dataclass(frozen=True)
class TeamRow:
    team: Team | None  # None: tickets no team holds yet
    figures: ticket_figures.TeamQueueFigures
    online: int


@dataclass(frozen=True)
class AgentRow:
    agent: Agent
    work: ticket_figures.AgentWork
    csat: csat_selectors.AgentCsat

    @property
    def over_capacity(self) -> bool:
        return self.agent.can_reply and self.work.active >= self.agent.capacity


def _team_rows(teams: list[Team], agents: list[Agent], now: datetime) -> list[TeamRow]:
    figures = ticket_figures.team_queue_figures(now=now)
    online = Counter(
        team.pk
        for agent in agents
        if agent.presence == Presence.ONLINE
        for team in agent.teams.all()
    )
    rows = [TeamRow(team, figures.get(team.pk, NO_FIGURES), online[team.pk]) for team in teams]
    if None in figures:
        rows.append(TeamRow(None, figures[None], 0))
    return rows


@require_GET
@supervisor_required
def supervisor(request: HttpRequest, agent: Agent) -> HttpResponse:
    now = timezone.now()
    agents = list(account_selectors.agents_by_name().prefetch_related("teams"))
    work = ticket_figures.agent_work()
    csat = csat_selectors.agent_csat_figures(now=now)
    context = {
        "nav": "supervisor",
        "agent": agent,
        "now": now,
        "at_risk_minutes": int(SLA_AT_RISK_WITHIN.total_seconds() // 60),
        "team_rows": _team_rows(list(account_selectors.team_list()), agents, now),
        "agent_rows": [
            AgentRow(a, work.get(a.user_id, NO_WORK), csat.get(a.user_id, NO_CSAT)) for a in agents
        ],
        "csat_days": csat_selectors.FIGURES_DAYS,
        "presence_counts": Counter(a.presence for a in agents),
    }
    if is_htmx_fragment(request):
        return render(request, "web/partials/supervisor_tables.html", context)
    return render(request, "web/supervisor.html", context)
