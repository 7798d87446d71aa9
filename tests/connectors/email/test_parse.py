"""parse_email over a corpus of real-world shaped messages (corpus/README.md says what each
file is for) and over generated hostile messages. No database."""

import json
import time
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from nordesk.connectors.email.parse import EmailRejected, ParsedEmail, parse_email

CORPUS = Path(__file__).parent / "corpus"
CORPUS_FILES = sorted(path.name for path in CORPUS.glob("*.eml"))
MAX_BYTES = 10 * 1024 * 1024
JSON_KEYS = {
    "from", "from_name", "to", "cc", "reply_to", "subject", "date", "message_id",
    "in_reply_to", "references", "text", "quoted", "has_html", "attachments", "language",
    "is_auto_reply", "is_bounce", "thread_hint",
}  # fmt: skip
CEST = timezone(timedelta(hours=2))


def _parse(name: str) -> ParsedEmail:
    return parse_email((CORPUS / name).read_bytes(), max_bytes=MAX_BYTES)


def _norm(text: str) -> str:
    """Line endings do not matter to the agent who reads the text."""
    return text.replace("\r\n", "\n").strip()


def _attachments(parsed: ParsedEmail) -> dict:
    return {attachment.filename: attachment for attachment in parsed.attachments}


# --- every file --------------------------------------------------------------------------------


def test_parse_email_corpus_is_big_enough():
    assert len(CORPUS_FILES) >= 30


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_parse_email_corpus_smoke(name):
    parsed = _parse(name)

    data = parsed.as_json()
    assert json.loads(json.dumps(data)) == data
    assert data.keys() >= JSON_KEYS
    assert not parsed.body_too_large
    assert parsed.date is None or parsed.date.tzinfo is not None
    assert "\n" not in parsed.subject
    assert "\r" not in parsed.subject
    assert all(attachment.filename for attachment in parsed.attachments)


# --- plain text in our languages ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "language", "phrase"),
    [
        ("plain_nb_invoice.eml", "nb", "Kan dere sjekke hva som har skjedd"),
        ("plain_nn_parcel.eml", "nn", "Eg bestilte ei jakke for to veker sidan"),
        ("plain_da_return.eml", "da", "jeg har endnu ikke fået pengene tilbage"),
        ("plain_sv_double_charge.eml", "sv", "Jag har blivit debiterad två gånger"),
        ("plain_en_app_crash.eml", "en", "Your app crashes every time I open the order history"),
    ],
)
def test_parse_email_plain_text_language(name, language, phrase):
    parsed = _parse(name)

    assert phrase in parsed.text
    assert parsed.language == language
    assert parsed.quoted == ""
    assert parsed.html == ""
    assert parsed.attachments == ()
    assert not parsed.is_auto_reply  # plain_en_app_crash says "Auto-Submitted: no"
    assert not parsed.is_bounce
    assert parsed.bounced_message_id == ""
    assert parsed.thread_hint is None
    assert parsed.control_headers == {}


def test_parse_email_plain_headers_decoded_and_lower_cased():
    parsed = _parse("plain_nb_invoice.eml")

    assert parsed.from_address == "bjorn.haland@example.no"
    assert parsed.from_name == "Bjørn Håland"
    assert parsed.to == ("kundeservice@nordesk.test",)
    assert parsed.cc == ("regnskap@example.no", "lise.berg@example.no")
    assert parsed.reply_to == ("faktura@example.no",)
    assert parsed.subject == "Feil beløp på fakturaen"
    assert parsed.date == datetime(2026, 9, 14, 8, 30, tzinfo=CEST)
    assert parsed.message_id == "<b1a2c3d4.nb@example.no>"
    assert parsed.in_reply_to == ""
    assert parsed.references == ()
    assert _norm(parsed.text).endswith("Med vennlig hilsen\nBjørn Håland")
    assert datetime.fromisoformat(parsed.as_json()["date"]) == parsed.date


