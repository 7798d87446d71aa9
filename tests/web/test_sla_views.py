"""What agents see of SLA targets: the ticket page's panel, the inbox's "SLA urgency" sort
and due badges, and the API's sla_due_at and sort=sla."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nordesk.sla import services as sla_services
from nordesk.tickets import listing
from nordesk.tickets import services as ticket_services
from nordesk.tickets.listing import TicketFilters
from nordesk.web.sla_panel import duration_text
from tests.factories import inbound, make_ticket, token_client

pytestmark = pytest.mark.django_db

API = "/api/v1"


def panel(response):
    html = response.content.decode()
    start = html.index('id="sla-panel"')
    return html[start : html.index("</section>", start)]


def test_ticket_page_shows_each_target_with_time_left_and_state(kari_client, people):
    # given: an hour to answer, ten to solve; the ticket came 20 minutes ago
    sla_services.policy_create(name="Standard", first_response_minutes=60, resolution_minutes=600)
    ticket = ticket_services.receive(
        inbound(team=people.billing, received_at=timezone.now() - timedelta(minutes=20))
    ).ticket

    # when
    response = kari_client.get(reverse("web:ticket", args=[ticket.number]))

    # then
    shown = panel(response)
    assert "First response" in shown
    assert "Resolution" in shown
    assert "39 min left" in shown or "40 min left" in shown
    assert "9 h 39 min left" in shown or "9 h 40 min left" in shown
    assert shown.count("badge--sla-ok") == 2
    rows = response.context["sla"]
    assert [(row.kind, row.status) for row in rows] == [
        ("first_response", "ok"),
        ("resolution", "ok"),
    ]


def test_ticket_page_shows_overdue_paused_and_met(kari_client, people):
    sla_services.policy_create(
        name="Standard",
        first_response_minutes=60,
        resolution_minutes=600,
        pause_when_pending=True,
    )
    ticket = ticket_services.receive(
        inbound(team=people.billing, received_at=timezone.now() - timedelta(minutes=100))
    ).ticket
    overdue = panel(kari_client.get(reverse("web:ticket", args=[ticket.number])))
    assert "overdue by 40 min" in overdue
    assert "badge--sla-breached" in overdue

    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Beklager!")
    after_reply = panel(kari_client.get(reverse("web:ticket", args=[ticket.number])))

    assert "paused" in after_reply  # resolution waits for the customer
    assert "badge--sla-breached" in after_reply  # first response was met late


def test_ticket_page_without_a_policy_has_no_sla_panel(kari_client, people):
    response = kari_client.get(reverse("web:ticket", args=[people.ticket.number]))

    assert 'id="sla-panel"' not in response.content.decode()


def test_duration_text_reads_hours_and_minutes():
    assert duration_text(timedelta(hours=2, minutes=15, seconds=59)) == "2 h 15 min"
    assert duration_text(-timedelta(minutes=40)) == "40 min"


# --- inbox ---------------------------------------------------------------------------------


def tickets_due(people, dues):
    """Tickets in Billing whose SLA due times are `dues` (minutes from now, or None)."""
    now = timezone.now()
    made = []
    for n, minutes in enumerate(dues):
        ticket = make_ticket(team=people.billing, address=f"c{n}@example.no")
        due = None if minutes is None else now + timedelta(minutes=minutes)
        ticket_services.ticket_sla_due_set(ticket_id=ticket.pk, due_at=due)
        made.append(ticket)
    return made


def test_sla_sort_walks_every_ticket_once_most_urgent_first_without_deadline_last(people):
    made = tickets_due(people, [30, None, -10, 30, 5, None, 120])
    expected = [made[i].pk for i in (2, 4, 0, 3, 6)] + sorted(
        [made[1].pk, made[5].pk, people.ticket.pk]
    )
    seen, cursor = [], None
    while True:
        page, cursor = listing.ticket_list_for_agent(
            agent=people.kari, filters=TicketFilters(), cursor=cursor, limit=2, sort="sla"
        )
        seen += [ticket.pk for ticket in page]
        if cursor is None:
            break

    assert seen == expected


def test_inbox_sorts_by_sla_urgency_with_due_badges(kari_client, people):
    soon, late = tickets_due(people, [15, -30])

    response = kari_client.get(reverse("web:inbox"), {"sort": "sla"})

    rows = [ticket.pk for ticket in response.context["tickets"]]
    assert rows == [late.pk, soon.pk, people.ticket.pk]
    html = response.content.decode()
    assert html.count("badge--sla-overdue") == 1
    assert html.count("badge--sla-due") == 1


@pytest.mark.parametrize("extra_tickets", [0, 20])
def test_inbox_sla_sort_query_count_does_not_grow(
    kari_client, people, django_assert_max_num_queries, extra_tickets
):
    tickets_due(people, [n for n in range(extra_tickets)])

    with django_assert_max_num_queries(14):  # as the inbox's own budget, test_views
        response = kari_client.get(reverse("web:inbox"), {"sort": "sla"})

    assert len(response.context["tickets"]) == extra_tickets + 1


def test_inbox_refuses_a_cursor_of_the_other_order(kari_client, people):
    tickets_due(people, [5, 10])
    _page, updated_cursor = listing.ticket_list_for_agent(
        agent=people.kari, filters=TicketFilters(), limit=1
    )

    response = kari_client.get(reverse("web:inbox"), {"sort": "sla", "cursor": updated_cursor})

    assert response.context["list_error"] == "The cursor is not valid; start again without one."


# --- API -----------------------------------------------------------------------------------


def test_api_lists_by_sla_urgency_and_shows_the_due_time(people):
    soon, late = tickets_due(people, [15, -30])
    client = token_client(people.kari)

    body = client.get(f"{API}/tickets", {"sort": "sla", "limit": 2}).json()
    second = client.get(
        f"{API}/tickets", {"sort": "sla", "limit": 2, "cursor": body["next_cursor"]}
    ).json()

    assert [item["id"] for item in body["items"]] == [late.pk, soon.pk]
    assert body["items"][0]["sla_due_at"] is not None
    assert [item["id"] for item in second["items"]] == [people.ticket.pk]
    assert second["items"][0]["sla_due_at"] is None
    assert second["next_cursor"] is None


def test_api_refuses_an_unknown_sort(people):
    response = token_client(people.kari).get(f"{API}/tickets", {"sort": "oldest"})

    assert response.status_code in (400, 422)


def test_a_breach_is_a_line_in_the_tickets_history_in_time_order(kari_client, people):
    sla_services.policy_create(name="Standard", first_response_minutes=60)
    received = timezone.now() - timedelta(hours=2)
    ticket = ticket_services.receive(inbound(team=people.billing, received_at=received)).ticket
    sla_services.sla_breaches_mark(timezone.now())
    ticket_services.ticket_set_priority(ticket=ticket, priority="high", actor=people.kari.user)

    html = kari_client.get(reverse("web:ticket", args=[ticket.number])).content.decode()

    history = html[html.index('id="history"') :]
    assert "SLA target first response breached" in history
    assert history.index("Message received") < history.index("SLA target first response")
    assert history.index("SLA target first response") < history.index("Priority changed")
