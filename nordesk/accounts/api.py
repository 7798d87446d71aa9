from django.http import HttpRequest
from ninja import Router, Schema

from nordesk.api.auth import acting_agent

from . import selectors

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