def test_parse_email_folded_subject_is_one_line():
    parsed = _parse("plain_en_app_crash.eml")

    assert parsed.subject == "App crashes when I open my order history"
    assert parsed.from_name == "Emma Clarke"
    assert parsed.date == datetime(2026, 9, 18, 15, 20, tzinfo=UTC)


def test_parse_email_short_text_has_no_language():
    parsed = _parse("short_thanks.eml")

    assert _norm(parsed.text) == "Takk!"
    assert parsed.language == ""


# --- replies: the new part and the quoted history ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "new", "quote_header", "history"),
    [
        pytest.param(
            "reply_gmail_en.eml",
            "Hi,\n\nI updated to version 4.2 but the app still crashes when I tap Orders.\n"
            "It is an iPhone 13 with the latest iOS.\n\nEmma",
            "On Thu, 12 Sep 2026 at 10:14, Nordesk <support@nordesk.test> wrote:",
            "Could you try updating the app to version 4.2?",
            id="gmail-en",
        ),
        pytest.param(
            "reply_gmail_nb.eml",
            "Hei,\n\nPakken har fortsatt ikke kommet. Sporingsnummeret virker ikke på Posten "
            "sine sider.\n\nHilsen Kari",
            "Den tors. 12. sep. 2026 kl. 10:14 skrev Nordesk <ks@nordesk.test>:",
            "Pakken din er sendt og skal være fremme innen tre virkedager.",
            id="gmail-nb",
        ),
        pytest.param(
            "reply_gmail_nb_wrapped_attribution.eml",
            "Takk, men kreditnotaen gjelder feil faktura. Den skulle gjelde 2026-114, ikke "
            "2026-113.\n\nKari",
            "Den tors. 12. sep. 2026 kl. 10:14 skrev Nordesk Kundeservice <\n"
            "kundeservice@nordesk.test>:",
            "Vi har nå sendt deg en kreditnota på 11 250 kroner.",
            id="gmail-nb-wrapped",
        ),
        pytest.param(
            "reply_gmail_da.eml",
            "Hej igen,\n\nJeg har stadig ikke fået pengene tilbage. Kan I se på det i dag?\n\n"
            "Mette",
            "Den 12. sep. 2026 kl. 10.14 skrev Nordesk <support@nordesk.test>:",
            "Vi har modtaget dine sko",
            id="gmail-da",
        ),
        pytest.param(
            "reply_gmail_sv.eml",
            "Hej,\n\nPengarna har fortfarande inte kommit tillbaka till mitt konto.\n\n/Anna",
            "Den 12 sep. 2026 kl. 10:14 skrev Nordesk <support@nordesk.test>:",
            "Vi har återbetalat 349 kronor.",
            id="gmail-sv",
        ),
        pytest.param(
            "reply_outlook_nb.eml",
            "Hei,\n\nJeg har fortsatt ikke fått kreditnotaen. Kan dere sende den på nytt?\n\n"
            "Mvh\nOla Nordmann\nRegnskap, Fjord Bygg AS",
            "________________________________\n"
            "Fra: Nordesk Kundeservice <kundeservice@nordesk.test>\n"
            "Sendt: torsdag 12. september 2026 10:14",
            "Vi har sendt kreditnotaen til regnskap@fjordbygg.no.",
            id="outlook-nb",
        ),
        pytest.param(
            "reply_outlook_sv.eml",
            "Hej,\n\nVi ser fortfarande två dragningar på kortet. Kan ni skicka ett kvitto på "
            "återbetalningen?\n\nMed vänlig hälsning\nLars Berg",
            "Från: Nordesk <kundtjanst@nordesk.test>\nSkickat: den 12 september 2026 10:14",
            "Vi har återbetalat det dubbla beloppet.",
            id="outlook-sv",
        ),
        pytest.param(
            "reply_iphone_nb.eml",
            "Hei igjen! Pakken har fortsatt ikke kommet, og sporingen har stått stille siden "
            "mandag.\n\nSendt fra min iPhone",
            "> 12. sep. 2026 kl. 10:14 skrev Nordesk Kundeservice <kundeservice@nordesk.test>:",
            "Pakken din er sendt og skal være fremme innen tre virkedager.",
            id="iphone-nb",
        ),
    ],
)
def test_parse_email_reply_keeps_only_the_new_part(name, new, quote_header, history):
    parsed = _parse(name)

    assert _norm(parsed.text) == new
    assert _norm(parsed.quoted).startswith(quote_header)
    assert history in parsed.quoted
    assert history not in parsed.text


