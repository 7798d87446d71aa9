"""The one intake pipeline: every channel's InboundMessage goes through `receive`."""

import re
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from nordesk.core.events import emit
from nordesk.core.selectors import columns_of, model_from_row, raw_rows
from nordesk.core.services import Write, insert_write, rows_insert, update_write
from nordesk.customers import services as customer_services

from .. import history
from ..errors import AttachmentTooLarge, EmptyMessage, UnknownChannel
from ..inbound import InboundMessage
from ..models import (
    AuthorKind,
    Channel,
    Direction,
    Message,
    Participant,
    Priority,
    Status,
    ThreadKey,
    ThreadStrategy,
    Ticket,
    TicketCounter,
)
from .attachments import attachments_store
from .fields import custom_fields_clean
from .html import html_sanitise, html_to_text
from .tags import tags_attach_to_new_ticket

# Reply and forward prefixes in the Nordic languages and English (Re, SV, VS, AW, Fwd, VB …).
REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|sv|vs|aw|antw|ref|fw|fwd|vb|vl)\s*:\s*)+", re.IGNORECASE)
REOPENED_BY_CUSTOMER = (Status.SOLVED, Status.PENDING, Status.ON_HOLD)
# What a customer's message changes on the ticket it continues (see _ticket_touch).
TOUCHED_FIELDS = ("last_message_at", "updated_at", "status", "solved_at")
TICKET_NUMBER_SEQUENCE = "tickets_ticket_number_seq"
MAX_PARTICIPANTS = 20


@dataclass(frozen=True)
class Received:
    message: Message
    duplicate: bool  # an earlier delivery of the same (channel, external_id) made the message


def receive(inbound: InboundMessage) -> Message:
    """Store one inbound message on the right ticket, exactly once (see `receive_once`)."""
    return receive_once(inbound).message


def receive_once(inbound: InboundMessage) -> Received:
    """Store one inbound message on the right ticket, exactly once.

    The same (channel, external_id) twice gives the first message back, marked a duplicate:
    a UNIQUE constraint decides, so two deliveries racing each other still make one message.
    Everything happens in one transaction; a failure leaves nothing half-written."""
    inbound = _without_nul(inbound)
    _validate(inbound)
    for attempt in range(2):
        try:
            with transaction.atomic():
                return Received(_receive(inbound), duplicate=False)
        except IntegrityError:
            existing = _existing_message(inbound)
            if existing is not None:
                return Received(existing, duplicate=True)
            if attempt:
                raise
    raise AssertionError("unreachable")


def _without_nul(inbound: InboundMessage) -> InboundMessage:
    """NUL characters carry no meaning in a message and PostgreSQL text cannot hold them:
    they are dropped rather than the message refused."""
    texts = ("text", "html", "subject", "sender_name", "sender_address")
    cleaned = {name: getattr(inbound, name).replace("\x00", "") for name in texts}
    if inbound.external_id:
        cleaned["external_id"] = inbound.external_id.replace("\x00", "")
    cleaned["thread_keys"] = tuple(key.replace("\x00", "") for key in inbound.thread_keys)
    return replace(inbound, **cleaned)


def _validate(inbound: InboundMessage) -> None:
    if inbound.channel not in Channel.values:
        raise UnknownChannel(
            _("Unknown channel %(channel)r.") % {"channel": inbound.channel}, field="channel"
        )
    if not (inbound.text.strip() or inbound.html.strip() or inbound.attachments):
        raise EmptyMessage(field="text")
    for attachment in inbound.attachments:
        if len(attachment.content) > settings.MAX_ATTACHMENT_BYTES:
            raise AttachmentTooLarge(
                _("%(name)s is larger than %(limit)s bytes.")
                % {"name": attachment.filename, "limit": settings.MAX_ATTACHMENT_BYTES},
                field="attachments",
            )


def _existing_message(inbound: InboundMessage) -> Message | None:
    if not inbound.external_id:
        return None
    return Message.objects.filter(channel=inbound.channel, external_id=inbound.external_id).first()


