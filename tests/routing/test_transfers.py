"""Transfers and escalations keep the conversation and say why; they are counted per ticket."""

import pytest

from nordesk.accounts.errors import RoleForbids
from nordesk.core.errors import Invalid
from nordesk.tickets import services as ticket_services
from nordesk.tickets.errors import AssigneeNotAgent, TicketClosed, UnknownTeam
from nordesk.tickets.models import EventKind, Status, Ticket

pytestmark = pytest.mark.django_db


def test_a_transfer_to_another_team_puts_the_ticket_in_its_queue_with_the_reason(people):
    ticket = ticket_services.ticket_assign(
        ticket=people.ticket, assignee_id=people.kari.user_id, actor=people.kari.user
    )
    moved = ticket_services.ticket_transfer(
        ticket=ticket,
        actor=people.kari.user,
        reason="  Innloggingsfeil, ikke faktura ",
        team_id=people.technical.pk,
    )

    assert (moved.team_id, moved.assignee_id, moved.transfer_count) == (
        people.technical.pk,
        None,
        1,
    )
    event = moved.events.get(kind=EventKind.TRANSFERRED)
    assert event.actor_user == people.kari.user
    assert event.data == {
        "from_team": people.billing.pk,
        "to_team": people.technical.pk,
        "from_assignee": people.kari.user_id,
        "to_assignee": None,
        "reason": "Innloggingsfeil, ikke faktura",
        "transfers": 1,
    }
    # the conversation stays on the ticket: the new team sees every message
    assert moved.messages.count() == people.ticket.messages.count() == 1


def test_transfers_are_counted(people):
    ticket = people.ticket
    ticket = ticket_services.ticket_transfer(
        ticket=ticket, actor=people.kari.user, reason="Teknisk", team_id=people.technical.pk
    )
    ticket = ticket_services.ticket_transfer(
        ticket=ticket, actor=people.ole.user, reason="Likevel faktura", team_id=people.billing.pk
    )
    ticket = ticket_services.ticket_transfer(
        ticket=ticket,
        actor=people.siri.user,
        reason="Kari kan dette",
        assignee_id=people.kari.user_id,
    )
    assert Ticket.objects.get(pk=ticket.pk).transfer_count == 3
    assert (ticket.assignee_id, ticket.team_id) == (people.kari.user_id, people.billing.pk)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_transfer_needs_a_reason(people, reason):
    with pytest.raises(Invalid):
        ticket_services.ticket_transfer(
            ticket=people.ticket, actor=people.kari.user, reason=reason, team_id=people.technical.pk
        )
    assert Ticket.objects.get(pk=people.ticket.pk).transfer_count == 0


def test_a_transfer_to_where_the_ticket_is_is_refused(people):
    with pytest.raises(Invalid):
        ticket_services.ticket_transfer(
            ticket=people.ticket, actor=people.kari.user, reason="Hmm", team_id=people.billing.pk
        )


def test_a_transfer_to_an_unknown_team_or_a_light_agent_is_refused(people):
    with pytest.raises(UnknownTeam):
        ticket_services.ticket_transfer(
            ticket=people.ticket, actor=people.kari.user, reason="Hmm", team_id=999_999
        )
    with pytest.raises(AssigneeNotAgent):
        ticket_services.ticket_transfer(
            ticket=people.ticket,
            actor=people.kari.user,
            reason="Hmm",
            assignee_id=people.lars.user_id,
        )


def test_light_agents_cannot_transfer_and_closed_tickets_do_not_move(people):
    with pytest.raises(RoleForbids):
        ticket_services.ticket_transfer(
            ticket=people.ticket, actor=people.lars.user, reason="Hmm", team_id=people.technical.pk
        )
    ticket = ticket_services.ticket_change_status(
        ticket=people.ticket, status=Status.SOLVED, actor=people.kari.user
    )
    ticket = ticket_services.ticket_change_status(
        ticket=ticket, status=Status.CLOSED, actor=people.kari.user
    )
    with pytest.raises(TicketClosed):
        ticket_services.ticket_transfer(
            ticket=ticket, actor=people.kari.user, reason="Hmm", team_id=people.technical.pk
        )


def test_escalating_by_hand_sends_the_ticket_to_the_chosen_team_with_the_reason(people):
    ticket = ticket_services.ticket_escalate(
        ticket=people.ticket,
        actor=people.kari.user,
        team_id=people.technical.pk,
        reason="legal",
        note="Kunden truer med Forbrukertilsynet",
    )
    assert (ticket.team_id, ticket.assignee_id, ticket.transfer_count) == (
        people.technical.pk,
        None,
        1,
    )
    event = ticket.events.get(kind=EventKind.ESCALATED)
    assert (event.data["reason"], event.data["note"]) == (
        "legal",
        "Kunden truer med Forbrukertilsynet",
    )


def test_an_escalation_needs_a_known_reason(people):
    with pytest.raises(Invalid):
        ticket_services.ticket_escalate(
            ticket=people.ticket,
            actor=people.kari.user,
            team_id=people.technical.pk,
            reason="bored",
        )