def test_parse_email_reply_headers():
    parsed = _parse("reply_iphone_nb.eml")

    assert parsed.message_id == "<A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF@example.no>"
    assert parsed.in_reply_to == "<nordesk.1201.3@nordesk.test>"
    assert parsed.references == ("<nordesk.1201.3@nordesk.test>",)


# --- HTML -------------------------------------------------------------------------------------


def test_parse_email_alternative_text_comes_from_the_text_part():
    parsed = _parse("alternative_text_html.eml")

    assert _norm(parsed.text) == (
        "Hei, jeg vil bruke angreretten på kjøpet mitt. Hvordan returnerer jeg varen?"
    )
    assert "<b>angreretten</b>" in parsed.html
    assert parsed.as_json()["has_html"] is True
    assert parsed.attachments == ()


def test_parse_email_html_only_text_is_converted_from_html():
    parsed = _parse("html_only_da.eml")

    assert _norm(parsed.text).startswith("Hej,")  # not the <title>: no mail client shows it
    assert "Jeg har modtaget en forkert vare." in parsed.text
    assert "Jeg bestilte en blå jakke, men fik en rød." in parsed.text
    assert "Salg & Service ApS" in parsed.text
    assert "<p>" not in parsed.text
    assert "color: #333" not in parsed.text
    assert parsed.html.lstrip().startswith("<!DOCTYPE html>")
    assert parsed.language == "da"


def test_parse_email_hostile_html_leaves_no_code_in_text():
    parsed = _parse("html_hostile.eml")

    assert "Hei, appen krasjer hver gang jeg åpner ordrehistorikken." in parsed.text
    assert "Klikk her" in parsed.text
    assert "Telefon: iPhone 15, iOS 19." in parsed.text
    for code in ("alert", "xss-", "document.cookie", "expression(", "javascript:", "onerror"):
        assert code not in parsed.text
    # The parser hands the HTML over as received; sanitising is the caller's job.
    assert "<script" in parsed.html
    assert "tracker.example/pixel.gif" in parsed.html


def test_parse_email_script_in_plain_text_is_kept_literally():
    parsed = _parse("text_with_script_tag.eml")

    assert _norm(parsed.text) == (
        "Når jeg skriver <script>alert(1)</script> i navnefeltet får jeg en hvit side."
    )
    assert parsed.html == ""


def test_parse_email_subject_with_html_is_kept_literally():
    parsed = _parse("subject_with_html.eml")

    assert parsed.subject == "<img src=x onerror=alert(1)>"
    assert parsed.as_json()["subject"] == "<img src=x onerror=alert(1)>"


def test_parse_email_display_name_that_looks_like_an_address():
    parsed = _parse("spoofed_display_name.eml")

    assert parsed.from_address == "x@evil.example"
    assert parsed.from_name == "support@yourbank.no"


# --- attachments ------------------------------------------------------------------------------


