"""The web form channel: a contact form sent from the portal (or its embedded copy on the
company's site), and a signed-in customer's reply from the portal, each turned into the
pipeline's InboundMessage on channel "web" and handed to `tickets.services.receive`."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from nordesk.customers import selectors as customer_selectors
from nordesk.tickets import services as ticket_services
from nordesk.tickets.inbound import InboundAttachment, InboundMessage

from .spam import form_token_check, honeypot_check, submission_rate_check

CHANNEL = "web"
# The portal has checked the customer may read the ticket they answer: its own reply hint.
PORTAL_HINT = "thread_key"


@dataclass(frozen=True)
class WebSubmission:
    name: str
    email: str
    subject: str
    description: str
    category: str = ""
    custom_fields: dict[str, object] = field(default_factory=dict)
    attachments: tuple[InboundAttachment, ...] = ()
    language: str = ""
    # Which form it came from ("contact", "embed"): routing rules can match it as the mailbox.
    form: str = "contact"


def attachments_from_uploads(files: Iterable[UploadedFile]) -> tuple[InboundAttachment, ...]:
    """Uploaded files as the pipeline takes them: it names and types them from their bytes
    as it does for email attachments."""
    return tuple(
        InboundAttachment(
            filename=upload.name or "attachment",
            content=upload.read(),
            content_type=upload.content_type or "",
        )
        for upload in files
    )


def submission_receive(*, submission: WebSubmission, form_token: str, honeypot: str, ip: str):
    """A contact form's ticket, after the spam checks (SubmissionRefused, TooManySubmissions).
    The same copy of the form sent twice (a double click) makes one message."""
    honeypot_check(honeypot)
    token = form_token_check(form_token)
    submission_rate_check(ip=ip, address=submission.email)
    return ticket_services.receive(
        InboundMessage(
            channel=CHANNEL,
            sender_kind="email",
            sender_address=submission.email,
            sender_name=submission.name,
            subject=submission.subject,
            text=submission.description,
            received_at=timezone.now(),
            external_id=f"web:{token.nonce}",
            attachments=submission.attachments,
            language=submission.language,
            recipient=f"web:{submission.form}",
            category=submission.category,
            custom_fields=submission.custom_fields,
        )
    )


def portal_reply_receive(
    *,
    ticket_id: int,
    customer_id: int,
    text: str,
    attachments: tuple[InboundAttachment, ...] = (),
    form_token: str,
):
    """A signed-in customer's reply on their own ticket or one they are in Cc on (the portal
    read it through their scope): it continues that ticket like any customer reply,
    reopening it when solved."""
    token = form_token_check(form_token, timed=False)
    address = customer_selectors.customer_primary_address(customer_id=customer_id, kind="email")
    return ticket_services.receive(
        InboundMessage(
            channel=CHANNEL,
            sender_kind="email",
            sender_address=address or "",
            text=text,
            received_at=timezone.now(),
            external_id=f"web:{token.nonce}",
            ticket_hints=((ticket_id, PORTAL_HINT),),
            attachments=attachments,
        )
    )
