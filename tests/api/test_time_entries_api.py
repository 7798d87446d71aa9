import pytest

from nordesk.tickets.models import EventKind, TicketEvent
from tests.factories import make_ticket, token_client
from tests.http import assert_problem, json_post

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_time_entries_add_and_list(people):
    kari = token_client(people.kari)
    url = f"{API}/tickets/{people.ticket.pk}/time-entries"
    # when
    response = json_post(kari, url, {"seconds": 900, "note": "Sjekket fakturaen"})
    # then
    assert response.status_code == 201
    created = response.json()
    assert created["seconds"] == 900
    assert created["source"] == "manual"
    assert created["agent_id"] == people.kari.user_id
    assert [e["id"] for e in kari.get(url).json()] == [created["id"]]
    event = TicketEvent.objects.get(ticket=people.ticket, kind=EventKind.TIME_SPENT)
    assert event.data["entry"] == created["id"]


def test_time_entries_light_agent_logs_own_time(people):
    lars = token_client(people.lars)
    response = json_post(lars, f"{API}/tickets/{people.ticket.pk}/time-entries", {"seconds": 60})
    assert response.status_code == 201


@pytest.mark.parametrize(
    "body",
    [{"seconds": 0}, {"seconds": 86401}, {"seconds": 60, "agent": 1}, {"note": "no time"}],
)
def test_time_entries_bad_input_is_422(people, body):
    kari = token_client(people.kari)
    response = json_post(kari, f"{API}/tickets/{people.ticket.pk}/time-entries", body)
    assert response.status_code == 422
    assert not TicketEvent.objects.filter(kind=EventKind.TIME_SPENT).exists()


def test_time_entries_on_a_ticket_out_of_scope_is_404(people):
    other = make_ticket(team=people.technical, address="ola@example.no")
    kari = token_client(people.kari)
    url = f"{API}/tickets/{other.pk}/time-entries"
    assert_problem(kari.get(url), 404, "not_found")
    assert_problem(json_post(kari, url, {"seconds": 60}), 404, "not_found")
