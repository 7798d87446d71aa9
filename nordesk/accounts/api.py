from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from nordesk.api.auth import acting_admin, acting_agent
from nordesk.api.types import DbId
from nordesk.core.errors import NotFound

from . import selectors, services

router = Router(tags=["directory"])


class TeamOut(Schema):
    id: int
    name: str
    slug: str
    description: str


class SkillLevelOut(Schema):
    skill: str
    level: int

    @staticmethod
    def resolve_skill(obj) -> str:
        return obj.skill.name


class AgentOut(Schema):
    id: int
    name: str
    email: str
    role: str
    team_ids: list[int]
    languages: list[str]
    skills: list[SkillLevelOut]
    capacity: int
    channel_capacity: dict[str, int]
    presence: str

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.user_id

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)

    @staticmethod
    def resolve_email(obj) -> str:
        return obj.user.email

    @staticmethod
    def resolve_team_ids(obj) -> list[int]:
        return [team.pk for team in obj.teams.all()]

    @staticmethod
    def resolve_skills(obj) -> list:
        return list(obj.skill_levels.all())


@router.get("/teams", response=list[TeamOut], tags=["directory"], summary="Teams")
def team_list(request: HttpRequest):
    acting_agent(request, "tickets:read")
    return selectors.team_list()


@router.get("/agents", response=list[AgentOut], summary="Agents (id is the user id)")
def agent_list(request: HttpRequest):
    acting_agent(request, "tickets:read")
    return selectors.agent_list()


class PresenceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    presence: Literal["online", "away", "offline"]


class CapacityIn(Schema):
    """Leave a field out to keep it. `channel_capacity` replaces the per-kind limits, e.g.
    {"chat": 3}; kinds not named use `capacity`."""

    model_config = ConfigDict(extra="forbid")

    capacity: int | None = Field(None, ge=0, le=500)
    channel_capacity: dict[Literal["email", "chat", "messaging", "phone"], int] | None = None


@router.put("/agents/me/presence", response=AgentOut, summary="Go online, away or offline")
def presence_set(request: HttpRequest, payload: PresenceIn):
    """Online agents get tickets from their teams' queues; away and offline agents none."""
    agent = acting_agent(request, "tickets:read")
    services.agent_set_presence(agent=agent, presence=payload.presence)
    return selectors.agent_list().get(pk=agent.pk)


@router.patch("/agents/{user_id}/capacity", response=AgentOut, summary="An agent's capacity")
def capacity_set(request: HttpRequest, user_id: DbId, payload: CapacityIn):
    acting_admin(request, writes=True, refusal=_("Only admins set agents' capacity."))
    agent = selectors.agent_list().filter(user_id=user_id).first()
    if agent is None:
        raise NotFound(_("No such agent."))
    services.agent_set_capacity(agent=agent, **payload.model_dump(exclude_unset=True))
    return selectors.agent_list().get(pk=agent.pk)
