"""Every kind of object outside the caller's scope is a 404 — never a 403, never a leak."""

import json

import pytest

from nordesk.customers import services as customer_services
from nordesk.tickets import services as ticket_services
from nordesk.tickets.inbound import InboundAttachment
from nordesk.tickets.models import Message, Ticket
from tests.factories import make_ticket, token_client

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def billing_world(people):
    """Objects only Billing (and admins) may see, plus Ole's own Technical ticket."""
    org = customer_services.organisation_create(name="Fjordkraft AS", domain="fjordkraft.no")
    ticket = make_ticket(
        team=people.billing,
        address="ola@fjordkraft.no",
        attachments=(InboundAttachment(filename="faktura.txt", content=b"Faktura 1042"),),
    )
    attachment = Message.objects.get(ticket=ticket).attachments.get()
    customer = ticket.customer
    identity = customer.identities.get()
    own = make_ticket(team=people.technical, address="ole.kunde@example.no")
    return {
        "ticket": ticket.pk,
        "attachment": attachment.pk,
        "customer": customer.pk,
        "identity": identity.pk,
        "organisation": org.pk,
        "own_ticket": own.pk,
        "own_customer": own.customer_id,
    }


def _send(client, method, path, body=None):
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body else {}
    return getattr(client, method)(f"{API}{path}", **kwargs)


OUT_OF_SCOPE = [
    ("get", "/tickets/{ticket}", None),
    ("patch", "/tickets/{ticket}", {"priority": "low"}),
    ("post", "/tickets/{ticket}/reply", {"text": "hei"}),
    ("post", "/tickets/{ticket}/notes", {"text": "hei"}),
    ("get", "/tickets/{ticket}/events", None),
    ("post", "/tickets/{ticket}/merge", {"into": "{own_ticket}"}),
    ("post", "/tickets/{own_ticket}/merge", {"into": "{ticket}"}),
    ("get", "/tickets/attachments/{attachment}", None),
    ("get", "/customers/{customer}", None),
    ("patch", "/customers/{customer}", {"name": "x"}),
    ("delete", "/customers/{customer}", None),
    ("get", "/customers/{customer}/360", None),
    ("post", "/customers/{customer}/identities", {"kind": "email", "address": "n@e.no"}),
    ("delete", "/customers/{customer}/identities/{identity}", None),
    ("post", "/customers/{customer}/merge", {"into": "{own_customer}"}),
    ("post", "/customers/{own_customer}/merge", {"into": "{customer}"}),
    ("get", "/organisations/{organisation}", None),
    ("patch", "/organisations/{organisation}", {"notes": "x"}),
]


def _fill(value, world):
    if isinstance(value, str):
        return int(value.format(**world)) if value.startswith("{") else value.format(**world)
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body"), OUT_OF_SCOPE)
def test_out_of_scope_object_is_404(people, billing_world, method, path, body):
    ole = token_client(people.ole)
    before = (Ticket.objects.count(), Message.objects.count())

    response = _send(ole, method, path.format(**billing_world), _fill(body, billing_world))

    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert (Ticket.objects.count(), Message.objects.count()) == before


@pytest.mark.parametrize(("method", "path", "body"), OUT_OF_SCOPE[:5] + OUT_OF_SCOPE[8:10])
def test_same_requests_in_scope_succeed(people, billing_world, method, path, body):
    """The 404s above come from scope, not from broken URLs: Kari (Billing) gets through."""
    kari = token_client(people.kari)
    response = _send(kari, method, path.format(**billing_world), _fill(body, billing_world))
    assert response.status_code in (200, 201), response.content


def test_lists_and_counts_leave_out_other_teams(people, billing_world):
    ole = token_client(people.ole)
    tickets = ole.get(f"{API}/tickets?limit=100").json()["items"]
    assert [t["id"] for t in tickets] == [billing_world["own_ticket"]]
    customers = ole.get(f"{API}/customers").json()["items"]
    assert billing_world["customer"] not in [c["id"] for c in customers]
    assert ole.get(f"{API}/organisations").json() == []
    by_customer = ole.get(f"{API}/tickets?customer={billing_world['customer']}").json()
    assert by_customer["items"] == []


def test_text_search_does_not_leak_other_teams_tickets(people, billing_world):
    ole = token_client(people.ole)
    number = Ticket.objects.get(pk=billing_world["ticket"]).number
    assert ole.get(f"{API}/tickets?q={number}").json()["items"] == []


def test_admin_and_supervisor_see_everything(people, billing_world):
    for agent in (people.astrid, people.siri):
        client = token_client(agent, scopes=("tickets:read", "customers:read"))
        assert client.get(f"{API}/tickets/{billing_world['ticket']}").status_code == 200
        assert client.get(f"{API}/customers/{billing_world['customer']}").status_code == 200


def test_untriaged_ticket_is_visible_to_every_agent(people):
    ticket = make_ticket(address="ny@example.no")  # no team yet
    assert token_client(people.ole).get(f"{API}/tickets/{ticket.pk}").status_code == 200


def test_ticket_assigned_to_agent_outside_team_is_visible_to_that_agent(people):
    ticket_services.ticket_assign(
        ticket=people.ticket, assignee_id=people.ole.user_id, actor=people.siri.user
    )
    assert token_client(people.ole).get(f"{API}/tickets/{people.ticket.pk}").status_code == 200
