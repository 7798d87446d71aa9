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
