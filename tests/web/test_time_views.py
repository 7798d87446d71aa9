"""Handle time on the ticket page: the page's active-time report (the beacon), the manual
entries an agent logs, corrects and removes, and the panel's totals."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nordesk.tickets import services
from nordesk.tickets.models import EventKind, TicketEvent, TimeEntry
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _track(client, ticket, **fields):
    body = {
        "session": "visit-1",
        "seconds": "95",
        "opened_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
        **fields,
    }
    return client.post(reverse("web:time_track", args=[ticket.number]), body)


def _time_events(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket, kind=EventKind.TIME_SPENT))


def test_time_track_records_the_visits_active_time(kari_client, people):
    response = _track(kari_client, people.ticket)
    assert response.status_code == 204
    entry = TimeEntry.objects.get()
    assert (entry.agent_id, entry.seconds, entry.source) == (people.kari.user_id, 95, "tracked")
    # the panel shows it
    page = kari_client.get(reverse("web:ticket", args=[people.ticket.number])).content.decode()
    assert '<strong id="time-total">1 min</strong>' in page


@pytest.mark.parametrize(
    "fields",
    [
        {"seconds": "lots"},
        {"seconds": "-5"},
        {"session": ""},
        {"opened_at": "yesterday-ish"},
    ],
)
def test_time_track_bad_input_is_400(kari_client, people, fields):
    response = _track(kari_client, people.ticket, **fields)
    assert response.status_code == 400
    assert response.json()["errors"]
    assert not TimeEntry.objects.exists()


def test_time_track_opened_in_the_future_is_refused(kari_client, people):
    response = _track(
        kari_client, people.ticket, opened_at=(timezone.now() + timedelta(hours=2)).isoformat()
    )
    assert response.status_code == 422
    assert response.json()["field"] == "opened_at"


def test_time_track_absurd_time_is_clamped(kari_client, people):
    assert _track(kari_client, people.ticket, seconds="9999999").status_code == 204
    # five minutes open, and a little slack for clocks
    assert 300 <= TimeEntry.objects.get().seconds <= 300 + 125


def test_time_track_someone_elses_ticket_is_404(kari_client, people):
    other = make_ticket(team=people.technical, address="ola@example.no")
    assert _track(kari_client, other).status_code == 404
    assert not TimeEntry.objects.exists()


def test_time_track_needs_the_csrf_token(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.kari.user)
    assert _track(client, people.ticket).status_code == 403
    assert not TimeEntry.objects.exists()


def test_time_track_needs_a_post(kari_client, people):
    url = reverse("web:time_track", args=[people.ticket.number])
    assert kari_client.get(url).status_code == 405


def test_time_entry_add_edit_delete_from_the_page(kari_client, people):
    add_url = reverse("web:time_entry_add", args=[people.ticket.number])
    # when Kari logs 25 minutes
    response = kari_client.post(add_url, {"minutes": "25", "note": "Ringte kunden"}, follow=True)
    # then
    page = response.content.decode()
    assert "Time logged." in page
    assert '<strong id="time-total">25 min</strong>' in page
    assert "Ringte kunden" in page
    entry = TimeEntry.objects.get()
    # when she corrects it to 1 h 30 min, then removes it
    edit_url = reverse("web:time_entry_edit", args=[people.ticket.number, entry.pk])
    page = kari_client.post(edit_url, {"minutes": "90", "note": ""}, follow=True).content.decode()
    assert '<strong id="time-total">1 h 30 min</strong>' in page
    delete_url = reverse("web:time_entry_delete", args=[people.ticket.number, entry.pk])
    page = kari_client.post(delete_url, follow=True).content.decode()
    assert "Time entry deleted." in page
    assert '<strong id="time-total">0 s</strong>' in page
    # and the history sums to nothing
    assert [e.data["seconds"] for e in _time_events(people.ticket)] == [1500, 3900, -5400]


def test_time_entry_add_refusal_shows_by_the_form(kari_client, people):
    add_url = reverse("web:time_entry_add", args=[people.ticket.number])
    response = kari_client.post(add_url, {"minutes": "100000", "note": ""})
    assert response.status_code == 200
    assert 'id="time-form"' in response.content.decode()
    assert response.context["time"].add_form.errors["minutes"]
    assert not TimeEntry.objects.exists()


def test_time_entry_of_a_colleague_cannot_be_changed_by_an_agent(client, people):
    entry = services.time_entry_add(ticket=people.ticket, actor=people.kari.user, seconds=600)
    client.force_login(people.lars.user)  # light agent, same team: sees the ticket
    page = client.get(reverse("web:ticket", args=[people.ticket.number])).content.decode()
    assert f'id="time-edit-form-{entry.pk}"' not in page
    delete_url = reverse("web:time_entry_delete", args=[people.ticket.number, entry.pk])
    page = client.post(delete_url, follow=True).content.decode()
    assert "Only its agent or a supervisor may change this time entry." in page
    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_time_entry_supervisor_edits_anyones_entry(client, people):
    entry = services.time_entry_add(ticket=people.ticket, actor=people.kari.user, seconds=600)
    client.force_login(people.siri.user)
    edit_url = reverse("web:time_entry_edit", args=[people.ticket.number, entry.pk])
    client.post(edit_url, {"minutes": "5", "note": "for mye"})
    entry.refresh_from_db()
    assert entry.seconds == 300


def test_time_entry_on_a_ticket_out_of_scope_is_404(kari_client, people):
    other = make_ticket(team=people.technical, address="ola@example.no")
    entry = services.time_entry_add(ticket=other, actor=people.ole.user, seconds=600)
    url = reverse("web:time_entry_delete", args=[other.number, entry.pk])
    assert kari_client.post(url).status_code == 404
    # nor through a ticket Kari does see
    url = reverse("web:time_entry_delete", args=[people.ticket.number, entry.pk])
    assert kari_client.post(url).status_code == 404
    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_time_entry_light_agent_logs_own_time(client, people):
    client.force_login(people.lars.user)
    add_url = reverse("web:time_entry_add", args=[people.ticket.number])
    client.post(add_url, {"minutes": "3", "note": ""})
    assert TimeEntry.objects.get().agent_id == people.lars.user_id


def test_time_panel_totals_per_agent_and_history_line(kari_client, people):
    services.time_entry_add(ticket=people.ticket, actor=people.kari.user, seconds=3600)
    services.time_entry_add(ticket=people.ticket, actor=people.lars.user, seconds=120)
    response = kari_client.get(reverse("web:ticket", args=[people.ticket.number]))
    page = response.content.decode()
    assert '<strong id="time-total">1 h 02 min</strong>' in page
    per_agent = [(row.agent, row.duration) for row in response.context["time"].per_agent]
    assert per_agent == [("Kari Nordmann", "1 h 00 min"), ("Lars Lett", "2 min")]
    assert "1 h 00 min logged for Kari Nordmann" in page
