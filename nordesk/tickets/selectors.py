"""Every read of tickets is scoped by the agent asking. Outside the scope a ticket does not
exist: the caller gets NotFound, never a hint that it is there."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from nordesk.accounts.selectors import agent_team_ids
from nordesk.core.errors import NotFound
from nordesk.core.selectors import aware, first_row, in_literals, raw_rows

from .models import (
    ACTIVE_WORK,
    UNSOLVED,
    Attachment,
    AuthorKind,
    CustomFieldDefinition,
    Direction,
    Message,
    Participant,
    Status,
    Tag,
    Ticket,
    TicketEvent,
    Visibility,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from nordesk.accounts.models import Agent


def ticket_scope_q(agent: Agent, *, prefix: str = "") -> Q:
    """Admins and supervisors see every ticket; everyone else the tickets of their teams, the
    ones assigned to them, and the untriaged ones no team holds yet."""
    if agent.sees_all_tickets:
        return Q()
    return (
        Q(**{f"{prefix}team_id__in": agent_team_ids(agent)})
        | Q(**{f"{prefix}assignee_id": agent.user_id})
        | Q(**{f"{prefix}team__isnull": True})
    )


def ticket_visible_qs(agent: Agent) -> QuerySet[Ticket]:
    return Ticket.objects.filter(ticket_scope_q(agent))


def _ticket_detail(qs: QuerySet[Ticket], **lookup: int) -> Ticket:
    ticket = first_row(
        qs.select_related("customer", "organisation", "team", "assignee")
        .prefetch_related("tags")
        .filter(**lookup)
    )
    if ticket is None:
        raise NotFound(_("Ticket not found."))
    return ticket


def ticket_get_for_agent(*, agent: Agent, ticket_id: int) -> Ticket:
    return _ticket_detail(ticket_visible_qs(agent), pk=ticket_id)


def ticket_is_visible(*, agent: Agent, ticket_id: int) -> bool:
    return ticket_visible_qs(agent).filter(pk=ticket_id).exists()


def ticket_get_created_by(*, ticket_id: int) -> Ticket:
    """The ticket the agent's own request just created or continued through intake, or just
    transferred, even when it went to a team outside the agent's scope."""
    return _ticket_detail(Ticket.objects.all(), pk=ticket_id)


def ticket_get_by_number_for_agent(*, agent: Agent, number: int) -> Ticket:
    return _ticket_detail(ticket_visible_qs(agent), number=number)


def message_list_for_ticket(*, ticket: Ticket) -> list[Message]:
    """The whole thread, internal notes included: callers are agents."""
    qs = ticket.messages.select_related("author_user", "author_customer").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    )
    return list(qs.order_by("created_at", "id"))


def public_reply_get(*, ticket: Ticket, message_id: int) -> Message | None:
    """An agent's public reply on the ticket (what could answer other customers too)."""
    return ticket.messages.filter(
        pk=message_id,
        direction=Direction.OUT,
        visibility=Visibility.PUBLIC,
        author_kind=AuthorKind.AGENT,
    ).first()


def event_list_for_ticket(*, ticket: Ticket) -> list[TicketEvent]:
    return list(ticket.events.select_related("actor_user").order_by("created_at", "id"))


def attachment_get_for_agent(*, agent: Agent, attachment_id: int) -> Attachment:
    """An attachment is visible with its ticket's message, or to its uploader before that."""
    attachment = (
        Attachment.objects.filter(pk=attachment_id)
        .filter(
            Q(message__ticket__in=ticket_visible_qs(agent))
            | Q(message__isnull=True, uploaded_by_id=agent.user_id)
        )
        .first()
    )
    if attachment is None:
        raise NotFound(_("Attachment not found."))
    return attachment


def uploads_waiting(*, user_id: int, ids: Iterable[int]) -> list[Attachment]:
    """The user's uploads among `ids` that no message holds yet, oldest first."""
    return list(
        Attachment.objects.filter(pk__in=list(ids), uploaded_by_id=user_id, message__isnull=True)
        .order_by("pk")
        .only("pk", "filename", "size")
    )


