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


class RoutingDecision(models.Model):
    """Why a new ticket went to its team (or to none): the rule that matched and the trace of
    every rule tried, as `matching.rules_match` gave it. Written once, never changed."""

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
    trace = models.JSONField(_("trace"), default=list)
    created_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("routing decision")
        verbose_name_plural = _("routing decisions")
        indexes = [models.Index(fields=["ticket", "-created_at"], name="routing_decision_ticket")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.rule_name or '-'}"
