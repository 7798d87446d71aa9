"""Agent-side changes to a ticket. Each locks the row, checks the rule, writes its history."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors

from .. import history
from ..errors import AssigneeNotAgent, IllegalTransition, UnknownTeam
from ..models import Priority, Status, Ticket
from .common import (
    Actor,
    ensure_actor_may_change,
    ensure_changeable,
    queued_emit,
    status_apply,
    ticket_lock,
    ticket_save,
)
from .fields import custom_fields_clean
from .tags import tag_normalise, tags_get_or_create


@transaction.atomic
def ticket_change_status(
    *, ticket: Ticket, status: str, actor: Actor, at: datetime | None = None
) -> Ticket:
    """`at` is for history imports; live changes happen now."""
    ensure_actor_may_change(actor)
    ticket = ticket_lock(ticket)
    event = status_apply(ticket, status=status, actor=actor, at=at)
    if event is not None:
        ticket_save(ticket, ["status", "solved_at"], at=at)
        history.history_record(event)
    return ticket


@transaction.atomic
def ticket_set_priority(
    *, ticket: Ticket, priority: str, actor: Actor, at: datetime | None = None
) -> Ticket:
    ensure_actor_may_change(actor)
    ticket = ticket_lock(ticket)
    ensure_changeable(ticket)
    if priority not in Priority.values:
        raise IllegalTransition(
            _("Unknown priority %(priority)r.") % {"priority": priority}, field="priority"
        )
    if priority != ticket.priority:
        event = history.priority_changed(
            ticket=ticket, actor=actor, old=ticket.priority, new=priority, at=at
        )
        ticket.priority = priority
        ticket_save(ticket, ["priority"], at=at)
        history.history_record(event)
    return ticket


def assignee_check(user_id: int) -> None:
    agent = account_selectors.agent_by_user_id(user_id)
    if agent is None or not agent.can_reply or agent.is_service_account:
        raise AssigneeNotAgent(field="assignee")


@transaction.atomic
def ticket_assign(
    *, ticket: Ticket, assignee_id: int | None, actor: Actor, at: datetime | None = None
) -> Ticket:
    """Assign to an agent (or nobody). A new ticket that gets an owner becomes open."""
    ensure_actor_may_change(actor)
    ticket = ticket_lock(ticket)
    ensure_changeable(ticket)
    if assignee_id == ticket.assignee_id:
        return ticket
    if assignee_id is not None:
        assignee_check(assignee_id)
    return assignment_apply(ticket, assignee_id=assignee_id, actor=actor, at=at)


def assignment_apply(
    ticket: Ticket, *, assignee_id: int | None, actor: Actor, at: datetime | None = None
) -> Ticket:
    """Gives the locked, changeable `ticket` to a checked assignee, with its history."""
    events = [
        history.assignment_changed(
            ticket=ticket, actor=actor, old=ticket.assignee_id, new=assignee_id, at=at
        )
    ]
    ticket.assignee_id = assignee_id
    if assignee_id is None:
        ticket.queued_at = at or timezone.now()  # back in the team's queue, waiting anew
    elif ticket.status == Status.NEW:
        opened = status_apply(ticket, status=Status.OPEN, actor=actor, at=at)
        if opened is not None:
            events.append(opened)
    ticket_save(ticket, ["assignee", "status", "queued_at"], at=at)
    history.history_record(*events)
    queued_emit(ticket)
    return ticket


@transaction.atomic
def ticket_set_team(
    *, ticket: Ticket, team_id: int | None, actor: Actor, at: datetime | None = None
) -> Ticket:
    ensure_actor_may_change(actor)
    ticket = ticket_lock(ticket)
    ensure_changeable(ticket)
    if team_id != ticket.team_id:
        if team_id is not None and not account_selectors.team_exists(team_id):
            raise UnknownTeam(field="team")
        event = history.team_changed(
            ticket=ticket, actor=actor, old=ticket.team_id, new=team_id, at=at
        )
        ticket.team_id = team_id
        ticket.queued_at = at or timezone.now()
        ticket_save(ticket, ["team", "queued_at"], at=at)
        history.history_record(event)
        queued_emit(ticket)
    return ticket


@transaction.atomic
def ticket_tag(
    *,
    ticket: Ticket,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    actor: Actor,
    at: datetime | None = None,
) -> Ticket:
    ensure_actor_may_change(actor)
    ticket = ticket_lock(ticket)
    ensure_changeable(ticket)
    current = set(ticket.tags.values_list("name", flat=True))
    to_add = sorted({tag_normalise(n) for n in add} - current - {""})
    to_remove = sorted({tag_normalise(n) for n in remove} & current)
    if not (to_add or to_remove):
        return ticket
    if to_add:
        ticket.tags.add(*tags_get_or_create(to_add))
    if to_remove:
        ticket.tags.remove(*ticket.tags.filter(name__in=to_remove))
    ticket_save(ticket, [], at=at)
    history.history_record(
        history.tags_changed(ticket=ticket, actor=actor, added=to_add, removed=to_remove, at=at)
    )
    return ticket


@transaction.atomic
def ticket_set_fields(
    *, ticket: Ticket, values: dict[str, Any], actor: Actor, at: datetime | None = None
) -> Ticket:
    ensure_actor_may_change(actor)
    ticket = ticket_lock(ticket)
    ensure_changeable(ticket)
    new = custom_fields_clean(values, current=ticket.custom_fields)
    old = ticket.custom_fields
    changes = {
        key: {"old": old.get(key), "new": new.get(key)}
        for key in set(old) | set(new)
        if old.get(key) != new.get(key)
    }
    if changes:
        ticket.custom_fields = new
        ticket_save(ticket, ["custom_fields"], at=at)
        history.history_record(
            history.fields_changed(ticket=ticket, actor=actor, changes=changes, at=at)
        )
    return ticket


@transaction.atomic
def ticket_update(
    *,
    ticket: Ticket,
    changes: dict[str, Any],
    actor: Actor,
) -> Ticket:
    """Several changes at once (API PATCH, UI side panel): all of them or none."""
    if "team" in changes:
        ticket = ticket_set_team(ticket=ticket, team_id=changes["team"], actor=actor)
    if "assignee" in changes:
        ticket = ticket_assign(ticket=ticket, assignee_id=changes["assignee"], actor=actor)
    if "priority" in changes:
        ticket = ticket_set_priority(ticket=ticket, priority=changes["priority"], actor=actor)
    if "custom_fields" in changes:
        ticket = ticket_set_fields(ticket=ticket, values=changes["custom_fields"], actor=actor)
    if "tags" in changes:
        wanted = {tag_normalise(n) for n in changes["tags"]}
        current = set(ticket.tags.values_list("name", flat=True))
        ticket = ticket_tag(
            ticket=ticket,
            add=sorted(wanted - current),
            remove=sorted(current - wanted),
            actor=actor,
        )
    if "status" in changes:
        ticket = ticket_change_status(ticket=ticket, status=changes["status"], actor=actor)
    return ticket
