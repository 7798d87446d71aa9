import time
from typing import Any

import pytest

from nordesk.connectors.email.quotes import quoted_split

NEW_EN = "Hi,\n\nThe invoice still shows the wrong amount.\n\nBest regards,\nKari"
NEW_NB = "Hei!\n\nFakturaen viser fortsatt feil beløp.\n\nMvh\nKari Nordmann"
NEW_NN = "Hei!\n\nFakturaen viser framleis feil beløp.\n\nHelsing\nKari"
NEW_DA = "Hej,\n\nFakturaen viser stadig det forkerte beløb.\n\nVenlig hilsen\nMette Hansen"
NEW_SV = "Hej!\n\nFakturan visar fortfarande fel belopp.\n\nMed vänlig hälsning\nAnna Svensson"
NEW_FI = "Hei,\n\nLasku näyttää edelleen väärää summaa.\n\nTerveisin\nAino Virtanen"

QUOTE_EN = "> Thank you for contacting us.\n> Could you send us the invoice number?\n>\n> Nordesk"
QUOTE_NB = "> Takk for henvendelsen.\n> Kan du sende oss fakturanummeret?\n>\n> Nordesk"
QUOTE_DA = "> Tak for din henvendelse.\n> Kan du sende os fakturanummeret?"
QUOTE_SV = "> Tack för att du kontaktade oss.\n> Kan du skicka fakturanumret?"
QUOTE_FI = "> Kiitos yhteydenotostasi.\n> Voisitko lähettää laskun numeron?"
HISTORY_EN = "Thank you for contacting us.\nCould you send us the invoice number?"
HISTORY_NB = "Takk for henvendelsen.\nKan du sende oss fakturanummeret?"


def _case(new: str, header: str, history: str, case_id: str) -> Any:
    return pytest.param(f"{new}\n\n{header}\n{history}\n", new, header, id=case_id)


ENGLISH = [
    _case(
        NEW_EN,
        "On Thu, 12 Sep 2026 at 10:14, Kari Nordmann <kari@example.no> wrote:",
        QUOTE_EN,
        "gmail",
    ),
    _case(
        NEW_EN,
        "On Thu, 12 Sep 2026 at 10:14, Kari Nordmann <kari@example.no>\nwrote:",
        QUOTE_EN,
        "gmail-wrapped",
    ),
    _case(
        NEW_EN,
        "On Thu, 12 Sep 2026 at 10:14, Kari Nordmann from Nordesk Support <\n"
        "support@example.no> wrote:",
        QUOTE_EN,
        "gmail-wrapped-in-address",
    ),
    _case(
        NEW_EN,
        "On Thu, Sep 12, 2026 at 10:14 AM Kari Nordmann <kari@example.no> wrote:",
        QUOTE_EN,
        "gmail-us",
    ),
    _case(NEW_EN, "On 12 Sep 2026, at 10:14, Kari <kari@x.no> wrote:\n", QUOTE_EN, "apple-mail"),
    _case(NEW_EN, "On 12/09/2026 10:14, Kari Nordmann wrote:", QUOTE_EN, "thunderbird"),
    _case(
        NEW_EN,
        "-----Original Message-----\nFrom: Nordesk Support <support@example.no>\n"
        "Sent: Thursday, September 12, 2026 10:14 AM",
        HISTORY_EN,
        "original-message",
    ),
    _case(
        NEW_EN,
        "From: Nordesk Support <support@example.no>\nSent: Thursday, September 12, 2026 10:14 AM\n"
        "To: Kari Nordmann <kari@example.no>\nSubject: Re: Wrong invoice [#1042]\n",
        HISTORY_EN,
        "outlook",
    ),
    _case(
        NEW_EN,
        "________________________________\nFrom: Nordesk Support <support@example.no>\n"
        "Sent: 12 September 2026 10:14\nTo: Kari Nordmann <kari@example.no>\n"
        "Cc: billing@example.no\nSubject: Re: Wrong invoice [#1042]\n",
        HISTORY_EN,
        "outlook-with-rule",
    ),
    _case(
        NEW_EN,
        "*From:* Nordesk Support\n*Sent:* Thursday, September 12, 2026 10:14 AM\n"
        "*To:* Kari Nordmann\n*Subject:* Re: Wrong invoice [#1042]\n",
        HISTORY_EN,
        "outlook-from-html-without-addresses",
    ),
]

