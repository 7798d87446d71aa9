"""Transfers, escalations, the routing panel and presence in the agent workspace."""

import pytest
from django.urls import reverse

from nordesk.accounts import services as account_services
from nordesk.accounts.models import Agent
from nordesk.routing import dispatch
from nordesk.tickets.models import EventKind, Ticket
from tests.factories import PASSWORD, make_ticket

pytestmark = pytest.mark.django_db


def login(client, agent):
    assert client.login(username=agent.user.username, password=PASSWORD)
    return client


def page(client, ticket) -> str:
    response = client.get(reverse("web:ticket", args=[ticket.number]))
    assert response.status_code == 200
    return response.content.decode()


def test_transfer_with_a_reason_moves_the_ticket_and_says_why_in_the_history(client, people):
    login(client, people.kari)
    response = client.post(
        reverse("web:ticket_transfer", args=[people.ticket.number]),
        {"team": people.technical.pk, "assignee": "", "reason": "Appen krasjer ved innlogging"},
    )
    # the ticket left Kari's teams: she is sent back to her inbox
    assert response.status_code == 302
    assert response["Location"] == reverse("web:inbox")
    ticket = Ticket.objects.get(pk=people.ticket.pk)
    assert (ticket.team_id, ticket.transfer_count) == (people.technical.pk, 1)

    html = page(login(client, people.siri), ticket)
    assert "Transferred to Technical support: Appen krasjer ved innlogging" in html
    assert 'id="transfer-count">1<' in html


def test_a_transfer_without_a_reason_shows_the_error_and_moves_nothing(client, people):
    login(client, people.kari)
    response = client.post(
        reverse("web:ticket_transfer", args=[people.ticket.number]),
        {"team": people.technical.pk, "reason": ""},
    )
    assert response.status_code == 200
    assert 'id="transfer" open' in response.content.decode()
    assert Ticket.objects.get(pk=people.ticket.pk).team_id == people.billing.pk


def test_escalation_to_a_chosen_team_with_a_reason(client, people):
    login(client, people.siri)
    response = client.post(
        reverse("web:ticket_escalate", args=[people.ticket.number]),
        {"team": people.technical.pk, "reason": "angry_customer", "note": "Ringte tre ganger"},
    )
    assert response.status_code == 302
    html = page(client, people.ticket)
    assert "Escalated to Technical support: angry customer — Ringte tre ganger" in html
    assert people.ticket.events.filter(kind=EventKind.ESCALATED).count() == 1


def test_the_panel_shows_the_queue_position_to_agents_and_decisions_to_supervisors(client, people):
    second = make_ticket(team=people.billing, address="jonas@example.no")
    html = page(login(client, people.kari), second)
    assert 'id="queue-position">number 2<' in html
    assert "routing-decisions" not in html

    account_services.team_set_routing(team=people.billing, changes={"strategy": "least_loaded"})
    account_services.agent_set_presence(agent=people.kari, presence="online")
    dispatch.team_dispatch(team_id=people.billing.pk)

    html = page(login(client, people.siri), people.ticket)
    assert "Assigned to Kari Nordmann by least loaded" in html
    assert "Kari Nordmann: 0 of 20 — chosen" in html
    assert "queue-position" not in html  # assigned: no longer queued


def test_an_agent_sets_their_presence_from_the_header(client, people):
    login(client, people.kari)
    inbox = client.get(reverse("web:inbox")).content.decode()
    assert 'id="presence-select"' in inbox
    response = client.post(reverse("web:presence"), {"presence": "online", "next": "/tickets/1/"})
    assert response.status_code == 302
    assert response["Location"] == "/tickets/1/"
    assert Agent.objects.get(pk=people.kari.pk).presence == "online"

    evil = client.post(
        reverse("web:presence"), {"presence": "away", "next": "https://evil.example/"}
    )
    assert evil["Location"] == reverse("web:inbox")
    bad = client.post(reverse("web:presence"), {"presence": "asleep"})
    assert bad.status_code == 302
    assert Agent.objects.get(pk=people.kari.pk).presence == "away"


def test_workspace_requests_record_that_the_agent_is_at_work(client, people):
    assert people.kari.last_seen_at is None
    login(client, people.kari).get(reverse("web:inbox"))
    assert Agent.objects.get(pk=people.kari.pk).last_seen_at is not None
