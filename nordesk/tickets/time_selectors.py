"""Reads of handle time: a ticket's time entries and their sums, for the ticket page and the
API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from nordesk.core.errors import NotFound

from .models import TimeEntry
from .selectors import ticket_visible_qs

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

    from .models import Ticket


@dataclass(frozen=True)
class AgentTime:
    agent: User
    seconds: int


@dataclass(frozen=True)
class HandleTime:
    """A ticket's time entries (newest first), their total and the total per agent (most
    first)."""

    entries: list[TimeEntry]
    total: int
    per_agent: list[AgentTime]


def time_entry_list_for_ticket(*, ticket: Ticket) -> list[TimeEntry]:
    return list(
        TimeEntry.objects.filter(ticket=ticket)
        .select_related("agent")
        .order_by("-started_at", "-id")
    )


def handle_time_for_ticket(*, ticket: Ticket) -> HandleTime:
    """One query. The sums equal the ticket's time_spent events (each change writes one with
    the difference it made)."""
    entries = time_entry_list_for_ticket(ticket=ticket)
    sums: dict[int, int] = {}
    agents: dict[int, User] = {}
    for entry in entries:
        sums[entry.agent_id] = sums.get(entry.agent_id, 0) + entry.seconds
        agents[entry.agent_id] = entry.agent
    per_agent = [
        AgentTime(agents[user_id], seconds)
        for user_id, seconds in sorted(sums.items(), key=lambda item: (-item[1], item[0]))
    ]
    return HandleTime(entries=entries, total=sum(sums.values()), per_agent=per_agent)


def time_entry_get_for_agent(*, agent: Agent, ticket_id: int, entry_id: int) -> TimeEntry:
    """An entry on a ticket the agent may see; not found otherwise."""
    entry = (
        TimeEntry.objects.filter(
            pk=entry_id, ticket_id=ticket_id, ticket__in=ticket_visible_qs(agent)
        )
        .select_related("ticket", "agent")
        .first()
    )
    if entry is None:
        raise NotFound(_("Time entry not found."))
    return entry
