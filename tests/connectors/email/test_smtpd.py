"""The SMTP/LMTP receiver of `nordesk smtpd`, a real aiosmtpd server spoken to with smtplib.
Its handlers run in other threads, hence `transactional_db`."""

import smtplib
import socket
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.db import OperationalError

from nordesk.connectors.email import services, smtpd
from nordesk.connectors.email.models import Inbound, Mailbox, RawEmail
from nordesk.tickets.models import Message, Ticket

HOST = "127.0.0.1"
ADDRESS = "support@nordesk.test"
SENDER = "ingrid@example.no"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _mail(
    *,
    to: str = ADDRESS,
    subject: str = "Feil på faktura",
    text: str = "Hei,\n\nfakturaen for august er trukket to ganger. Kan dere se på det?\n",
    message_id: str | None = None,
) -> bytes:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = f"Ingrid Berg <{SENDER}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.no")
    message.set_content(text)
    return message.as_bytes()


@pytest.fixture
def mailbox(transactional_db) -> Mailbox:
    return services.mailbox_create(name="Nordesk Support", address=ADDRESS, inbound=Inbound.SMTP)


@pytest.fixture
def receiver() -> Iterator[Callable[..., int]]:
    """Starts the receiver (after the test set its settings); returns its port."""
    started = []

    def start(*, lmtp: bool = False) -> int:
        port = _free_port()
        server = smtpd.controller(host=HOST, port=port, lmtp=lmtp)
        server.start()
        started.append(server)
        return port

    yield start
    for server in started:
        server.stop()


def _send(port: int, raw: bytes, recipients: list[str]) -> tuple[int, bytes]:
    """MAIL, RCPT and DATA one by one; the answer to DATA."""
    with smtplib.SMTP(HOST, port, timeout=10) as client:
        client.ehlo()
        assert client.mail(SENDER)[0] == 250
        for recipient in recipients:
            code, _reply = client.rcpt(recipient)
            assert code == 250, (recipient, code, _reply)
        return client.data(raw)


def _sendmail(port: int, recipients: list[str], raw: bytes) -> dict:
    """smtplib's sendmail (SIZE when offered, one call); the recipients it refused."""
    with smtplib.SMTP(HOST, port, timeout=10) as client:
        return client.sendmail(SENDER, recipients, raw)


def test_smtpd_accepts_mail_for_the_mailbox(mailbox, receiver):
    port = receiver()

    code, _reply = _send(port, _mail(message_id="<smtp-1@example.no>"), [ADDRESS])

    assert code == 250
    message = Message.objects.get(channel="email", external_id="<smtp-1@example.no>")
    assert message.ticket.subject == "Feil på faktura"
    assert "trukket to ganger" in message.text
    raw = RawEmail.objects.get()
    assert raw.source == "smtp"
    assert raw.mailbox_id == mailbox.pk
    assert raw.message_id == message.pk


def test_smtpd_accepts_the_plus_address(mailbox, receiver):
    port = receiver()
    plus = "support+t1-0123456789abcdef@nordesk.test"

    code, _reply = _send(port, _mail(to=plus, message_id="<smtp-plus@example.no>"), [plus])

    assert code == 250
    assert Message.objects.filter(external_id="<smtp-plus@example.no>").exists()
    assert RawEmail.objects.get().mailbox_id == mailbox.pk


def test_smtpd_refuses_an_unknown_address(mailbox, receiver):
    port = receiver()

    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _sendmail(port, ["salg@nordesk.test"], _mail(to="salg@nordesk.test"))

    code, _reply = refused.value.recipients["salg@nordesk.test"]
    assert code == 550
    assert RawEmail.objects.count() == 0


def test_smtpd_refuses_an_inactive_mailbox(mailbox, receiver):
    services.mailbox_update(mailbox=mailbox, changes={"is_active": False})
    port = receiver()

    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _sendmail(port, [ADDRESS], _mail())

    assert refused.value.recipients[ADDRESS][0] == 550


