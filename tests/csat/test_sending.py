"""When a survey goes out: after the delay once a ticket is solved, by email in the
customer's language with working links, and never for imports, opted-out customers, skipped
tickets or tickets reopened in the meantime."""

from email import message_from_bytes, policy

import pytest

from nordesk.automation import services as automation_services
from nordesk.csat import selectors, services
from nordesk.csat.models import Survey
from nordesk.customers import services as customer_services
from nordesk.tickets import services as ticket_services
from tests.csat import helpers
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_survey_goes_out_after_the_delay_in_the_customers_language(
    people, client, django_capture_on_commit_callbacks, mailoutbox
):
    # given Sofie prefers Danish and her (Norwegian) email ticket is solved
    customer_services.customer_update(
        customer=people.sofie, changes={"language": "da"}, actor=people.kari.user
    )
    ticket = make_ticket(team=people.billing, external_id="<sofie-2@example.no>")
    helpers.solve(ticket, people.kari.user)

    # when the scan runs before the hour's delay has passed, and after
    early = helpers.send_due(django_capture_on_commit_callbacks, after_minutes=30)
    late = helpers.send_due(django_capture_on_commit_callbacks)

    # then one mail went out, after the delay, in Danish, threaded on the ticket
    assert (early, late) == (0, 1)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["sofie@example.no"]
    sent = message_from_bytes(mail.message().as_bytes(), policy=policy.default)
    assert sent["Content-Language"] == "da"
    assert sent["Auto-Submitted"] == "auto-generated"
    assert f"[#{ticket.number}]" in sent["Subject"]
    assert sent["In-Reply-To"] == "<sofie-2@example.no>"
    assert "+t" in sent["Reply-To"]
    # and each link opens the survey page in Danish with that answer preselected
    good, bad = helpers.links_in(mail)
    page = client.get(helpers.path_of(bad))
    assert page.status_code == 200
    assert '<html lang="da">' in page.content.decode()
    assert page.context["form"].initial == {"score": 1}
    assert Survey.objects.get().score is None  # opening the link recorded nothing


def test_survey_goes_out_once_when_two_scans_run(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    helpers.solve(people.ticket, people.kari.user)

    first = helpers.send_due(django_capture_on_commit_callbacks)
    second = helpers.send_due(django_capture_on_commit_callbacks)

    assert (first, second, len(mailoutbox)) == (1, 0, 1)


def test_no_survey_for_a_solve_from_history_import(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    ticket_services.ticket_change_status(
        ticket=people.ticket, status="solved", actor=None, at=people.ticket.created_at
    )

    assert helpers.send_due(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []
    assert not Survey.objects.exists()


def test_no_survey_for_a_customer_who_opted_out(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    services.customer_opt_out(customer_id=people.sofie.pk, source="agent", actor=people.kari.user)

    helpers.solve(people.ticket, people.kari.user)

    assert helpers.send_due(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_opting_out_after_solving_holds_the_waiting_survey(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    helpers.solve(people.ticket, people.kari.user)
    services.customer_opt_out(customer_id=people.sofie.pk, source="agent", actor=people.kari.user)

    assert helpers.send_due(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_no_survey_when_a_trigger_skips_it(people, django_capture_on_commit_callbacks, mailoutbox):
    # given a trigger that skips surveys for tickets tagged "spam"
    automation_services.trigger_create(
        name="Ingen undersøkelse for spam",
        events=["ticket_updated"],
        conditions={"all": [{"field": "tags", "operator": "contains", "value": "spam"}]},
        actions=[{"type": "skip_survey"}],
    )
    ticket_services.ticket_tag(ticket=people.ticket, add=["spam"], actor=people.kari.user)
    other = make_ticket(team=people.billing, address="nils@example.no", subject="Annen sak")

    # when both tickets are solved
    helpers.solve(people.ticket, people.kari.user)
    helpers.solve(other, people.kari.user)

    # then only the other ticket's customer is asked
    assert helpers.send_due(django_capture_on_commit_callbacks) == 1
    assert [mail.to for mail in mailoutbox] == [["nils@example.no"]]
    assert Survey.objects.get(ticket=people.ticket).skipped


def test_no_survey_when_the_ticket_is_reopened_before_the_delay(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    helpers.solve(people.ticket, people.kari.user)
    ticket_services.ticket_change_status(
        ticket=people.ticket, status="open", actor=people.kari.user
    )

    assert helpers.send_due(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []

    # solved again, it goes out after the delay counted from then
    helpers.solve(people.ticket, people.kari.user)
    assert helpers.send_due(django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 1


def test_no_survey_when_surveys_are_off(people, django_capture_on_commit_callbacks, mailoutbox):
    services.survey_settings_update(changes={"enabled": False}, actor=people.astrid.user)

    helpers.solve(people.ticket, people.kari.user)

    assert helpers.send_due(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_chat_customer_gets_no_mail_but_the_portal_link(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    # given a chat customer, known by a chat session only
    ticket = make_ticket(address="chat-4711", kind="chat", channel="chat", subject="Chat")

    helpers.solve(ticket, people.kari.user)

    # the survey is due, no mail goes to an address that is not an email identity
    assert helpers.send_due(django_capture_on_commit_callbacks) == 1
    assert mailoutbox == []
    # and the portal finds the survey for this customer only
    link = selectors.survey_pending_for_ticket(ticket_id=ticket.pk, customer_id=ticket.customer_id)
    assert link is not None
    assert "/survey/" in link
    stranger = selectors.survey_pending_for_ticket(ticket_id=ticket.pk, customer_id=people.sofie.pk)
    assert stranger is None


def test_survey_settings_refuse_what_makes_no_sense(people):
    from nordesk.csat.errors import InvalidSurveySettings

    with pytest.raises(InvalidSurveySettings) as refused:
        services.survey_settings_update(changes={"change_days": 0}, actor=people.astrid.user)
    assert refused.value.field == "change_days"
    with pytest.raises(InvalidSurveySettings):
        services.survey_settings_update(changes={"scale": "ten"}, actor=people.astrid.user)
    assert selectors.survey_settings().change_days == 7


def test_one_survey_per_ticket_even_when_it_is_solved_again(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    helpers.solve(people.ticket, people.kari.user)
    helpers.send_due(django_capture_on_commit_callbacks)
    ticket_services.ticket_change_status(
        ticket=people.ticket, status="open", actor=people.kari.user
    )

    helpers.solve(people.ticket, people.kari.user)

    assert helpers.send_due(django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 1


def test_opt_out_follows_a_customer_merge(people, django_capture_on_commit_callbacks, mailoutbox):
    # given Nils opted out, then his profile is merged into Sofie's
    nils_ticket = make_ticket(team=people.billing, address="nils@example.no", subject="Nils")
    nils = nils_ticket.customer
    services.customer_opt_out(customer_id=nils.pk, source="customer", actor=None)
    customer_services.customer_merge(source=nils, target=people.sofie, actor=people.kari.user)

    # when Sofie's ticket is solved
    helpers.solve(people.ticket, people.kari.user)

    # then nobody who asked not to be surveyed is
    assert selectors.customer_opted_out(customer_id=people.sofie.pk)
    assert helpers.send_due(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []
