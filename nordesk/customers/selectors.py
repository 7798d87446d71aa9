"""Customers are visible to an agent who can see at least one of their tickets, or who have
none yet (admins and supervisors: all). Outside that, a customer does not exist for the caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from nordesk.core.errors import NotFound
from nordesk.core.selectors import columns_of, first_row, model_from_row, raw_rows
from nordesk.tickets import selectors as ticket_selectors

from .models import Customer, Identity, Organisation

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent
    from nordesk.tickets.models import Ticket


def customer_visible_qs(agent: Agent) -> QuerySet[Customer]:
    qs = Customer.objects.filter(merged_into__isnull=True)
    if agent.sees_all_tickets:
        return qs
    # A customer with no ticket yet (just created) belongs to no team: every agent sees it.
    visible = ticket_selectors.ticket_visible_qs(agent).filter(customer_id=OuterRef("pk"))
    any_ticket = ticket_selectors.ticket_ids_for_customer_qs(customer_ref=OuterRef("pk"))
    return qs.filter(Exists(visible) | ~Exists(any_ticket))


def customer_list_for_agent(
    *,
    agent: Agent,
    text: str = "",
    after_id: int | None = None,
    limit: int = 25,
    organisation_id: int | None = None,
) -> tuple[list[Customer], int | None]:
    """The customers the agent may see whose name or any address (email, phone, chat,
    social) holds `text`, in any case, newest first; a page ends at `limit` and the id to
    continue after is returned (keyset: never OFFSET)."""
    qs = customer_visible_qs(agent)
    text = text.strip()
    if text:
        address = Identity.objects.filter(
            customer_id=OuterRef("pk"), address__icontains=text.lower()
        )
        qs = qs.filter(Q(name__icontains=text) | Exists(address))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if after_id is not None:
        qs = qs.filter(id__lt=after_id)
    rows = list(
        qs.select_related("organisation")
        .prefetch_related("identities")
        .order_by("-id")[: limit + 1]
    )
    next_after = rows[limit - 1].pk if len(rows) > limit else None
    return rows[:limit], next_after


def customer_get_for_agent(*, agent: Agent, customer_id: int) -> Customer:
    customer = (
        customer_visible_qs(agent)
        .select_related("organisation")
        .prefetch_related("identities")
        .filter(pk=customer_id)
        .first()
    )
    if customer is None:
        raise NotFound(_("Customer not found."))
    return customer


def identity_get_for_agent(*, agent: Agent, customer_id: int, identity_id: int) -> Identity:
    customer = customer_get_for_agent(agent=agent, customer_id=customer_id)
    identity = customer.identities.filter(pk=identity_id).first()
    if identity is None:
        raise NotFound(_("Identity not found."))
    return identity


# The intake's first read, written by hand (see core.selectors.raw_rows): the ORM took three
# times as long to build it as SQLite to run it.
CUSTOMER_BY_IDENTITY_SQL = (
    f"SELECT {columns_of(Customer, 'c')} FROM {Customer._meta.db_table} c "  # noqa: S608
    f"JOIN {Identity._meta.db_table} i ON i.customer_id = c.id "
    "WHERE i.kind = %s AND i.address = %s"
)


def customer_by_identity(*, kind: str, address: str) -> Customer | None:
    """The customer who owns (kind, address), an address already normalised."""
    rows = raw_rows(CUSTOMER_BY_IDENTITY_SQL, [kind, address])
    return model_from_row(Customer, rows[0]) if rows else None


def customer_by_email(address: str) -> Customer | None:
    """The customer (not merged away) whose email identity is `address`, in any case; None
    for an address nobody has, or one that is not an address."""
    return first_row(
        Customer.objects.filter(
            identities__kind="email",
            identities__address=address.strip().lower(),
            merged_into__isnull=True,
        )
    )


def customer_primary_address(*, customer_id: int, kind: str) -> str | None:
    return (
        Identity.objects.filter(customer_id=customer_id, kind=kind)
        .order_by("id")
        .values_list("address", flat=True)
        .first()
    )


def customer_primary_addresses(*, customer_ids: list[int], kind: str) -> list[str]:
    """Each customer's first address of `kind`, in one query (customers without one are left
    out)."""
    first: dict[int, str] = {}
    rows = (
        Identity.objects.filter(customer_id__in=customer_ids, kind=kind)
        .order_by("id")
        .values_list("customer_id", "address")
    )
    for customer_id, address in rows:
        first.setdefault(customer_id, address)
    return list(first.values())


def organisation_visible_qs(agent: Agent) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if agent.sees_all_tickets:
        return qs
    visible = ticket_selectors.ticket_visible_qs(agent).filter(organisation_id=OuterRef("pk"))
    any_ticket = ticket_selectors.ticket_ids_for_organisation_qs(organisation_ref=OuterRef("pk"))
    return qs.filter(Exists(visible) | ~Exists(any_ticket))


def organisation_list_for_agent(*, agent: Agent, text: str = "") -> QuerySet[Organisation]:
    """Visible organisations whose name or email domain holds `text`, by name."""
    qs = organisation_visible_qs(agent)
    text = text.strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(domain__icontains=text.lower()))
    return qs.order_by("name", "id")


def organisation_page_for_agent(
    *, agent: Agent, text: str = "", after_name: str | None = None, limit: int = 25
) -> tuple[list[Organisation], str | None]:
    """One page of `organisation_list_for_agent`, with a customer count per organisation;
    names are unique, so the last name shown is the keyset cursor of the next page."""
    qs = organisation_list_for_agent(agent=agent, text=text)
    if after_name is not None:
        qs = qs.filter(name__gt=after_name)
    rows: list[Organisation] = list(
        qs.annotate(
            customer_total=Count("customers", filter=Q(customers__merged_into__isnull=True))
        )[: limit + 1]
    )
    next_after = rows[limit - 1].name if len(rows) > limit else None
    return rows[:limit], next_after


def organisation_tickets_for_agent(
    *, agent: Agent, organisation_id: int, limit: int = 50
) -> list[Ticket]:
    """The organisation's tickets the agent may see, newest first."""
    return list(
        ticket_selectors.ticket_visible_qs(agent)
        .filter(organisation_id=organisation_id)
        .select_related("customer", "team", "assignee")
        .prefetch_related("tags")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class MergePreview:
    """What merging `source` into `target` moves: every ticket (the agent may not see them
    all) and every identity."""

    ticket_count: int
    identities: list[Identity]


def customer_merge_preview(*, source: Customer) -> MergePreview:
    return MergePreview(
        ticket_count=ticket_selectors.ticket_ids_for_customer_qs(customer_ref=source.pk).count(),
        identities=list(source.identities.all()),
    )


def organisation_get_for_agent(*, agent: Agent, organisation_id: int) -> Organisation:
    organisation = organisation_visible_qs(agent).filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound(_("Organisation not found."))
    return organisation


def customer_count() -> int:
    """Customer profiles, not counting those merged into another."""
    return Customer.objects.filter(merged_into__isnull=True).count()


def organisation_tier(organisation_id: int) -> str:
    return (
        Organisation.objects.filter(pk=organisation_id).values_list("tier", flat=True).first() or ""
    )


def customer_merged_into(*, customer_id: int) -> int | None:
    """The profile a merged customer now lives on (followed to the end of a chain of merges),
    or None when the customer was not merged: old links lead there."""
    seen: set[int] = set()
    target = None
    while (
        next_id := Customer.objects.filter(pk=customer_id)
        .values_list("merged_into_id", flat=True)
        .first()
    ) is not None and next_id not in seen:
        seen.add(customer_id)
        target = customer_id = next_id
    return target


def organisation_names(organisation_ids: list[int]) -> dict[int, str]:
    """Names by id, for labelling figures (reports are for supervisors, who see all)."""
    return dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