NORWEGIAN = [
    _case(
        NEW_NB,
        "Den tors. 12. sep. 2026 kl. 10:14 skrev Kari Nordmann <kari@example.no>:",
        QUOTE_NB,
        "gmail",
    ),
    _case(
        NEW_NB,
        "Den tors. 12. sep. 2026 kl. 10:14 skrev Nordesk kundeservice <\nsupport@example.no>:",
        QUOTE_NB,
        "gmail-wrapped",
    ),
    _case(NEW_NB, "tor. 12. sep. 2026 kl. 10:14 skrev Kari <kari@x.no>:", QUOTE_NB, "gmail-mobile"),
    _case(NEW_NB, "12. sep. 2026 kl. 10:14 skrev Kari <kari@x.no>:\n", QUOTE_NB, "apple-mail"),
    _case(NEW_NN, "12. sep. 2026 kl. 10:14 skreiv Kari:", QUOTE_NB, "nynorsk"),
    _case(NEW_NB, "Den 12.09.2026 10:14, skrev Kari Nordmann:", QUOTE_NB, "thunderbird"),
    _case(
        NEW_NB,
        "Fra: Nordesk kundeservice <support@example.no>\nSendt: torsdag 12. september 2026 10:14\n"
        "Til: Kari Nordmann <kari@example.no>\nEmne: SV: Feil på faktura [#1042]\n",
        HISTORY_NB,
        "outlook",
    ),
    _case(
        NEW_NB,
        "________________________________\nFra: Nordesk kundeservice <support@example.no>\n"
        "Sendt: torsdag 12. september 2026 10:14\nTil: Kari Nordmann <kari@example.no>\n"
        "Emne: SV: Feil på faktura [#1042]\n",
        HISTORY_NB,
        "outlook-with-rule",
    ),
    _case(
        NEW_NB,
        "-----Opprinnelig melding-----\nFra: Nordesk kundeservice <support@example.no>",
        HISTORY_NB,
        "original-message",
    ),
]

DANISH = [
    _case(
        NEW_DA,
        "Den 12. sep. 2026 kl. 10.14 skrev Mette Hansen <mette@example.dk>:",
        QUOTE_DA,
        "apple-mail",
    ),
    _case(
        NEW_DA,
        "tor. 12. sep. 2026 kl. 10.14 skrev Nordesk kundeservice <support@example.dk>:",
        QUOTE_DA,
        "gmail",
    ),
    _case(
        NEW_DA,
        "Fra: Nordesk kundeservice <support@example.dk>\nSendt: 12. september 2026 10:14\n"
        "Til: Mette Hansen <mette@example.dk>\nEmne: SV: Forkert faktura [#1042]\n",
        "Tak for din henvendelse.",
        "outlook",
    ),
    _case(
        NEW_DA,
        "-----Oprindelig meddelelse-----\nFra: Nordesk kundeservice <support@example.dk>",
        "Tak for din henvendelse.",
        "original-message",
    ),
]

SWEDISH = [
    _case(
        NEW_SV,
        "Den 12 sep. 2026 kl. 10:14 skrev Anna Svensson <anna@example.se>:",
        QUOTE_SV,
        "apple-mail",
    ),
    _case(
        NEW_SV,
        "tors 12 sep. 2026 kl. 10:14 skrev Nordesk kundtjänst <support@example.se>:",
        QUOTE_SV,
        "gmail",
    ),
    _case(
        NEW_SV,
        "Från: Nordesk kundtjänst <support@example.se>\nSkickat: den 12 september 2026 10:14\n"
        "Till: Anna Svensson <anna@example.se>\nÄmne: SV: Fel på fakturan [#1042]\n",
        "Tack för att du kontaktade oss.",
        "outlook",
    ),
    _case(
        NEW_SV,
        "-----Ursprungligt meddelande-----\nFrån: Nordesk kundtjänst <support@example.se>",
        "Tack för att du kontaktade oss.",
        "original-message",
    ),
]

