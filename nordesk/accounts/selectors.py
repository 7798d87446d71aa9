import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, QuerySet

from nordesk.core.config_cache import config_cached

from .models import (
    CHANNELS_OF_KIND,
    KIND_OF_CHANNEL,
    Agent,
    AgentSkill,
    ApiToken,
    AssignmentStrategy,
    ChannelKind,
    Role,
    Team,
)
from .services import TOKEN_PREFIX, token_digest

TEAM_IDS = "_team_ids"


def agent_for_user(user: AbstractBaseUser | AnonymousUser) -> Agent | None:
    if not user.is_authenticated:
        return None
    try:
        return Agent.objects.select_related("user").get(user_id=user.pk)
    except Agent.DoesNotExist:
        return None


def agent_team_ids(agent: Agent) -> list[int]:
    """Read once per Agent object, that is per request: a page asks for it for the agent's
    scope and again for each view it counts. (An agent's teams change on the settings pages,
    never in the middle of one of their own requests.)"""
    if TEAM_IDS not in agent.__dict__:
        agent.__dict__[TEAM_IDS] = list(agent.teams.values_list("id", flat=True))
    return agent.__dict__[TEAM_IDS]


def team_list() -> QuerySet[Team]:
    return Team.objects.order_by("name")


def agents_by_name() -> QuerySet[Agent]:
    """Active people (no service accounts) with their users, for choosing one by name."""
    return (
        Agent.objects.select_related("user")
        .filter(user__is_active=True, is_service_account=False)
        .order_by("user__first_name", "user__last_name", "id")
    )


def agent_list() -> QuerySet[Agent]:
    return agents_by_name().prefetch_related("teams", "skill_levels__skill")


def token_authenticate(secret: str) -> ApiToken | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    prefix = secret[len(TOKEN_PREFIX) :].split("_", 1)[0]
    token = (
        ApiToken.objects.select_related("agent__user")
        .filter(prefix=prefix, revoked_at__isnull=True, agent__user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, token_digest(secret)):
        return None
    return token


def agent_by_user_id(user_id: int) -> Agent | None:
    return Agent.objects.filter(user_id=user_id, user__is_active=True).first()


def actor_may_change(user: AbstractBaseUser | None) -> bool:
    """Whether `user` may change tickets and customers: a full agent, not a light one. `None`
    is the system itself (imports, automations)."""
    if user is None:
        return True
    agent = agent_by_user_id(user.pk)
    return agent is not None and agent.can_reply


def team_get(*, team_id: int) -> Team | None:
    return Team.objects.filter(pk=team_id).first()


def team_exists(team_id: int) -> bool:
    return Team.objects.filter(pk=team_id).exists()


def team_signature(team_id: int | None) -> str:
    if team_id is None:
        return ""
    return Team.objects.filter(pk=team_id).values_list("signature", flat=True).first() or ""


def agent_by_email(email: str) -> Agent | None:
    return Agent.objects.select_related("user").filter(user__email=email.strip().lower()).first()


def token_list() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("agent__user").order_by("id")


def token_by_prefix(prefix: str) -> ApiToken | None:
    return ApiToken.objects.filter(prefix=prefix).first()


@dataclass(frozen=True, slots=True)
class TeamRouting:
    """How a team hands out its queue."""

    id: int
    name: str
    strategy: str
    relax_after_minutes: int | None
    overflow_after_minutes: int | None
    backup_team_id: int | None


TEAM_ROUTING_FIELDS = (
    "id",
    "name",
    "strategy",
    "relax_after_minutes",
    "overflow_after_minutes",
    "backup_team_id",
)


TEAMS_ROUTING = "accounts:teams-routing"


def _teams_routing_load() -> dict[int, TeamRouting]:
    return {row["id"]: TeamRouting(**row) for row in Team.objects.values(*TEAM_ROUTING_FIELDS)}


def team_routing(team_id: int) -> TeamRouting | None:
    """Read through the configuration cache: every assignment and every new ticket asks."""
    return config_cached(TEAMS_ROUTING, _teams_routing_load).get(team_id)


AGENT_SKILLS = "accounts:agent-skills"


def _agent_skills_load() -> dict[int, dict[str, int]]:
    skills: dict[int, dict[str, int]] = {}
    for user_id, name, level in AgentSkill.objects.values_list(
        "agent__user_id", "skill__name", "level"
    ):
        skills.setdefault(user_id, {})[name] = level
    return skills


def agent_skills() -> Mapping[int, Mapping[str, int]]:
    """user id → skill name → level, for every agent; through the configuration cache."""
    return config_cached(AGENT_SKILLS, _agent_skills_load)


def agent_team_ids_of_user(user_id: int) -> list[int]:
    return list(Team.objects.filter(agents__user_id=user_id).values_list("id", flat=True))


def kind_of_channel(channel: str) -> str:
    """The capacity kind a ticket channel counts against."""
    return KIND_OF_CHANNEL.get(channel, ChannelKind.EMAIL)


def channels_of_kind(kind: str) -> tuple[str, ...]:
    return CHANNELS_OF_KIND[kind]


CAPACITY_KINDS = tuple(CHANNELS_OF_KIND)
# Roles that may read and comment but never own a ticket.
ROLES_WITHOUT_TICKETS = (Role.LIGHT_AGENT.value,)


def agents_taking_tickets() -> QuerySet[Agent]:
    return agents_by_name().exclude(role__in=ROLES_WITHOUT_TICKETS)


def teams_dispatched() -> frozenset[int]:
    """Teams whose queues routing works on: an assignment strategy or an overflow wait."""
    return frozenset(
        team.id
        for team in config_cached(TEAMS_ROUTING, _teams_routing_load).values()
        if team.strategy != AssignmentStrategy.MANUAL
        or (team.overflow_after_minutes is not None and team.backup_team_id is not None)
    )


def agent_signature(user_id: int | None) -> str:
    """The personal signature the agent set on their profile ("" for none or no agent)."""
    if user_id is None:
        return ""
    return Agent.objects.filter(user_id=user_id).values_list("signature", flat=True).first() or ""


def users_muting(*, user_ids: list[int], kind: str) -> set[int]:
    """Which of `user_ids` muted notifications of `kind` on their profile. One query; the
    muted kinds are a JSON list, which SQLite cannot search, so they are read and checked."""
    rows = Agent.objects.filter(user_id__in=user_ids).values_list("user_id", "muted_notifications")
    return {user_id for user_id, muted in rows if kind in (muted or ())}


def presence_counts() -> dict[str, int]:
    """How many active agents (no service accounts) are online, away and offline, in one
    query."""
    rows = (
        Agent.objects.filter(user__is_active=True, is_service_account=False)
        .values("presence")
        .annotate(agents=Count("id"))
        .order_by()
    )
    return {row["presence"]: row["agents"] for row in rows}


def user_names(user_ids: list[int]) -> dict[int, str]:
    """Each user's full name (else their email) by user id, for labelling figures."""
    from django.contrib.auth import get_user_model

    rows = get_user_model().objects.filter(pk__in=user_ids)
    return {
        row.pk: (f"{row.first_name} {row.last_name}".strip() or row.email)
        for row in rows.only("first_name", "last_name", "email")
    }