def test_parse_email_inline_image_and_attachments():
    parsed = _parse("inline_image_and_pdf.eml")

    by_name = _attachments(parsed)
    logo = by_name["logo.png"]
    assert logo.inline
    assert logo.content_id == "logo.3f2a@example.no"
    assert logo.content_type == "image/png"
    assert logo.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(logo.content) == 71
    invoice = by_name["Faktura 2026-114.pdf"]
    assert not invoice.inline
    assert invoice.content_id == ""
    assert invoice.content_type == "application/pdf"
    assert invoice.content.startswith(b"%PDF-1.4")
    assert len(invoice.content) == 142
    (nameless,) = (a for a in parsed.attachments if a.content_type == "image/jpeg")
    assert nameless.filename
    assert not nameless.inline
    assert nameless.content.startswith(b"\xff\xd8")
    assert len(parsed.attachments) == 3
    assert _norm(parsed.text) == "Hei, vedlagt er fakturaen. Logoen vår vises i HTML-versjonen."
    assert "cid:logo.3f2a@example.no" in parsed.html
    sizes = {a["filename"]: (a["size"], a["inline"]) for a in parsed.as_json()["attachments"]}
    assert sizes["logo.png"] == (71, True)
    assert sizes["Faktura 2026-114.pdf"] == (142, False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "attachment_rfc2231_filename.eml",
            {"Faktura æøå.pdf": 142, "Kreditnota nr. 2026-07 for Ærø.pdf": 155},
            id="rfc2231",
        ),
        pytest.param("attachment_rfc2047_filename.eml", {"kvittering æøå.pdf": 142}, id="rfc2047"),
    ],
)
def test_parse_email_attachment_names_decoded(name, expected):
    parsed = _parse(name)

    assert {a.filename: len(a.content) for a in parsed.attachments} == expected
    for attachment in parsed.attachments:
        assert attachment.content_type == "application/pdf"
        assert attachment.content.startswith(b"%PDF-")
        assert not attachment.inline


def test_parse_email_forwarded_message_is_an_attachment():
    parsed = _parse("forwarded_message_rfc822.eml")

    assert _norm(parsed.text) == (
        "Hei, jeg videresender ordrebekreftelsen. Jakken jeg fikk har feil farge."
    )
    (forwarded,) = parsed.attachments
    assert forwarded.content_type == "message/rfc822"
    assert forwarded.filename.startswith("Ordrebekreftelse 55123")
    assert "Rød jakke" in forwarded.filename
    assert forwarded.filename.endswith(".eml")
    assert b"Message-ID: <order.55123@fjellsport.example>" in forwarded.content
    assert b"Takk for bestillingen din!" in forwarded.content


def test_parse_email_winmail_dat_is_an_attachment():
    parsed = _parse("winmail_tnef.eml")

    assert _norm(parsed.text) == "Se vedlagt tilbud."
    (winmail,) = parsed.attachments
    assert winmail.filename == "winmail.dat"
    assert winmail.content_type == "application/ms-tnef"
    assert winmail.content.startswith(b"\x78\x9f\x3e\x22")
    assert len(winmail.content) == 273


# --- charsets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "from_name", "subject", "phrases", "language"),
    [
        pytest.param(
            "charset_iso_8859_1.eml",
            "Bjørg Sæther",
            "Hvor blir pakken av? Ordre 55123 bestilt på nett",
            ["Sporingen sier at den står på terminalen i Ålesund.", "Bjørg Sæther"],
            "nb",
            id="iso-8859-1",
        ),
        pytest.param(
            "charset_windows_1252.eml",
            "Søren Kjærgaard",
            "Trukket to gange – 499 €",
            ["Jeg er blevet trukket 499 € to gange", "som “betalt” to gange", "beløb"],
            "da",
            id="windows-1252",
        ),
        pytest.param(
            "charset_windows_1258.eml",
            "Nguyen Van An",
            "Don hang chua den",
            ["Tôi đã đặt hàng tuần trước nhưng vẫn chưa nhận được."],
            "",
            id="windows-1258",
        ),
        pytest.param(
            "charset_iso_2022_jp.eml",
            "山田太郎",
            "注文した商品が届きません",
            ["先週注文した商品がまだ届いていません。"],
            "",
            id="iso-2022-jp",
        ),
        pytest.param(
            "charset_gb18030.eml",
            "王小明",
            "订单未收到",
            ["我上周订购的商品还没有收到。"],
            "",
            id="gb18030",
        ),
    ],
)
def test_parse_email_charset_decoded(name, from_name, subject, phrases, language):
    parsed = _parse(name)

    text = unicodedata.normalize("NFC", parsed.text)  # Windows-1258 sends combining marks
    for phrase in phrases:
        assert phrase in text
    assert "\ufffd" not in text
    assert parsed.from_name == from_name
    assert parsed.subject == subject
    assert parsed.language == language


