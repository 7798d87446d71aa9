"""The mail servers of servers.py work as the email-channel tests expect them to."""

import imaplib
import ssl
from email.message import EmailMessage

import pytest
from django.core.mail import send_mail
from imapclient import IMAPClient

from tests.connectors.email.servers import DovecotServer, SmtpCapture


def _mail(subject: str = "Feil på faktura", sender: str = "sofie@example.no") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@nordesk.test"
    message["Subject"] = subject
    message["Message-ID"] = "<faktura-1@example.no>"
    message.set_content("Hei, fakturaen min stemmer ikke.")
    return message.as_bytes()


def _client(server: DovecotServer) -> IMAPClient:
    client = IMAPClient(server.host, port=server.port, ssl=False, timeout=10)
    client.login(server.user, server.password)
    return client


def test_dovecot_listens_on_loopback_high_ports(imap_server: DovecotServer) -> None:
    assert imap_server.host == "127.0.0.1"
    assert imap_server.port not in (143, 993)
    assert imap_server.imaps_port not in (143, 993)
    assert imap_server.folders() == ["INBOX"]


def test_appended_message_reads_back_through_imapclient(imap_server: DovecotServer) -> None:
    uid = imap_server.append(_mail(), flags=[r"\Flagged"])

    with _client(imap_server) as client:
        selected = client.select_folder("INBOX")
        assert isinstance(selected[b"UIDVALIDITY"], int)
        assert client.search(["ALL"]) == [uid]
        fetched = client.fetch([uid], ["RFC822", "FLAGS"])[uid]

    assert fetched[b"RFC822"].replace(b"\r\n", b"\n") == _mail().replace(b"\r\n", b"\n")
    assert b"\\Flagged" in fetched[b"FLAGS"]
    assert imap_server.uids() == [uid]
    assert imap_server.flags(uid) == {r"\Flagged", r"\Seen"}  # fetching RFC822 marks it read


def test_message_moves_to_another_folder(imap_server: DovecotServer) -> None:
    uid = imap_server.append(_mail(), flags=[r"\Seen"])
    imap_server.create_folder("Behandlet")

    with _client(imap_server) as client:
        client.select_folder("INBOX")
        client.move([uid], "Behandlet")

    assert imap_server.uids() == []
    [moved] = imap_server.uids("Behandlet")
    assert imap_server.flags(moved, "Behandlet") == {r"\Seen"}
    assert imap_server.uids("Behandlet", "UNSEEN") == []


def test_folders_with_nordic_names_and_hierarchy(imap_server: DovecotServer) -> None:
    name = f"Arkiv{imap_server.delimiter}Søppel & spam"
    imap_server.create_folder(name)
    imap_server.append(_mail(), folder=name)

    with _client(imap_server) as client:
        assert client.folder_exists(name)
        assert client.select_folder(name)[b"EXISTS"] == 1

    assert imap_server.folders() == ["Arkiv", name, "INBOX"]


def test_clear_and_reset_leave_an_empty_inbox(imap_server: DovecotServer) -> None:
    imap_server.append(_mail())
    imap_server.append(_mail("Andre"), flags=[r"\Seen"])
    imap_server.create_folder("Sent")
    imap_server.append(_mail("Svar"), folder="Sent")

    imap_server.clear("INBOX")
    assert imap_server.uids() == []
    assert len(imap_server.uids("Sent")) == 1

    imap_server.reset()
    assert imap_server.folders() == ["INBOX"]
    assert imap_server.uids() == []


def test_dovecot_refuses_a_wrong_password(imap_server: DovecotServer) -> None:
    client = imaplib.IMAP4(imap_server.host, imap_server.port)
    try:
        with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
            client.login(imap_server.user, "wrong")
    finally:
        client.shutdown()


def test_dovecot_speaks_imaps_with_its_own_certificate(imap_server: DovecotServer) -> None:
    if imap_server.imaps_port is None or imap_server.certfile is None:
        pytest.skip("no IMAPS: openssl could not make a certificate")
    context = ssl.create_default_context(cafile=str(imap_server.certfile))
    with IMAPClient(imap_server.host, port=imap_server.imaps_port, ssl_context=context) as client:
        client.login(imap_server.user, imap_server.password)
        assert client.select_folder("INBOX")[b"EXISTS"] == 0


def test_django_mail_reaches_the_smtp_capture(smtp_capture: SmtpCapture) -> None:
    send_mail(
        "Din sak #42 er mottatt",
        "Vi svarer så snart vi kan.",
        "support@nordesk.test",
        ["sofie@example.no"],
    )

    [mail] = smtp_capture.wait_for(1)
    assert mail.envelope_from == "support@nordesk.test"
    assert mail.recipients == ["sofie@example.no"]
    assert mail.message["Subject"] == "Din sak #42 er mottatt"
    assert mail.message["To"] == "sofie@example.no"
    assert "Vi svarer så snart vi kan." in mail.message.get_content()
    assert b"Subject:" in mail.raw


def test_smtp_capture_reports_what_arrived_when_waiting_fails(smtp_capture: SmtpCapture) -> None:
    with pytest.raises(AssertionError, match="got \\[\\]"):
        smtp_capture.wait_for(1, timeout=0.1)
