"""Moving a ticket between teams and agents on purpose: a transfer always says why, and the
receiving side gets the whole ticket (the conversation never moves, only who holds it)."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors
from nordesk.core.errors import Invalid

from .. import history
from ..errors import UnknownTeam
from ..models import ACTIVE_WORK, EscalationReason, Ticket
from .changes import assignee_check, assignment_apply
from .common import (
    Actor,
    ensure_actor_may_change,
    ensure_changeable,
    queued_emit,
    ticket_lock,
    ticket_save,
)

REASON_LIMIT = 500


def _reason_clean(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise Invalid(_("Say why the ticket is transferred."), field="reason")
    if len(reason) > REASON_LIMIT:
        raise Invalid(
            _("Keep the reason under %(limit)d characters.") % {"limit": REASON_LIMIT},
            field="reason",
        )
    return reason


def _move(
    ticket: Ticket, *, team_id: int | None, assignee_id: int | None, at: datetime
) -> dict[str, int | None]:
    """Moves the locked `ticket`; returns the history data of the move. A new team without a
    named agent puts the ticket in that team's queue."""
    if team_id is not None and not account_selectors.team_exists(team_id):
        raise UnknownTeam(field="team")
    if assignee_id is not None:
        assignee_check(assignee_id)
    moved = {
        "from_team": ticket.team_id,
        "to_team": ticket.team_id if team_id is None else team_id,
        "from_assignee": ticket.assignee_id,
        "to_assignee": assignee_id,
    }
    if moved["from_team"] == moved["to_team"] and moved["from_assignee"] == assignee_id:
        raise Invalid(_("The ticket is already there."), field="team")
    ticket.team_id, ticket.assignee_id = moved["to_team"], assignee_id
    if assignee_id is None:
        ticket.queued_at = at
    ticket.transfer_count = F("transfer_count") + 1
    ticket_save(ticket, ["team", "assignee", "queued_at", "transfer_count"], at=at)
    ticket.refresh_from_db(fields=["transfer_count"])
    return moved


@transaction.atomic
def ticket_transfer(
    *,
    ticket: Ticket,
    actor: Actor,
    reason: str,
    team_id: int | None = None,
    assignee_id: int | None = None,
) -> Ticket:
    """To another team (its queue, or `assignee_id` in it) or to another agent of the same
    team, with the reason in the history. Counted in `transfer_count`."""
    ensure_actor_may_change(actor)
    reason = _reason_clean(reason)
    ticket = ticket_lock(ticket)
    ensure_changeable(ticket)
    now = timezone.now()
    moved = _move(ticket, team_id=team_id, assignee_id=assignee_id, at=now)
    history.history_record(
        history.ticket_transferred(ticket=ticket, actor=actor, moved=moved, reason=reason, at=now)
    )
    queued_emit(ticket)
    return ticket


@transaction.atomic
def ticket_escalate(
    *, ticket: Ticket, actor: Actor, team_id: int, reason: str, note: str = ""
) -> Ticket:
    """Hand the ticket up to `team_id`'s queue (second line, specialists, legal) for one of
    the escalation reasons, with an optional note; a transfer that is also marked escalated."""
    ensure_actor_may_change(actor)
    if reason not in EscalationReason.values:
        raise Invalid(_("Choose why the ticket is escalated."), field="reason")
    note = " ".join(note.split())[:REASON_LIMIT]
    ticket = ticket_lock(ticket)
    ensure_changeable(ticket)
    now = timezone.now()
    moved = _move(ticket, team_id=team_id, assignee_id=None, at=now)
    history.history_record(
        history.ticket_escalated(
            ticket=ticket, actor=actor, moved=moved, reason=reason, note=note, at=now
        )
    )
    queued_emit(ticket)
    return ticket


def ticket_sla_due_set(*, ticket_id: int, due_at: datetime | None) -> None:
    """The SLA app tells the ticket its earliest running deadline (None: no clock runs)."""
    Ticket.objects.filter(pk=ticket_id).update(sla_due_at=due_at)


def ticket_lock_for_assignment(*, ticket_id: int, team_id: int) -> Ticket | None:
    """The ticket's row locked, if it still waits unassigned in `team_id`'s queue and no other
    worker holds it (SKIP LOCKED on PostgreSQL; SQLite lets one writer in at a time)."""
    return (
        Ticket.objects.select_for_update(skip_locked=True)
        .filter(pk=ticket_id, team_id=team_id, assignee__isnull=True, status__in=ACTIVE_WORK)
        .first()
    )


def ticket_assign_from_queue(*, ticket: Ticket, assignee_id: int) -> Ticket:
    """Routing's assignment of a ticket it claimed with `ticket_lock_for_assignment` to an
    agent it chose among the team's agents (who may own tickets): no second lock or check."""
    return assignment_apply(ticket, assignee_id=assignee_id, actor=None)


def ticket_team_from_routing(*, ticket: Ticket, team_id: int) -> None:
    """Routing's choice of team for a ticket intake has just created in this transaction:
    the row is this transaction's own and the team came from a rule (a protected reference),
    so no lock and no check, only the change and its history."""
    event = history.team_changed(ticket=ticket, actor=None, old=ticket.team_id, new=team_id)
    ticket.team_id = team_id
    Ticket.objects.filter(pk=ticket.pk).update(team_id=team_id)
    history.history_record(event)
    queued_emit(ticket)
