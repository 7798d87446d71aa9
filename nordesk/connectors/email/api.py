"""Mailboxes and the quarantine for admins, and the raw-MIME endpoint inbound-mail providers
post to (authenticated by the mailbox's own secret, not an API token)."""

import hashlib
import hmac
from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, ValidationInfo, field_validator

from nordesk.api.auth import acting_admin
from nordesk.api.problems import problem
from nordesk.api.types import DbId, reject_null
from nordesk.core.errors import NotFound, TooLarge

from . import selectors, services
from .errors import MailboxNotFound
from .models import Mailbox, RawEmail

router = Router(tags=["email"])


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class MailboxOut(Schema):
    id: int
    name: str
    address: str
    signature: str
    team_id: int | None
    language: str
    auto_acknowledge: bool
    trusted: bool
    is_active: bool
    inbound: str
    imap_host: str
    imap_port: int
    imap_security: str
    imap_username: str
    imap_folder: str
    after_fetch: str
    processed_folder: str
    poll_seconds: int
    last_polled_at: datetime | None
    last_error: str
    has_imap_password: bool
    has_webhook_secret: bool

    @staticmethod
    def resolve_has_imap_password(obj: Mailbox) -> bool:
        return bool(obj.imap_password_encrypted)

    @staticmethod
    def resolve_has_webhook_secret(obj: Mailbox) -> bool:
        return bool(obj.webhook_secret_digest)


class MailboxIn(StrictSchema):
    name: str = Field(..., min_length=1, max_length=100)
    address: str = Field(..., min_length=3, max_length=254)
    signature: str = Field("", max_length=5000)
    team: DbId | None = None
    language: Literal["", "nb", "nn", "da", "sv", "en"] = ""
    auto_acknowledge: bool = False
    trusted: bool = False
    is_active: bool = True
    inbound: Literal["imap", "smtp", "webhook"] = "imap"
    imap_host: str = Field("", max_length=255)
    imap_port: int = Field(993, ge=1, le=65535)
    imap_security: Literal["ssl", "starttls", "none"] = "ssl"
    imap_username: str = Field("", max_length=255)
    imap_password: str = Field("", max_length=1000)
    imap_folder: str = Field("INBOX", min_length=1, max_length=255)
    after_fetch: Literal["move", "flag", "delete"] = "move"
    processed_folder: str = Field("Nordesk/Processed", min_length=1, max_length=255)
    poll_seconds: int = Field(60, ge=15, le=86400)


class MailboxUpdate(StrictSchema):
    name: str | None = Field(None, min_length=1, max_length=100)
    signature: str | None = Field(None, max_length=5000)
    team: DbId | None = None
    language: Literal["", "nb", "nn", "da", "sv", "en"] | None = None
    auto_acknowledge: bool | None = None
    trusted: bool | None = None
    is_active: bool | None = None
    imap_host: str | None = Field(None, max_length=255)
    imap_port: int | None = Field(None, ge=1, le=65535)
    imap_security: Literal["ssl", "starttls", "none"] | None = None
    imap_username: str | None = Field(None, max_length=255)
    imap_password: str | None = Field(None, max_length=1000)
    imap_folder: str | None = Field(None, min_length=1, max_length=255)
    after_fetch: Literal["move", "flag", "delete"] | None = None
    processed_folder: str | None = Field(None, min_length=1, max_length=255)
    poll_seconds: int | None = Field(None, ge=15, le=86400)

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any, info: ValidationInfo) -> Any:
        # Only the team may be cleared with null; every other field has a value.
        return value if info.field_name == "team" else reject_null(value)


class SecretOut(Schema):
    secret: str


class RawEmailOut(Schema):
    id: int
    mailbox_id: int | None
    source: str
    size: int
    sha256: str
    status: str
    reason: str
    received_at: datetime
    handled_at: datetime | None
    message_id: int | None


class DiscardIn(StrictSchema):
    reason: str = Field(..., min_length=1, max_length=2000)


class IngestOut(Schema):
    raw_id: int
    status: str
    ticket_id: int | None
    duplicate: bool


def _admin(request: HttpRequest, *, writes: bool = False):
    return acting_admin(
        request, writes=writes, refusal=_("Only admins manage mailboxes and the mail quarantine.")
    )


def _mailbox(mailbox_id: int) -> Mailbox:
    mailbox = selectors.mailbox_get(mailbox_id=mailbox_id)
    if mailbox is None:
        raise MailboxNotFound()
    return mailbox


def _raw(raw_id: int) -> RawEmail:
    raw = selectors.raw_email_get(raw_id=raw_id)
    if raw is None:
        raise NotFound(_("No such message in the quarantine."))
    return raw


def _fields(payload: Schema) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    data.pop("imap_password", None)
    if "team" in data:
        data["team_id"] = data.pop("team")
    return data


