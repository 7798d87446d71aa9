"""Email in: raw bytes stored first, then parsed, threaded and handed to the one intake
pipeline; whatever fails lands in the quarantine, never on the floor."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors
from nordesk.core.errors import ApplicationError, Invalid
from nordesk.core.events import on_commit_enqueue
from nordesk.core.services import model_update
from nordesk.customers import services as customer_services
from nordesk.tickets import selectors as ticket_selectors
from nordesk.tickets import services as ticket_services
from nordesk.tickets.inbound import InboundAttachment, InboundMessage

from . import credentials, selectors
from .errors import QuarantineError
from .models import Mailbox, RawEmail, RawStatus
from .parse import EmailRejected, ParsedEmail, parse_email
from .references import address_base, message_id_ticket, reply_address_ticket

logger = logging.getLogger(__name__)

# What an admin may change; the address is set once, at creation.
MAILBOX_FIELDS = frozenset(
    {
        "name",
        "signature",
        "team_id",
        "language",
        "auto_acknowledge",
        "trusted",
        "is_active",
        "inbound",
        "imap_host",
        "imap_port",
        "imap_security",
        "imap_username",
        "imap_folder",
        "after_fetch",
        "processed_folder",
        "poll_seconds",
    }
)
SIGNED_REFERENCE = "signed_reference"
PLUS_ADDRESS = "plus_address"
PRIORITIES = {"low", "normal", "high", "urgent"}


@dataclass(frozen=True)
class IngestResult:
    raw_id: int
    status: str
    message_id: int | None = None
    ticket_id: int | None = None
    created_ticket: bool = False
    duplicate: bool = False
    reason: str = ""


# --- mailboxes -----------------------------------------------------------------------------


def mailbox_create(*, imap_password: str = "", **fields: Any) -> Mailbox:
    unknown = set(fields) - MAILBOX_FIELDS - {"address"}
    if unknown:
        raise ValueError(f"unknown mailbox fields: {sorted(unknown)}")
    _team_ensure(fields.get("team_id"))
    mailbox = Mailbox(**fields)
    mailbox.address = str(mailbox.address).strip().lower()
    if not customer_services.identity_is_valid(kind="email", address=mailbox.address):
        raise Invalid(_("Enter a valid email address."), field="address")
    if Mailbox.objects.filter(address=mailbox.address).exists():
        raise Invalid(_("Another mailbox already has this address."), field="address")
    if imap_password:
        mailbox.imap_password_encrypted = credentials.encrypt(imap_password)
    mailbox.save()
    return mailbox


def _team_ensure(team_id: int | None) -> None:
    if team_id is not None and not account_selectors.team_exists(team_id):
        raise Invalid(_("No such team."), field="team")


def mailbox_update(
    *, mailbox: Mailbox, changes: dict[str, Any], imap_password: str | None = None
) -> Mailbox:
    _team_ensure(changes.get("team_id"))
    model_update(instance=mailbox, changes=changes, allowed=MAILBOX_FIELDS)
    if imap_password is not None:
        mailbox.imap_password_encrypted = credentials.encrypt(imap_password)
        mailbox.save(update_fields=["imap_password_encrypted"])
    return mailbox


def mailbox_webhook_secret_rotate(*, mailbox: Mailbox) -> str:
    """A new secret for the raw-MIME endpoint, shown once; only its digest is kept."""
    secret = secrets.token_urlsafe(32)
    mailbox.webhook_secret_digest = hashlib.sha256(secret.encode()).hexdigest()
    mailbox.save(update_fields=["webhook_secret_digest"])
    return secret


def mailbox_imap_password(mailbox: Mailbox) -> str:
    return credentials.decrypt(mailbox.imap_password_encrypted)


def mailbox_poll_record(
    *, mailbox: Mailbox, uidvalidity: int | None = None, last_uid: int | None = None, error=""
) -> None:
    """Where polling got to; saved after each message so a crash resumes, not repeats."""
    mailbox.last_polled_at = timezone.now()
    mailbox.last_error = error[:2000]
    fields = ["last_polled_at", "last_error"]
    if uidvalidity is not None:
        mailbox.imap_uidvalidity = uidvalidity
        fields.append("imap_uidvalidity")
    if last_uid is not None:
        mailbox.imap_last_uid = last_uid
        fields.append("imap_last_uid")
    mailbox.save(update_fields=fields)


# --- intake --------------------------------------------------------------------------------


def mail_ingest(
    *, mailbox: Mailbox, raw: bytes, source: str, keep_date: bool = False
) -> IngestResult:
    """One raw message, exactly once. The raw bytes are committed before anything else
    happens; the same bytes again (or the same Message-ID) give the first result back.
    `keep_date` (imports) dates the message by its Date header instead of its arrival."""
    stored, created = raw_store(mailbox=mailbox, raw=raw, source=source)
    return _stored_ingest(stored, created=created, raw=raw, keep_date=keep_date)


def mail_ingest_many(
    *, mailbox: Mailbox, raws: Sequence[bytes], source: str, keep_date: bool = False
) -> list[IngestResult]:
    """Several raw messages (an IMAP fetch, an import's next files), each exactly once as in
    `mail_ingest`, in two transactions instead of two per message: every raw committed first,
    then all processed, each message in a savepoint of its own so that one that fails is
    quarantined and the others go on. A commit waits for the disk (2-4 ms on PostgreSQL on the
    reference machine); a batch pays it twice, not twice a message."""
    with transaction.atomic():
        stored = [raw_store(mailbox=mailbox, raw=raw, source=source) for raw in raws]
    results: list[IngestResult] = []
    first: dict[int, IngestResult] = {}
    with transaction.atomic():
        for (row, created), raw in zip(stored, raws, strict=True):
            if row.pk in first:  # the same bytes twice in one batch
                results.append(replace(first[row.pk], duplicate=True, created_ticket=False))
                continue
            first[row.pk] = _stored_ingest(row, created=created, raw=raw, keep_date=keep_date)
            results.append(first[row.pk])
    return results


def _stored_ingest(stored: RawEmail, *, created: bool, raw: bytes, keep_date: bool) -> IngestResult:
    if created or stored.status == RawStatus.RECEIVED:
        # A delivery stored earlier whose processing never finished (its sender was told to
        # try again) is processed now.
        return raw_process(raw_email=stored, raw=raw, keep_date=keep_date)
    return _result(
        stored, ticket_id=ticket_selectors.message_ticket_id(stored.message_id), duplicate=True
    )


# Every mail's first write, by hand like its last (MARK_SQL).
STORED_FIELDS = tuple(
    field
    for field in RawEmail._meta.concrete_fields
    if field.name in ("mailbox", "source", "sha256", "size", "content", "received_at", "status")
)
STORE_SQL = (
    f"INSERT INTO {RawEmail._meta.db_table} "  # noqa: S608
    f"({', '.join(str(field.column) for field in STORED_FIELDS)}, reason) "
    f"VALUES ({', '.join(['%s'] * len(STORED_FIELDS))}, '') RETURNING id"
)


def _stored_values(row: RawEmail) -> list[Any]:
    return [
        field.get_db_prep_save(getattr(row, field.attname), connection) for field in STORED_FIELDS
    ]


def raw_store(*, mailbox: Mailbox, raw: bytes, source: str) -> tuple[RawEmail, bool]:
    """The raw bytes, committed; (row, False) when these bytes came to this mailbox before
    (the UNIQUE constraint decides, also between concurrent deliveries)."""
    digest = hashlib.sha256(raw).hexdigest()
    row = RawEmail(
        mailbox=mailbox,
        source=source,
        sha256=digest,
        size=len(raw),
        content=raw,
        received_at=timezone.now(),
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(STORE_SQL, _stored_values(row))
            row.pk = cursor.fetchone()[0]
    except IntegrityError:
        return RawEmail.objects.defer("content").get(mailbox=mailbox, sha256=digest), False
    row.content = b""  # the caller holds the bytes; the row need not keep a second reference
    return row, True


def raw_process(*, raw_email: RawEmail, raw: bytes, keep_date: bool = False) -> IngestResult:
    try:
        parsed = parse_email(raw)
    except EmailRejected as exc:
        return _quarantine(raw_email, str(exc))
    except Exception as exc:  # noqa: BLE001 - any parser failure is quarantined, not lost
        logger.exception("email %s could not be parsed", raw_email.pk)
        return _quarantine(raw_email, f"{type(exc).__name__}: {exc}")
    skip = _not_for_a_ticket(parsed, mailbox=raw_email.mailbox)
    if skip:
        return _ignore(raw_email, skip)
    if parsed.is_bounce:
        return _bounce(raw_email, parsed)
    try:
        with transaction.atomic():
            inbound = _inbound(raw_email, parsed, keep_date=keep_date)
            received = ticket_services.receive_once(inbound)
            message = received.message
            if received.duplicate:
                # The same Message-ID came before, in other bytes (backup MX, re-import).
                _mark(raw_email, RawStatus.IGNORED, reason="duplicate", message_id=message.pk)
            else:
                _mark(raw_email, RawStatus.PROCESSED, message_id=message.pk)
    except (ApplicationError, IntegrityError, ValueError) as exc:
        return _quarantine(raw_email, f"{type(exc).__name__}: {exc}")
    if received.duplicate:
        return _result(raw_email, ticket_id=message.ticket_id, duplicate=True)
    created = message.thread_strategy in ("new", "follow_up")
    if created and raw_email.mailbox.auto_acknowledge:
        from .tasks import email_acknowledge

        on_commit_enqueue(email_acknowledge, message.ticket_id, parsed.from_address)
    return _result(raw_email, ticket_id=message.ticket_id, created_ticket=created)


def _earlier_copy(parsed: ParsedEmail):
    """The message an earlier copy of this mail made (the same Message-ID through another
    route: a backup MX, a second of our addresses, a re-import)."""
    if not parsed.message_id:
        return None
    return ticket_selectors.message_by_external_id(channel="email", external_id=parsed.message_id)


def _our_addresses() -> frozenset[str]:
    return frozenset(Mailbox.objects.values_list("address", flat=True))


def _not_for_a_ticket(parsed: ParsedEmail, *, mailbox: Mailbox) -> str:
    """Why a message must not become a ticket or a reply, or "" when it may. Everything we
    send carries a signed Message-ID; mail from the mailbox's own address is ours too."""
    looped = parsed.from_address and address_base(parsed.from_address) == mailbox.address
    if looped or message_id_ticket(parsed.message_id) is not None:
        return "our own outgoing mail came back"
    if parsed.is_auto_reply and not parsed.is_bounce:
        return "automatic reply or bulk mail"
    if not parsed.from_address and not parsed.is_bounce:
        return "no sender address"
    return ""


def _inbound(raw_email: RawEmail, parsed: ParsedEmail, *, keep_date: bool) -> InboundMessage:
    mailbox = raw_email.mailbox
    text, attachments = _text_and_attachments(parsed)
    control = parsed.control_headers if mailbox.trusted else {}
    return InboundMessage(
        channel="email",
        sender_kind="email",
        sender_address=parsed.from_address,
        sender_name=parsed.from_name,
        subject=parsed.subject,
        text=text,
        quoted=parsed.quoted,
        html=parsed.html,
        received_at=_received_at(raw_email, parsed, keep_date=keep_date),
        external_id=parsed.message_id or f"sha256:{raw_email.sha256}",
        thread_keys=tuple(dict.fromkeys(filter(None, (parsed.in_reply_to, *parsed.references)))),
        ticket_hints=_ticket_hints(parsed),
        participants=_participants(parsed),
        attachments=attachments,
        language=parsed.language or mailbox.language,
        team_id=mailbox.team_id,
        recipient=mailbox.address,
        priority=control.get("x-nordesk-priority", "").lower(),
        tags=tuple(t.strip() for t in control.get("x-nordesk-tags", "").split(",") if t.strip()),
        imported=keep_date,  # only `nordesk mail import` keeps the sender's date
    )


def _received_at(raw_email: RawEmail, parsed: ParsedEmail, *, keep_date: bool) -> datetime:
    if keep_date and parsed.date is not None and parsed.date <= raw_email.received_at:
        return parsed.date
    return raw_email.received_at


def _text_and_attachments(parsed: ParsedEmail) -> tuple[str, tuple[InboundAttachment, ...]]:
    notes = []
    if parsed.body_too_large:
        notes.append(
            _(
                "This message was larger than %(limit)s, so its body was not imported. "
                "The original is kept and an administrator can download it."
            )
            % {"limit": filesizeformat(settings.EMAIL_MAX_BYTES)}
        )
    kept = []
    for attachment in parsed.attachments:
        if len(attachment.content) > settings.MAX_ATTACHMENT_BYTES:
            notes.append(
                _("The attachment %(name)s was too large to import; the original is kept.")
                % {"name": attachment.filename}
            )
            continue
        kept.append(
            InboundAttachment(
                filename=attachment.filename,
                content=attachment.content,
                content_type=attachment.content_type,
                content_id=attachment.content_id,
            )
        )
    text = "\n\n".join(filter(None, (parsed.text, *notes)))
    if not text.strip() and not parsed.html.strip() and not kept:
        text = _("(This message has no text.)")
    return text, tuple(kept)


def _ticket_hints(parsed: ParsedEmail) -> tuple[tuple[int, str], ...]:
    hints: list[tuple[int, str]] = []
    for reference in (parsed.in_reply_to, *reversed(parsed.references)):
        ticket_id = message_id_ticket(reference)
        if ticket_id is not None:
            hints.append((ticket_id, SIGNED_REFERENCE))
    for address in (*parsed.to, *parsed.cc):
        ticket_id = reply_address_ticket(address)
        if ticket_id is not None:
            hints.append((ticket_id, PLUS_ADDRESS))
    return tuple(dict.fromkeys(hints))


def _participants(parsed: ParsedEmail) -> tuple[str, ...]:
    """Cc'd people, not our own addresses and not the sender."""
    if not parsed.cc:
        return ()
    ours = _our_addresses()
    return tuple(
        address
        for address in dict.fromkeys(parsed.cc)
        if address != parsed.from_address and address_base(address) not in ours
    )


def _bounce(raw_email: RawEmail, parsed: ParsedEmail) -> IngestResult:
    """A delivery failure report: the reply it names is marked failed on its ticket."""
    original = ticket_selectors.message_by_external_id(
        channel="email", external_id=parsed.bounced_message_id
    )
    if original is None:
        return _ignore(raw_email, "bounce for a message we do not know")
    reason = (parsed.text or parsed.subject)[:500]
    with transaction.atomic():
        ticket_services.message_delivery_record(
            message=original, status="failed", error=_("Bounced: %(reason)s") % {"reason": reason}
        )
        _mark(raw_email, RawStatus.IGNORED, reason="bounce", message_id=original.pk)
    return _result(raw_email, ticket_id=original.ticket_id)


# --- quarantine ----------------------------------------------------------------------------


def _quarantine(raw_email: RawEmail, reason: str) -> IngestResult:
    logger.warning("email %s quarantined: %s", raw_email.pk, reason)
    _mark(raw_email, RawStatus.QUARANTINED, reason=reason)
    return _result(raw_email)


def _ignore(raw_email: RawEmail, reason: str) -> IngestResult:
    _mark(raw_email, RawStatus.IGNORED, reason=reason)
    return _result(raw_email)


# Every mail's last write, by hand (see core.selectors.raw_rows): the ORM's UPDATE took
# longer to build than to run.
MARK_SQL = (
    f"UPDATE {RawEmail._meta.db_table} "  # noqa: S608
    "SET status = %s, reason = %s, message_id = %s, handled_at = %s WHERE id = %s"
)


def _mark(raw_email: RawEmail, status: str, *, reason: str = "", message_id=None) -> None:
    raw_email.status = status
    raw_email.reason = reason[:2000]
    raw_email.message_id = message_id
    raw_email.handled_at = timezone.now()
    handled_at = RawEmail._meta.get_field("handled_at").get_db_prep_save(
        raw_email.handled_at, connection
    )
    with connection.cursor() as cursor:
        cursor.execute(MARK_SQL, [status, raw_email.reason, message_id, handled_at, raw_email.pk])


def _result(
    raw_email: RawEmail,
    *,
    ticket_id: int | None = None,
    created_ticket: bool = False,
    duplicate: bool = False,
) -> IngestResult:
    return IngestResult(
        raw_id=raw_email.pk,
        status=raw_email.status,
        message_id=raw_email.message_id,
        ticket_id=ticket_id,
        created_ticket=created_ticket,
        duplicate=duplicate,
        reason=raw_email.reason,
    )


def quarantine_retry(*, raw_email: RawEmail) -> IngestResult:
    """Try a quarantined message again (after a fix): it leaves the quarantine if it now
    goes through."""
    if raw_email.status != RawStatus.QUARANTINED:
        raise QuarantineError(_("Only quarantined messages can be retried."))
    raw = selectors.raw_email_content(raw_id=raw_email.pk)
    return raw_process(raw_email=raw_email, raw=raw, keep_date=raw_email.source == "import")


def raw_interrupted_quarantine(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Messages stored but never processed (the process died while parsing them, say) go to
    the quarantine, where an admin sees them. Returns how many."""
    cutoff = timezone.now() - older_than
    stuck = RawEmail.objects.filter(status=RawStatus.RECEIVED, received_at__lt=cutoff)
    return stuck.update(
        status=RawStatus.QUARANTINED,
        reason="processing was interrupted before it finished",
        handled_at=timezone.now(),
    )


def quarantine_discard(*, raw_email: RawEmail, reason: str) -> None:
    """Leave a quarantined message unimported, saying why; the raw bytes stay."""
    if raw_email.status != RawStatus.QUARANTINED:
        raise QuarantineError(_("Only quarantined messages can be discarded."))
    if not reason.strip():
        raise Invalid(_("Say why the message is discarded."), field="reason")
    _mark(raw_email, RawStatus.DISCARDED, reason=reason.strip())
