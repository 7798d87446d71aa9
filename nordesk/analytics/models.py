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
