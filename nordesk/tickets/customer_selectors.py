"""Reads for a customer (the self-service portal), never for an agent: a customer sees the
tickets they asked and those they are in Cc on, and an organisation manager also those of
their organisation; of a ticket, only its public conversation. Outside that, a ticket does
not exist (NotFound)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from nordesk.core.errors import NotFound
from nordesk.core.selectors import first_row

from .listing import SORT_ORDERS, SORT_UPDATED, cursor_decode, cursor_encode
from .models import UNSOLVED, Attachment, Message, Participant, Ticket, Visibility


@dataclass(frozen=True)
class CustomerScope:
    """Whose tickets a signed-in customer may read: their own, those they are in Cc on
    (`cc_ticket_ids`), and with `organisation_id` (organisation managers) every ticket of
    that organisation."""

    customer_id: int
    organisation_id: int | None = None
    cc_ticket_ids: tuple[int, ...] = ()

    def q(self, prefix: str = "") -> Q:
        scope = Q(**{f"{prefix}customer_id": self.customer_id})
        if self.cc_ticket_ids:
            scope |= Q(**{f"{prefix}pk__in": self.cc_ticket_ids})
        if self.organisation_id is not None:
            scope |= Q(**{f"{prefix}organisation_id": self.organisation_id})
        return scope

    def may_reply(self, ticket: Ticket) -> bool:
        """The one who asked and those in Cc answer; an organisation manager only reads."""
        return ticket.customer_id == self.customer_id or ticket.pk in self.cc_ticket_ids


def customer_scope(*, customer_id: int, organisation_id: int | None = None) -> CustomerScope:
    """The scope of a customer, with the tickets they are in Cc on looked up first: a few,
    so the reads filter by the indexes of both the customer and the ticket ids. (An OR with
    a subquery would make PostgreSQL walk the whole list in its order to find them.)"""
    cc = Participant.objects.filter(customer_id=customer_id).values_list("ticket_id", flat=True)
    return CustomerScope(
        customer_id=customer_id, organisation_id=organisation_id, cc_ticket_ids=tuple(sorted(cc))
    )


def _tickets(scope: CustomerScope) -> QuerySet[Ticket]:
    return Ticket.objects.filter(scope.q())


def ticket_page_for_customer(
    *, scope: CustomerScope, cursor: str | None = None, limit: int = 20
) -> tuple[list[Ticket], str | None]:
    """Most recently updated first; the cursor of the next page (keyset, as the inbox)."""
    order = SORT_ORDERS[SORT_UPDATED]
    qs = _tickets(scope)
    if cursor:
        qs = qs.filter(order.after(cursor_decode(order, cursor)))
    rows = list(qs.select_related("customer").order_by(*order.ordering())[: limit + 1])
    next_cursor = cursor_encode(order, rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor


def ticket_get_for_customer(*, scope: CustomerScope, number: int) -> Ticket:
    ticket = first_row(_tickets(scope).select_related("customer").filter(number=number))
    if ticket is None:
        raise NotFound(_("Ticket not found."))
    return ticket


def ticket_solvable_by_customer(*, scope: CustomerScope, ticket: Ticket) -> bool:
    """Whether the portal offers "mark as solved": the customer's own ticket, not done yet."""
    return ticket.customer_id == scope.customer_id and ticket.status in UNSOLVED


def public_messages_for_customer(*, ticket: Ticket) -> list[Message]:
    """The conversation the customer takes part in: never an internal note. Call with a
    ticket from `ticket_get_for_customer`."""
    return list(
        ticket.messages.filter(visibility=Visibility.PUBLIC)
        .select_related("author_user")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )


def attachment_get_for_customer(
    *, scope: CustomerScope, number: int, attachment_id: int
) -> Attachment:
    """A file of a public message on one of the customer's tickets."""
    attachment = first_row(
        Attachment.objects.filter(
            scope.q("message__ticket__"),
            pk=attachment_id,
            message__ticket__number=number,
            message__visibility=Visibility.PUBLIC,
        )
    )
    if attachment is None:
        raise NotFound(_("Attachment not found."))
    return attachment
