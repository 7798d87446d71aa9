from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nordesk.core.models import TimeStamped


class RoutingRule(TimeStamped):
    """Sends a new ticket that no channel gave a team to `team` when its conditions hold.
    Rules are tried by `position` (then id); the first active match wins. There is no separate
    default: a rule whose conditions are {"all": []} always matches, so put one last to catch
    every ticket the others leave. Conditions are checked by `conditions.conditions_validate`."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    conditions = models.JSONField(_("conditions"), default=dict)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team"),
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["is_active", "position", "id"], name="routing_rule_order")]

    def __str__(self) -> str:
        return self.name


class Attribute(models.TextChoices):
    """What of a ticket can call for a skill."""

    LANGUAGE = "language", _("Language")
    CATEGORY = "category", _("Category")
    TIER = "tier", _("Customer tier")
    CHANNEL = "channel", _("Channel")


class SkillRequirement(TimeStamped):
    """A ticket whose `attribute` is `value` needs an agent with `skill` at `level` or more,
    e.g. language "da" → skill "danish" at level 3. Skills-based teams use these."""

    attribute = models.CharField(_("when the ticket's"), max_length=10, choices=Attribute.choices)
    value = models.CharField(_("is"), max_length=64)
    skill = models.ForeignKey(
        "accounts.Skill", on_delete=models.CASCADE, related_name="+", verbose_name=_("skill")
    )
    level = models.PositiveSmallIntegerField(
        _("at least level"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("skill requirement")
        verbose_name_plural = _("skill requirements")
        ordering = ["attribute", "value", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attribute", "value", "skill"], name="routing_skillrequirement_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="routing_skill_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attribute}={self.value}: {self.skill_id}≥{self.level}"


class DecisionKind(models.TextChoices):
    TEAM = "team", _("Team chosen")
    ASSIGNMENT = "assignment", _("Agent chosen")
    OVERFLOW = "overflow", _("Overflowed to the backup team")


class RoutingDecision(models.Model):
    """Why a ticket went to its team or agent: for a team, the rule that matched and the
    trace of every rule tried (`matching.rules_match`); for an agent, every candidate with
    their load, capacity and score (`assignment.agent_choose`). Written once, never changed."""

    kind = models.CharField(
        _("decision"), max_length=10, choices=DecisionKind.choices, default=DecisionKind.TEAM
    )

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    rule = models.ForeignKey(
        RoutingRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("rule"),
    )
    # The rule's name when it decided: rules are renamed and deleted, decisions stay.
    rule_name = models.CharField(_("rule name"), max_length=100, blank=True)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assignee"),
    )
    trace = models.JSONField(_("trace"), default=list)
    created_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("routing decision")
        verbose_name_plural = _("routing decisions")
        indexes = [
            models.Index(fields=["ticket", "-created_at"], name="routing_decision_ticket"),
            # A team's recent assignments: the pace that estimates a queue's wait.
            models.Index(fields=["team", "kind", "created_at"], name="routing_decision_pace"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.rule_name or '-'}"
