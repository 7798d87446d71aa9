"""Customers are visible to an agent who can see at least one of their tickets, or who have
none yet (admins and supervisors: all). Outside that, a customer does not exist for the caller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from nordesk.core.errors import NotFound
from nordesk.tickets import selectors as ticket_selectors

from .models import Customer, Identity, Organisation

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent


def customer_visible_qs(agent: Agent) -> QuerySet[Customer]:
    qs = Customer.objects.filter(merged_into__isnull=True)
    if agent.sees_all_tickets:
        return qs
    # A customer with no ticket yet (just created) belongs to no team: every agent sees it.
    visible = ticket_selectors.ticket_visible_qs(agent).filter(customer_id=OuterRef("pk"))
    any_ticket = ticket_selectors.ticket_ids_for_customer_qs(customer_ref=OuterRef("pk"))
    return qs.filter(Exists(visible) | ~Exists(any_ticket))


def customer_list_for_agent(
    *, agent: Agent, text: str = "", after_id: int | None = None, limit: int = 25
) -> tuple[list[Customer], int | None]:
    qs = customer_visible_qs(agent)
    text = text.strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text) | Q(identities__address__icontains=text.lower())
        ).distinct()
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
    qs = organisation_visible_qs(agent)
    if text.strip():
        qs = qs.filter(name__icontains=text.strip())
    return qs.order_by("name")


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
