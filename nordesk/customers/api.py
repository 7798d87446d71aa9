from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, field_validator

from nordesk.api.auth import acting_agent
from nordesk.api.types import DbId, reject_null
from nordesk.tickets import selectors as ticket_selectors
from nordesk.tickets.schemas import TicketOut

from . import selectors, services

router = Router(tags=["customers"])
organisations_router = Router(tags=["organisations"])

IdentityKindName = Literal["email", "phone", "chat", "social"]


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class IdentityOut(Schema):
    id: int
    kind: str
    address: str


class CustomerOut(Schema):
    id: int
    name: str
    organisation_id: int | None
    language: str
    notes: str
    identities: list[IdentityOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_identities(obj) -> list:
        return list(obj.identities.all())


class CustomerPage(Schema):
    items: list[CustomerOut]
    next_after: int | None


class IdentityIn(StrictSchema):
    kind: IdentityKindName
    address: str = Field(..., min_length=1, max_length=320)


class CustomerCreate(StrictSchema):
    name: str = Field(..., min_length=1, max_length=200)
    organisation: DbId | None = None
    language: str = Field("", max_length=8)
    notes: str = Field("", max_length=10_000)
    identities: list[IdentityIn] = Field(default_factory=list, max_length=20)


class CustomerUpdate(StrictSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    organisation: DbId | None = None
    language: str | None = Field(None, max_length=8)
    notes: str | None = Field(None, max_length=10_000)

    @field_validator("name", "language", "notes", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return reject_null(value)


class MergeIn(StrictSchema):
    into: DbId


class CustomerQuery(Schema):
    q: str = Field("", max_length=200)
    after: DbId | None = None
    limit: int = Field(25, ge=1, le=100)


class ThreadMessageOut(Schema):
    id: int
    ticket_id: int
    ticket_number: int
    direction: str
    author_kind: str
    visibility: str
    channel: str
    text: str
    created_at: datetime

    @staticmethod
    def resolve_ticket_number(obj) -> int:
        return obj.ticket.number


class Customer360(Schema):
    customer: CustomerOut
    tickets: list[TicketOut]
    messages: list[ThreadMessageOut]
    channels: list[str]


class OrganisationOut(Schema):
    id: int
    name: str
    domain: str
    notes: str


class OrganisationIn(StrictSchema):
    name: str = Field(..., min_length=1, max_length=200)
    domain: str = Field("", max_length=200)
    notes: str = Field("", max_length=10_000)


class OrganisationUpdate(StrictSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    domain: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=10_000)

    @field_validator("name", "domain", "notes", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return reject_null(value)


def _changes(agent, payload: Schema) -> dict[str, Any]:
    changes = payload.model_dump(exclude_unset=True)
    if changes.get("organisation") is not None:
        changes["organisation"] = selectors.organisation_get_for_agent(
            agent=agent, organisation_id=changes["organisation"]
        )
    return changes


@router.get("", response=CustomerPage, summary="Customers, newest first")
def customer_list(request: HttpRequest, query: Query[CustomerQuery]):
    agent = acting_agent(request, "customers:read")
    items, next_after = selectors.customer_list_for_agent(
        agent=agent, text=query.q, after_id=query.after, limit=query.limit
    )
    return {"items": items, "next_after": next_after}


@router.post("", response={201: CustomerOut}, summary="Create a customer")
def customer_create(request: HttpRequest, payload: CustomerCreate):
    agent = acting_agent(request, "customers:write", writes=True)
    changes = _changes(agent, payload)
    customer = services.customer_create(
        name=payload.name,
        organisation=changes.get("organisation"),
        language=payload.language,
        notes=payload.notes,
        identities=[(i.kind, i.address) for i in payload.identities],
    )
    return Status(201, selectors.customer_get_for_agent(agent=agent, customer_id=customer.pk))


@router.get("/{int:customer_id}", response=CustomerOut, summary="A customer")
def customer_get(request: HttpRequest, customer_id: DbId):
    agent = acting_agent(request, "customers:read")
    return selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)


@router.patch("/{int:customer_id}", response=CustomerOut, summary="Change a customer")
def customer_update(request: HttpRequest, customer_id: DbId, payload: CustomerUpdate):
    agent = acting_agent(request, "customers:write", writes=True)
    customer = selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)
    services.customer_update(customer=customer, changes=_changes(agent, payload), actor=agent.user)
    return selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)


@router.delete(
    "/{int:customer_id}", response={204: None}, summary="Delete a customer without tickets"
)
def customer_delete(request: HttpRequest, customer_id: DbId):
    agent = acting_agent(request, "customers:write", writes=True)
    customer = selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)
    services.customer_delete(customer=customer)
    return Status(204, None)


