"""Raw RFC 5322 bytes → what Nordesk understood of them, without ever raising on bad mail.

Mail is hostile and often broken: headers are decoded by hand from their raw form (the
stdlib's strict header parser raises on some malformed values), charsets fall back instead of
failing, and the MIME tree is walked with caps on parts, depth and time."""

from __future__ import annotations

import binascii
import codecs
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email import errors, policy
from email.feedparser import BytesFeedParser
from email.header import decode_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any, cast

from django.conf import settings

from nordesk.intelligence.language import language_detect
from nordesk.tickets import services as ticket_services
from nordesk.tickets.services.html import html_to_text

from .quotes import quoted_split

MAX_PARTS = 500
MAX_DEPTH = 20
TIME_BUDGET_SECONDS = 5.0
MAX_REFERENCES = 50
FEED_CHUNK = 1024 * 1024
MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
AUTO_REPLY_SUPPRESS = {"all", "oof", "autoreply"}
BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
ADDRESS_HEADERS_MAX = 100


class EmailRejected(Exception):
    """The message is beyond what we parse (too many parts, too deep, too slow)."""


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    inline: bool
    content_id: str


@dataclass(frozen=True)
class ParsedEmail:
    from_address: str
    from_name: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    reply_to: tuple[str, ...]
    subject: str
    date: datetime | None
    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    text: str
    quoted: str
    html: str
    attachments: tuple[ParsedAttachment, ...]
    language: str
    is_auto_reply: bool
    is_bounce: bool
    bounced_message_id: str
    thread_hint: int | None
    control_headers: dict[str, str]
    body_too_large: bool
    defects: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.from_address,
            "from_name": self.from_name,
            "to": list(self.to),
            "cc": list(self.cc),
            "reply_to": list(self.reply_to),
            "subject": self.subject,
            "date": self.date.isoformat() if self.date else None,
            "message_id": self.message_id,
            "in_reply_to": self.in_reply_to,
            "references": list(self.references),
            "text": self.text,
            "quoted": self.quoted,
            "has_html": bool(self.html),
            "attachments": [
                {
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "size": len(a.content),
                    "inline": a.inline,
                }
                for a in self.attachments
            ],
            "language": self.language,
            "is_auto_reply": self.is_auto_reply,
            "is_bounce": self.is_bounce,
            "bounced_message_id": self.bounced_message_id,
            "thread_hint": self.thread_hint,
            "control_headers": dict(self.control_headers),
            "body_too_large": self.body_too_large,
        }


# --- text decoding -------------------------------------------------------------------------


def _codec(charset: str | None) -> str | None:
    """The codec a declared charset names; None for none, unknown, or ASCII (which mail
    declares for 8-bit text often enough to be worthless)."""
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    return None if name == "ascii" else name


def bytes_decode(data: bytes, charset: str | None = None) -> str:
    """Text from bytes in a declared, missing, unknown or wrong charset; never raises."""
    codec = _codec(charset)
    if codec:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8")  # undeclared or mislabelled 8-bit is most often UTF-8
    except UnicodeDecodeError:
        pass
    if codec:
        return data.decode(codec, errors="replace")
    return data.decode("cp1252", errors="replace")


def _words_decode(value: str) -> str:
    """An RFC 2047 encoded header value as text, tolerating bad charsets and encodings."""
    if "=?" not in value:
        return value
    try:
        chunks = decode_header(value)
    except Exception:  # noqa: BLE001 - a malformed encoded word is shown as written
        return value
    out = []
    for chunk, charset in chunks:
        out.append(bytes_decode(chunk, charset) if isinstance(chunk, bytes) else chunk)
    return "".join(out)


def _one_line(value: str) -> str:
    return " ".join(value.split())


# --- headers -------------------------------------------------------------------------------


def _raw_values(message: Message, name: str) -> list[str]:
    wanted = name.lower()
    values = []
    for key, value in message.raw_items():
        if key.lower() == wanted:
            values.append(value if isinstance(value, str) else str(value))
    return values


def _header(message: Message, name: str) -> str:
    values = _raw_values(message, name)
    return _one_line(_words_decode(values[0])) if values else ""