@pytest.mark.parametrize(
    ("name", "ascii_phrase", "word"),
    [
        pytest.param(
            "charset_unknown.eml", "feil vare i pakka", "blåbærsyltetøy", id="unknown-charset"
        ),
        pytest.param(
            "charset_mislabelled_ascii.eml",
            "Jag har blivit dubbeldebiterad f",
            "beställning",
            id="us-ascii-but-utf-8",
        ),
        pytest.param(
            "charset_undeclared_8bit.eml",
            "Fakturaen har feil bel",
            "Ødegård",
            id="undeclared-8-bit",
        ),
        pytest.param("charset_doubled.eml", "har ikke f", "fået pengene", id="doubled-charset"),
    ],
)
def test_parse_email_wrong_charset_still_readable(name, ascii_phrase, word):
    parsed = _parse(name)

    assert ascii_phrase in parsed.text
    # Right, or visibly replaced: never silently garbled ("Ã¥" for "å").
    assert word in parsed.text or "\ufffd" in parsed.text
    assert "Ã" not in parsed.text


def test_parse_email_uuencoded_body_is_decoded():
    parsed = _parse("uuencode_body.eml")

    assert _norm(parsed.text) == (
        "Hej! Paketet har inte kommit fram. Kan ni kolla spårningen åt mig?"
    )


# --- broken encodings and headers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "phrases"),
    [
        pytest.param(
            "broken_base64.eml",
            ["Hei, fakturaen min er feil. Jeg har betalt for mye"],
            id="base64",
        ),
        pytest.param(
            "broken_quoted_printable.eml",
            [
                "Hei, jeg vil returnere skoene. De er for små og",
                "Returlappen mangler i pakken",
                "Kan dere sende en ny returlapp?",
            ],
            id="quoted-printable",
        ),
    ],
)
def test_parse_email_broken_transfer_encoding_still_readable(name, phrases):
    parsed = _parse(name)

    for phrase in phrases:
        assert phrase in parsed.text


def test_parse_email_missing_from_date_and_message_id():
    parsed = _parse("missing_from_date_message_id.eml")

    assert parsed.from_address == ""
    assert parsed.from_name == ""
    assert parsed.date is None
    assert parsed.message_id == ""
    assert parsed.subject == "Hjelp med bestilling"
    assert "Jeg får ikke fullført bestillingen i nettbutikken." in parsed.text
    assert parsed.as_json()["date"] is None


def test_parse_email_invalid_date_is_none():
    parsed = _parse("invalid_date.eml")

    assert parsed.date is None
    assert parsed.from_address == "per@example.no"
    assert parsed.message_id == "<baddate.1@example.no>"
    assert "Jeg har ventet i over en uke nå." in parsed.text


def test_parse_email_header_line_without_colon():
    parsed = _parse("header_line_without_colon.eml")

    assert parsed.from_address == "emma.clarke@example.co.uk"
    assert parsed.subject.startswith("Question about invoice 2026-114 and the credit note for")
    assert "Hello, I returned the item on 2 September" in parsed.text


def test_parse_email_badly_folded_header_keeps_later_headers():
    """The stray line is a lost fold of Subject:; the header block goes on after it, so Date
    and Message-ID (threading) are still the message's, and no header lands in the text."""
    parsed = _parse("header_line_without_colon.eml")

    assert parsed.message_id == "<nocolon.1@example.co.uk>"
    assert parsed.date == datetime(2026, 9, 18, 8, 0, tzinfo=UTC)
    assert _norm(parsed.text) == (
        "Hello, I returned the item on 2 September but the credit note still shows the full amount."
    )


