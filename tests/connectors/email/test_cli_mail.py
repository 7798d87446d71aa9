"""`nordesk mail parse|import`, run in-process through `nordesk.cli.main`."""

import json
import mailbox as mbox_format
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from nordesk.cli import main
from nordesk.connectors.email import services
from nordesk.connectors.email.models import ImapSecurity, Inbound, RawEmail
from nordesk.tickets.models import Message, Ticket

ADDRESS = "support@nordesk.test"


def _mail(
    *,
    subject: str = "Feil på faktura",
    text: str = "Hei,\n\nfakturaen for august er trukket to ganger. Kan dere se på det?\n",
    sender: str = "Ingrid Berg <ingrid@example.no>",
    message_id: str | None = None,
    date: str = "Thu, 12 Sep 2024 10:20:00 +0200",
) -> EmailMessage:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = ADDRESS
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = message_id or make_msgid(domain="example.no")
    message.set_content(text)
    return message


@pytest.fixture
def mailbox(db):
    return services.mailbox_create(name="Nordesk Support", address=ADDRESS, inbound=Inbound.SMTP)


# --- mail parse ----------------------------------------------------------------------------


def test_cli_mail_parse_json(tmp_path, capsys):
    message = _mail(
        subject="SV: [#12] Feil på faktura",
        text=(
            "Hei igjen,\n\n"
            "takk for svaret. Nå stemmer fakturaen, men jeg lurer på om neste måned blir riktig.\n"
            "\n"
            "Den tors. 12. sep. 2026 kl. 10:14 skrev Nordesk Support <support@nordesk.test>:\n"
            "> Hei Ingrid,\n"
            ">\n"
            "> vi har kreditert det ene trekket.\n"
        ),
    )
    message.add_attachment(
        b"%PDF-1.4 kvittering", maintype="application", subtype="pdf", filename="kvittering.pdf"
    )
    path = tmp_path / "svar.eml"
    path.write_bytes(message.as_bytes())

    code = main(["mail", "parse", str(path), "--json"])

    out = capsys.readouterr().out
    assert code == 0
    assert len(out.strip().splitlines()) == 1  # --json: one line
    data = json.loads(out)
    assert data["from"] == "ingrid@example.no"
    assert data["subject"] == "SV: [#12] Feil på faktura"
    assert data["text"].startswith("Hei igjen,")
    assert "neste måned" in data["text"]
    assert ">" not in data["text"]
    assert "skrev" not in data["text"]
    assert data["quoted"].startswith("Den tors. 12. sep. 2026 kl. 10:14 skrev")
    assert "kreditert det ene trekket" in data["quoted"]
    assert data["attachments"] == [
        {
            "filename": "kvittering.pdf",
            "content_type": "application/pdf",
            "size": len(b"%PDF-1.4 kvittering"),
            "inline": False,
        }
    ]
    assert data["language"] == "nb"
    assert data["is_auto_reply"] is False
    assert data["thread_hint"] == 12


def test_cli_mail_parse_without_json_is_indented(tmp_path, capsys):
    path = tmp_path / "en.eml"
    path.write_bytes(_mail().as_bytes())

    assert main(["mail", "parse", str(path)]) == 0

    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) > 1
    assert json.loads(out)["subject"] == "Feil på faktura"


def test_cli_mail_parse_reports_a_rejected_message(tmp_path, capsys):
    message = _mail()
    for index in range(600):
        message.add_attachment(
            b"x", maintype="application", subtype="octet-stream", filename=f"k{index}.bin"
        )
    path = tmp_path / "mange.eml"
    path.write_bytes(message.as_bytes())

    assert main(["mail", "parse", str(path), "--json"]) == 1

    assert "MIME parts" in capsys.readouterr().err


# --- mail import ---------------------------------------------------------------------------


def test_cli_mail_import_folder_of_eml_files(mailbox, tmp_path, capsys):
    folder = tmp_path / "eksport"
    folder.mkdir()
    for index, subject in enumerate(["Feil på faktura", "Ny adresse", "Oppsigelse"], start=1):
        raw = _mail(subject=subject, message_id=f"<import-{index}@example.no>").as_bytes()
        (folder / f"{index}.eml").write_bytes(raw)
    (folder / "notat.txt").write_text("ikke en e-post")

    assert main(["mail", "import", str(folder)]) == 0

    out = capsys.readouterr().out
    assert ADDRESS in out
    assert "3 processed" in out
    assert Ticket.objects.count() == 3
    assert set(Ticket.objects.values_list("subject", flat=True)) == {
        "Feil på faktura",
        "Ny adresse",
        "Oppsigelse",
    }
    assert set(RawEmail.objects.values_list("source", flat=True)) == {"import"}
    # Imported history keeps its own date.
    assert {m.created_at.year for m in Message.objects.all()} == {2024}

    assert main(["mail", "import", str(folder)]) == 0

    out = capsys.readouterr().out
    assert "3 duplicate" in out
    assert "processed" not in out
    assert Ticket.objects.count() == 3
    assert Message.objects.count() == 3


