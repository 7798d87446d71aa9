"""Routing rules for admins, and why a ticket went where it did for anyone who sees it."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, field_validator

from nordesk.api.auth import acting_admin, acting_agent
from nordesk.api.types import DbId, reject_null
from nordesk.tickets import selectors as ticket_selectors

from . import selectors, services
from .errors import DecisionNotFound, RuleNotFound
from .models import RoutingRule

router = Router(tags=["routing"])


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class RuleOut(Schema):
    id: int
    name: str
    position: int
    is_active: bool
    conditions: dict[str, Any]
    team_id: int
    created_at: datetime
    updated_at: datetime


class RuleIn(StrictSchema):
    name: str = Field(..., min_length=1, max_length=100)
    conditions: dict[str, Any]
    team: DbId
    is_active: bool = True


class RuleUpdate(StrictSchema):
    name: str | None = Field(None, min_length=1, max_length=100)
    conditions: dict[str, Any] | None = None
    team: DbId | None = None
    is_active: bool | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Leaving a field out keeps it; null clears nothing here.
        return reject_null(value)


class OrderIn(StrictSchema):
    rule_ids: list[DbId] = Field(..., max_length=10_000)


class DecisionOut(Schema):
    ticket_id: int
    rule_id: int | None
    rule_name: str
    team_id: int | None
    trace: list[dict[str, Any]]
    created_at: datetime


def _admin(request: HttpRequest, *, writes: bool = False):
    return acting_admin(request, writes=writes, refusal=_("Only admins manage routing rules."))


def _rule(rule_id: int) -> RoutingRule:
    rule = selectors.rule_get(rule_id=rule_id)
    if rule is None:
        raise RuleNotFound()
    return rule


def _fields(payload: Schema) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    if "team" in data:
        data["team_id"] = data.pop("team")
    return data


@router.get("/rules", response=list[RuleOut])
def rules_list(request: HttpRequest):
    """Every rule in the order they are tried."""
    _admin(request)
    return list(selectors.rule_list())


@router.post("/rules", response={201: RuleOut})
def rules_create(request: HttpRequest, payload: RuleIn):
    """A new rule, tried after the existing ones."""
    _admin(request, writes=True)
    return Status(201, services.rule_create(**_fields(payload)))


@router.put("/rules/order", response=list[RuleOut])
def rules_reorder(request: HttpRequest, payload: OrderIn):
    """Names every rule once, in the order they are to be tried. Declared before
    /rules/{rule_id}: Django tries the paths in order and "order" is no id."""
    _admin(request, writes=True)
    return services.rules_reorder(rule_ids=payload.rule_ids)


@router.patch("/rules/{rule_id}", response=RuleOut)
def rules_update(request: HttpRequest, rule_id: DbId, payload: RuleUpdate):
    _admin(request, writes=True)
    return services.rule_update(rule=_rule(rule_id), changes=_fields(payload))


@router.delete("/rules/{rule_id}", response={204: None})
def rules_delete(request: HttpRequest, rule_id: DbId):
    _admin(request, writes=True)
    services.rule_delete(rule=_rule(rule_id))
    return Status(204, None)


@router.get("/tickets/{ticket_id}/decision", response=DecisionOut)
def ticket_decision(request: HttpRequest, ticket_id: DbId):
    """Why the ticket went to its team: for every agent who can see the ticket."""
    agent = acting_agent(request, "tickets:read")
    ticket = ticket_selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    decision = selectors.decision_for_ticket(ticket_id=ticket.pk)
    if decision is None:
        raise DecisionNotFound()
    return decision
