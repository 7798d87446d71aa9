"""Answering through the link: one answer per ticket, changeable within the window, refused
after it with a clear page; forged and expired links refused; a bad answer fires a trigger."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from nordesk.automation import services as automation_services
from nordesk.automation.models import Notification
from nordesk.csat import selectors
from nordesk.csat.models import OptOut, Survey
from nordesk.tickets.models import Ticket, TicketEvent
from tests.csat import helpers

pytestmark = pytest.mark.django_db


def _answer(client, link, **data):
    return client.post(helpers.path_of(link).split("?")[0], data)


def test_customer_answers_through_the_link(client, people, solved):
    good, bad = helpers.links_in(solved)

    response = _answer(client, bad, score="1", comment="Det tok altfor lang tid.")

    # then the answer is stored once and the page thanks the customer
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert 'id="survey-thanks"' in thanks.content.decode()
    survey = Survey.objects.get()
    assert (survey.score, survey.comment) == (1, "Det tok altfor lang tid.")
    # and the ticket's history says so
    row = TicketEvent.objects.get(ticket=people.ticket, kind="csat")
    assert row.actor_kind == "customer"
    assert row.data["score"] == 1


def test_answer_can_be_changed_within_the_window(client, people, solved):
    good, bad = helpers.links_in(solved)
    _answer(client, bad, score="1")

    response = _answer(client, good, score="5", comment="Løst til slutt, takk!")

    assert response.status_code == 302
    survey = Survey.objects.get()
    assert (survey.score, survey.comment) == (5, "Løst til slutt, takk!")
    assert survey.answered_at < survey.changed_at
    rows = TicketEvent.objects.filter(ticket=people.ticket, kind="csat").order_by("id")
    assert [(row.data["score"], row.data["changed"]) for row in rows] == [(1, False), (5, True)]


def test_answer_cannot_be_changed_after_the_window(client, people, solved):
    good, bad = helpers.links_in(solved)
    _answer(client, good, score="5")
    # eight days later (answers can be changed for 7 days after the survey went out)
    Survey.objects.update(sent_at=timezone.now() - timedelta(days=8))

    page = client.get(helpers.path_of(bad))
    refused = _answer(client, bad, score="1")

    assert page.status_code == 200
    text = page.content.decode()
    assert "can no longer be changed" in text
    assert 'id="survey-answer">Good<' in text
    assert "survey-form" not in text
    assert refused.status_code == 200
    assert Survey.objects.get().score == 5


def test_unanswered_survey_closes_after_the_window(client, people, solved):
    good, _bad = helpers.links_in(solved)
    Survey.objects.update(sent_at=timezone.now() - timedelta(days=8))

    page = client.get(helpers.path_of(good))

    assert "is closed" in page.content.decode()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # forged
        lambda token: "not-a-token",
        # a valid signature naming another ticket
        lambda token: signing.dumps({"s": 1, "t": 999, "c": 1}, salt="nordesk.csat.survey"),
    ],
)
def test_forged_link_gets_a_clear_refusal(client, people, solved, mangle):
    good, _bad = helpers.links_in(solved)
    token = helpers.path_of(good).split("/")[2]

    response = client.get(f"/survey/{mangle(token)}/?score=5")
    posted = client.post(f"/survey/{mangle(token)}/", {"score": "5"})

    assert response.status_code == 404
    assert "This survey link is not valid" in response.content.decode()
    assert posted.status_code == 404
    assert Survey.objects.get().score is None


def test_expired_link_gets_a_clear_refusal(client, people, solved, monkeypatch):
    good, _bad = helpers.links_in(solved)
    later = timezone.now() + timedelta(days=selectors.LINK_DAYS + 1)
    monkeypatch.setattr("django.core.signing.time.time", later.timestamp)

    response = client.get(helpers.path_of(good))

    assert response.status_code == 410
    assert "This survey link has expired" in response.content.decode()


def test_score_outside_the_scale_is_refused_keeping_the_comment(client, people, solved):
    good, _bad = helpers.links_in(solved)

    response = _answer(client, good, score="3", comment="Midt på treet")

    assert response.status_code == 400
    assert "Midt på treet" in response.content.decode()
    assert Survey.objects.get().score is None


def test_customer_can_ask_not_to_be_asked_again(client, people, solved):
    good, _bad = helpers.links_in(solved)

    _answer(client, good, score="5", opt_out="on")

    assert OptOut.objects.get(customer=people.sofie).source == "customer"
    assert selectors.customer_opted_out(customer_id=people.sofie.pk)


def test_bad_answer_fires_a_trigger_that_reopens_and_notifies(client, people, solved):
    # given a trigger: a bad rating reopens the ticket and tells the supervisors
    automation_services.trigger_create(
        name="Dårlig vurdering",
        events=["csat_received"],
        conditions={"all": [{"field": "csat.score", "operator": "less_than", "value": 3}]},
        actions=[
            {"type": "set_status", "value": "open"},
            {
                "type": "notify",
                "to": ["supervisors"],
                "text": "Dårlig CSAT på #{{ ticket.number }}",
            },
        ],
    )
    good, bad = helpers.links_in(solved)

    _answer(client, bad, score="1", comment="Ikke fornøyd")

    assert Ticket.objects.get(pk=people.ticket.pk).status == "open"
    notification = Notification.objects.get(recipient=people.siri.user)
    assert notification.text == f"Dårlig CSAT på #{people.ticket.number}"


def test_good_answer_does_not_fire_the_bad_rating_trigger(client, people, solved):
    automation_services.trigger_create(
        name="Dårlig vurdering",
        events=["csat_received"],
        conditions={"all": [{"field": "csat.score", "operator": "less_than", "value": 3}]},
        actions=[{"type": "set_status", "value": "open"}],
    )
    good, _bad = helpers.links_in(solved)

    _answer(client, good, score="5")

    assert Ticket.objects.get(pk=people.ticket.pk).status == "solved"


def test_a_trigger_on_a_new_score_ignores_a_changed_comment(client, people, solved):
    # given a trigger on the score changing to the worst one
    automation_services.trigger_create(
        name="Ny dårlig vurdering",
        events=["csat_received"],
        conditions={"all": [{"field": "csat.score", "operator": "changed_to", "value": 1}]},
        actions=[{"type": "notify", "to": ["supervisors"], "text": "Dårlig CSAT"}],
    )
    _good, bad = helpers.links_in(solved)

    def notified() -> int:
        return Notification.objects.filter(recipient=people.siri.user).count()

    # when the customer answers bad: it fires
    _answer(client, bad, score="1", comment="Treg")
    assert notified() == 1
    # when only the comment changes: it does not fire again
    _answer(client, bad, score="1", comment="Treg, men løst til slutt")
    assert notified() == 1
    assert Survey.objects.get().comment == "Treg, men løst til slutt"
    # when the score goes to good and back to bad: it fires on the way back only
    _answer(client, bad, score="5", comment="")
    assert notified() == 1
    _answer(client, bad, score="1", comment="")
    assert notified() == 2


def test_five_point_scale(client, people, django_capture_on_commit_callbacks, mailoutbox):
    from nordesk.csat import services

    services.survey_settings_update(changes={"scale": "five"}, actor=people.astrid.user)
    helpers.solve(people.ticket, people.kari.user)
    helpers.send_due(django_capture_on_commit_callbacks)

    links = helpers.links_in(mailoutbox[0])
    response = _answer(client, links[1], score="4")

    assert len(links) == 5
    assert response.status_code == 302
    assert Survey.objects.get().score == 4