def tickets_for_customer(*, agent: Agent, customer_id: int, limit: int = 200) -> list[Ticket]:
    return list(
        ticket_visible_qs(agent)
        .filter(customer_id=customer_id)
        .select_related("team", "assignee")
        .prefetch_related("tags")
        .order_by("-created_at", "-id")[:limit]
    )


def messages_for_customer(*, agent: Agent, customer_id: int, limit: int = 200) -> list[Message]:
    return list(
        Message.objects.filter(ticket__in=ticket_visible_qs(agent).filter(customer_id=customer_id))
        .select_related("ticket", "author_user")
        .order_by("-created_at", "-id")[:limit]
    )


def ticket_live_payload(*, ticket_id: int) -> dict[str, Any] | None:
    """What the live inbox is told: enough to decide whether to refetch, nothing private."""
    row = (
        Ticket.objects.filter(pk=ticket_id)
        .values("id", "number", "status", "team_id", "assignee_id", "updated_at")
        .first()
    )
    if row is None:
        return None
    return {
        "type": "ticket",
        "op": "update",
        "id": row["id"],
        "number": row["number"],
        "status": row["status"],
        "team_id": row["team_id"],
        "assignee_id": row["assignee_id"],
        "updated_at": row["updated_at"].isoformat(),
    }


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


def ticket_ids_for_customer_qs(*, customer_ref: Any) -> QuerySet:
    return Ticket.objects.filter(customer_id=customer_ref).values("id")


def ticket_vocabulary() -> dict[str, list[tuple[str, Any]]]:
    """The closed choices ticket forms offer, with translatable labels, so other apps need not
    import the models: every status, the unsolved ones, priorities and channels."""
    from .models import Channel, Priority

    return {
        "status": list(Status.choices),
        "unsolved": [(str(value), Status(value).label) for value in UNSOLVED],
        "priority": list(Priority.choices),
        "channel": list(Channel.choices),
    }


def ticket_ids_for_organisation_qs(*, organisation_ref: Any) -> QuerySet:
    return Ticket.objects.filter(organisation_id=organisation_ref).values("id")


def ticket_count() -> int:
    return Ticket.objects.count()


def message_for_delivery(*, message_id: int) -> Message | None:
    """A public reply with what sending it needs: its ticket, author and attachments."""
    return first_row(
        Message.objects.select_related("ticket", "author_user")
        .prefetch_related("attachments")
        .filter(pk=message_id, visibility=Visibility.PUBLIC, direction=Direction.OUT)
    )


def message_by_external_id(*, channel: str, external_id: str) -> Message | None:
    return first_row(
        Message.objects.select_related("ticket").filter(channel=channel, external_id=external_id)
    )


def message_ticket_id(message_id: int | None) -> int | None:
    if message_id is None:
        return None
    return Message.objects.filter(pk=message_id).values_list("ticket_id", flat=True).first()


def message_external_ids(*, ticket_id: int, channel: str, limit: int = 10) -> list[str]:
    """The channel's ids of a ticket's latest messages, oldest first (email References)."""
    ids = (
        Message.objects.filter(ticket_id=ticket_id, channel=channel, external_id__isnull=False)
        .order_by("-created_at", "-id")
        .values_list("external_id", flat=True)[:limit]
    )
    return [str(external_id) for external_id in ids][::-1]


def participant_customer_ids(*, ticket_id: int) -> list[int]:
    return list(
        Participant.objects.filter(ticket_id=ticket_id).values_list("customer_id", flat=True)
    )


PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
# Routing's hot reads, written by hand (see core.selectors.raw_rows); tests/routing checks the
# names against the models.
QUEUE_SQL = f"""
SELECT t.id, t.number, t.channel, t.language, t.category, t.priority, o.tier,
       t.queued_at, t.created_at, t.sla_due_at
FROM tickets_ticket t LEFT JOIN customers_organisation o ON o.id = t.organisation_id
WHERE t.team_id = %s AND t.assignee_id IS NULL AND t.status IN ({in_literals(ACTIVE_WORK)})
"""  # noqa: S608 - constants, checked by in_literals
QUEUE_FIELDS = (
    "id",
    "number",
    "channel",
    "language",
    "category",
    "priority",
    "organisation__tier",
    "queued_at",
    "created_at",
    "sla_due_at",
)
MOMENTS = ("queued_at", "created_at", "sla_due_at")


def _queue_row(values: tuple[Any, ...]) -> dict[str, Any]:
    row = dict(zip(QUEUE_FIELDS, values, strict=True))
    for name in MOMENTS:
        row[name] = aware(row[name])
    return row


def _urgency(row: dict[str, Any]) -> tuple:
    """A team's queue order: the nearest SLA deadline first, then priority, then the wait."""
    due = row["sla_due_at"]
    return (
        due is None,
        due.timestamp() if due is not None else 0,
        PRIORITY_RANK.get(row["priority"], 2),
        (row["queued_at"] or row["created_at"]).timestamp(),
        row["id"],
    )


def team_queue(*, team_id: int) -> list[dict[str, Any]]:
    """The team's unassigned open tickets, most urgent first, as plain rows. One query; a
    queue is the team's backlog, sorted here because priority has no sortable column."""
    rows = raw_rows(QUEUE_SQL, [team_id])
    return sorted(map(_queue_row, rows), key=_urgency)


def queue_position(*, ticket: Ticket) -> int | None:
    """How many tickets of its team's queue come before this one (0: next), or None when the
    ticket is not waiting in a queue."""
    if ticket.team_id is None or ticket.assignee_id is not None:
        return None
    if ticket.status not in ACTIVE_WORK:
        return None
    order = [row["id"] for row in team_queue(team_id=ticket.team_id)]
    return order.index(ticket.pk) if ticket.pk in order else None


def active_load_of(*, user_id: int, channels: tuple[str, ...]) -> int:
    return Ticket.objects.filter(
        assignee_id=user_id, status__in=ACTIVE_WORK, channel__in=channels
    ).count()


def teams_with_queue() -> list[int]:
    """Teams holding at least one unassigned open ticket."""
    return list(
        Ticket.objects.filter(team__isnull=False, assignee__isnull=True, status__in=ACTIVE_WORK)
        .values_list("team_id", flat=True)
        .distinct()
        .order_by()
    )


def messages_public_after(*, ticket_id: int, after_id: int, limit: int = 20) -> list[Message]:
    """The customer's messages and the replies newer than `after_id`, oldest first: what an
    agent who last saw `after_id` has missed (collision detection on the ticket page)."""
    return list(
        Message.objects.filter(ticket_id=ticket_id, pk__gt=after_id, visibility=Visibility.PUBLIC)
        .select_related("author_user", "author_customer")
        .order_by("id")[:limit]
    )


def tickets_related(*, agent: Agent, ticket: Ticket) -> list[Ticket]:
    """The tickets this one follows up or was merged into, and those that follow it up or were
    merged into it, as far as the agent may see them: one query."""
    links = Q(follow_up_of_id=ticket.pk) | Q(merged_into_id=ticket.pk)
    targets = [pk for pk in (ticket.follow_up_of_id, ticket.merged_into_id) if pk is not None]
    if targets:
        links |= Q(pk__in=targets)
    return list(ticket_visible_qs(agent).filter(links).order_by("-created_at", "-id")[:20])


def custom_field_definitions(*, keys: Iterable[str] | None = None) -> list[CustomFieldDefinition]:
    """The active custom fields, by key; only those of `keys` when given."""
    qs = CustomFieldDefinition.objects.filter(active=True)
    if keys is not None:
        qs = qs.filter(key__in=list(keys))
    return list(qs.order_by("key"))
