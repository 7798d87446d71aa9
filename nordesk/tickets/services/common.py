from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts.errors import RoleForbids
from nordesk.core.events import emit

from .. import history
from ..errors import IllegalTransition, TicketClosed
from ..models import TRANSITIONS, Status, Ticket, TicketEvent

Actor = User | None


def ensure_actor_may_change(actor: Actor) -> None:
    """Light agents read and add internal notes; every other change needs a full agent."""
    if not account_selectors.actor_may_change(actor):
        raise RoleForbids(_("Light agents can read tickets and add internal notes only."))


def ticket_lock(ticket: Ticket) -> Ticket:
    """A fresh copy of the ticket, its row locked until the transaction ends (PostgreSQL;
    SQLite serialises writers with BEGIN IMMEDIATE)."""
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def status_apply(
    ticket: Ticket,
    *,
    status: str,
    actor: Actor,
    at: datetime | None = None,
    customer_id: int | None = None,
) -> TicketEvent | None:
    """Moves `ticket` (already locked) to `status`; returns the history row, unsaved.
    `customer_id` names the customer who asked for it (the portal) when there is no actor."""
    old = ticket.status
    if status == old:
        return None
    if old == Status.CLOSED:
        raise TicketClosed(field="status")
    if status not in Status.values:
        raise IllegalTransition(
            _("Unknown status %(status)r.") % {"status": status}, field="status"
        )
    if status not in TRANSITIONS[old]:
        raise IllegalTransition(
            _("A ticket cannot go from %(old)s to %(new)s.")
            % {"old": Status(old).label, "new": Status(status).label},
            field="status",
        )
    ticket.status = status
    if status == Status.SOLVED:
        ticket.solved_at = at or timezone.now()
    elif old == Status.SOLVED:
        ticket.solved_at = None
    status_changed_emit(ticket, old=old, at=at)
    return history.status_changed(
        ticket=ticket, actor=actor, old=old, new=status, at=at, customer_id=customer_id
    )


def status_changed_emit(ticket: Ticket, *, old: str, at: datetime | None) -> None:
    """Tell the other apps (SLA clocks pause, resume and stop on it). `at` is set by history
    imports, whose changes the clocks do not follow."""
    emit(
        "ticket_status_changed",
        ticket=ticket,
        old=old,
        new=ticket.status,
        at=at or timezone.now(),
        imported=at is not None,
    )


def queued_emit(ticket: Ticket) -> None:
    """The ticket waits, unassigned, in its team's queue (routing hands queues out)."""
    if ticket.team_id is not None and ticket.assignee_id is None:
        emit("ticket_queued", ticket_id=ticket.pk, team_id=ticket.team_id)


def ensure_changeable(ticket: Ticket) -> None:
    if ticket.status == Status.CLOSED:
        raise TicketClosed()


def ticket_save(ticket: Ticket, fields: list[str], *, at: datetime | None = None) -> None:
    ticket.updated_at = at or timezone.now()
    ticket.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
