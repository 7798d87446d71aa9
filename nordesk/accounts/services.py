import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nordesk.core.errors import Invalid
from nordesk.core.events import emit

from .errors import UnknownScope
from .models import (
    Agent,
    AgentSkill,
    ApiToken,
    AssignmentStrategy,
    ChannelKind,
    Presence,
    Role,
    Skill,
    Team,
)

User = get_user_model()

TOKEN_SCOPES = frozenset(
    {
        "tickets:read",
        "tickets:write",
        "customers:read",
        "customers:write",
        "kb:read",
        "kb:write",
        "analytics:read",
    }
)
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


@transaction.atomic
def agent_set_presence(*, agent: Agent, presence: str) -> Agent:
    """Online, away or offline; coming online tells routing, which offers the agent work."""
    agent.presence = Presence(presence)
    now = timezone.now()
    agent.presence_changed_at = now
    fields = ["presence", "presence_changed_at", "updated_at"]
    if agent.presence == Presence.ONLINE:
        agent.last_seen_at = now
        fields.append("last_seen_at")
    agent.save(update_fields=fields)
    emit("agent_presence_changed", user_id=agent.user_id, presence=agent.presence)
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


@dataclass(frozen=True, slots=True)
class LockedAgent:
    presence: str
    capacity: int
    channel_capacity: dict[str, int]

    def capacity_for(self, kind: str) -> int:
        return int(self.channel_capacity.get(kind, self.capacity))


def agent_lock(*, user_id: int) -> LockedAgent | None:
    """The agent's row locked until the transaction ends, with what assignment checks under
    the lock: assignments to one agent queue up here, so two workers cannot both fill their
    last free place."""
    row = (
        Agent.objects.select_for_update()
        .filter(user_id=user_id)
        .values_list("presence", "capacity", "channel_capacity")
        .first()
    )
    return None if row is None else LockedAgent(row[0], row[1], row[2] or {})


def agent_assigned(*, user_id: int, at: datetime) -> None:
    Agent.objects.filter(user_id=user_id).update(last_assigned_at=at)


SEEN_EVERY = timedelta(minutes=1)


def agent_seen(*, user_id: int, at: datetime) -> None:
    """The agent did something; callers throttle to about once a minute."""
    Agent.objects.filter(user_id=user_id).update(last_seen_at=at)


def agents_auto_away(*, now: datetime, idle: timedelta) -> int:
    """Online agents not seen for `idle` become away; returns how many. Agents never seen
    (API-only, or not logged in since the upgrade) are left as they are."""
    return Agent.objects.filter(presence=Presence.ONLINE, last_seen_at__lt=now - idle).update(
        presence=Presence.AWAY, presence_changed_at=now
    )


TEAM_ROUTING_FIELDS = frozenset(
    {"strategy", "relax_after_minutes", "overflow_after_minutes", "backup_team_id"}
)
WAIT_LIMIT_MINUTES = 7 * 24 * 60


def _wait_clean(name: str, minutes: int | None) -> int | None:
    if minutes is not None and not (
        not isinstance(minutes, bool)
        and isinstance(minutes, int)
        and 0 < minutes <= WAIT_LIMIT_MINUTES
    ):
        raise Invalid(
            _("Give a wait between 1 and %(limit)d minutes, or none.")
            % {"limit": WAIT_LIMIT_MINUTES},
            field=name,
        )
    return minutes


@transaction.atomic
def team_set_routing(*, team: Team, changes: dict[str, Any]) -> Team:
    """How the team hands out its queue: the strategy, the wait after which skill levels
    relax, and the further wait after which a ticket nobody took moves to the backup team."""
    unknown = set(changes) - TEAM_ROUTING_FIELDS
    if unknown:
        raise Invalid(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if "strategy" in changes and changes["strategy"] not in AssignmentStrategy.values:
        raise Invalid(_("Unknown assignment strategy."), field="strategy")
    for name in ("relax_after_minutes", "overflow_after_minutes"):
        if name in changes:
            _wait_clean(name, changes[name])
    backup_id = changes.get("backup_team_id", team.backup_team_id)
    if backup_id is not None and (
        backup_id == team.pk or not Team.objects.filter(pk=backup_id).exists()
    ):
        raise Invalid(_("The backup team must be another existing team."), field="backup_team")
    for name, value in changes.items():
        setattr(team, name, value)
    team.save(update_fields=[*changes, "updated_at"])
    return team


CAPACITY_LIMIT = 500


def _capacity_clean(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= CAPACITY_LIMIT:
        raise Invalid(
            _("Capacity is a whole number from 0 to %(limit)d.") % {"limit": CAPACITY_LIMIT},
            field=field,
        )
    return value


def agent_set_capacity(
    *, agent: Agent, capacity: int | None = None, channel_capacity: dict[str, int] | None = None
) -> Agent:
    """How much active work routing gives the agent: `capacity` for every channel kind not
    named in `channel_capacity` (e.g. {"chat": 3})."""
    if capacity is not None:
        agent.capacity = _capacity_clean("capacity", capacity)
    if channel_capacity is not None:
        unknown = set(channel_capacity) - set(ChannelKind.values)
        if unknown:
            raise Invalid(
                _("Unknown channel kind(s): %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))},
                field="channel_capacity",
            )
        agent.channel_capacity = {
            kind: _capacity_clean("channel_capacity", value)
            for kind, value in sorted(channel_capacity.items())
        }
    agent.save(update_fields=["capacity", "channel_capacity", "updated_at"])
    return agent


def skill_get_or_create(*, name: str) -> Skill:
    name = " ".join(name.split()).casefold()
    if not name or len(name) > 100:
        raise Invalid(_("Name the skill in at most 100 characters."), field="skill")
    return Skill.objects.get_or_create(name=name)[0]


SIGNATURE_MAX = 2000
NOTIFICATION_KIND_RE = re.compile(r"^[a-z_]{1,32}$")


def agent_preferences_update(
    *, agent: Agent, ui_language: str, signature: str, muted_notifications: Iterable[str]
) -> Agent:
    """What the agent sets on their profile: the workspace's language (empty: the browser's),
    a signature under their email replies, and the notification kinds they do not want."""
    if ui_language and ui_language not in dict(settings.LANGUAGES):
        raise Invalid(_("Choose one of the workspace's languages."), field="ui_language")
    signature = signature.strip()
    if len(signature) > SIGNATURE_MAX:
        raise Invalid(
            _("A signature has at most %(limit)d characters.") % {"limit": SIGNATURE_MAX},
            field="signature",
        )
    muted = sorted(set(muted_notifications))
    if not all(NOTIFICATION_KIND_RE.match(kind) for kind in muted):
        raise Invalid(_("Unknown notification kind."), field="muted_notifications")
    agent.ui_language = ui_language
    agent.signature = signature
    agent.muted_notifications = muted
    agent.save(update_fields=["ui_language", "signature", "muted_notifications", "updated_at"])
    return agent
