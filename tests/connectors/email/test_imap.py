"""IMAP polling against a real Dovecot: a customer's mail becomes a ticket, the agent's answer
goes out by SMTP, the customer's answer to that lands on the same ticket."""

from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from imapclient.exceptions import LoginError

from nordesk.connectors.email import imap, services
from nordesk.connectors.email.models import AfterFetch, ImapSecurity, Mailbox, RawEmail, RawStatus
from nordesk.connectors.email.references import (
    message_id_ticket,
    reply_address_make,
    reply_address_ticket,
)
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import Message, Ticket
from tests.connectors.email.builders import many_parts

CUSTOMER = "Ingrid Berg <ingrid@example.no>"
CUSTOMER_ADDRESS = "ingrid@example.no"
GMAIL_ATTRIBUTION = "Den tors. 12. sep. 2026 kl. 10:14 skrev {sender}:"


def _mail(
    *,
    to: str,
    subject: str = "Feil på faktura",
    text: str = "Hei,\n\nfakturaen for august er trukket to ganger. Kan dere se på det?\n",
    sender: str = CUSTOMER,
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = "Thu, 12 Sep 2024 10:20:00 +0200"
    message["Message-ID"] = message_id or make_msgid(domain="example.no")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    return message.as_bytes()


def _processed_folder(server) -> str:
    return f"Nordesk{server.delimiter}Processed"


def _mailbox(server, *, password: str | None = None, **fields) -> Mailbox:
    values = {
        "name": "Nordesk Support",
        "address": server.user,
        "imap_host": server.host,
        "imap_port": server.port,
        "imap_security": ImapSecurity.NONE,
        "imap_username": server.user,
        "processed_folder": _processed_folder(server),
        **fields,
    }
    return services.mailbox_create(
        imap_password=server.password if password is None else password, **values
    )


def _poll(mailbox: Mailbox) -> int:
    count = imap.mailbox_poll(mailbox_id=mailbox.pk)
    mailbox.refresh_from_db()
    return count


# --- the round trip ------------------------------------------------------------------------


def test_imap_round_trip_customer_agent_customer(
    imap_server, smtp_capture, people, django_capture_on_commit_callbacks
):
    mailbox = _mailbox(imap_server, team_id=people.billing.pk)
    processed = _processed_folder(imap_server)
    imap_server.append(_mail(to=mailbox.address, message_id="<faktura-1@example.no>"))

    assert _poll(mailbox) == 1

    first = Message.objects.get(channel="email", external_id="<faktura-1@example.no>")
    ticket = first.ticket
    assert ticket.channel == "email"
    assert ticket.subject == "Feil på faktura"
    assert ticket.team_id == people.billing.pk
    assert ticket.customer.name == "Ingrid Berg"
    assert first.thread_strategy == "new"
    assert "trukket to ganger" in first.text
    assert imap_server.uids() == []
    assert processed in imap_server.folders()
    assert len(imap_server.uids(processed)) == 1
    assert mailbox.last_error == ""

    # The agent answers; the mail goes out after commit.
    with django_capture_on_commit_callbacks(execute=True):
        reply = ticket_services.ticket_reply(
            ticket=ticket,
            actor=people.kari.user,
            text="Hei Ingrid,\n\nvi har kreditert det ene trekket. Pengene kommer innen tre dager.",
        )
    [sent] = smtp_capture.wait_for(1)
    reply.refresh_from_db()
    assert reply.delivery_status == "sent"
    assert sent.recipients == [CUSTOMER_ADDRESS]
    out = sent.message
    our_id = str(out["Message-ID"])
    assert our_id == reply.external_id
    assert message_id_ticket(our_id) == ticket.pk
    assert str(out["In-Reply-To"]) == "<faktura-1@example.no>"
    assert f"[#{ticket.number}]" in str(out["Subject"])
    assert "Feil på faktura" in str(out["Subject"])
    reply_to = str(out["Reply-To"])
    assert reply_to == reply_address_make(address=mailbox.address, ticket_id=ticket.pk)
    assert reply_address_ticket(reply_to) == ticket.pk
    body = out.get_body(("plain",)).get_content()
    assert "kreditert det ene trekket" in body

    # The customer answers from Gmail, quoting us.
    quote = "\n".join(f"> {line}" if line else ">" for line in body.rstrip().splitlines())
    answer_text = (
        "Takk, nå ser det riktig ut.\n\n"
        + GMAIL_ATTRIBUTION.format(sender=str(out["From"]))
        + "\n"
        + quote
        + "\n"
    )
    imap_server.append(
        _mail(
            to=reply_to,
            subject="SV: " + str(out["Subject"]),
            text=answer_text,
            message_id="<svar-1@example.no>",
            headers={"In-Reply-To": our_id, "References": our_id},
        )
    )

    assert _poll(mailbox) == 1

    answer = Message.objects.get(channel="email", external_id="<svar-1@example.no>")
    assert answer.ticket_id == ticket.pk
    assert answer.thread_strategy == "signed_reference"
    assert answer.text == "Takk, nå ser det riktig ut."
    assert answer.quoted.startswith("Den tors. 12. sep. 2026 kl. 10:14 skrev")
    assert "kreditert det ene trekket" in answer.quoted
    assert Ticket.objects.filter(customer__name="Ingrid Berg").count() == 1
    ticket.refresh_from_db()
    assert ticket.status == "open"  # the customer's answer reopens the waiting ticket
    assert imap_server.uids() == []
    assert len(imap_server.uids(processed)) == 2


# --- exactly once --------------------------------------------------------------------------


@pytest.mark.parametrize("after_fetch", [AfterFetch.MOVE, AfterFetch.FLAG, AfterFetch.DELETE])
def test_imap_polling_twice_does_not_duplicate(imap_server, db, after_fetch):
    mailbox = _mailbox(imap_server, after_fetch=after_fetch)
    uid = imap_server.append(_mail(to=mailbox.address))

    assert _poll(mailbox) == 1
    assert _poll(mailbox) == 0

    assert Message.objects.count() == 1
    assert RawEmail.objects.count() == 1
    assert mailbox.imap_last_uid == uid
    assert mailbox.imap_uidvalidity is not None
    assert mailbox.last_polled_at is not None


def test_imap_same_bytes_twice_are_one_message(imap_server, db):
    mailbox = _mailbox(imap_server)
    raw = _mail(to=mailbox.address)
    imap_server.append(raw)
    imap_server.append(raw)

    _poll(mailbox)

    assert Message.objects.count() == 1
    assert RawEmail.objects.count() == 1
    # Both copies are dealt with on the server all the same.
    assert imap_server.uids() == []
    assert len(imap_server.uids(_processed_folder(imap_server))) == 2


def test_imap_poll_stores_the_raw_message(imap_server, db):
    mailbox = _mailbox(imap_server)
    raw = _mail(to=mailbox.address, message_id="<raw-1@example.no>")
    imap_server.append(raw)

    _poll(mailbox)

    stored = RawEmail.objects.get()
    message = Message.objects.get(external_id="<raw-1@example.no>")
    assert stored.source == "imap"
    assert stored.status == RawStatus.PROCESSED
    assert stored.mailbox_id == mailbox.pk
    assert stored.message_id == message.pk
    kept = bytes(stored.content)
    assert kept == raw
    # The same bytes from another path are recognised as the message already stored.
    again = services.mail_ingest(mailbox=mailbox, raw=kept, source="webhook")
    assert again.duplicate
    assert again.raw_id == stored.pk
    assert again.message_id == message.pk
    assert RawEmail.objects.count() == 1
    assert Message.objects.count() == 1


def test_imap_fetches_a_message_another_client_marked_seen(imap_server, db):
    mailbox = _mailbox(imap_server)
    imap_server.append(_mail(to=mailbox.address, message_id="<lest@example.no>"), flags=[r"\Seen"])

    assert _poll(mailbox) == 1

    assert Message.objects.filter(external_id="<lest@example.no>").exists()


def test_imap_uidvalidity_change_fetches_from_the_start_without_duplicates(imap_server, db):
    mailbox = _mailbox(imap_server, after_fetch=AfterFetch.FLAG)
    imap_server.append(_mail(to=mailbox.address, message_id="<en@example.no>"))
    _poll(mailbox)
    real_uidvalidity = mailbox.imap_uidvalidity
    second_uid = imap_server.append(_mail(to=mailbox.address, message_id="<to@example.no>"))
    # The folder was recreated (another UIDVALIDITY): the stored position means nothing now.
    Mailbox.objects.filter(pk=mailbox.pk).update(
        imap_uidvalidity=real_uidvalidity + 1000, imap_last_uid=10_000
    )

    _poll(mailbox)

    assert set(Message.objects.values_list("external_id", flat=True)) >= {
        "<en@example.no>",
        "<to@example.no>",
    }
    assert Message.objects.filter(external_id="<en@example.no>").count() == 1
    assert RawEmail.objects.count() == 2
    assert mailbox.imap_uidvalidity == real_uidvalidity
    assert mailbox.imap_last_uid == second_uid


# --- after fetching ------------------------------------------------------------------------


def test_imap_after_fetch_flag_leaves_the_message_flagged(imap_server, db):
    mailbox = _mailbox(imap_server, after_fetch=AfterFetch.FLAG)
    uid = imap_server.append(_mail(to=mailbox.address))

    assert _poll(mailbox) == 1

    assert imap_server.uids() == [uid]
    flags = imap_server.flags(uid)
    assert "\\Flagged" in flags
    assert "\\Seen" not in flags  # fetched with BODY.PEEK: still unread for the people
    assert _processed_folder(imap_server) not in imap_server.folders()
    assert _poll(mailbox) == 0
    assert Message.objects.count() == 1


def test_imap_after_fetch_delete_removes_the_message(imap_server, db):
    mailbox = _mailbox(imap_server, after_fetch=AfterFetch.DELETE)
    imap_server.append(_mail(to=mailbox.address))
    imap_server.append(_mail(to=mailbox.address, subject="Ny adresse"))

    assert _poll(mailbox) == 2

    assert imap_server.uids() == []
    assert imap_server.folders() == ["INBOX"]
    assert Message.objects.count() == 2


def test_imap_quarantined_message_is_moved_and_the_batch_goes_on(imap_server, db):
    mailbox = _mailbox(imap_server)
    imap_server.append(many_parts(to=mailbox.address))
    imap_server.append(_mail(to=mailbox.address, message_id="<etter@example.no>"))

    _poll(mailbox)

    quarantined = RawEmail.objects.get(status=RawStatus.QUARANTINED)
    assert "MIME parts" in quarantined.reason
    assert RawEmail.objects.filter(status=RawStatus.PROCESSED).count() == 1
    assert Message.objects.get(external_id="<etter@example.no>").ticket.subject == (
        "Feil på faktura"
    )
    assert imap_server.uids() == []
    assert len(imap_server.uids(_processed_folder(imap_server))) == 2
    assert mailbox.imap_last_uid > 0
    assert mailbox.last_error == ""


# --- credentials ---------------------------------------------------------------------------


def test_imap_wrong_password_raises_and_records_why(imap_server, db):
    mailbox = _mailbox(imap_server, password="feil-passord")
    uid = imap_server.append(_mail(to=mailbox.address))

    with pytest.raises(LoginError):
        imap.mailbox_poll(mailbox_id=mailbox.pk)

    mailbox.refresh_from_db()
    assert "LoginError" in mailbox.last_error
    assert "authentication failed" in mailbox.last_error.lower()
    assert mailbox.imap_last_uid == 0
    assert RawEmail.objects.count() == 0
    assert Message.objects.count() == 0
    assert imap_server.uids() == [uid]

    # With the right password the next poll goes through and clears the error.
    services.mailbox_update(mailbox=mailbox, changes={}, imap_password=imap_server.password)
    assert _poll(mailbox) == 1
    assert mailbox.last_error == ""


def test_imap_password_is_stored_encrypted(db):
    password = "Hemmelig-Passord-2026"
    mailbox = services.mailbox_create(
        name="Nordesk Support",
        address="Support@Nordesk.test",
        imap_host="imap.example.no",
        imap_username="support@nordesk.test",
        imap_password=password,
    )

    stored = Mailbox.objects.get(pk=mailbox.pk)
    assert stored.address == "support@nordesk.test"
    assert stored.imap_password_encrypted
    assert password not in stored.imap_password_encrypted
    assert services.mailbox_imap_password(stored) == password


def test_imap_default_processed_folder_follows_the_server_delimiter(imap_server, db):
    """The default folder ("Nordesk/Processed") names a hierarchy; on a server whose separator
    is "." (Dovecot and Courier with maildir) "/" is not allowed in a name at all."""
    assert Mailbox._meta.get_field("processed_folder").default == "Nordesk/Processed"
    mailbox = _mailbox(imap_server)
    services.mailbox_update(mailbox=mailbox, changes={"processed_folder": "Nordesk/Processed"})
    imap_server.append(_mail(to=mailbox.address))

    assert _poll(mailbox) == 1

    assert imap_server.uids() == []
    assert len(imap_server.uids(f"Nordesk{imap_server.delimiter}Processed")) == 1


def test_imap_processed_folder_with_a_nordic_name(imap_server, db):
    folder = f"Nordesk{imap_server.delimiter}Løst & ferdig"
    mailbox = _mailbox(imap_server, processed_folder=folder)
    imap_server.append(_mail(to=mailbox.address))

    assert _poll(mailbox) == 1

    assert imap_server.uids() == []
    assert len(imap_server.uids(folder)) == 1
