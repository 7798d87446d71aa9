import hmac

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from .models import Agent, ApiToken, Team
from .services import TOKEN_PREFIX, token_digest


def agent_for_user(user: AbstractBaseUser | AnonymousUser) -> Agent | None:
    if not user.is_authenticated:
        return None
    try:
        return Agent.objects.select_related("user").get(user_id=user.pk)
    except Agent.DoesNotExist:
        return None


def agent_team_ids(agent: Agent) -> list[int]:
    return list(agent.teams.values_list("id", flat=True))


def team_list() -> QuerySet[Team]:
    return Team.objects.order_by("name")


def agent_list() -> QuerySet[Agent]:
    return (
        Agent.objects.select_related("user")
        .prefetch_related("teams", "skill_levels__skill")
        .filter(user__is_active=True, is_service_account=False)
        .order_by("user__first_name", "user__last_name", "id")
    )


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