FINNISH = [
    _case(
        NEW_FI,
        "to 12.9.2026 klo 10.14 Nordesk asiakaspalvelu (support@example.fi) kirjoitti:",
        QUOTE_FI,
        "gmail",
    ),
    _case(
        NEW_FI,
        "Lähettäjä: Nordesk asiakaspalvelu <support@example.fi>\n"
        "Lähetetty: torstai 12. syyskuuta 2026 10.14\nVastaanottaja: Aino Virtanen\n"
        "Aihe: VS: Virheellinen lasku [#1042]\n",
        "Kiitos yhteydenotostasi.",
        "outlook",
    ),
]

FORWARDED = [
    _case(
        "Hi, see the complaint below.",
        "---------- Forwarded message ---------\nFrom: Ola Normann <ola@example.no>\n"
        "Date: Thu, 12 Sep 2026 at 10:14\nSubject: Broken delivery\nTo: <kari@example.no>\n",
        "The parcel arrived damaged.",
        "gmail-english",
    ),
    _case(
        "Hei, se klagen under.",
        "---------- Videresendt melding ---------\nFra: Ola Normann <ola@example.no>\n"
        "Date: tor. 12. sep. 2026 kl. 10:14\nSubject: Ødelagt levering\nTo: <kari@example.no>\n",
        "Pakken kom frem ødelagt.",
        "gmail-norwegian",
    ),
    _case(
        "Hej, se klagen nedan.",
        "Vidarebefordrat mejl:\n\nFrån: Olle Svensson <olle@example.se>\n"
        "Datum: 12 september 2026 10:14:05 CEST\nTill: anna@example.se\nÄmne: Trasig leverans\n",
        "Paketet kom fram trasigt.",
        "apple-swedish",
    ),
    _case(
        "Hej, se klagen herunder.",
        "Videresendt besked:\n\nFra: Ole Jensen <ole@example.dk>\n"
        "Dato: 12. september 2026 kl. 10.14.05 CEST\nTil: mette@example.dk\n"
        "Emne: Ødelagt levering\n",
        "Pakken ankom ødelagt.",
        "apple-danish",
    ),
    _case(
        "Hi, see below.",
        "Begin forwarded message:\n\nFrom: Ola Normann <ola@example.no>\n"
        "Subject: Broken delivery\nDate: 12 September 2026 at 10:14:05 CEST\n"
        "To: kari@example.no\n",
        "The parcel arrived damaged.",
        "apple-english",
    ),
    _case(
        "Se under.",
        "-------- Forwarded Message --------\nSubject: Broken delivery\n"
        "Date: Thu, 12 Sep 2026 10:14:05 +0200\nFrom: Ola Normann <ola@example.no>\n",
        "The parcel arrived damaged.",
        "thunderbird",
    ),
]

QUOTED_BLOCKS = [
    pytest.param(f"{NEW_EN}\n\n{QUOTE_EN}", NEW_EN, "> Thank you", id="without-header"),
    pytest.param(
        f"{NEW_EN}\n\nKari Nordmann <kari@example.no> wrote:\n{QUOTE_EN}",
        NEW_EN,
        "Kari Nordmann <kari@example.no> wrote:",
        id="bare-wrote",
    ),
    pytest.param(
        f"{NEW_NB}\n\nKari Nordmann skrev:\n{QUOTE_NB}",
        NEW_NB,
        "Kari Nordmann skrev:",
        id="bare-skrev",
    ),
    pytest.param(
        f"{NEW_EN}\n\nSent from my iPhone\n\n"
        "> On 12 Sep 2026, at 10:14, Kari <kari@x.no> wrote:\n>\n" + QUOTE_EN,
        f"{NEW_EN}\n\nSent from my iPhone",
        "> On 12 Sep 2026, at 10:14, Kari <kari@x.no> wrote:",
        id="ios-quoted-header",
    ),
    pytest.param(
        f"{NEW_EN}\n\n{QUOTE_EN}\n>\n> On Wed, 11 Sep 2026 at 09:00, Kari <kari@x.no> wrote:\n"
        ">> The invoice is wrong.\n\n",
        NEW_EN,
        "> Thank you",
        id="nested",
    ),
    pytest.param(
        "> Thank you for contacting us.\n> Could you send the invoice number?",
        "",
        "> Thank you",
        id="only-quote",
    ),
]

