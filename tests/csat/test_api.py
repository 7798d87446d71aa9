"""CSAT in the API: scoped to the tickets and customers the token's agent may see."""

import pytest

from nordesk.csat import selectors
from tests.csat import helpers
from tests.factories import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(people, django_capture_on_commit_callbacks, mailoutbox):
    return helpers.answered(
        people.ticket, people.kari, django_capture_on_commit_callbacks, score=5, comment="Bra"
    )


def test_ticket_survey_for_an_agent_who_sees_the_ticket(people, rated):
    response = token_client(people.kari).get(f"/api/v1/csat/tickets/{people.ticket.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["score"], body["comment"], body["scale"]) == (
        "answered",
        5,
        "Bra",
        "good_bad",
    )


def test_ticket_survey_is_404_outside_the_agents_scope(people, rated):
    response = token_client(people.ole).get(f"/api/v1/csat/tickets/{people.ticket.pk}")

    assert response.status_code == 404


def test_customer_answers_leave_out_tickets_the_agent_cannot_see(people, rated):
    kari = token_client(people.kari).get(f"/api/v1/csat/customers/{people.sofie.pk}").json()
    ole = token_client(people.ole).get(f"/api/v1/csat/customers/{people.sofie.pk}")

    assert [answer["ticket_id"] for answer in kari["answers"]] == [people.ticket.pk]
    assert kari["opted_out"] is False
    # Ole sees no ticket of Sofie's; a customer with tickets is visible only through them
    assert ole.status_code == 404


def test_agent_sets_and_clears_the_opt_out(people):
    client = token_client(people.kari)
    url = f"/api/v1/csat/customers/{people.sofie.pk}/opt-out"

    on = client.put(url, {"opted_out": True}, content_type="application/json")
    assert on.json()["opted_out"] is True
    off = client.put(url, {"opted_out": False}, content_type="application/json")
    assert off.json()["opted_out"] is False
    assert not selectors.customer_opted_out(customer_id=people.sofie.pk)


def test_light_agent_cannot_set_the_opt_out(people):
    response = token_client(people.lars).put(
        f"/api/v1/csat/customers/{people.sofie.pk}/opt-out",
        {"opted_out": True},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not selectors.customer_opted_out(customer_id=people.sofie.pk)


def test_only_admins_change_settings(people):
    kari = token_client(people.kari).patch(
        "/api/v1/csat/settings", {"delay_minutes": 5}, content_type="application/json"
    )
    astrid = token_client(people.astrid).patch(
        "/api/v1/csat/settings", {"delay_minutes": 5}, content_type="application/json"
    )
    refused = token_client(people.astrid).patch(
        "/api/v1/csat/settings", {"change_days": 365}, content_type="application/json"
    )

    assert kari.status_code == 403
    assert astrid.json()["delay_minutes"] == 5
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "change_days"
    assert selectors.survey_settings().delay_minutes == 5
