import re
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts.errors import RoleForbids
from nordesk.core.errors import Invalid
from nordesk.core.events import emit
from nordesk.core.selectors import raw_rows
from nordesk.core.services import model_update, rows_insert

from . import selectors
from .errors import (
    CustomerAlreadyMerged,
    CustomerHasTickets,
    IdentityTaken,
    InvalidAddress,
    MergeIntoSelf,
    OrganisationNameTaken,
)
from .models import Customer, Identity, IdentityKind, Organisation

EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
PHONE_RE = re.compile(r"^\+?[0-9]{5,20}$")
DOMAIN_RE = re.compile(r"^(?=.{1,200}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$")
TIER_RE = re.compile(r"^[-a-zA-Z0-9_]{0,32}$")

CUSTOMER_FIELDS = frozenset({"name", "organisation", "language", "notes"})
ORGANISATION_FIELDS = frozenset({"name", "domain", "notes", "tier"})
MERGE_FIELDS = frozenset({"merged_into"})


def identity_normalise(*, kind: str, address: str) -> str:
    address = address.strip()
    if kind == IdentityKind.EMAIL:
        address = address.lower()
        if not EMAIL_RE.match(address) or len(address) > 320:
            raise InvalidAddress(field="address")
    elif kind == IdentityKind.PHONE:
        address = re.sub(r"[\s().-]", "", address)
        if address.startswith("00"):
            address = "+" + address[2:]
        if not PHONE_RE.match(address):
            raise InvalidAddress(field="address")
    elif kind in (IdentityKind.CHAT, IdentityKind.SOCIAL):
        if not address or len(address) > 320:
            raise InvalidAddress(field="address")
    else:
        raise InvalidAddress(_("Unknown identity kind %(kind)r.") % {"kind": kind}, field="kind")
    return address


def identity_is_valid(*, kind: str, address: str) -> bool:
    try:
        identity_normalise(kind=kind, address=address)
    except InvalidAddress:
        return False
    return True


ORGANISATION_BY_DOMAIN_SQL = (
    f"SELECT id FROM {Organisation._meta.db_table} WHERE domain = %s LIMIT 1"  # noqa: S608
)


def _organisation_for_email(address: str) -> int | None:
    """The id of the organisation whose email domain the address has, if one has."""
    domain = address.rpartition("@")[2]
    rows = raw_rows(ORGANISATION_BY_DOMAIN_SQL, [domain]) if domain else []
    return rows[0][0] if rows else None


def customer_resolve(
    *, kind: str, address: str, name: str = "", language: str = ""
) -> tuple[Customer, bool]:
    """The customer who owns (kind, address), created with that identity if nobody does.
    Returns (customer, created). Call inside a transaction: a concurrent creator of the same
    identity makes the insert fail, and the caller's retry then finds it."""
    address = identity_normalise(kind=kind, address=address)
    customer = selectors.customer_by_identity(kind=kind, address=address)
    if customer is not None:
        if name.strip() and not customer.name:
            customer.name = name.strip()[:200]
            customer.save(update_fields=["name"])
        return customer, False
    organisation_id = _organisation_for_email(address) if kind == IdentityKind.EMAIL else None
    customer = Customer(name=name.strip()[:200], language=language, organisation_id=organisation_id)
    rows_insert([customer])
    rows_insert([Identity(customer=customer, kind=kind, address=address)])
    return customer, True


@transaction.atomic
def customer_create(
    *,
    name: str,
    identities: Iterable[tuple[str, str]] = (),
    organisation: Organisation | None = None,
    language: str = "",
    notes: str = "",
) -> Customer:
    customer = Customer.objects.create(
        name=name, organisation=organisation, language=language, notes=notes
    )
    for kind, address in identities:
        customer_add_identity(customer=customer, kind=kind, address=address)
    return customer


def ensure_actor_may_edit(actor: User | None) -> None:
    """Light agents read customers and organisations; changing them needs a full agent."""
    if not account_selectors.actor_may_change(actor):
        raise RoleForbids(_("Light agents can read customers but not change them."))


def customer_update(*, customer: Customer, changes: dict[str, Any], actor: User | None) -> Customer:
    ensure_actor_may_edit(actor)
    model_update(instance=customer, changes=changes, allowed=CUSTOMER_FIELDS)
    emit("customer_changed", customer_id=customer.pk)
    return customer


def customer_add_identity(*, customer: Customer, kind: str, address: str) -> Identity:
    address = identity_normalise(kind=kind, address=address)
    try:
        with transaction.atomic():
            identity = Identity.objects.create(customer=customer, kind=kind, address=address)
    except IntegrityError as exc:
        raise IdentityTaken(field="address") from exc
    emit("customer_changed", customer_id=customer.pk)
    return identity


def customer_remove_identity(*, identity: Identity) -> None:
    identity.delete()
    emit("customer_changed", customer_id=identity.customer_id)


@transaction.atomic
def customer_merge(*, source: Customer, target: Customer, actor: User | None) -> Customer:
    """Moves every identity, ticket and message of `source` to `target`; `source` stays as a
    pointer (merged_into) so old links still lead somewhere."""
    ensure_actor_may_edit(actor)
    if source.pk == target.pk:
        raise MergeIntoSelf()
    # Locked and read again: of two merges of the same profile sent at once, the second
    # finds it merged.
    locked = Customer.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    if len(locked) != 2 or any(row.merged_into_id is not None for row in locked):
        raise CustomerAlreadyMerged()
    Identity.objects.filter(customer=source).update(customer=target)
    emit("customer_merged", source_id=source.pk, target_id=target.pk, actor=actor)
    model_update(
        instance=target,
        changes={
            "organisation": target.organisation or source.organisation,
            "language": target.language or source.language,
        },
        allowed=CUSTOMER_FIELDS,
    )
    model_update(instance=source, changes={"merged_into": target}, allowed=MERGE_FIELDS)
    return target


def organisation_create(*, name: str, domain: str = "", notes: str = "") -> Organisation:
    try:
        with transaction.atomic():
            return Organisation.objects.create(
                name=name.strip(), domain=domain.lower().strip(), notes=notes
            )
    except IntegrityError as exc:
        raise OrganisationNameTaken(field="name") from exc


def _organisation_changes_clean(changes: dict[str, Any]) -> dict[str, Any]:
    changes = dict(changes)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        if not changes["name"]:
            raise Invalid(_("An organisation needs a name."), field="name")
    if "domain" in changes:
        changes["domain"] = changes["domain"].lower().strip()
        if changes["domain"] and not DOMAIN_RE.match(changes["domain"]):
            raise Invalid(_("Give an email domain such as example.no, without @."), field="domain")
    if "tier" in changes and not TIER_RE.match(changes["tier"]):
        raise Invalid(
            _("A tier is one word of letters, digits, - and _ (at most 32)."), field="tier"
        )
    return changes


def organisation_update(
    *, organisation: Organisation, changes: dict[str, Any], actor: User | None
) -> Organisation:
    ensure_actor_may_edit(actor)
    changes = _organisation_changes_clean(changes)
    try:
        with transaction.atomic():
            model_update(instance=organisation, changes=changes, allowed=ORGANISATION_FIELDS)
    except IntegrityError as exc:
        raise OrganisationNameTaken(field="name") from exc
    return organisation


def customer_delete(*, customer: Customer) -> None:
    try:
        with transaction.atomic():
            customer.delete()
    except ProtectedError as exc:
        raise CustomerHasTickets() from exc