INTERLEAVED_ANSWERS = (
    "Answers below.\n\n"
    "On Thu, 12 Sep 2026 at 10:14, Nordesk Support <support@example.no> wrote:\n"
    "> 1. What is the invoice number?\n\n"
    "It is 2026-1042.\n\n"
    "> 2. When did you receive it?\n\n"
    "Last Tuesday.\n\n"
    "Kari"
)
INTERLEAVED = [
    pytest.param(INTERLEAVED_ANSWERS, INTERLEAVED_ANSWERS, "", id="answers-to-the-end"),
    pytest.param(
        INTERLEAVED_ANSWERS + "\n\n> Best regards,\n> Nordesk Support\n",
        INTERLEAVED_ANSWERS,
        "> Best regards,",
        id="trailing-quote",
    ),
    pytest.param(
        "As your manual says:\n> Restart the router before calling.\nI did, twice.\n\nKari",
        "As your manual says:\n> Restart the router before calling.\nI did, twice.\n\nKari",
        "",
        id="quote-in-prose",
    ),
]

ORDINARY = [
    "I wrote to you on Monday:\nthe invoice is still wrong.",
    "Jeg skrev til dere 12.09.2026 kl. 10:14:\nfakturaen er fortsatt feil.",
    "Reisen min gikk\nFra: Oslo til Bergen\nmen billetten ble aldri sendt.",
    "Bestilling:\nFra: Oslo\nTil: Bergen\nDato: 12.09.2026\nPris: 899 kr",
    "From what I can see\nthe date is wrong,\nSent to the wrong address\nTo be honest I give up.",
    "Rabattkoden var\n-- original price --\nog ikke den nye.",
    "Hei, jeg skrev:\nfakturaen er feil.",
    "Please change my address\nFrom: Storgata 1, Oslo\nTo: Bryggen 2, Bergen\nThanks!",
    "On Monday, I wrote:\nplease cancel.",
    "On 12 Sep 2026 at 10:14 I wrote:\nplease cancel the order.",
    "Den 12.09.2026 kl. 10:14 skrev jeg til dere:\nfakturaen er feil.",
]


@pytest.mark.parametrize(("body", "new", "header"), ENGLISH)
def test_quoted_split_english(body: str, new: str, header: str) -> None:
    _assert_split(body, new, header)


@pytest.mark.parametrize(("body", "new", "header"), NORWEGIAN)
def test_quoted_split_norwegian(body: str, new: str, header: str) -> None:
    _assert_split(body, new, header)


@pytest.mark.parametrize(("body", "new", "header"), DANISH)
def test_quoted_split_danish(body: str, new: str, header: str) -> None:
    _assert_split(body, new, header)


@pytest.mark.parametrize(("body", "new", "header"), SWEDISH)
def test_quoted_split_swedish(body: str, new: str, header: str) -> None:
    _assert_split(body, new, header)


@pytest.mark.parametrize(("body", "new", "header"), FINNISH)
def test_quoted_split_finnish(body: str, new: str, header: str) -> None:
    _assert_split(body, new, header)


@pytest.mark.parametrize(("body", "new", "header"), FORWARDED)
def test_quoted_split_forwarded(body: str, new: str, header: str) -> None:
    _assert_split(body, new, header)


@pytest.mark.parametrize(("body", "new", "header"), QUOTED_BLOCKS)
def test_quoted_split_quoted_block(body: str, new: str, header: str) -> None:
    _assert_split(body, new, header)


