"""Email out, through a real SMTP server: an agent's reply reaches the customer as a properly
threaded mail, or the ticket says why it did not."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nordesk.connectors.email import outbound, services
from nordesk.connectors.email.models import Mailbox
from nordesk.connectors.email.references import (
    message_id_make,
    message_id_ticket,
    reply_address_make,
    reply_address_ticket,
)
from nordesk.tickets import services as ticket_services
from nordesk.tickets.inbound import InboundMessage
from nordesk.tickets.models import EventKind, Message, Ticket, TicketEvent
from tests.connectors.email import builders
from tests.connectors.email.servers import SmtpCapture
from tests.factories import make_agent

pytestmark = pytest.mark.django_db

MAILBOX_ADDRESS = "support@nordesk.test"
SIGNATURE = "Vennlig hilsen\nNordesk kundeservice"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def mail(
    *,
    sender: str = "Sofie Lund <sofie@example.no>",
    subject: str = "Feil beløp på fakturaen",
    text: str = "Hei!\n\nFakturaen for september viser feil beløp.\n\nMvh\nSofie",
    message_id: str = "<sofie-1@example.no>",
    cc: str | None = None,
) -> bytes:
    return builders.mail(sender=sender, subject=subject, text=text, message_id=message_id, cc=cc)


@pytest.fixture
def mailbox(people) -> Mailbox:
    return services.mailbox_create(
        name="Nordesk kundeservice",
        address=MAILBOX_ADDRESS,
        team_id=people.billing.pk,
        language="nb",
        signature=SIGNATURE,
    )


def _email_ticket(mailbox: Mailbox, raw: bytes | None = None) -> Ticket:
    result = services.mail_ingest(mailbox=mailbox, raw=raw or mail(), source="imap")
    return Ticket.objects.get(pk=result.ticket_id)


@pytest.fixture
def sofie_ticket(mailbox) -> Ticket:
    """Sofie's mail to the mailbox opened a ticket."""
    return _email_ticket(mailbox)


