import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .errors import UnknownScope
from .models import Agent, AgentSkill, ApiToken, Presence, Role, Skill, Team

User = get_user_model()

TOKEN_SCOPES = frozenset({"tickets:read", "tickets:write", "customers:read", "customers:write"})
TOKEN_PREFIX = "nd_"  # noqa: S105 - a public marker, not a secret


@transaction.atomic
def agent_create(
    *,
    email: str,
    name: str,
    role: str = Role.AGENT,
    password: str | None = None,
    teams: Iterable[Team] = (),
    languages: Iterable[str] = (),
    capacity: int = 20,
    is_service_account: bool = False,
) -> Agent:
    first, _sep, last = name.partition(" ")
    user = User(
        username=email.lower(),
        email=email.lower(),
        first_name=first,
        last_name=last,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    agent = Agent.objects.create(
        user=user,
        role=role,
        languages=list(languages),
        capacity=capacity,
        is_service_account=is_service_account,
    )
    agent.teams.set(list(teams))
    return agent


def team_create(*, name: str, description: str = "") -> Team:
    return Team.objects.create(name=name, slug=slugify(name), description=description)


def agent_set_skill(*, agent: Agent, skill_name: str, level: int) -> AgentSkill:
    skill, _created = Skill.objects.get_or_create(name=skill_name)
    agent_skill, _created = AgentSkill.objects.update_or_create(
        agent=agent, skill=skill, defaults={"level": level}
    )
    return agent_skill


def agent_set_presence(*, agent: Agent, presence: str) -> Agent:
    agent.presence = Presence(presence)
    agent.presence_changed_at = timezone.now()
    agent.save(update_fields=["presence", "presence_changed_at", "updated_at"])
    return agent


def token_digest(secret: str) -> str:
    # Tokens are 256-bit random: a fast hash is enough, and it keeps every API request cheap.
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, agent: Agent, name: str, scopes: Iterable[str]) -> tuple[ApiToken, str]:
    """Returns the token row and the plain secret, which is never stored or shown again."""
    scopes = sorted(set(scopes))
    unknown = set(scopes) - TOKEN_SCOPES
    if unknown:
        raise UnknownScope(
            _("Unknown scope(s): %(scopes)s") % {"scopes": ", ".join(sorted(unknown))},
            field="scopes",
        )
    prefix = secrets.token_hex(6)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        agent=agent, name=name, prefix=prefix, digest=token_digest(secret), scopes=scopes
    )
    return token, secret


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_touch(*, token: ApiToken) -> None:
    """Record use at most once a minute, so a busy integration does not write on every call."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
