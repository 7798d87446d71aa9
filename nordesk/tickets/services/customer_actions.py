"""What a customer changes on their own ticket from the portal (replies go through intake)."""

from django.db import transaction
from django.utils.translation import gettext as _

from nordesk.core.errors import NotFound

from .. import history
from ..models import Status, Ticket
from .common import status_apply, ticket_lock, ticket_save


@transaction.atomic
def ticket_solve_by_customer(*, ticket: Ticket, customer_id: int) -> Ticket:
    """The customer says their question is answered. Only the ticket's own customer may (an
    organisation manager reads colleagues' tickets, and solves only their own). A closed
    ticket is refused (TicketClosed); one already solved stays as it is."""
    ticket = ticket_lock(ticket)
    if ticket.customer_id != customer_id:
        raise NotFound(_("Ticket not found."))
    event = status_apply(ticket, status=Status.SOLVED, actor=None, customer_id=customer_id)
    if event is not None:
        ticket_save(ticket, ["status", "solved_at"])
        history.history_record(event)
    return ticket
