"""Rollups of ticket history. Every table here is derived: `nordesk analytics rebuild`
recomputes it from TicketEvents and gives the same rows as incremental maintenance."""

from django.conf import settings
from django.db import models
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