def _receive(inbound: InboundMessage) -> Message:
    customer, _created = customer_services.customer_resolve(
        kind=inbound.sender_kind,
        address=inbound.sender_address,
        name=inbound.sender_name,
        language=inbound.language,
    )
    ticket, strategy = _thread(inbound, customer_id=customer.pk)
    at = inbound.received_at
    events = []
    writes: list[Write] = []  # written with the message
    if ticket is None or ticket.status == Status.CLOSED:
        closed = ticket
        ticket = _ticket_open(inbound, customer=customer, follow_up_of=closed)
        events.append(
            history.ticket_created(ticket=ticket, actor=None, actor_kind=AuthorKind.CUSTOMER, at=at)
        )
        if closed is not None:
            events.append(history.follow_up_opened(ticket=closed, follow_up=ticket, at=at))
            strategy = ThreadStrategy.FOLLOW_UP
        created = True
    else:
        events.extend(_ticket_touch(ticket, at=at, imported=inbound.imported))
        writes.append(update_write(ticket, TOUCHED_FIELDS))
        created = False

    message = Message(
        ticket=ticket,
        direction=Direction.IN,
        author_kind=AuthorKind.CUSTOMER,
        author_customer=customer,
        author_address=inbound.sender_address.strip().lower()[:320],
        channel=inbound.channel,
        text=inbound.text or html_to_text(inbound.html),
        quoted=inbound.quoted,
        html=html_sanitise(inbound.html),
        external_id=inbound.external_id or None,
        thread_strategy=strategy,
        created_at=at,
    )
    writes.extend(_thread_keys_writes(inbound, ticket=ticket))
    rows_insert([message], along=writes)
    attachments_store(message=message, inbound=inbound.attachments)
    if inbound.participants:
        _participants_add(ticket, addresses=inbound.participants, sender_id=customer.pk)
    events.append(
        history.message_received(ticket=ticket, message_id=message.pk, strategy=strategy, at=at)
    )
    history.history_record(*events)
    if created:
        emit(
            "ticket_created",
            ticket=ticket,
            message=message,
            imported=inbound.imported,
            recipient=inbound.recipient,
        )
    emit("message_received", ticket=ticket, message=message, imported=inbound.imported)
    return message


def _thread(inbound: InboundMessage, *, customer_id: int) -> tuple[Ticket | None, str]:
    """The ticket this message continues and the rule that found it, or (None, "new").

    Every rule only continues a ticket whose customer or participant sent the message: a
    stranger who learns a ticket number or a Message-ID (or answers a mail sent to many)
    starts a ticket of their own."""
    for ticket_id, strategy in inbound.ticket_hints:
        ticket = _ticket_of_sender("WHERE t.id = %s", [ticket_id], customer_id)
        if ticket is not None:
            return ticket, strategy
    if inbound.thread_keys:
        keys = list(inbound.thread_keys)
        ticket = _ticket_of_sender(
            f"JOIN {ThreadKey._meta.db_table} k ON k.ticket_id = t.id "
            f"WHERE k.channel = %s AND k.key IN ({', '.join(['%s'] * len(keys))}) "
            "ORDER BY t.id DESC",
            [inbound.channel, *keys],
            customer_id,
        )
        if ticket is not None:
            return ticket, ThreadStrategy.THREAD_KEY
    number = subject_token_find(inbound.subject)
    if number is not None:
        ticket = _ticket_of_sender("WHERE t.number = %s", [number], customer_id)
        if ticket is not None:
            return ticket, ThreadStrategy.SUBJECT_TOKEN
    return None, ThreadStrategy.NEW


# Threading's reads, written by hand (see core.selectors.raw_rows): the ORM took longer to
# build them than the database to run them, on every message.
TICKET_COLUMNS = columns_of(Ticket, "t")


def _ticket_of_sender(where: str, params: list, customer_id: int) -> Ticket | None:
    """The first ticket `where` picks, locked for the update to come (PostgreSQL; SQLite's
    writer holds the database), if the sender belongs to it. Usually the sender is its
    customer: the participant check is the rare second query."""
    lock = " FOR UPDATE OF t" if connection.vendor == "postgresql" else ""
    rows = raw_rows(
        f"SELECT {TICKET_COLUMNS} FROM {Ticket._meta.db_table} t {where} LIMIT 1{lock}",  # noqa: S608
        params,
    )
    if not rows:
        return None
    ticket = model_from_row(Ticket, rows[0])
    if ticket.customer_id == customer_id:
        return ticket
    is_participant = Participant.objects.filter(ticket=ticket, customer_id=customer_id).exists()
    return ticket if is_participant else None


def subject_token(number: int) -> str:
    """What replies carry in their subject to name the ticket: "[#1234]" by default."""
    return f"[{settings.TICKET_SUBJECT_PREFIX}{number}]"


def subject_token_find(subject: str) -> int | None:
    match = _subject_token_pattern().search(subject)
    return int(match.group(1)) if match else None


def _subject_token_pattern() -> re.Pattern[str]:
    return re.compile(r"\[" + re.escape(settings.TICKET_SUBJECT_PREFIX) + r"(\d{1,12})\]")