def test_smtpd_delivers_to_the_known_of_several_recipients(mailbox, receiver):
    port = receiver()

    refused = _sendmail(
        port, [ADDRESS, "salg@nordesk.test"], _mail(message_id="<to-mottakere@example.no>")
    )

    assert set(refused) == {"salg@nordesk.test"}
    assert refused["salg@nordesk.test"][0] == 550
    assert Message.objects.filter(external_id="<to-mottakere@example.no>").count() == 1


def test_smtpd_refuses_mail_over_the_size_limit(mailbox, receiver, settings):
    settings.EMAIL_MAX_BYTES = 2000
    port = receiver()
    raw = _mail(text="Vedlagt logg:\n" + "linje\n" * 1000)
    assert len(raw) > 2000

    with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) as refused:
        _sendmail(port, [ADDRESS], raw)

    assert refused.value.smtp_code == 552
    assert RawEmail.objects.count() == 0
    assert Ticket.objects.count() == 0


def test_smtpd_refuses_oversized_data_without_a_declared_size(mailbox, receiver, settings):
    settings.EMAIL_MAX_BYTES = 2000
    port = receiver()

    code, _reply = _send(port, _mail(text="Vedlagt logg:\n" + "linje\n" * 1000), [ADDRESS])

    assert code == 552
    assert RawEmail.objects.count() == 0


def test_smtpd_answers_451_when_storing_fails(mailbox, receiver, monkeypatch):
    def broken(**kwargs):
        raise OperationalError("database is away")

    monkeypatch.setattr(services, "mail_ingest", broken)
    port = receiver()

    with pytest.raises(smtplib.SMTPDataError) as refused:
        _sendmail(port, [ADDRESS], _mail())

    assert refused.value.smtp_code == 451
    assert RawEmail.objects.count() == 0
    assert Message.objects.count() == 0


def test_smtpd_speaks_lmtp(mailbox, receiver):
    port = receiver(lmtp=True)

    client = smtplib.LMTP(HOST, port, timeout=10)
    try:
        refused = client.sendmail(SENDER, [ADDRESS], _mail(message_id="<lmtp-1@example.no>"))
    finally:
        client.quit()

    assert refused == {}
    assert Message.objects.filter(external_id="<lmtp-1@example.no>").exists()
    assert RawEmail.objects.get().source == "smtp"


def _lmtp_replies_after_data(port: int, recipients: list[str], raw: bytes) -> list[str]:
    """An LMTP transaction spoken by hand: the reply lines after the final "."."""
    with socket.create_connection((HOST, port), timeout=5) as sock:
        stream = sock.makefile("rb")

        def command(line: str) -> str:
            sock.sendall(line.encode() + b"\r\n")
            return _reply(stream)

        _reply(stream)  # greeting
        command("LHLO relay.nordesk.test")
        command(f"MAIL FROM:<{SENDER}>")
        for recipient in recipients:
            assert command(f"RCPT TO:<{recipient}>").startswith("250")
        assert command("DATA").startswith("354")
        sock.sendall(raw.replace(b"\r\n.", b"\r\n..") + b".\r\n")
        sock.settimeout(2)
        replies = []
        for _recipient in recipients:
            try:
                replies.append(_reply(stream))
            except TimeoutError:
                break
        return replies


def _reply(stream) -> str:
    """One (possibly multi-line) reply; its last line."""
    while True:
        line = stream.readline().decode()
        if len(line) < 4 or line[3] != "-":
            return line.strip()


def test_smtpd_lmtp_answers_once_per_recipient(mailbox, receiver):
    """RFC 2033 4.2: after DATA an LMTP server replies once for every accepted recipient; a
    relay (Postfix' lmtp client) waits for all of them."""
    port = receiver(lmtp=True)
    recipients = [ADDRESS, "support+t1-0123456789abcdef@nordesk.test"]

    replies = _lmtp_replies_after_data(port, recipients, _mail(message_id="<lmtp-2@example.no>"))

    assert len(replies) == len(recipients), replies
    assert all(reply.startswith("250") for reply in replies)
    assert Message.objects.filter(external_id="<lmtp-2@example.no>").count() == 1
