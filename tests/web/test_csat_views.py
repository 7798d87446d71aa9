"""Satisfaction answers in the workspace: the ticket's side panel and history, the customer's
profile (past CSAT, opt-out), the supervisor's per-agent figures, the settings page; each
shown only on tickets the agent may see."""

import pytest
from django.urls import reverse

from nordesk.csat import selectors
from nordesk.csat.models import OptOut
from tests.csat import helpers
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(people, django_capture_on_commit_callbacks, mailoutbox):
    """Sofie rated Kari's work on her ticket bad, with a comment."""
    return helpers.answered(
        people.ticket,
        people.kari,
        django_capture_on_commit_callbacks,
        score=1,
        comment="Jeg ventet i tre dager.",
    )


def test_ticket_page_shows_the_answer_and_its_history_row(kari_client, people, rated):
    page = kari_client.get(reverse("web:ticket", args=[people.ticket.number])).content.decode()

    assert 'id="csat-rating" class="badge badge--csat-bad">Bad<' in page
    assert "Jeg ventet i tre dager." in page
    assert "CSAT received: Bad" in page


def test_ticket_page_shows_the_customers_past_csat(
    kari_client, people, rated, django_capture_on_commit_callbacks
):
    # given Sofie writes again about something else, and rated a ticket Kari cannot see
    new = make_ticket(team=people.billing, subject="Ny sak", external_id="<ny@example.no>")
    hidden = make_ticket(team=people.technical, subject="Ruteren", external_id="<r@example.no>")
    helpers.answered(hidden, people.ole, django_capture_on_commit_callbacks, score=5)

    page = kari_client.get(reverse("web:ticket", args=[new.number])).content.decode()

    start = page.index('id="csat-past"')
    past = page[start : page.index("</ul>", start)]
    assert reverse("web:ticket", args=[people.ticket.number]) in past
    assert "Bad" in past
    assert reverse("web:ticket", args=[hidden.number]) not in past
    assert 'id="csat-rating"' not in page  # the new ticket has no answer of its own


def test_ticket_panel_keeps_the_tickets_own_answer_however_many_newer_ones(
    people, rated, django_capture_on_commit_callbacks
):
    for n in range(3):
        newer = make_ticket(team=people.billing, subject=f"Sak {n}", external_id=f"<{n}@x.no>")
        helpers.answered(newer, people.kari, django_capture_on_commit_callbacks, score=5)

    survey, past = selectors.surveys_for_ticket_panel(
        agent=people.kari, ticket_id=people.ticket.pk, customer_id=people.sofie.pk, limit=2
    )

    assert survey is not None
    assert survey.ticket_id == people.ticket.pk
    assert [answer.score for answer in past] == [5, 5]


def test_ticket_page_says_when_the_survey_goes_out(kari_client, people):
    helpers.solve(people.ticket, people.kari.user)

    page = kari_client.get(reverse("web:ticket", args=[people.ticket.number])).content.decode()

    assert 'id="csat-state"' in page
    assert "Survey goes out" in page


def test_customer_page_lists_past_csat_with_links_to_tickets(kari_client, people, rated):
    page = kari_client.get(reverse("web:customer", args=[people.sofie.pk])).content.decode()

    start = page.index('id="customer-csat"')
    section = page[start : page.index("</ol>", start)]
    assert reverse("web:ticket", args=[people.ticket.number]) in section
    assert "Bad" in section
    assert "Jeg ventet i tre dager." in section


def test_customer_page_hides_answers_on_tickets_the_agent_cannot_see(
    client, people, rated, django_capture_on_commit_callbacks
):
    # given Sofie also rated a Technical support ticket
    technical = make_ticket(team=people.technical, subject="Ruteren")
    helpers.answered(
        technical, people.ole, django_capture_on_commit_callbacks, score=5, comment="Topp"
    )
    client.force_login(people.ole.user)

    page = client.get(reverse("web:customer", args=[people.sofie.pk])).content.decode()

    assert "Topp" in page
    assert "Jeg ventet i tre dager." not in page
    assert reverse("web:ticket", args=[people.ticket.number]) not in page


def test_agent_stops_surveys_for_a_customer_on_the_profile(kari_client, people):
    url = reverse("web:customer_survey_opt_out", args=[people.sofie.pk])

    response = kari_client.post(url, {"opted_out": "1"}, follow=True)

    assert "This customer gets no more satisfaction surveys." in response.content.decode()
    assert OptOut.objects.get(customer=people.sofie).source == "agent"
    kari_client.post(url, {"opted_out": "0"})
    assert not selectors.customer_opted_out(customer_id=people.sofie.pk)


def test_light_agent_cannot_stop_surveys(client, people):
    client.force_login(people.lars.user)

    response = client.post(
        reverse("web:customer_survey_opt_out", args=[people.sofie.pk]), {"opted_out": "1"}
    )

    assert response.status_code == 404
    assert not OptOut.objects.exists()


def test_supervisor_sees_each_agents_csat(
    client, people, rated, django_capture_on_commit_callbacks
):
    for n, score in enumerate((5, 5, 1)):
        ticket = make_ticket(team=people.billing, address=f"k{n}@example.no")
        helpers.answered(ticket, people.kari, django_capture_on_commit_callbacks, score=score)
    client.force_login(people.siri.user)

    page = client.get("/supervisor/").content.decode()

    start = page.index(f'id="agent-row-{people.kari.user_id}"')
    row = page[start : page.index("</tr>", start)]
    assert "50 % good of 4 answers" in row  # two good, two bad
    ole = page.index(f'id="agent-row-{people.ole.user_id}"')
    assert 'data-figure="csat">—<' in page[ole : page.index("</tr>", ole)]


def test_admin_changes_survey_settings(client, people):
    client.force_login(people.astrid.user)
    url = reverse("web:csat_settings")

    index = client.get(reverse("web:settings")).content.decode()
    page = client.get(url)
    response = client.post(
        url, {"enabled": "on", "scale": "five", "delay_minutes": "15", "change_days": "14"}
    )

    assert f'href="{url}"' in index
    assert page.status_code == 200
    assert response.status_code == 302
    current = selectors.survey_settings()
    assert (current.scale, current.delay_minutes, current.change_days) == ("five", 15, 14)


def test_survey_settings_refusal_shows_by_its_field(client, people):
    client.force_login(people.astrid.user)

    response = client.post(
        reverse("web:csat_settings"),
        {"enabled": "on", "scale": "good_bad", "delay_minutes": "60", "change_days": "400"},
    )

    assert response.status_code == 400
    assert "Answers can be changed for 1 to 90 days." in response.content.decode()
    assert selectors.survey_settings().change_days == 7


def test_survey_settings_are_for_admins_only(kari_client):
    assert kari_client.get(reverse("web:csat_settings")).status_code == 404


def test_admin_writes_a_trigger_that_skips_surveys_in_the_trigger_editor(client, people):
    from nordesk.automation.models import Trigger

    client.force_login(people.astrid.user)
    url = reverse("web:settings_triggers_create")
    form = {
        "name": "Ingen undersøkelse for spam",
        "events": ["ticket_updated"],
        "conditions": '{"all": [{"field": "tags", "operator": "contains", "value": "spam"}]}',
        "is_active": "on",
    }

    refused = client.post(url, {**form, "actions": '[{"type": "skip_survey", "value": 1}]'})
    created = client.post(url, {**form, "actions": '[{"type": "skip_survey"}]'})

    assert "Action 1: skip_survey takes nothing but its type." in refused.content.decode()
    assert created.status_code == 302
    assert Trigger.objects.get().actions == [{"type": "skip_survey"}]