@router.post(
    "/{int:customer_id}/identities", response={201: IdentityOut}, summary="Add an identity"
)
def identity_add(request: HttpRequest, customer_id: DbId, payload: IdentityIn):
    agent = acting_agent(request, "customers:write", writes=True)
    customer = selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)
    identity = services.customer_add_identity(
        customer=customer, kind=payload.kind, address=payload.address
    )
    return Status(201, identity)


@router.delete(
    "/{int:customer_id}/identities/{int:identity_id}",
    response={204: None},
    summary="Remove an identity",
)
def identity_remove(request: HttpRequest, customer_id: DbId, identity_id: DbId):
    agent = acting_agent(request, "customers:write", writes=True)
    identity = selectors.identity_get_for_agent(
        agent=agent, customer_id=customer_id, identity_id=identity_id
    )
    services.customer_remove_identity(identity=identity)
    return Status(204, None)


@router.post(
    "/{int:customer_id}/merge", response=CustomerOut, summary="Merge into another customer"
)
def customer_merge(request: HttpRequest, customer_id: DbId, payload: MergeIn):
    agent = acting_agent(request, "customers:write", writes=True)
    source = selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)
    target = selectors.customer_get_for_agent(agent=agent, customer_id=payload.into)
    services.customer_merge(source=source, target=target, actor=agent.user)
    return selectors.customer_get_for_agent(agent=agent, customer_id=target.pk)


@router.get(
    "/{int:customer_id}/360",
    response=Customer360,
    summary="Everything about a customer: every ticket and message on every channel",
)
def customer_360(request: HttpRequest, customer_id: DbId):
    agent = acting_agent(request, "customers:read")
    acting_agent(request, "tickets:read")
    customer = selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)
    tickets = ticket_selectors.tickets_for_customer(agent=agent, customer_id=customer.pk)
    messages = ticket_selectors.messages_for_customer(agent=agent, customer_id=customer.pk)
    return {
        "customer": customer,
        "tickets": tickets,
        "messages": messages,
        "channels": sorted({t.channel for t in tickets}),
    }


@organisations_router.get("", response=list[OrganisationOut], summary="Organisations")
def organisation_list(request: HttpRequest, q: str = ""):
    agent = acting_agent(request, "customers:read")
    return selectors.organisation_list_for_agent(agent=agent, text=q[:200])[:500]


@organisations_router.post("", response={201: OrganisationOut}, summary="Create an organisation")
def organisation_create(request: HttpRequest, payload: OrganisationIn):
    acting_agent(request, "customers:write", writes=True)
    return Status(201, services.organisation_create(**payload.model_dump()))


@organisations_router.get("/{int:organisation_id}", response=OrganisationOut)
def organisation_get(request: HttpRequest, organisation_id: DbId):
    agent = acting_agent(request, "customers:read")
    return selectors.organisation_get_for_agent(agent=agent, organisation_id=organisation_id)


@organisations_router.patch("/{int:organisation_id}", response=OrganisationOut)
def organisation_update(request: HttpRequest, organisation_id: DbId, payload: OrganisationUpdate):
    agent = acting_agent(request, "customers:write", writes=True)
    organisation = selectors.organisation_get_for_agent(
        agent=agent, organisation_id=organisation_id
    )
    return services.organisation_update(
        organisation=organisation,
        changes=payload.model_dump(exclude_unset=True),
        actor=agent.user,
    )
