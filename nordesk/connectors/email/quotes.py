"""Split a plain-text email reply into what the sender wrote and the quoted history."""

import re

# Header patterns only run on lines up to this long, so a huge body cannot make matching slow.
_MAX_HEADER_LINE = 1000
# How many lines after From:/Fra:/Från: may hold the rest of an Outlook header block.
_HEADER_BLOCK_LINES = 8

# Attribution lines ("On … wrote:", "Den … skrev …:") begin with up to three of these words
# (prefixes of weekdays and English months: "Thu,", "tors.", "Sep") before the first digit.
_WEEKDAYS_AND_MONTHS = (
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"),
    ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"),
    ("january", "february", "march", "april", "may", "june", "july", "august"),
    ("september", "october", "november", "december"),
)
_DATE_WORDS = {"on", "den"} | {
    name[:length]
    for names in _WEEKDAYS_AND_MONTHS
    for name in names
    for length in range(2, len(name) + 1)
}
_VERBS_LAST = {"wrote", "kirjoitti", "skrev", "skreiv"}  # "… Kari wrote:", "Kari skrev:"
_VERBS_FIRST = {"skrev", "skreiv"}  # "… skrev Kari <kari@example.no>:"
# "On 12 Sep 2026 at 10:14 I wrote:" and "Den 12.09.2026 kl. 10:14 skrev jeg til dere:" are the
# customer talking, not a mail client.
_PRONOUNS = {
    "i", "we", "you", "he", "she", "they",
    "jeg", "eg", "vi", "me", "du", "dere", "de", "han", "hun", "ho", "jag", "ni", "hon",
}  # fmt: skip
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_DATE = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")

_SEPARATOR = re.compile(
    r"[-_\s]*(?:"
    r"original message|opprinnelig melding|oprindelig meddelelse|ursprungligt meddelande"
    r"|alkuperäinen viesti"
    r"|(?:begin )?forwarded message|videresendt (?:melding|besked|meddelelse|e-post)"
    r"|start på videresendt melding|vidarebefordrat (?:mejl|meddelande)|välitetty viesti"
    r")[-\s:]*",
    re.IGNORECASE,
)
_RULE = re.compile(r"_{10,}")

# Outlook ("From:/Sent:/To:/Subject:") and forwarded-message header fields, per language.
_HEADER_FIELD = re.compile(r"\*{0,2}([^\W\d_]{2,15})\*{0,2}:")
_FIELD_ROLES = {
    **dict.fromkeys(("from", "fra", "från", "lähettäjä"), "from"),
    **dict.fromkeys(
        ("sent", "date", "sendt", "dato", "skickat", "datum", "lähetetty", "päivämäärä"), "sent"
    ),
    **dict.fromkeys(("to", "til", "till", "vastaanottaja"), "to"),
    **dict.fromkeys(("subject", "emne", "ämne", "aihe"), "subject"),
}


