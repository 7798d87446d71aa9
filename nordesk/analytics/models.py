"""Rollups of ticket history. Every table here is derived: `nordesk analytics rebuild`
recomputes it from TicketEvents and gives the same rows as incremental maintenance."""

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone
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
            # A slice's facts are those alive in it (a part on or after its start, created by
            # its end): the recent tickets, not the whole table, or a month's long ago. The
            # creation day is checked in the index, so only those are read.
            models.Index(fields=["last_day", "created_day"], name="fact_alive"),
            # The same for one team, organisation or topic. A team's are read by channel
            # too, as a team's email by agent (three dimensions, so facts) is a common report:
            # a year of it read half the table's pages for a twentieth of its facts, and now
            # reads the third of those that are email (230 -> 125 ms at 1,000,000 tickets).
            models.Index(
                fields=["team_id", "channel", "last_day", "created_day"],
                name="fact_team_channel_alive",
            ),
            models.Index(
                fields=["organisation_id", "last_day", "created_day"],
                name="fact_organisation_alive",
            ),
            models.Index(
                fields=["category", "last_day", "created_day"], name="fact_category_alive"
            ),
        ]

    def __str__(self) -> str:
        return f"figures of ticket {self.ticket_id}"


def second_value() -> Substr:
    """A pair row's second value (see rollups.PAIRS): what follows the first "|". A slice
    filtered by it finds its rows by an index; one filtered by the first value finds them by
    the unique index, whose values PostgreSQL orders bytewise (migration 0010) so that it can
    look up a prefix."""
    return Substr("value", StrIndex("value", Value("|")) + 1)


class Rollup(models.Model):
    """Totals of one dimension value over a period starting on `day`: the counters in `data`,
    the histogram buckets ("fr:17") in `histograms`. Most changes the refresh job makes touch
    counters only (time spent, replies, a solve), and a row's few counters are rewritten in a
    quarter of the time its hundreds of buckets take."""

    day = models.DateField()
    dimension = models.CharField(max_length=24)
    value = models.CharField(max_length=100, blank=True)  # a pair's: an id, "|", a topic
    data = models.JSONField(default=dict)
    histograms = models.JSONField(default=dict)

    class Meta:
        abstract = True


class DailyRollup(Rollup):
    """The sum of the parts of every fact on one day (reporting zone) for one value of one
    dimension ("all" with value "" is everything). `data` maps a counter name, `histograms` a
    histogram bucket as "fr:17", to its total; zeros are left out and an all-zero row is
    deleted."""

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


class MonthlyRollup(Rollup):
    """The DailyRollup rows of one calendar month summed (`day` is the month's first day), so
    a year's report reads twelve rows per value instead of 365."""

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "value", "day"], name="monthly_rollup_unique"
            )
        ]
        indexes = [
            models.Index(fields=["dimension", "day"], name="monthly_rollup_day"),
            models.Index(F("dimension"), second_value(), F("day"), name="monthly_rollup_second"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m} {self.dimension}={self.value}"


class Cursor(models.Model):
    """How far the incremental job has read one source (an event table's last id)."""

    name = models.CharField(max_length=32, primary_key=True)
    position = models.BigIntegerField(default=0)
    moment = models.DateTimeField(null=True)
    # The ids already read in the window behind `position` that the job reads again: an id
    # found there later committed late (PostgreSQL hands out ids before commit).
    recent = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.position}"


class SpikeDimension(models.TextChoices):
    CHANNEL = "channel", _("Channel")
    CATEGORY = "category", _("Category")
    KEYWORD = "keyword", _("Keyword")


class ArrivalSlot(models.Model):
    """Tickets created in ten minutes (UTC start) per channel, per category and per subject
    keyword: what spike detection scores the last hour with, against the same hour in
    previous weeks. Counted by the spike job from new tickets, kept for nine weeks."""

    start = models.DateTimeField(_("start"))
    dimension = models.CharField(_("dimension"), max_length=10, choices=SpikeDimension.choices)
    value = models.CharField(_("value"), max_length=64)
    tickets = models.PositiveIntegerField(_("tickets"), default=0)

    class Meta:
        verbose_name = _("arrivals in ten minutes")
        verbose_name_plural = _("arrivals by ten minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["start", "dimension", "value"], name="arrival_slot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} {self.dimension} {self.value}: {self.tickets}"


class SpikeScan(models.Model):
    """The spike job's cursor (one row): the last ticket counted into ArrivalSlot, and since
    when slots are complete (a baseline week before that is not a week without tickets)."""

    last_ticket_id = models.BigIntegerField(default=0)
    history_start = models.DateTimeField()

    def __str__(self) -> str:
        return f"after ticket {self.last_ticket_id}, since {self.history_start:%Y-%m-%d}"


# The tickets app's channels (their values and names) for naming a channel's spike.
CHANNEL_LABELS = {
    "email": _("Email"),
    "web": _("Web form"),
    "chat": _("Chat"),
    "social": _("Social"),
    "phone": _("Phone"),
    "api": _("API"),
}


class SpikeAlert(models.Model):
    """One spike: a channel, category or subject keyword far above its usual count for the
    hour. Opened once (supervisors are notified then), updated while it lasts, ended when the
    count falls back."""

    dimension = models.CharField(_("dimension"), max_length=10, choices=SpikeDimension.choices)
    value = models.CharField(_("value"), max_length=64)
    started_at = models.DateTimeField(_("started"))
    last_seen_at = models.DateTimeField(_("last seen"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    tickets = models.PositiveIntegerField(_("tickets in the last hour"))
    peak_tickets = models.PositiveIntegerField(_("most tickets in an hour"))
    baseline = models.FloatField(_("usual tickets in that hour"))
    score = models.FloatField(_("score"))

    class Meta:
        verbose_name = _("spike")
        verbose_name_plural = _("spikes")
        indexes = [models.Index(fields=["-last_seen_at"], name="spike_recent")]

    def __str__(self) -> str:
        return f"{self.dimension} {self.value} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def value_label(self) -> str:
        if self.dimension == SpikeDimension.CHANNEL:
            return str(CHANNEL_LABELS.get(self.value, self.value))
        return self.value


class ReportSchedule(models.Model):
    """A report mailed every week or month, with the XLSX attached, to chosen agents and
    addresses. It covers the last full period before the mail (the week Monday to Sunday, the
    calendar month) in the reporting zone; `sent_period` is the first day of the last period
    mailed, claimed by a conditional UPDATE so a job that runs twice mails it once. Not a
    derived table: the supervisors' configuration, which a rebuild leaves alone."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week (Monday, the week before)")
        MONTHLY = "monthly", _("Every month (on the 1st, the month before)")

    name = models.CharField(_("name"), max_length=200)
    report = models.CharField(_("report"), max_length=20)
    by = models.CharField(_("grouped by"), max_length=20, blank=True)
    # The Slice's filters besides its dates, by field name (analytics.reports.FILTER_FIELDS).
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("agents")
    )
    extra_addresses = models.JSONField(_("other addresses"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    sent_period = models.DateField(_("last period sent"), null=True, blank=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("scheduled report")
        verbose_name_plural = _("scheduled reports")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