@pytest.fixture
def reply(people, django_capture_on_commit_callbacks):
    """Kari answers a ticket; the mail goes out after commit, as in production."""

    def answer(ticket: Ticket, text: str = "Vi har sendt deg en ny faktura.", **kw) -> Message:
        with django_capture_on_commit_callbacks(execute=True):
            message = ticket_services.ticket_reply(
                ticket=ticket, actor=kw.pop("actor", people.kari.user), text=text, **kw
            )
        message.refresh_from_db()
        return message

    return answer


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _plain(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content().replace("\r\n", "\n")


def _html(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return part.get_content()


def test_reply_send_agent_reply_reaches_the_customer_as_a_threaded_mail(
    people, mailbox, sofie_ticket, reply, smtp_capture: SmtpCapture
):
    # given Kari attaches a receipt to her answer
    upload = ticket_services.attachment_upload(
        uploaded_by=people.kari.user, file=SimpleUploadedFile("kvittering.pdf", PDF)
    )

    # when she replies on Sofie's email ticket
    message = reply(
        sofie_ticket, text="Hei Sofie!\n\nVi har sendt en ny faktura.", attachment_ids=[upload.pk]
    )

    # then one mail reaches Sofie
    [captured] = smtp_capture.wait_for(1)
    assert captured.recipients == ["sofie@example.no"]
    sent = captured.message
    assert sent["To"] == "sofie@example.no"
    assert sent["From"].addresses[0].addr_spec == MAILBOX_ADDRESS
    assert sent["From"].addresses[0].display_name == "Nordesk kundeservice"
    # with the text, an HTML alternative, and the mailbox signature in both
    assert "Vi har sendt en ny faktura." in _plain(sent)
    assert "-- \nVennlig hilsen\nNordesk kundeservice" in _plain(sent)
    html = _html(sent)
    assert "Vi har sendt en ny faktura." in html
    assert "Vennlig hilsen" in html
    # a Message-ID of ours naming the ticket, answering Sofie's message
    own_id = sent["Message-ID"]
    assert message_id_ticket(own_id) == sofie_ticket.pk
    assert sent["In-Reply-To"] == "<sofie-1@example.no>"
    assert "<sofie-1@example.no>" in sent["References"]
    # the ticket token in the subject, and the signed reply address
    assert sent["Subject"] == f"[#{sofie_ticket.number}] Feil beløp på fakturaen"
    reply_to = sent["Reply-To"].addresses[0].addr_spec
    assert reply_to == reply_address_make(address=MAILBOX_ADDRESS, ticket_id=sofie_ticket.pk)
    assert reply_address_ticket(reply_to) == sofie_ticket.pk
    # and the attachment
    [attachment] = list(sent.iter_attachments())
    assert attachment.get_filename() == "kvittering.pdf"
    assert attachment.get_content() == PDF
    # the reply is recorded as sent, under the Message-ID it went out with
    assert message.delivery_status == "sent"
    assert message.delivery_error == ""
    assert message.external_id == own_id


def test_reply_send_second_reply_references_the_whole_conversation(
    mailbox, sofie_ticket, reply, smtp_capture: SmtpCapture
):
    # given Kari answered once
    reply(sofie_ticket, text="Vi ser på saken.")
    [first] = smtp_capture.wait_for(1)

    # when she answers again
    reply(sofie_ticket, text="Ny faktura er sendt.")

    # then the second mail threads under the first in the customer's mail client
    second = smtp_capture.wait_for(2)[1].message
    assert second["Message-ID"] != first.message["Message-ID"]
    assert second["In-Reply-To"] == first.message["Message-ID"]
    assert second["References"].split() == ["<sofie-1@example.no>", first.message["Message-ID"]]


def test_reply_send_cc_participant_gets_the_reply(mailbox, reply, smtp_capture: SmtpCapture):
    # given Sofie wrote with her colleague in Cc
    ticket = _email_ticket(mailbox, mail(cc="Ola Kollega <ola@example.no>"))

    # when Kari replies
    reply(ticket)

    # then the colleague is in Cc of the answer
    [captured] = smtp_capture.wait_for(1)
    assert sorted(captured.recipients) == ["ola@example.no", "sofie@example.no"]
    assert captured.message["Cc"] == "ola@example.no"


def test_reply_send_the_team_signature_ends_the_reply_when_the_team_has_one(
    people, mailbox, reply, smtp_capture: SmtpCapture
):
    # given the ticket's team signs its own replies
    from nordesk.accounts.models import Team

    Team.objects.filter(pk=people.billing.pk).update(signature="Hilsen Fakturateamet")
    ticket = _email_ticket(mailbox)

    # when Kari replies
    reply(ticket)

    # then the team's signature ends the mail, not the mailbox's
    [captured] = smtp_capture.wait_for(1)
    assert _plain(captured.message).rstrip().endswith("-- \nHilsen Fakturateamet")
    assert SIGNATURE not in _plain(captured.message)


def test_reply_send_line_breaks_in_names_and_subject_add_no_headers(
    people, reply, smtp_capture: SmtpCapture
):
    # given a brand name, an agent name and a ticket subject carrying a header injection
    injection = "\r\nBcc: evil@example.com"
    evil_mailbox = services.mailbox_create(
        name=f"Nordesk{injection}", address=MAILBOX_ADDRESS, team_id=people.billing.pk
    )
    ticket = _email_ticket(evil_mailbox)
    Ticket.objects.filter(pk=ticket.pk).update(subject=f"Faktura{injection}")
    agent = make_agent(f"Kari{injection} Nordmann", teams=(people.billing,))

    # when the agent replies
    reply(Ticket.objects.get(pk=ticket.pk), actor=agent.user, text=f"Hei{injection}")

    # then the mail has no Bcc and goes to the customer only
    [captured] = smtp_capture.wait_for(1)
    assert captured.recipients == ["sofie@example.no"]
    assert "Bcc" not in captured.message
    # the injected text is flattened into the display name and subject, harmless there
    assert [a.addr_spec for a in captured.message["From"].addresses] == [MAILBOX_ADDRESS]
    assert [a.addr_spec for a in captured.message["To"].addresses] == ["sofie@example.no"]
    assert "Cc" not in captured.message
    assert captured.message["Subject"] == (f"[#{ticket.number}] Faktura Bcc: evil@example.com")
    header_block = captured.raw.split(b"\r\n\r\n", 1)[0]
    assert b"\nBcc:" not in header_block
    assert b"\nbcc:" not in header_block.lower()


def test_reply_send_smtp_down_fails_after_the_final_attempt(
    settings, mailbox, sofie_ticket, reply, smtp_capture: SmtpCapture
):
    # given the SMTP server cannot be reached
    settings.EMAIL_PORT = _closed_port()
    settings.EMAIL_TIMEOUT = 5

    # when Kari replies (the first attempt fails; the job queue would retry it later)
    message = reply(sofie_ticket)
    assert message.delivery_status == "queued"

    # then an attempt that is not the last one raises for the job queue to retry
    with pytest.raises(OSError):  # noqa: PT011 - ConnectionRefusedError, whatever the message
        outbound.reply_send(message_id=message.pk, final_attempt=False)
    message.refresh_from_db()
    assert message.delivery_status == "queued"

    # and after the final attempt the reply is failed with the reason, in the history too
    outbound.reply_send(message_id=message.pk, final_attempt=True)
    message.refresh_from_db()
    assert message.delivery_status == "failed"
    assert "ConnectionRefusedError" in message.delivery_error
    event = TicketEvent.objects.get(ticket=sofie_ticket, kind=EventKind.DELIVERY_FAILED)
    assert event.data["message"] == message.pk
    assert smtp_capture.messages == []


def test_reply_send_internal_note_is_never_mailed(
    people, mailbox, sofie_ticket, smtp_capture: SmtpCapture, django_capture_on_commit_callbacks
):
    # when Kari writes an internal note on an email ticket
    with django_capture_on_commit_callbacks(execute=True):
        note = ticket_services.ticket_add_note(
            ticket=sofie_ticket, actor=people.kari.user, text="Kunden har fått feil sats."
        )

    # then nothing is mailed, even when sending is asked for directly
    outbound.reply_send(message_id=note.pk, final_attempt=True)
    note.refresh_from_db()
    assert smtp_capture.messages == []
    assert note.delivery_status == ""
    assert outbound.reply_build(message_id=note.pk) is None


def test_reply_send_customer_without_email_address_fails_with_a_reason(
    people, mailbox, reply, smtp_capture: SmtpCapture
):
    # given an email ticket whose customer is known by phone number only
    ticket = ticket_services.receive(
        InboundMessage(
            channel="email",
            sender_kind="phone",
            sender_address="+47 912 34 567",
            subject="Ring meg",
            text="Kan dere ringe meg om fakturaen?",
            received_at=timezone.now(),
            team_id=people.billing.pk,
        )
    ).ticket

    # when Kari replies
    message = reply(ticket)

    # then the reply is failed, saying why, and nothing is sent
    assert message.delivery_status == "failed"
    assert message.delivery_error == "The customer has no email address."
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.DELIVERY_FAILED).exists()
    assert smtp_capture.messages == []


def test_reply_build_query_count_does_not_grow_with_participants(
    mailbox, people, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nordesk.connectors.email import outbound

    counts = []
    for n, cc in enumerate(("a@example.no", "a@example.no, b@example.no, c@example.no")):
        ticket = _email_ticket(mailbox, mail(cc=cc, message_id=f"<cc-{n}@example.no>"))
        with django_capture_on_commit_callbacks(execute=False):
            message = ticket_services.ticket_reply(
                ticket=ticket, actor=people.kari.user, text="Hei"
            )
        with CaptureQueriesContext(connection) as ctx:
            built = outbound.reply_build(message_id=message.pk)
        assert built is not None
        assert len(built[0].cc) == len(cc.split(","))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- satisfaction surveys ------------------------------------------------------------------


def test_survey_mail_comes_from_the_tickets_mailbox_threaded_on_the_ticket(
    mailbox, sofie_ticket, people, mailoutbox, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from nordesk.csat import services as csat_services

    # given Kari solved Sofie's mailed ticket
    ticket_services.ticket_change_status(
        ticket=sofie_ticket, status="solved", actor=people.kari.user
    )

    # when the survey is due
    with django_capture_on_commit_callbacks(execute=True):
        csat_services.surveys_send_due(now=timezone.now() + timedelta(hours=2))

    # then it comes from the mailbox, with its signature, answering Sofie's mail
    (survey,) = mailoutbox
    sent = message_from_bytes(survey.message().as_bytes(), policy=policy.default)
    assert MAILBOX_ADDRESS in sent["From"]
    assert sent["In-Reply-To"] == "<sofie-1@example.no>"
    assert reply_address_ticket(sent["Reply-To"].addresses[0].addr_spec) == sofie_ticket.pk
    # its Message-ID is ours (an answer threads, a loop is recognised), not the acknowledgement's
    assert message_id_ticket(sent["Message-ID"]) == sofie_ticket.pk
    assert sent["Message-ID"] != message_id_make(
        ticket_id=sofie_ticket.pk, message_id=0, domain="nordesk.test"
    )
    assert _plain(sent).rstrip().endswith(SIGNATURE)
    assert "Vennlig hilsen" in _html(sent)
