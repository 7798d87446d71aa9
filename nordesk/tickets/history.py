"""Constructors of TicketEvent rows: one line per kind of change, saved by the service that
made the change, in its transaction (see `history_record`)."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from nordesk.core.events import emit, on_commit_enqueue
from nordesk.core.services import rows_insert

from .models import AuthorKind, EventKind, Ticket, TicketEvent

Actor = User | None


def _event(
    *,
    ticket: Ticket,
    kind: str,
    actor: Actor,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
    actor_kind: str | None = None,
) -> TicketEvent:
    return TicketEvent(
        ticket=ticket,
        kind=kind,
        actor_kind=actor_kind or (AuthorKind.AGENT if actor else AuthorKind.SYSTEM),
        actor_user=actor,
        data=data or {},
        created_at=at or timezone.now(),
    )


def ticket_created(*, ticket: Ticket, actor: Actor, actor_kind: str, at: datetime) -> TicketEvent:
    data = {"channel": ticket.channel, "status": ticket.status, "priority": ticket.priority}
    return _event(
        ticket=ticket, kind=EventKind.CREATED, actor=actor, actor_kind=actor_kind, data=data, at=at
    )


def message_received(
    *, ticket: Ticket, message_id: int, strategy: str, at: datetime
) -> TicketEvent:
    return _event(
        ticket=ticket,
        kind=EventKind.MESSAGE_IN,
        actor=None,
        actor_kind=AuthorKind.CUSTOMER,
        data={"message_id": message_id, "strategy": strategy},
        at=at,
    )


def reply_sent(*, ticket: Ticket, actor: Actor, message_id: int, at: datetime) -> TicketEvent:
    return _event(
        ticket=ticket,
        kind=EventKind.MESSAGE_OUT,
        actor=actor,
        data={"message_id": message_id},
        at=at,
    )


def note_added(*, ticket: Ticket, actor: Actor, message_id: int, at: datetime) -> TicketEvent:
    return _event(
        ticket=ticket, kind=EventKind.NOTE, actor=actor, data={"message_id": message_id}, at=at
    )


def status_changed(
    *,
    ticket: Ticket,
    actor: Actor,
    old: str,
    new: str,
    actor_kind: str | None = None,
    at: datetime | None = None,
    customer_id: int | None = None,
) -> TicketEvent:
    """`customer_id`: the customer who made the change from the portal."""
    data: dict[str, Any] = {"old": old, "new": new}
    if customer_id is not None:
        data["customer_id"] = customer_id
        actor_kind = AuthorKind.CUSTOMER
    return _event(
        ticket=ticket, kind=EventKind.STATUS, actor=actor, actor_kind=actor_kind, data=data, at=at
    )


def priority_changed(
    *, ticket: Ticket, actor: Actor, old: str, new: str, at: datetime | None = None
) -> TicketEvent:
    return _event(
        ticket=ticket, kind=EventKind.PRIORITY, actor=actor, data={"old": old, "new": new}, at=at
    )


def assignment_changed(
    *, ticket: Ticket, actor: Actor, old: int | None, new: int | None, at: datetime | None = None
) -> TicketEvent:
    return _event(
        ticket=ticket, kind=EventKind.ASSIGNMENT, actor=actor, data={"old": old, "new": new}, at=at
    )


def team_changed(
    *, ticket: Ticket, actor: Actor, old: int | None, new: int | None, at: datetime | None = None
) -> TicketEvent:
    return _event(
        ticket=ticket, kind=EventKind.TEAM, actor=actor, data={"old": old, "new": new}, at=at
    )


def tags_changed(
    *,
    ticket: Ticket,
    actor: Actor,
    added: list[str],
    removed: list[str],
    at: datetime | None = None,
) -> TicketEvent:
    data = {"added": added, "removed": removed}
    return _event(ticket=ticket, kind=EventKind.TAGS, actor=actor, data=data, at=at)


def fields_changed(
    *, ticket: Ticket, actor: Actor, changes: dict[str, dict[str, Any]], at: datetime | None = None
) -> TicketEvent:
    return _event(ticket=ticket, kind=EventKind.FIELDS, actor=actor, data=changes, at=at)


def ticket_merged(*, ticket: Ticket, actor: Actor, into: Ticket) -> TicketEvent:
    return _event(
        ticket=ticket,
        kind=EventKind.MERGED,
        actor=actor,
        data={"into": into.pk, "into_number": into.number},
    )


def tickets_merged_in(*, ticket: Ticket, actor: Actor, source: Ticket) -> TicketEvent:
    return _event(
        ticket=ticket,
        kind=EventKind.MERGED,
        actor=actor,
        data={"from": source.pk, "from_number": source.number},
    )


def customer_changed(*, ticket: Ticket, actor: Actor, old: int, new: int) -> TicketEvent:
    return _event(
        ticket=ticket, kind=EventKind.CUSTOMER, actor=actor, data={"old": old, "new": new}
    )


def follow_up_opened(*, ticket: Ticket, follow_up: Ticket, at: datetime) -> TicketEvent:
    return _event(
        ticket=ticket,
        kind=EventKind.FOLLOW_UP,
        actor=None,
        actor_kind=AuthorKind.CUSTOMER,
        data={"follow_up": follow_up.pk, "follow_up_number": follow_up.number},
        at=at,
    )


def delivery_failed(*, ticket: Ticket, message_id: int, error: str) -> TicketEvent:
    return _event(
        ticket=ticket,
        kind=EventKind.DELIVERY_FAILED,
        actor=None,
        data={"message": message_id, "error": error[:500]},
    )


def ticket_transferred(
    *, ticket: Ticket, actor: Actor, moved: dict[str, int | None], reason: str, at: datetime
) -> TicketEvent:
    data = {**moved, "reason": reason, "transfers": ticket.transfer_count}
    return _event(ticket=ticket, kind=EventKind.TRANSFERRED, actor=actor, data=data, at=at)


def ticket_escalated(
    *,
    ticket: Ticket,
    actor: Actor,
    moved: dict[str, int | None],
    reason: str,
    note: str,
    at: datetime,
) -> TicketEvent:
    data = {**moved, "reason": reason, "note": note, "transfers": ticket.transfer_count}
    return _event(ticket=ticket, kind=EventKind.ESCALATED, actor=actor, data=data, at=at)


def csat_received(
    *, ticket: Ticket, score: int, scale: str, comment: str, changed: bool, at: datetime
) -> TicketEvent:
    data = {"score": score, "scale": scale, "comment": comment[:500], "changed": changed}
    return _event(
        ticket=ticket,
        kind=EventKind.CSAT,
        actor=None,
        actor_kind=AuthorKind.CUSTOMER,
        data=data,
        at=at,
    )


def time_spent(
    *, ticket: Ticket, agent: User, seconds: int, source: str, entry_id: int, at: datetime
) -> TicketEvent:
    """`seconds` is the difference the change made: negative when a manual entry is lowered
    or deleted, so a ticket's time_spent events sum to its time entries."""
    data = {"seconds": seconds, "agent": agent.pk, "source": source, "entry": entry_id}
    return _event(ticket=ticket, kind=EventKind.TIME_SPENT, actor=agent, data=data, at=at)


def history_record(*events: TicketEvent) -> None:
    """Save the rows and, once the transaction commits, tell the live inbox about each ticket.
    Rows that change what a ticket is (status, priority, assignee, team, tags, fields) are also
    emitted as "ticket_updated" (ticket, events), once per ticket, for automation triggers."""
    from .tasks import ticket_changed_publish

    rows_insert(events)
    for ticket_id in dict.fromkeys(event.ticket_id for event in events):
        on_commit_enqueue(ticket_changed_publish, ticket_id)
    change_kinds = (
        EventKind.STATUS,
        EventKind.PRIORITY,
        EventKind.ASSIGNMENT,
        EventKind.TEAM,
        EventKind.TAGS,
        EventKind.FIELDS,
    )
    changes: dict[int, list[TicketEvent]] = {}
    for event in events:
        if event.kind in change_kinds:
            changes.setdefault(event.ticket_id, []).append(event)
    for rows in changes.values():
        emit("ticket_updated", ticket=rows[0].ticket, events=rows)
