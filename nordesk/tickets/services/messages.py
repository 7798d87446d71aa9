"""What agents write on a ticket: public replies and internal notes."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from nordesk.core.events import emit

from .. import history
from ..errors import EmptyMessage
from ..models import (
    AuthorKind,
    DeliveryStatus,
    Direction,
    Message,
    Status,
    Ticket,
    Visibility,
)
from .attachments import attachments_attach
from .common import (
    Actor,
    ensure_actor_may_change,
    ensure_changeable,
    status_apply,
    ticket_lock,
    ticket_save,
)
from .html import html_sanitise, html_to_text


def _message_create(
    *,
    ticket: Ticket,
    actor: Actor,
    text: str,
    html: str,
    visibility: str,
    attachment_ids: Iterable[int],
    at: datetime | None,
) -> Message:
    html = html_sanitise(html)
    text = text.strip() or html_to_text(html)
    attachment_ids = list(attachment_ids)
    if not text and not attachment_ids:
        raise EmptyMessage(field="text")
    message = Message.objects.create(
        ticket=ticket,
        direction=Direction.OUT,
        author_kind=AuthorKind.AGENT if actor is not None else AuthorKind.SYSTEM,
        author_user=actor,
        visibility=visibility,
        channel=ticket.channel,
        text=text,
        html=html,
        created_at=at or timezone.now(),
    )
    if actor is not None:
        attachments_attach(message=message, attachment_ids=attachment_ids, actor=actor)
    return message


@transaction.atomic
def ticket_reply(
    *,
    ticket: Ticket,
    actor: Actor,
    text: str,
    html: str = "",
    status: str | None = None,
    attachment_ids: Iterable[int] = (),
    at: datetime | None = None,
) -> Message:
    """A public answer to the customer, sent on the ticket's channel after commit. Without an
    explicit status the ticket waits for the customer (pending), or stays solved. `at` is for
    history imports, which are not sent again."""
    ensure_actor_may_change(actor)
    ticket = ticket_lock(ticket)
    ensure_changeable(ticket)
    message = _message_create(
        ticket=ticket,
        actor=actor,
        text=text,
        html=html,
        visibility=Visibility.PUBLIC,
        attachment_ids=attachment_ids,
        at=at,
    )
    events = [
        history.reply_sent(ticket=ticket, actor=actor, message_id=message.pk, at=message.created_at)
    ]
    if status is None:
        # A follow-up remark on a solved ticket leaves it solved; otherwise await the customer.
        status = Status.SOLVED if ticket.status == Status.SOLVED else Status.PENDING
    status_event = status_apply(ticket, status=status, actor=actor, at=at)
    if status_event is not None:
        events.append(status_event)
    if ticket.first_response_at is None and actor is not None:
        # An automation's reply (no actor) is no person's answer: it does not count.
        ticket.first_response_at = message.created_at
    ticket.last_message_at = message.created_at
    ticket_save(ticket, ["status", "solved_at", "first_response_at", "last_message_at"], at=at)
    history.history_record(*events)
    emit(
        "reply_created",
        ticket=ticket,
        message=message,
        imported=at is not None,
        automated=actor is None,
    )
    return message


@transaction.atomic
def ticket_add_note(
    *,
    ticket: Ticket,
    actor: Actor,
    text: str,
    html: str = "",
    attachment_ids: Iterable[int] = (),
    at: datetime | None = None,
) -> Message:
    """An internal note: seen by agents only, never sent to the customer."""
    ticket = ticket_lock(ticket)
    message = _message_create(
        ticket=ticket,
        actor=actor,
        text=text,
        html=html,
        visibility=Visibility.INTERNAL,
        attachment_ids=attachment_ids,
        at=at,
    )
    ticket_save(ticket, [], at=at)
    history.history_record(
        history.note_added(ticket=ticket, actor=actor, message_id=message.pk, at=message.created_at)
    )
    return message


def message_delivery_record(
    *, message: Message, status: str, error: str = "", external_id: str | None = None
) -> Message:
    """What became of sending a reply: queued, sent (with the id the channel gave it), or
    failed with the reason, which also goes into the ticket's history."""
    message.delivery_status = status
    message.delivery_error = error[:2000]
    fields = ["delivery_status", "delivery_error"]
    if external_id is not None:
        message.external_id = external_id
        fields.append("external_id")
    message.save(update_fields=fields)
    if status == DeliveryStatus.FAILED:
        history.history_record(
            history.delivery_failed(ticket=message.ticket, message_id=message.pk, error=error)
        )
    return message


def ticket_csat_record(
    *, ticket_id: int, score: int, scale: str, comment: str, changed: bool, at: datetime
) -> None:
    """The customer's answer to the ticket's satisfaction survey, in its history."""
    ticket = Ticket.objects.get(pk=ticket_id)
    history.history_record(
        history.csat_received(
            ticket=ticket, score=score, scale=scale, comment=comment, changed=changed, at=at
        )
    )