def _addresses(message: Message, name: str) -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs; invalid entries are skipped."""
    values = [_words_decode(v) for v in _raw_values(message, name)]
    pairs = []
    for display, address in getaddresses(values)[:ADDRESS_HEADERS_MAX]:
        address = address.strip().lower()
        if "@" in address and " " not in address and "\n" not in address:
            pairs.append((_one_line(display), address))
    return pairs


def _message_ids(value: str) -> list[str]:
    return MESSAGE_ID.findall(value)[:MAX_REFERENCES]


def _date(message: Message) -> datetime | None:
    value = _header(message, "date")
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _is_auto_reply(message: Message) -> bool:
    auto_submitted = _header(message, "auto-submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return True
    if _header(message, "precedence").lower() in BULK_PRECEDENCE:
        return True
    if _header(message, "x-autoreply") or _header(message, "x-autorespond"):
        return True
    suppress = {p.strip().lower() for p in _header(message, "x-auto-response-suppress").split(",")}
    if suppress & AUTO_REPLY_SUPPRESS:
        return True
    return bool(_header(message, "list-id") or _header(message, "list-unsubscribe"))


def _control_headers(message: Message) -> dict[str, str]:
    return {
        key.lower(): _one_line(_words_decode(str(value)))[:200]
        for key, value in message.raw_items()
        if key.lower().startswith("x-nordesk-")
    }


# --- body ----------------------------------------------------------------------------------


@dataclass
class _Body:
    plain: list[str]
    html: list[str]
    attachments: list[ParsedAttachment]
    bounced_message_id: str = ""
    is_report: bool = False


class _Walker:
    """Walks the MIME tree once, with caps on parts, depth and time."""

    def __init__(self) -> None:
        self.parts = 0
        self.deadline = time.monotonic() + TIME_BUDGET_SECONDS
        self.body = _Body(plain=[], html=[], attachments=[])

    def walk(self, part: Message, depth: int = 0) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise EmailRejected(f"more than {MAX_PARTS} MIME parts")
        if depth > MAX_DEPTH:
            raise EmailRejected(f"MIME parts nested deeper than {MAX_DEPTH}")
        if time.monotonic() > self.deadline:
            raise EmailRejected(f"parsing took longer than {TIME_BUDGET_SECONDS:g} s")
        content_type = part.get_content_type()
        if content_type == "multipart/report":
            self.body.is_report = True
        if content_type in ("message/rfc822", "text/rfc822-headers") and self.body.is_report:
            self.body.bounced_message_id = self.body.bounced_message_id or _bounced_id(part)
        if part.is_multipart() and content_type != "message/rfc822":
            for child in _children(part):
                self.walk(child, depth + 1)
            return
        self._leaf(part, content_type)

    def _leaf(self, part: Message, content_type: str) -> None:
        disposition = (part.get_content_disposition() or "").lower()
        filename = _filename(part)
        if content_type == "message/rfc822":
            self.body.attachments.append(_forwarded(part, self.parts))
        elif (
            content_type in ("text/plain", "text/html")
            and disposition != "attachment"
            and not (filename and disposition == "inline" and content_type == "text/html")
        ):
            text = bytes_decode(_payload(part), _charset(part))
            (self.body.plain if content_type == "text/plain" else self.body.html).append(text)
        elif content_type == "message/delivery-status" or content_type.startswith("multipart/"):
            return
        else:
            self.body.attachments.append(_attachment(part, content_type, filename, self.parts))


def _children(part: Message) -> list[Message]:
    payload = part.get_payload()
    return (
        [child for child in payload if isinstance(child, Message)]
        if isinstance(payload, list)
        else []
    )


def _payload(part: Message) -> bytes:
    decoded = _base64_payload(part)
    if decoded is not None:
        return decoded
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - broken transfer encodings: keep the raw text
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", errors="replace") if isinstance(raw, str) else b""


def _base64_payload(part: Message) -> bytes | None:
    """Base64 decoded straight from the parsed text: the stdlib first copies it into bytes,
    which for a 25 MB attachment is 25 MB more at the worst moment."""
    if str(part.get("content-transfer-encoding", "")).strip().lower() != "base64":
        return None
    text = part.get_payload()
    if not isinstance(text, str) or not text.isascii():
        return None
    try:
        return binascii.a2b_base64(text)
    except binascii.Error:
        return None  # broken padding: the stdlib's lenient decoder has a go


def _charset(part: Message) -> str | None:
    try:
        charset = part.get_param("charset")
    except Exception:  # noqa: BLE001
        return None
    if isinstance(charset, tuple):  # RFC 2231 form: (charset, language, value)
        charset = charset[2]
    return charset if isinstance(charset, str) else None


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or part.get_param("name") or ""
    except Exception:  # noqa: BLE001
        return ""
    if isinstance(name, tuple):
        name = bytes_decode(name[2].encode("latin-1", errors="replace"), name[0])
    return _one_line(_words_decode(str(name))).replace("/", "_").replace("\\", "_")[:200]


_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def _attachment(part: Message, content_type: str, filename: str, index: int) -> ParsedAttachment:
    content_id = _one_line(str(part.get("content-id", "") or "")).strip("<>")
    disposition = (part.get_content_disposition() or "").lower()
    return ParsedAttachment(
        filename=filename or f"part-{index}{_EXTENSIONS.get(content_type, '.bin')}",
        content_type=content_type,
        content=_payload(part),
        inline=bool(content_id) and disposition != "attachment",
        content_id=content_id,
    )


def _forwarded(part: Message, index: int) -> ParsedAttachment:
    children = _children(part)
    inner = children[0] if children else None
    if inner is not None:
        try:
            content = inner.as_bytes()
        except Exception:  # noqa: BLE001 - a broken forward is kept as it came
            content = _payload(part)
        subject = _header(inner, "subject")
    else:
        content, subject = _payload(part), ""
    name = re.sub(r"[^\w\s.,()\-]", "_", subject).strip()[:100] or f"message-{index}"
    return ParsedAttachment(
        filename=f"{name}.eml",
        content_type="message/rfc822",
        content=content,
        inline=False,
        content_id="",
    )


def _bounced_id(part: Message) -> str:
    children = _children(part)
    if children:
        ids = _message_ids(_header(children[0], "message-id"))
        return ids[0] if ids else ""
    text = bytes_decode(_payload(part))
    match = re.search(r"^message-id:\s*(<[^<>\s]+>)", text, re.IGNORECASE | re.MULTILINE)
    return match.group(1) if match else ""


# --- the whole message ---------------------------------------------------------------------


def parse_email(raw: bytes, *, max_bytes: int | None = None) -> ParsedEmail:
    """What a raw message says. Raises EmailRejected beyond the structural caps; a message
    over `max_bytes` is parsed for its headers only (`body_too_large`)."""
    limit = settings.EMAIL_MAX_BYTES if max_bytes is None else max_bytes
    too_large = len(raw) > limit
    if too_large:
        message = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
        body = _Body(plain=[], html=[], attachments=[])
    else:
        message = _message_from_bytes(raw)
        if _headers_cut_short(message):
            message = _message_from_bytes(_headers_mended(raw))
        walker = _Walker()
        walker.walk(message)
        body = walker.body
    return _parsed(message, body, too_large=too_large)


def _message_from_bytes(raw: bytes) -> Message:
    """Fed in pieces, so a large message is never also held as one decoded string."""
    parser = BytesFeedParser(policy=policy.compat32)
    for start in range(0, len(raw), FEED_CHUNK):
        parser.feed(raw[start : start + FEED_CHUNK])
    return cast(Message, parser.close())


def _headers_cut_short(message: Message) -> bool:
    return any(
        isinstance(defect, errors.MissingHeaderBodySeparatorDefect) for defect in message.defects
    )


def _headers_mended(raw: bytes) -> bytes:
    """A header line without a colon ends the headers for the stdlib parser; a mail client
    reads it as a folded continuation, and so do we (the headers after it still count)."""
    newline = b"\r\n" if b"\r\n" in raw[:4096] else b"\n"
    head, separator, body = raw.partition(newline + newline)
    lines = head.split(newline)
    for index, line in enumerate(lines[1:], start=1):
        if line and line[:1] not in (b" ", b"\t") and not HEADER_LINE.match(line):
            lines[index] = b" " + line
    return newline.join(lines) + separator + body


def _parsed(message: Message, body: _Body, *, too_large: bool) -> ParsedEmail:
    senders = _addresses(message, "from")
    from_name, from_address = senders[0] if senders else ("", "")
    subject = _header(message, "subject")
    html = "\n".join(body.html)
    plain = "\n\n".join(text.strip("\n") for text in body.plain)
    text, quoted = quoted_split(plain if plain.strip() else html_to_text(html))
    is_bounce = body.is_report and (
        body.bounced_message_id != ""
        or "delivery-status" in str(message.get_param("report-type") or "").lower()
    )
    message_ids = _message_ids(_header(message, "message-id"))
    in_reply_to = _message_ids(_header(message, "in-reply-to"))
    return ParsedEmail(
        from_address=from_address,
        from_name=from_name,
        to=tuple(address for _name, address in _addresses(message, "to")),
        cc=tuple(address for _name, address in _addresses(message, "cc")),
        reply_to=tuple(address for _name, address in _addresses(message, "reply-to")),
        subject=subject,
        date=_date(message),
        message_id=message_ids[0] if message_ids else "",
        in_reply_to=in_reply_to[0] if in_reply_to else "",
        references=tuple(_message_ids(_header(message, "references"))),
        text=text,
        quoted=quoted,
        html=html,
        attachments=tuple(body.attachments),
        language=language_detect(text),
        is_auto_reply=is_bounce or _is_auto_reply(message),
        is_bounce=is_bounce,
        bounced_message_id=body.bounced_message_id if is_bounce else "",
        thread_hint=ticket_services.subject_token_find(subject),
        control_headers=_control_headers(message),
        body_too_large=too_large,
        defects=tuple(type(defect).__name__ for defect in message.defects),
    )
