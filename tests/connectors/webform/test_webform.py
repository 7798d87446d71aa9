"""The web form channel: a submitted form becomes a ticket on channel "web" through the one
pipeline, after the spam checks; a portal reply continues the customer's own ticket."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nordesk.connectors.webform import services as webform
from nordesk.connectors.webform.errors import SubmissionRefused, TooManySubmissions
from nordesk.connectors.webform.spam import form_token_issue
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import CustomFieldDefinition, EventKind, Message, Ticket
from tests.factories import make_agent, make_ticket
from tests.portal.helpers import aged_token

pytestmark = pytest.mark.django_db


def submission(**changes) -> webform.WebSubmission:
    values = {
        "name": "Nina Berg",
        "email": "Nina@Example.se",
        "subject": "Kan inte logga in",
        "description": "Jag får ett felmeddelande.",
    }
    values.update(changes)
    return webform.WebSubmission(**values)


def send(
    sub: webform.WebSubmission, *, token: str | None = None, honeypot: str = "", ip="10.0.0.1"
):
    return webform.submission_receive(
        submission=sub, form_token=token or aged_token(), honeypot=honeypot, ip=ip
    )


def test_submission_receive_opens_a_web_ticket_for_the_customer_of_the_address():
    # given an admin-defined field the form shows
    CustomFieldDefinition.objects.create(key="order", label="Order number", kind="number")
    upload = SimpleUploadedFile("skjerm.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png")

    message = send(
        submission(
            category="Login",
            custom_fields={"order": "1234"},
            attachments=webform.attachments_from_uploads([upload]),
            language="sv",
        )
    )

    ticket = message.ticket
    assert ticket.channel == "web"
    assert ticket.subject == "Kan inte logga in"
    assert ticket.category == "Login"
    assert ticket.custom_fields == {"order": 1234}
    assert ticket.language == "sv"
    assert ticket.customer.name == "Nina Berg"
    assert ticket.customer.identities.get().address == "nina@example.se"
    attachment = message.attachments.get()
    assert (attachment.filename, attachment.content_type) == ("skjerm.png", "image/png")


def test_submission_receive_makes_one_ticket_of_a_form_sent_twice():
    token = aged_token(nonce="double-click")

    first = send(submission(), token=token)
    second = send(submission(), token=token)

    assert first.pk == second.pk
    assert Ticket.objects.count() == 1


def test_submission_receive_refuses_a_filled_honeypot():
    with pytest.raises(SubmissionRefused, match="must stay empty"):
        send(submission(), honeypot="http://spam.example")
    assert not Ticket.objects.exists()


def test_submission_receive_refuses_a_form_sent_too_fast(settings):
    settings.PORTAL_FORM_MIN_SECONDS = 3

    with pytest.raises(SubmissionRefused, match="a moment after it opened"):
        send(submission(), token=form_token_issue())
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("token", ["", "made-up", aged_token(seconds=2 * 24 * 3600)])
def test_submission_receive_refuses_a_forged_or_stale_token(token):
    with pytest.raises(SubmissionRefused):
        webform.submission_receive(submission=submission(), form_token=token, honeypot="", ip="x")
    assert not Ticket.objects.exists()


def test_submission_receive_limits_each_address(settings):
    settings.PORTAL_FORM_PER_ADDRESS_HOUR = 2
    send(submission(), ip="10.0.0.1")
    send(submission(), ip="10.0.0.2")

    with pytest.raises(TooManySubmissions):
        send(submission(email="NINA@example.se"), ip="10.0.0.3")
    assert Ticket.objects.count() == 2
    send(submission(email="other@example.se"), ip="10.0.0.4")  # someone else still may


def test_submission_receive_limits_each_ip(settings):
    settings.PORTAL_FORM_PER_IP_HOUR = 2
    send(submission(email="a@example.se"))
    send(submission(email="b@example.se"))

    with pytest.raises(TooManySubmissions, match="wait an hour"):
        send(submission(email="c@example.se"))
    assert Ticket.objects.count() == 2


def test_portal_reply_receive_reopens_the_customers_solved_ticket():
    ticket = make_ticket(channel="web", address="nina@example.se")
    agent = make_agent("Kari Svar")
    ticket_services.ticket_reply(
        ticket=ticket, actor=agent.user, text="Prøv igjen.", status="solved"
    )

    message = webform.portal_reply_receive(
        ticket_id=ticket.pk,
        customer_id=ticket.customer_id,
        text="Det går fortsatt ikke.",
        form_token=form_token_issue(),
    )

    ticket.refresh_from_db()
    assert message.ticket_id == ticket.pk
    assert message.channel == "web"
    assert ticket.status == "open"
    assert ticket.events.filter(kind=EventKind.STATUS, data__new="open").exists()


def test_portal_reply_receive_never_continues_someone_elses_ticket():
    theirs = make_ticket(address="sofie@example.no")
    mine = make_ticket(address="nina@example.se")

    message = webform.portal_reply_receive(
        ticket_id=theirs.pk, customer_id=mine.customer_id, text="Hei", form_token=form_token_issue()
    )

    assert message.ticket_id not in (theirs.pk,)
    assert Message.objects.filter(ticket=theirs).count() == 1


def test_an_agents_reply_on_a_web_ticket_goes_to_the_customer_by_email(
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    ticket = send(submission()).ticket
    agent = make_agent("Kari Svar")

    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_reply(ticket=ticket, actor=agent.user, text="Prøv å logge inn nå.")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nina@example.se"]
    assert "Prøv å logge inn nå." in mail.outbox[0].body
