from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from nordesk.core.models import TimeStamped

from .business_time import region_check, zone_load


class Country(models.TextChoices):
    """Whose public holidays close a calendar, as the holidays package codes them."""

    NONE = "", _("No public holidays")
    NORWAY = "NO", _("Norway")
    DENMARK = "DK", _("Denmark")
    SWEDEN = "SE", _("Sweden")
    FINLAND = "FI", _("Finland")


def validate_time_zone(value: str) -> None:
    try:
        zone_load(value)
    except ValueError as exc:
        raise ValidationError(_("Unknown time zone."), code="invalid_time_zone") from exc


class BusinessCalendar(TimeStamped):
    """When a team works: weekly opening hours in one time zone, closed on a country's public
    holidays and on the calendar's own closed days. SLA clocks count only these hours."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Oslo", validators=[validate_time_zone]
    )
    country = models.CharField(
        _("public holidays of"), max_length=2, choices=Country.choices, blank=True
    )
    subdivision = models.CharField(
        _("region"),
        max_length=10,
        blank=True,
        help_text=_("A region code of the country, for regional public holidays."),
    )
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="sla_calendar_one_default",
                violation_error_message=_("Another calendar is already the default."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            region_check(self.country, self.subdivision)
        except ValueError as exc:
            message = _("Public holidays are not available for region %(region)r.")
            raise ValidationError(
                {"subdivision": ValidationError(message, params={"region": self.subdivision})}
            ) from exc


class OpeningHours(models.Model):
    """One open interval of one weekday, in the calendar's wall-clock time; several on a day
    leave gaps (lunch). Services refuse intervals that overlap on the same day."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="hours", verbose_name=_("calendar")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=sorted(WEEKDAYS.items()))
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["calendar", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")),
                name="sla_openinghours_closes_after_opens",
                violation_error_message=_("The closing time must be after the opening time."),
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="sla_openinghours_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.opens:%H:%M}-{self.closes:%H:%M}"


class ClosedDay(models.Model):
    """A day the calendar is closed besides the public holidays (a company day, a move)."""

    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.CASCADE,
        related_name="closed_days",
        verbose_name=_("calendar"),
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"],
                name="sla_closedday_calendar_date",
                violation_error_message=_("That day is already closed in this calendar."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
