"""What every channel adapter hands to the intake pipeline."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content: bytes
    content_type: str = ""
    content_id: str = ""


@dataclass(frozen=True)
class InboundMessage:
    channel: str
    sender_kind: str  # identity kind: email, phone, chat, social
    sender_address: str
    text: str
    received_at: datetime
    sender_name: str = ""
    subject: str = ""
    html: str = ""
    quoted: str = ""
    external_id: str | None = None
    # Keys naming the conversation this message belongs to, most specific first
    # (In-Reply-To/References, chat session id, webhook conversation id, call id).
    thread_keys: tuple[str, ...] = ()
    # Tickets the adapter has verified this message refers to (a signed reference, a signed
    # reply address), most specific first, each with its ThreadStrategy.
    ticket_hints: tuple[tuple[int, str], ...] = ()
    # Other people addressed on the message (email Cc): they become the ticket's participants.
    participants: tuple[str, ...] = ()
    attachments: tuple[InboundAttachment, ...] = ()
    language: str = ""
    # Where it came in: our mailbox's address, a form's or a chat widget's name. Routing rules
    # can match it ("mailbox"); it is not stored.
    recipient: str = ""
    team_id: int | None = None
    priority: str = ""
    # The topic the customer chose on a form (the portal's contact form): a new ticket's category.
    category: str = ""
    tags: tuple[str, ...] = ()
    custom_fields: dict[str, object] = field(default_factory=dict)
    # History loaded from elsewhere (`nordesk mail import`): stored as it happened, but SLA
    # clocks and other live reactions do not follow it.
    imported: bool = False