@pytest.mark.parametrize("sender", ["Kari Nordmann", "<>", "kari at example dot no"])
def test_parse_email_invalid_from_is_empty(sender):
    raw = _headers("text/plain; charset=utf-8").replace(
        b"From: Mallory <mallory@example.net>", f"From: {sender}".encode()
    )

    parsed = parse_email(raw + b"Hei, fakturaen er feil.\r\n", max_bytes=MAX_BYTES)

    assert parsed.from_address == ""
    assert "fakturaen er feil" in parsed.text


# --- automatic mail ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "autoreply_auto_submitted.eml",
        "autoreply_x_autoreply.eml",
        "autoreply_outlook_suppress.eml",
        "newsletter_precedence_bulk.eml",
        "mailing_list_list_id.eml",
    ],
)
def test_parse_email_auto_reply_detected(name):
    parsed = _parse(name)

    assert parsed.is_auto_reply
    assert not parsed.is_bounce
    assert parsed.bounced_message_id == ""
    assert parsed.text  # still readable


def test_parse_email_auto_reply_keeps_thread_hint_and_subject():
    parsed = _parse("autoreply_auto_submitted.eml")

    assert parsed.subject == "Fraværende: [#1187] Svar på henvendelsen din"
    assert parsed.thread_hint == 1187
    assert parsed.in_reply_to == "<nordesk.1187.42@nordesk.test>"


def test_parse_email_outlook_auto_reply_subject():
    parsed = _parse("autoreply_outlook_suppress.eml")

    assert parsed.subject == "Automatisk svar: Faktura 2026-114"
    assert _norm(parsed.text) == "Hei, jeg er på kurs og tilbake mandag 21. september. Mvh Ola"


@pytest.mark.parametrize(
    ("name", "sender", "bounced"),
    [
        pytest.param(
            "bounce_dsn_rfc822_headers.eml",
            "mailer-daemon@mx1.example.no",
            "<nordesk.1187.42@nordesk.test>",
            id="rfc822-headers",
        ),
        pytest.param(
            "bounce_dsn_full_message.eml",
            "postmaster@fjordbygg.no",
            "<nordesk.1190.9@nordesk.test>",
            id="full-message",
        ),
    ],
)
def test_parse_email_bounce(name, sender, bounced):
    parsed = _parse(name)

    assert parsed.is_bounce
    assert parsed.is_auto_reply
    assert parsed.bounced_message_id == bounced
    assert parsed.from_address == sender
    assert parsed.as_json()["is_bounce"] is True


# --- threading and control headers ------------------------------------------------------------


def test_parse_email_thread_hint_and_references():
    parsed = _parse("reply_thread_hint.eml")

    assert parsed.subject == "SV: [#1234] Feil på fakturaen"
    assert parsed.thread_hint == 1234
    assert parsed.in_reply_to == "<nordesk.1234.7@nordesk.test>"
    assert parsed.references == (
        "<CAOla.first@mail.gmail.com>",
        "<nordesk.1234.5@nordesk.test>",
        "<nordesk.1234.7@nordesk.test>",
    )
    assert parsed.as_json()["references"] == list(parsed.references)
    assert not parsed.is_auto_reply


def test_parse_email_control_headers():
    parsed = _parse("control_header_priority.eml")

    assert parsed.control_headers == {"x-nordesk-priority": "urgent"}
    assert "Betalingsløsningen svarer ikke." in parsed.text


# --- generated hostile messages ---------------------------------------------------------------


def _headers(content_type: str, subject: str = "Test") -> bytes:
    return (
        "From: Mallory <mallory@example.net>\r\n"
        "To: support@nordesk.test\r\n"
        f"Subject: {subject}\r\n"
        "Date: Mon, 14 Sep 2026 08:30:00 +0200\r\n"
        "Message-ID: <generated.1@example.net>\r\n"
        "MIME-Version: 1.0\r\n"
        f"Content-Type: {content_type}\r\n"
        "\r\n"
    ).encode()


