"""Signed references: our outgoing Message-IDs and reply addresses name their ticket with an
HMAC, so a reference in a customer's answer is verified, never trusted as written."""

import hashlib
import hmac
import re

from django.conf import settings

_SIGNATURE_HEX = 16
_MESSAGE_ID = re.compile(r"^<nordesk\.(\d{1,18})\.(\d{1,18})\.([0-9a-f]{16})@[^<>\s]+>$")
_PLUS_TOKEN = re.compile(r"^[^@+]+\+t(\d{1,18})-([0-9a-f]{16})@", re.IGNORECASE)


def _signature(*parts: object) -> str:
    key = f"nordesk-mail:{settings.SECRET_KEY}".encode()
    text = ".".join(str(part) for part in parts).encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()[:_SIGNATURE_HEX]


def message_id_make(*, ticket_id: int, message_id: int, domain: str) -> str:
    return f"<nordesk.{ticket_id}.{message_id}.{_signature(ticket_id, message_id)}@{domain}>"


def message_id_ticket(value: str) -> int | None:
    """The ticket a Message-ID of ours names, if its signature holds."""
    match = _MESSAGE_ID.match(value)
    if match is None:
        return None
    ticket_id, message_id, signature = match.groups()
    expected = _signature(int(ticket_id), int(message_id))
    return int(ticket_id) if hmac.compare_digest(signature, expected) else None


def reply_address_make(*, address: str, ticket_id: int) -> str:
    """support@x.no → support+t42-<signature>@x.no: answers route back to the mailbox and
    name their ticket even when a mail client drops the references."""
    local, _at, domain = address.partition("@")
    return f"{local}+t{ticket_id}-{_signature('plus', ticket_id)}@{domain}"


def reply_address_ticket(address: str) -> int | None:
    match = _PLUS_TOKEN.match(address)
    if match is None:
        return None
    ticket_id, signature = int(match.group(1)), match.group(2).lower()
    return ticket_id if hmac.compare_digest(signature, _signature("plus", ticket_id)) else None


def address_base(address: str) -> str:
    """support+anything@x.no → support@x.no."""
    local, _at, domain = address.partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"