def _ticket_insert(ticket: Ticket) -> None:
    """INSERT the ticket with the next number from the database: PostgreSQL's sequence, in the
    INSERT itself; elsewhere the counter row (updated under SQLite's single-writer lock)."""
    if connection.vendor == "postgresql":
        rows_insert([ticket], computed={"number": f"nextval('{TICKET_NUMBER_SEQUENCE}')"})
    else:
        ticket.number = _ticket_counter_next()
        rows_insert([ticket])


def _ticket_counter_next() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TicketCounter._meta.db_table} SET value = value + 1 "  # noqa: S608
            "WHERE id = 1 RETURNING value"
        )
        row = cursor.fetchone()
    if row is not None:
        return int(row[0])
    # The counter row is made by a migration; a flushed test database needs it again.
    last = Ticket.objects.order_by("-number").values_list("number", flat=True).first() or 0
    TicketCounter.objects.get_or_create(pk=1, defaults={"value": last})
    return _ticket_counter_next()


def ticket_numbers_continue_after_bulk_load() -> None:
    """After rows were loaded with their own numbers (imports, benchmarks), make the next
    allocated number follow the highest one stored."""
    last = Ticket.objects.order_by("-number").values_list("number", flat=True).first() or 0
    TicketCounter.objects.update_or_create(pk=1, defaults={"value": last})
    if connection.vendor == "postgresql" and last:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval('{TICKET_NUMBER_SEQUENCE}', %s)", [last])


def _subject_clean(subject: str) -> str:
    """A new ticket's subject without reply prefixes or another ticket's number in it."""
    return " ".join(REPLY_PREFIX.sub("", _subject_token_pattern().sub("", subject)).split())


def _ticket_open(inbound: InboundMessage, *, customer, follow_up_of: Ticket | None) -> Ticket:
    subject = _subject_clean(inbound.subject) or inbound.text.strip().splitlines()[0][:80]
    ticket = Ticket(
        subject=subject[:250],
        status=Status.NEW,
        priority=inbound.priority if inbound.priority in Priority.values else Priority.NORMAL,
        channel=inbound.channel,
        customer=customer,
        organisation_id=customer.organisation_id,
        team_id=inbound.team_id,
        language=inbound.language or customer.language,
        category=inbound.category[:64],
        custom_fields=custom_fields_clean(inbound.custom_fields) if inbound.custom_fields else {},
        follow_up_of=follow_up_of,
        last_message_at=inbound.received_at,
        queued_at=inbound.received_at,
        created_at=inbound.received_at,
        updated_at=inbound.received_at,
    )
    _ticket_insert(ticket)
    if inbound.tags:
        tags_attach_to_new_ticket(ticket=ticket, names=inbound.tags)
    return ticket


def _ticket_touch(ticket: Ticket, *, at, imported: bool = False) -> list:
    """A customer wrote again: a solved or waiting ticket is open once more. The caller
    writes the TOUCHED_FIELDS."""
    events = []
    ticket.last_message_at = at
    ticket.updated_at = at
    if ticket.status in REOPENED_BY_CUSTOMER:
        old = ticket.status
        events.append(
            history.status_changed(
                ticket=ticket,
                actor=None,
                old=old,
                new=Status.OPEN,
                actor_kind=AuthorKind.CUSTOMER,
                at=at,
            )
        )
        ticket.status = Status.OPEN
        ticket.solved_at = None
        emit(
            "ticket_status_changed",
            ticket=ticket,
            old=old,
            new=Status.OPEN,
            at=at,
            imported=imported,
        )
    return events


def _participants_add(ticket: Ticket, *, addresses: tuple[str, ...], sender_id: int) -> None:
    people = {
        customer_services.customer_resolve(kind="email", address=address)[0].pk
        for address in addresses[:MAX_PARTICIPANTS]
        if customer_services.identity_is_valid(kind="email", address=address)
    }
    people -= {ticket.customer_id, sender_id}
    Participant.objects.bulk_create(
        [Participant(ticket=ticket, customer_id=pk) for pk in people], ignore_conflicts=True
    )


def _thread_keys_writes(inbound: InboundMessage, *, ticket: Ticket) -> list[Write]:
    """The INSERT of the keys later messages of this thread will name (none if none)."""
    keys = dict.fromkeys(k for k in (*inbound.thread_keys, inbound.external_id) if k)
    rows = [ThreadKey(channel=inbound.channel, key=key[:255], ticket=ticket) for key in keys]
    return [insert_write(rows, ignore_conflicts=True)] if rows else []