@router.get("/mailboxes", response=list[MailboxOut])
def mailboxes_list(request: HttpRequest):
    _admin(request)
    return list(selectors.mailbox_list())


@router.post("/mailboxes", response={201: MailboxOut})
def mailboxes_create(request: HttpRequest, payload: MailboxIn):
    _admin(request, writes=True)
    fields = _fields(payload)
    fields["team_id"] = fields.get("team_id")
    mailbox = services.mailbox_create(imap_password=payload.imap_password, **fields)
    return Status(201, mailbox)


@router.patch("/mailboxes/{mailbox_id}", response=MailboxOut)
def mailboxes_update(request: HttpRequest, mailbox_id: DbId, payload: MailboxUpdate):
    _admin(request, writes=True)
    mailbox = _mailbox(mailbox_id)
    return services.mailbox_update(
        mailbox=mailbox, changes=_fields(payload), imap_password=payload.imap_password
    )


@router.post("/mailboxes/{mailbox_id}/webhook-secret", response={201: SecretOut})
def mailboxes_webhook_secret(request: HttpRequest, mailbox_id: DbId):
    """A new secret for the raw-MIME endpoint; shown once, the old one stops working."""
    _admin(request, writes=True)
    secret = services.mailbox_webhook_secret_rotate(mailbox=_mailbox(mailbox_id))
    return Status(201, {"secret": secret})


class CountsOut(Schema):
    received: int
    processed: int
    ignored: int
    quarantined: int
    discarded: int


@router.get("/stats", response=CountsOut)
def mail_stats(request: HttpRequest):
    """Messages per outcome, for monitoring: alert when `quarantined` grows, or when
    `received` stays above 0 (a message whose processing was cut off)."""
    _admin(request)
    return selectors.raw_email_counts()


@router.get("/quarantine", response=list[RawEmailOut])
def quarantine_list(request: HttpRequest):
    _admin(request)
    return list(selectors.quarantine_list())


@router.get("/quarantine/{raw_id}/raw")
def quarantine_raw(request: HttpRequest, raw_id: DbId):
    """The message exactly as it arrived, as a download (never rendered)."""
    _admin(request)
    raw = _raw(raw_id)
    content = selectors.raw_email_content(raw_id=raw.pk)
    response = HttpResponse(content, content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{raw.pk}.eml"'
    return response


@router.post("/quarantine/{raw_id}/retry", response=IngestOut)
def quarantine_retry(request: HttpRequest, raw_id: DbId):
    _admin(request, writes=True)
    return _ingest_out(services.quarantine_retry(raw_email=_raw(raw_id)))


@router.post("/quarantine/{raw_id}/discard", response={204: None})
def quarantine_discard(request: HttpRequest, raw_id: DbId, payload: DiscardIn):
    _admin(request, writes=True)
    services.quarantine_discard(raw_email=_raw(raw_id), reason=payload.reason)
    return Status(204, None)


def _secret_matches(mailbox: Mailbox, request: HttpRequest) -> bool:
    scheme, _space, credentials = request.headers.get("Authorization", "").partition(" ")
    bearer = credentials.strip() if scheme.lower() == "bearer" else ""
    secret = bearer or request.headers.get("X-Nordesk-Secret", "")
    if not secret or not mailbox.webhook_secret_digest:
        return False
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return hmac.compare_digest(digest, mailbox.webhook_secret_digest)


@router.post("/inbound/{mailbox_id}", auth=None, response={202: IngestOut})
def inbound_raw(request: HttpRequest, mailbox_id: DbId):
    """A provider posts one raw RFC 5322 message as the request body. 202 once stored; 503
    when it cannot be stored, so the provider retries."""
    mailbox = selectors.mailbox_get(mailbox_id=mailbox_id)
    if mailbox is None or not mailbox.is_active or not _secret_matches(mailbox, request):
        return problem(401, "unauthenticated", _("Unknown mailbox or wrong secret."))
    raw = request.read(settings.EMAIL_MAX_BYTES * 2 + 1)
    if len(raw) > settings.EMAIL_MAX_BYTES * 2:
        raise TooLarge(_("The message is far larger than this mailbox accepts."))
    if not raw.strip():
        return problem(422, "invalid", _("The request body must be a raw email message."))
    try:
        result = services.mail_ingest(mailbox=mailbox, raw=raw, source="webhook")
    except DatabaseError:
        return problem(503, "unavailable", _("The message could not be stored; try again."))
    return Status(202, _ingest_out(result))


def _ingest_out(result: services.IngestResult) -> dict[str, Any]:
    return {
        "raw_id": result.raw_id,
        "status": result.status,
        "ticket_id": result.ticket_id,
        "duplicate": result.duplicate,
    }
