"""Rollups of ticket history. Every table here is derived: `nordesk analytics rebuild`
recomputes it from TicketEvents and gives the same rows as incremental maintenance."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArrivalHour(models.Model):
    """Tickets created in one clock hour (UTC) on one channel with one category (the ticket's
    current category: a ticket recategorised later moves to its new topic). Forecasting,
    spike detection and the dashboard's volumes read this."""

    hour = models.DateTimeField(_("hour"))
    channel = models.CharField(_("channel"), max_length=10)
    category = models.CharField(_("category"), max_length=64, blank=True)
    tickets = models.PositiveIntegerField(_("tickets"), default=0)

    class Meta:
        verbose_name = _("arrivals in an hour")
        verbose_name_plural = _("arrivals by hour")
        constraints = [
            models.UniqueConstraint(
                fields=["hour", "channel", "category"], name="arrival_hour_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H:00} {self.channel} {self.category}: {self.tickets}"


class TicketFact(models.Model):
    """One ticket's figures, a pure function of its history (analytics.facts): the values
    reports slice by, the days the drill-down lists filter on, and `parts`, the amounts it
    adds to the daily rollups (see docs/kpis.md)."""

    ticket_id = models.BigIntegerField(primary_key=True)
    channel = models.CharField(max_length=10)
    team_id = models.BigIntegerField(null=True)
    agent_id = models.BigIntegerField(null=True)
    category = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=8, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    priority = models.CharField(max_length=10)
    created_at = models.DateTimeField()
    created_day = models.DateField()
    solved_day = models.DateField(null=True)
    first_response_day = models.DateField(null=True)
    csat_day = models.DateField(null=True)
    sla_breach_day = models.DateField(null=True)
    last_day = models.DateField()
    is_open = models.BooleanField(default=False)
    merged = models.BooleanField(default=False)
    fcr = models.BooleanField(default=False)
    reopened = models.BooleanField(default=False)
    csat_score = models.PositiveSmallIntegerField(null=True)
    # ",3,7," — the assignee and every agent a part counts for, so a filter by agent finds
    # the tickets they replied on, spent time on or were rated for.
    agents = models.CharField(max_length=400, blank=True)
    parts = models.JSONField(default=list)

    class Meta:
        verbose_name = _("ticket figures")
        verbose_name_plural = _("ticket figures")
        indexes = [
            models.Index(fields=["created_day", "ticket_id"], name="fact_created_day"),
            models.Index(fields=["solved_day", "ticket_id"], name="fact_solved_day"),
            models.Index(fields=["created_at"], name="fact_open", condition=models.Q(is_open=True)),
        ]

    def __str__(self) -> str:
        return f"figures of ticket {self.ticket_id}"


class DailyRollup(models.Model):
    """The sum of the parts of every fact on one day (reporting zone) for one value of one
    dimension ("all" with value "" is everything). `data` maps a counter name, or a histogram
    bucket as "fr:17", to its total; zeros are left out and an all-zero row is deleted."""

    day = models.DateField()
    dimension = models.CharField(max_length=12)
    value = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "value", "day"], name="daily_rollup_unique"
            )
        ]
        indexes = [models.Index(fields=["dimension", "day"], name="daily_rollup_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value}"


class MonthlyRollup(models.Model):
    """The DailyRollup rows of one calendar month summed (`day` is the month's first day), so
    a year's report reads twelve rows per value instead of 365."""

    day = models.DateField()
    dimension = models.CharField(max_length=12)
    value = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "value", "day"], name="monthly_rollup_unique"
            )
        ]
        indexes = [models.Index(fields=["dimension", "day"], name="monthly_rollup_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m} {self.dimension}={self.value}"


class Cursor(models.Model):
    """How far the incremental job has read one source (an event table's last id)."""

    name = models.CharField(max_length=32, primary_key=True)
    position = models.BigIntegerField(default=0)
    moment = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.position}"
