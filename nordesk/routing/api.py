"""Routing rules for admins, and why a ticket went where it did for anyone who sees it."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, field_validator

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts import services as account_services
from nordesk.api.auth import acting_admin, acting_agent
from nordesk.api.types import DbId, reject_null
from nordesk.core.errors import PermissionDenied
from nordesk.tickets import selectors as ticket_selectors

from . import selectors, services
from .errors import DecisionNotFound, RequirementNotFound, RuleNotFound, TeamNotFound
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
    """`trace`: for a team decision, every rule tried; for an agent, the strategy, the skills
    asked for and every candidate with load, capacity, score and why they were passed over."""

    ticket_id: int
    kind: str
    rule_id: int | None
    rule_name: str
    team_id: int | None
    assignee_id: int | None
    trace: list[dict[str, Any]] | dict[str, Any]
    created_at: datetime


class TeamRoutingOut(Schema):
    id: int
    name: str
    strategy: str
    relax_after_minutes: int | None
    overflow_after_minutes: int | None
    backup_team_id: int | None


class TeamRoutingIn(StrictSchema):
    """Leave a field out to keep it; null clears a wait or the backup team."""

    strategy: Literal["manual", "round_robin", "least_loaded", "skills"] | None = None
    relax_after_minutes: int | None = None
    overflow_after_minutes: int | None = None
    backup_team: DbId | None = None

    @field_validator("strategy", mode="before")
    @classmethod
    def _strategy_not_null(cls, value: Any) -> Any:
        return reject_null(value)


class QueueEntryOut(Schema):
    ticket_id: int
    number: int
    position: int
    priority: str
    sla_due_at: datetime | None
    waiting_minutes: int
    estimated_wait_minutes: int | None


class RequirementOut(Schema):
    id: int
    attribute: str
    value: str
    skill: str
    level: int

    @staticmethod
    def resolve_skill(obj) -> str:
        return obj.skill.name


class RequirementIn(StrictSchema):
    attribute: Literal["language", "category", "tier", "channel"]
    value: str = Field(..., min_length=1, max_length=64)
    skill: str = Field(..., min_length=1, max_length=100)
    level: int = Field(3, ge=1, le=5)


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


def _supervisor(request: HttpRequest):
    agent = acting_agent(request, "tickets:read")
    if not agent.sees_all_tickets:
        raise PermissionDenied(_("Only supervisors and admins see how tickets were routed."))
    return agent


def _team(team_id: int):
    team = account_selectors.team_get(team_id=team_id)
    if team is None:
        raise TeamNotFound()
    return team


@router.get("/tickets/{ticket_id}/decisions", response=list[DecisionOut])
def ticket_decisions(request: HttpRequest, ticket_id: DbId):
    """Every automatic decision about the ticket, newest first: supervisors and admins."""
    agent = _supervisor(request)
    ticket = ticket_selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    return selectors.decisions_for_ticket(ticket_id=ticket.pk)


@router.patch("/teams/{team_id}", response=TeamRoutingOut)
def team_routing_update(request: HttpRequest, team_id: DbId, payload: TeamRoutingIn):
    """The team's assignment strategy, skill relaxation wait, overflow wait and backup team."""
    _admin(request, writes=True)
    changes = payload.model_dump(exclude_unset=True)
    if "backup_team" in changes:
        changes["backup_team_id"] = changes.pop("backup_team")
    return account_services.team_set_routing(team=_team(team_id), changes=changes)


@router.get("/teams/{team_id}/queue", response=list[QueueEntryOut])
def team_queue(request: HttpRequest, team_id: DbId):
    """The team's unassigned tickets in the order they will be handed out, with the wait
    so far and an estimate of the wait left: for the team's agents and supervisors."""
    agent = acting_agent(request, "tickets:read")
    team = _team(team_id)
    if not agent.sees_all_tickets and team.pk not in account_selectors.agent_team_ids(agent):
        raise TeamNotFound()
    return selectors.queue_entries(team_id=team.pk, now=timezone.now())


@router.get("/skill-requirements", response=list[RequirementOut])
def requirements_list(request: HttpRequest):
    _admin(request)
    return list(selectors.skill_requirement_list())


@router.post("/skill-requirements", response={201: RequirementOut})
def requirements_create(request: HttpRequest, payload: RequirementIn):
    """Tickets with this language, category, tier or channel need the skill at the level in
    skills-based teams."""
    _admin(request, writes=True)
    return Status(201, services.skill_requirement_create(**payload.model_dump()))


@router.delete("/skill-requirements/{requirement_id}", response={204: None})
def requirements_delete(request: HttpRequest, requirement_id: DbId):
    _admin(request, writes=True)
    requirement = selectors.skill_requirement_get(requirement_id=requirement_id)
    if requirement is None:
        raise RequirementNotFound()
    services.skill_requirement_delete(requirement=requirement)
    return Status(204, None)


@router.get("/tickets/{ticket_id}/decision", response=DecisionOut)
def ticket_decision(request: HttpRequest, ticket_id: DbId):
    """Why the ticket went to its team (the latest team decision): for every agent who can see
    the ticket."""
    agent = acting_agent(request, "tickets:read")
    ticket = ticket_selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    decision = selectors.decision_for_ticket(ticket_id=ticket.pk)
    if decision is None:
        raise DecisionNotFound()
    return decision
