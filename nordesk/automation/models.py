from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nordesk.core.models import TimeStamped


class TriggerEvent(models.TextChoices):
    """What a trigger can run on (the domain events of the same names)."""

    TICKET_CREATED = "ticket_created", _("Ticket created")
    MESSAGE_RECEIVED = "message_received", _("Message received")
    TICKET_UPDATED = "ticket_updated", _("Ticket updated")
    SLA_WARNING = "sla_warning", _("SLA warning")
    SLA_BREACHED = "sla_breached", _("SLA breached")
    CSAT_RECEIVED = "csat_received", _("CSAT received")


class Trigger(TimeStamped):
    """Runs its actions when one of its events happens to a ticket and its conditions hold.
    Triggers run by `position` (then id). Conditions are checked by
    `conditions.conditions_validate`, actions by `actions.actions_validate`."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    events = models.JSONField(_("events"), default=list)
    conditions = models.JSONField(_("conditions"), default=dict)
    actions = models.JSONField(_("actions"), default=list)

    class Meta:
        verbose_name = _("trigger")
        verbose_name_plural = _("triggers")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Since(models.TextChoices):
    """From which moment a time rule counts."""

    CREATED = "created", _("the ticket was created")
    STATUS_CHANGED = "status_changed", _("the status last changed")
    ASSIGNEE_CHANGED = "assignee_changed", _("the assignee last changed")
    UPDATED = "updated", _("the ticket was last changed")


class TimeRule(TimeStamped):
    """`after_minutes` after `since` (in business time on `calendar`, or the default calendar,
    when `business_hours`), runs its actions if its conditions still hold then. Each moment
    a ticket enters what the rule watches is one occurrence, fired at most once."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    since = models.CharField(_("counted since"), max_length=20, choices=Since.choices)
    after_minutes = models.PositiveIntegerField(_("after (minutes)"))
    business_hours = models.BooleanField(_("in business hours"), default=False)
    calendar = models.ForeignKey(
        "sla.BusinessCalendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("calendar"),
    )
    conditions = models.JSONField(_("conditions"), default=dict)
    actions = models.JSONField(_("actions"), default=list)

    class Meta:
        verbose_name = _("time rule")
        verbose_name_plural = _("time rules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TimerOutcome(models.TextChoices):
    FIRED = "fired", _("Fired")
    SKIPPED = "skipped", _("Conditions no longer held")
    SUPERSEDED = "superseded", _("A later occurrence replaced it")
    GONE = "gone", _("The ticket is gone")
    FAILED = "failed", _("Failed")


class AutomationTimer(models.Model):
    """One occurrence of a time rule for one ticket, due at `due_at`. Workers claim due rows
    (SKIP LOCKED on PostgreSQL, under the write lock on SQLite) and set `fired_at` in the
    same transaction as the actions: each occurrence fires exactly once."""

    rule = models.ForeignKey(TimeRule, on_delete=models.CASCADE, related_name="timers")
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    occurrence = models.CharField(_("occurrence"), max_length=64)
    kind = models.CharField(_("kind"), max_length=20, choices=Since.choices)
    due_at = models.DateTimeField(_("due at"))
    fired_at = models.DateTimeField(_("fired at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=TimerOutcome.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("automation timer")
        verbose_name_plural = _("automation timers")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "ticket", "occurrence"], name="automation_timer_occurrence"
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at", "id"],
                name="automation_timer_due",
                condition=Q(fired_at__isnull=True),
            ),
            models.Index(
                fields=["ticket", "rule"],
                name="automation_timer_pending",
                condition=Q(fired_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}/{self.ticket_id}/{self.occurrence}"


class AutomationRun(models.Model):
    """A trigger or time rule ran on a ticket: what it did, action by action. Written once."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    trigger = models.ForeignKey(
        Trigger, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs"
    )
    time_rule = models.ForeignKey(
        TimeRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs"
    )
    # The definition's name when it ran: definitions are renamed and deleted, runs stay.
    name = models.CharField(_("name"), max_length=100)
    event = models.CharField(_("event"), max_length=30)
    actions = models.JSONField(_("actions done"), default=list)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("ran at"), default=timezone.now)

    class Meta:
        verbose_name = _("automation run")
        verbose_name_plural = _("automation runs")
        indexes = [
            models.Index(fields=["ticket", "created_at", "id"], name="automation_run_ticket")
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.name}"


class Macro(TimeStamped):
    """A named bundle of actions an agent applies to a ticket, with a reply text per language
    for the agent to send."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    actions = models.JSONField(_("actions"), default=list)
    texts = models.JSONField(_("reply texts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CannedReply(TimeStamped):
    """A ready answer, one text per language."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    texts = models.JSONField(_("texts"), default=dict)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """Something an automation tells one agent about a ticket, in their inbox until read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox")
        ]

    def __str__(self) -> str:
        return self.text[:50]