def quoted_split(text: str) -> tuple[str, str]:
    """(new part, quoted history) of a plain-text email body.

    `new` is what the sender wrote, right-stripped; `quoted` runs from the quote header line (or
    the first quoted line) to the end, stripped. Without a quote: `(text.strip(), "")`.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _history_start(lines)
    if start is None:
        return "\n".join(lines).strip(), ""
    return "\n".join(lines[:start]).rstrip(), "\n".join(lines[start:]).strip()


def _history_start(lines: list[str]) -> int | None:
    last_quoted = last_unquoted = -1
    for i, line in enumerate(lines):
        if _is_quoted(line):
            last_quoted = i
        elif line.strip():
            last_unquoted = i

    trailing = _trailing_block_start(lines, last_unquoted)
    for i in range(len(lines) if trailing is None else trailing):
        line = lines[i]
        if _is_quoted(line) or not line.strip() or len(line) > _MAX_HEADER_LINE:
            continue
        if _SEPARATOR.fullmatch(line):
            return i
        if _is_header_block(lines, i):
            return _rule_above(lines, i)
        end = _attribution_end(lines, i)
        # After a real attribution comes only quoted text (or only unquoted text, when the
        # client does not prefix '>'); a mix means the sender answered between the quotes.
        if end is not None and not (last_quoted > end and last_unquoted > end):
            return i
    return trailing


def _trailing_block_start(lines: list[str], last_unquoted: int) -> int | None:
    """Start of the '>' lines that end the message, including the attribution above them."""
    first = last_unquoted + 1
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first == len(lines):
        return None
    if last_unquoted < 0:
        return first
    if last_unquoted > 0 and _attribution_end(lines, last_unquoted - 1) == last_unquoted:
        return last_unquoted - 1
    # Right above the quote, a bare "Kari Nordmann <kari@example.no> wrote:" will do.
    return last_unquoted if _writer(lines[last_unquoted]) else first


def _attribution_end(lines: list[str], i: int) -> int | None:
    """Last line of an attribution starting at line i: i itself, or i + 1 when it is wrapped."""
    if _is_attribution(lines[i]):
        return i
    if i + 1 == len(lines):
        return None
    first, second = lines[i].strip(), lines[i + 1].strip()
    if not first or not second.endswith(":") or _is_quoted(second) or _is_attribution(second):
        return None
    if len(first) > _MAX_HEADER_LINE or not (_TIME.search(first) and _DATE.search(first)):
        return None
    return i + 1 if _is_attribution(f"{first} {second}") else None


def _is_attribution(line: str) -> bool:
    writer = _writer(line)
    return (
        bool(writer)
        and _starts_with_date(line)
        and bool(_TIME.search(line))
        and bool(_DATE.search(line))
    )


def _writer(line: str) -> str | None:
    """The word next to the verb of a line ending like an attribution ("… Kari wrote:",
    "… skrev Kari <kari@x.no>:"), or None; "" when it names nobody or only a pronoun."""
    line = line.strip()
    if not line.endswith(":") or len(line) > _MAX_HEADER_LINE:
        return None
    body = line[:-1]
    words = body[body.rfind(":") + 1 :].split()  # the time's colon is the last one before
    if words and words[-1].lower() in _VERBS_LAST:
        writer = words[-2] if len(words) > 1 else ""
    else:
        verbs = [k for k, word in enumerate(words[:-1]) if word.lower() in _VERBS_FIRST]
        if not verbs:
            return None
        writer = words[verbs[-1] + 1]
    return "" if writer.lower().strip(",") in _PRONOUNS else writer


def _starts_with_date(line: str) -> bool:
    for word in line.split(maxsplit=4)[:4]:
        if word[0].isdigit():
            return True
        if word.rstrip(".,").lower() not in _DATE_WORDS:
            return False
    return False


def _is_header_block(lines: list[str], i: int) -> bool:
    """From:, then Sent:/Date: and To: within a few lines, and a Subject: or an address.

    The subject-or-address rule keeps a customer's "Fra: Oslo / Til: Bergen / Dato: …" itinerary
    out of the quoted history.
    """
    if _field_role(lines[i]) != "from":
        return False
    roles = {_field_role(line) for line in lines[i + 1 : i + 1 + _HEADER_BLOCK_LINES]}
    return {"sent", "to"} <= roles and ("subject" in roles or "@" in lines[i])


def _field_role(line: str) -> str | None:
    if len(line) > _MAX_HEADER_LINE:
        return None
    match = _HEADER_FIELD.match(line.strip())
    return _FIELD_ROLES.get(match.group(1).lower()) if match else None


def _rule_above(lines: list[str], i: int) -> int:
    """Include the line of underscores Outlook draws above its header block."""
    above = _previous_non_blank(lines, i)
    if above is not None and _RULE.fullmatch(lines[above].strip()):
        return above
    return i


def _previous_non_blank(lines: list[str], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].strip():
            return j
    return None


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")