def _many_parts(count: int) -> bytes:
    parts = [
        f"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDel {i}\r\n".encode()
        for i in range(count)
    ]
    return _headers('multipart/mixed; boundary="b"') + b"".join(parts) + b"--b--\r\n"


def _nested(depth: int) -> bytes:
    body = b"Content-Type: text/plain\r\n\r\nInnerst inne.\r\n"
    for level in range(depth, 0, -1):
        body = (
            f'Content-Type: multipart/mixed; boundary="n{level}"\r\n\r\n--n{level}\r\n'.encode()
            + body
            + f"--n{level}--\r\n".encode()
        )
    return _headers('multipart/mixed; boundary="n0"') + b"--n0\r\n" + body + b"--n0--\r\n"


def test_parse_email_too_many_parts_rejected():
    with pytest.raises(EmailRejected):
        parse_email(_many_parts(2000), max_bytes=MAX_BYTES)


def test_parse_email_too_deep_nesting_rejected():
    with pytest.raises(EmailRejected):
        parse_email(_nested(50), max_bytes=MAX_BYTES)


def test_parse_email_ordinary_structure_within_caps():
    many = parse_email(_many_parts(100), max_bytes=MAX_BYTES)
    nested = parse_email(_nested(5), max_bytes=MAX_BYTES)

    assert "Del 0" in many.text
    assert "Del 99" in many.text
    assert "Innerst inne." in nested.text


def _many_links() -> bytes:
    links = "".join(
        f'<p><a href="https://shop.example/ordre/{i}?utm_source=x">Ordre {i}</a></p>\n'
        for i in range(5000)
    )
    return _headers("text/html; charset=utf-8") + f"<html><body>{links}</body></html>".encode()


def _long_url_text() -> bytes:
    url = "https://shop.example/retur?token=" + "a" * 1_000_000
    return _headers("text/plain; charset=utf-8") + f"Se lenken: {url}\r\nTakk.\r\n".encode()


def _long_url_html() -> bytes:
    url = "https://shop.example/retur?token=" + "b" * 1_000_000
    return _headers("text/html; charset=utf-8") + f'<p><a href="{url}">Returlenke</a></p>'.encode()


@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        pytest.param(_many_links, "Ordre 4999", id="html-5000-links"),
        pytest.param(_long_url_text, "Se lenken: https://shop.example/retur", id="text-1mb-url"),
        pytest.param(_long_url_html, "Returlenke", id="html-1mb-url"),
    ],
)
def test_parse_email_pathological_body_is_fast(make, phrase):
    raw = make()

    started = time.perf_counter()
    parsed = parse_email(raw, max_bytes=MAX_BYTES)
    elapsed = time.perf_counter() - started

    assert elapsed < 2.0
    assert phrase in parsed.text


def test_parse_email_over_max_bytes_keeps_headers_only():
    body = ("Dette er en veldig lang melding om en faktura. " * 5000).encode()
    raw = _headers("text/plain; charset=utf-8", subject="Stor melding") + body

    parsed = parse_email(raw, max_bytes=100_000)

    assert parsed.body_too_large
    assert parsed.text == ""
    assert parsed.html == ""
    assert parsed.attachments == ()
    assert parsed.from_address == "mallory@example.net"
    assert parsed.subject == "Stor melding"
    assert parsed.message_id == "<generated.1@example.net>"
    assert parsed.date == datetime(2026, 9, 14, 8, 30, tzinfo=CEST)
    assert not parse_email(raw, max_bytes=len(raw)).body_too_large


def test_parse_email_over_the_time_budget_is_rejected(monkeypatch):
    # given: a budget already spent when the first part is looked at
    monkeypatch.setattr("nordesk.connectors.email.parse.TIME_BUDGET_SECONDS", -1.0)

    # then: the message is refused (and will be quarantined), not parsed on and on
    with pytest.raises(EmailRejected, match="longer than"):
        parse_email(b"From: a@example.no\r\nSubject: x\r\n\r\nHei\r\n")
