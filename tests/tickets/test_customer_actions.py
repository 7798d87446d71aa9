"""What a customer changes on their own ticket from the portal."""

import pytest

from nordesk.core.errors import NotFound
from nordesk.tickets import services
from nordesk.tickets.errors import TicketClosed
from nordesk.tickets.models import AuthorKind, EventKind
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_ticket_solve_by_customer_solves_with_a_customer_history_row():
    ticket = make_ticket()

    services.ticket_solve_by_customer(ticket=ticket, customer_id=ticket.customer_id)

    ticket.refresh_from_db()
    event = ticket.events.get(kind=EventKind.STATUS)
    assert ticket.status == "solved"
    assert ticket.solved_at is not None
    assert (event.actor_kind, event.actor_user) == (AuthorKind.CUSTOMER, None)
    assert event.data == {"old": "new", "new": "solved", "customer_id": ticket.customer_id}


def test_ticket_solve_by_customer_refuses_another_customers_ticket():
    ticket = make_ticket(address="sofie@example.no")
    other = make_ticket(address="nina@example.se")

    with pytest.raises(NotFound):
        services.ticket_solve_by_customer(ticket=ticket, customer_id=other.customer_id)
    ticket.refresh_from_db()
    assert ticket.status == "new"


def test_ticket_solve_by_customer_refuses_a_closed_ticket(people):
    ticket = people.ticket
    services.ticket_change_status(ticket=ticket, status="solved", actor=people.kari.user)
    services.ticket_change_status(ticket=ticket, status="closed", actor=people.kari.user)

    with pytest.raises(TicketClosed):
        services.ticket_solve_by_customer(ticket=ticket, customer_id=ticket.customer_id)


def test_ticket_solve_by_customer_leaves_a_solved_ticket_as_it_is(people):
    ticket = people.ticket
    services.ticket_change_status(ticket=ticket, status="solved", actor=people.kari.user)
    events = ticket.events.count()

    services.ticket_solve_by_customer(ticket=ticket, customer_id=ticket.customer_id)

    assert ticket.events.count() == events
