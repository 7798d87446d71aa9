from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nordesk.core.models import TimeStamped


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    SUPERVISOR = "supervisor", _("Supervisor")
    AGENT = "agent", _("Agent")
    LIGHT_AGENT = "light_agent", _("Light agent")


class Presence(models.TextChoices):
    ONLINE = "online", _("Online")
    AWAY = "away", _("Away")
    OFFLINE = "offline", _("Offline")


class AssignmentStrategy(models.TextChoices):
    MANUAL = "manual", _("Manual")
    ROUND_ROBIN = "round_robin", _("Round robin")
    LEAST_LOADED = "least_loaded", _("Least loaded")
    SKILLS = "skills", _("Skills-based")


class ChannelKind(models.TextChoices):
    """What an agent's capacity is counted in: three chats at once is not three emails."""

    EMAIL = "email", _("Email and forms")
    CHAT = "chat", _("Chat")
    MESSAGING = "messaging", _("Social and messaging")
    PHONE = "phone", _("Phone")


# The tickets app's channels (their values; tests/accounts keeps them equal) by capacity kind.
CHANNELS_OF_KIND: dict[str, tuple[str, ...]] = {
    ChannelKind.EMAIL: ("email", "web", "api"),
    ChannelKind.CHAT: ("chat",),
    ChannelKind.MESSAGING: ("social",),
    ChannelKind.PHONE: ("phone",),
}
KIND_OF_CHANNEL = {
    channel: kind for kind, channels in CHANNELS_OF_KIND.items() for channel in channels
}


class Team(TimeStamped):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    # Ends the team's email replies; without one, the mailbox's signature does.
    signature = models.TextField(_("signature"), blank=True)
    strategy = models.CharField(
        _("assignment"),
        max_length=20,
        choices=AssignmentStrategy.choices,
        default=AssignmentStrategy.MANUAL,
    )
    relax_after_minutes = models.PositiveIntegerField(
        _("relax skill levels after (minutes)"),
        null=True,
        blank=True,
        help_text=_("A ticket that waits this long accepts agents with any level of a skill."),
    )
    overflow_after_minutes = models.PositiveIntegerField(
        _("overflow after a further (minutes)"),
        null=True,
        blank=True,
        help_text=_("Then, if still nobody can take it, the ticket moves to the backup team."),
    )
    backup_team = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("backup team"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name


class Agent(TimeStamped):
    """The staff side of a Django user: role, teams, skills, languages, capacity, presence."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    teams = models.ManyToManyField(Team, related_name="agents", blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=20, validators=[MaxValueValidator(500)]
    )
    presence = models.CharField(
        _("presence"), max_length=10, choices=Presence.choices, default=Presence.OFFLINE
    )
    presence_changed_at = models.DateTimeField(null=True, blank=True)
    # Requests seen from the agent (at most one write a minute): online agents who go quiet
    # become away. See `agents_auto_away`.
    last_seen_at = models.DateTimeField(null=True, blank=True)
    # Capacity per channel kind, e.g. {"chat": 3}; a kind not named here uses `capacity`.
    channel_capacity = models.JSONField(_("capacity per channel kind"), default=dict, blank=True)
    # Round robin and ties go to whoever has waited longest for a ticket.
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    is_service_account = models.BooleanField(_("service account"), default=False)
    # Preferences the agent sets on their profile page. An empty language follows the browser.
    ui_language = models.CharField(_("language of the workspace"), max_length=8, blank=True)
    signature = models.TextField(_("personal signature"), blank=True)
    # Notification kinds (the automation event that caused one) the agent does not want.
    muted_notifications = models.JSONField(_("muted notifications"), default=list, blank=True)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def sees_all_tickets(self) -> bool:
        return self.role in (Role.ADMIN, Role.SUPERVISOR)

    @property
    def can_reply(self) -> bool:
        return self.role != Role.LIGHT_AGENT

    def capacity_for(self, kind: str) -> int:
        return int(self.channel_capacity.get(kind, self.capacity))


class AgentSkill(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="skill_levels")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="agent_levels")
    level = models.PositiveSmallIntegerField(
        _("level"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agent", "skill"], name="agentskill_unique"),
        ]
        verbose_name = _("agent skill")
        verbose_name_plural = _("agent skills")

    def __str__(self) -> str:
        return f"{self.skill_id}:{self.level}"


class ApiToken(models.Model):
    """Only a SHA-256 digest of the secret is kept; the secret is shown once, at creation."""

    name = models.CharField(_("name"), max_length=100)
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"