@pytest.mark.parametrize(("body", "new", "header"), INTERLEAVED)
def test_quoted_split_interleaved_keeps_the_answers(body: str, new: str, header: str) -> None:
    _assert_split(body, new, header)


@pytest.mark.parametrize("body", ORDINARY)
def test_quoted_split_leaves_ordinary_text_alone(body: str) -> None:
    assert quoted_split(f"\n{body}\n\n") == (body, "")


def test_quoted_split_history_without_quote_marks() -> None:
    # An HTML reply turned into text loses its blockquote, so no line starts with '>'.
    header = "Den tors. 12. sep. 2026 kl. 10:14 skrev Nordesk <support@example.no>:"
    assert quoted_split(f"{NEW_NB}\n\n{header}\n{HISTORY_NB}") == (
        NEW_NB,
        f"{header}\n{HISTORY_NB}",
    )


def test_quoted_split_header_at_the_very_end() -> None:
    header = "On Thu, 12 Sep 2026 at 10:14, Kari <kari@x.no> wrote:"
    assert quoted_split(f"{NEW_EN}\n\n{header}\n") == (NEW_EN, header)


def test_quoted_split_first_header_wins() -> None:
    body = (
        f"{NEW_NB}\n\nFra: Nordesk <support@example.no>\nSendt: 12. september 2026 10:14\n"
        "Til: Kari <kari@example.no>\nEmne: SV: Faktura\n\nHei Kari,\n\n"
        "Den 11.09.2026 09:00, skrev Kari:\n> Fakturaen er feil."
    )
    new, quoted = quoted_split(body)
    assert new == NEW_NB
    assert quoted.startswith("Fra: Nordesk")
    assert quoted.endswith("> Fakturaen er feil.")


def test_quoted_split_normalises_newlines() -> None:
    header = "On Thu, 12 Sep 2026 at 10:14, Kari <kari@x.no> wrote:"
    body = f"{NEW_EN}\n\n{header}\n{QUOTE_EN}".replace("\n", "\r\n")
    assert quoted_split(body) == (NEW_EN, f"{header}\n{QUOTE_EN}")
    assert quoted_split("Hei\r\n\r\nKari\r\n") == ("Hei\n\nKari", "")


@pytest.mark.parametrize("body", ["", "  \n\n ", "Hei"])
def test_quoted_split_trivial_bodies(body: str) -> None:
    assert quoted_split(body) == (body.strip(), "")


@pytest.mark.parametrize(
    "body",
    [
        p.values[0]
        for p in ENGLISH
        + NORWEGIAN
        + DANISH
        + SWEDISH
        + FINNISH
        + FORWARDED
        + QUOTED_BLOCKS
        + INTERLEAVED
    ],
)
def test_quoted_split_loses_no_line(body: str) -> None:
    new, quoted = quoted_split(body)
    assert _non_blank_lines(new) + _non_blank_lines(quoted) == _non_blank_lines(body)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("x" * 1_000_000, id="one-long-line"),
        pytest.param(
            "\n".join(f"https://example.no/faktura/{n}?ref=abc{n}:" for n in range(5_000)),
            id="5000-links",
        ),
        pytest.param(
            ("On 1 " * 198 + "skrev:\n") * 2_000 + "> x\n" * 2_000, id="near-miss-headers"
        ),
        pytest.param(
            "From: a\n" * 5_000 + ("Sent: 12:00 2026 " + "1" * 900 + "\n") * 5_000,
            id="header-fields",
        ),
    ],
)
def test_quoted_split_is_fast(body: str) -> None:
    started = time.perf_counter()
    quoted_split(body)
    assert time.perf_counter() - started < 1


def _assert_split(body: str, new: str, header: str) -> None:
    got_new, got_quoted = quoted_split(body)
    assert got_new == new
    assert got_quoted.startswith(header)
    if header:
        assert got_quoted.splitlines()[-1] == body.strip().splitlines()[-1]


def _non_blank_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