def test_cli_mail_import_mbox(mailbox, tmp_path, capsys):
    path = tmp_path / "arkiv.mbox"
    archive = mbox_format.mbox(path)
    try:
        archive.add(_mail(subject="Faktura", message_id="<mbox-1@example.no>").as_bytes())
        archive.add(
            _mail(
                subject="Levering",
                sender="Ola Hansen <ola@example.no>",
                message_id="<mbox-2@example.no>",
                text="Hei,\n\npakken kom aldri fram.\n",
            ).as_bytes()
        )
        archive.flush()
    finally:
        archive.close()

    assert main(["mail", "import", str(path), "--mailbox", ADDRESS]) == 0

    assert "2 processed" in capsys.readouterr().out
    assert set(Message.objects.values_list("external_id", flat=True)) == {
        "<mbox-1@example.no>",
        "<mbox-2@example.no>",
    }
    assert "pakken kom aldri fram" in Message.objects.get(external_id="<mbox-2@example.no>").text
    assert Ticket.objects.count() == 2

    assert main(["mail", "import", str(path)]) == 0

    assert "2 duplicate" in capsys.readouterr().out
    assert Ticket.objects.count() == 2


def test_cli_mail_import_unknown_mailbox(mailbox, tmp_path, capsys):
    path = tmp_path / "en.eml"
    path.write_bytes(_mail().as_bytes())

    assert main(["mail", "import", str(path), "--mailbox", "unknown@x"]) == 2

    captured = capsys.readouterr()
    assert "unknown@x" in captured.err
    assert Ticket.objects.count() == 0


def test_cli_mail_import_without_a_mailbox(db, tmp_path, capsys):
    path = tmp_path / "en.eml"
    path.write_bytes(_mail().as_bytes())

    assert main(["mail", "import", str(path)]) == 2

    captured = capsys.readouterr()
    assert "Add a mailbox first" in captured.out + captured.err
    assert Ticket.objects.count() == 0
    assert RawEmail.objects.count() == 0


def test_cli_mail_import_missing_path(mailbox, tmp_path, capsys):
    assert main(["mail", "import", str(tmp_path / "finnes-ikke.mbox")]) == 2

    assert "does not exist" in capsys.readouterr().err


def test_cli_mail_import_mbox_unescapes_from_lines(mailbox, tmp_path, capsys):
    """mbox writers put ">" before body lines starting with "From " (Python's mailbox module,
    Thunderbird, Gmail's export); the imported text has the customer's line back."""
    path = tmp_path / "arkiv.mbox"
    archive = mbox_format.mbox(path)
    try:
        archive.add(
            _mail(
                message_id="<mbox-from@example.no>",
                text="From the warehouse nobody answers.\nPakken kom aldri fram.\n",
            ).as_bytes()
        )
        archive.flush()
    finally:
        archive.close()
    assert b"\n>From the warehouse" in path.read_bytes()

    assert main(["mail", "import", str(path)]) == 0

    message = Message.objects.get(external_id="<mbox-from@example.no>")
    assert message.text.startswith("From the warehouse nobody answers.")
    assert "Pakken kom aldri fram." in message.text


# --- mail poll -----------------------------------------------------------------------------


def test_cli_mail_poll_named_mailbox(imap_server, db, capsys):
    mailbox = services.mailbox_create(
        name="Nordesk Support",
        address=imap_server.user,
        imap_host=imap_server.host,
        imap_port=imap_server.port,
        imap_security=ImapSecurity.NONE,
        imap_username=imap_server.user,
        imap_password=imap_server.password,
        processed_folder=f"Nordesk{imap_server.delimiter}Processed",
    )
    imap_server.append(_mail(message_id="<poll-1@example.no>").as_bytes())

    assert main(["mail", "poll", "--mailbox", imap_server.user]) == 0

    assert f"Mailbox {mailbox.pk}: 1 new message(s)." in capsys.readouterr().out
    assert Message.objects.filter(external_id="<poll-1@example.no>").exists()

    assert main(["mail", "poll"]) == 0  # the mailbox was just polled: not due yet

    assert "new message" not in capsys.readouterr().out


def test_cli_mail_poll_unknown_mailbox(db, capsys):
    assert main(["mail", "poll", "--mailbox", "unknown@x"]) == 2

    assert "unknown@x" in capsys.readouterr().err


def test_raw_batches_bound_messages_and_bytes():
    from nordesk.connectors.email.importer import raw_batches

    raws = [b"a" * 10, b"b" * 10, b"c" * 50, b"d" * 10, b"e" * 10, b"f" * 10]

    batches = list(raw_batches(iter(raws), count=3, size=40))

    # a message larger than the byte budget is a batch of its own; none is lost or repeated
    assert [len(batch) for batch in batches] == [2, 1, 3]
    assert [raw for batch in batches for raw in batch] == raws
