"""Handle time in the ticket's side panel: the total, each agent's share, the entries, and
which of them the agent may change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nordesk.tickets import time_selectors

from .presenters import duration_text
from .time_forms import TimeEntryForm

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import User

    from nordesk.accounts.models import Agent
    from nordesk.tickets.models import Ticket


@dataclass(frozen=True)
class EntryRow:
    id: int
    agent: str
    duration: str
    tracked: bool
    note: str
    started_at: datetime
    form: TimeEntryForm | None  # the edit form, for entries the agent may change

    @property
    def form_id(self) -> str:
        return f"time-edit-form-{self.id}"


@dataclass(frozen=True)
class AgentRow:
    agent: str
    duration: str


@dataclass(frozen=True)
class TimePanel:
    total: str
    per_agent: list[AgentRow]
    entries: list[EntryRow]
    add_form: TimeEntryForm


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def time_panel(
    agent: Agent, ticket: Ticket, *, bound: TimeEntryForm | None = None, bound_id: int = 0
) -> TimePanel:
    """`bound`: a refused form, shown again with its errors (the add form, or the edit form of
    entry `bound_id`)."""
    handle = time_selectors.handle_time_for_ticket(ticket=ticket)
    rows = []
    for entry in handle.entries:
        form = None
        if entry.source == "manual" and (entry.agent_id == agent.user_id or agent.sees_all_tickets):
            form = (
                bound
                if bound is not None and bound_id == entry.pk
                else TimeEntryForm(
                    entry_id=entry.pk,
                    initial={"minutes": max(1, round(entry.seconds / 60)), "note": entry.note},
                )
            )
        rows.append(
            EntryRow(
                id=entry.pk,
                agent=_name(entry.agent),
                duration=duration_text(entry.seconds),
                tracked=entry.source == "tracked",
                note=entry.note,
                started_at=entry.started_at,
                form=form,
            )
        )
    return TimePanel(
        total=duration_text(handle.total),
        per_agent=[
            AgentRow(_name(row.agent), duration_text(row.seconds)) for row in handle.per_agent
        ],
        entries=rows,
        add_form=bound if bound is not None and not bound_id else TimeEntryForm(),
    )
