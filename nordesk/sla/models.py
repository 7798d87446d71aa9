from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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


class SlaPolicy(TimeStamped):
    """Targets for the tickets its conditions match. Policies are tried in `position` order
    and the first active one that matches applies; no conditions match every ticket."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    conditions = models.JSONField(
        _("conditions"),
        default=list,
        blank=True,
        help_text=_(
            'A list of {"field", "operator", "value"}: field priority, channel, team_id, '
            'organisation_id or tags; operator "is" or "in" (for tags: has the tag, has any '
            "of them). Empty matches every ticket."
        ),
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sla_policies",
        verbose_name=_("business calendar"),
        help_text=_(
            "Count only its opening hours. Without one, the calendar of the ticket's "
            "organisation, else of its team, else the default calendar applies."
        ),
    )
    business_hours = models.BooleanField(
        _("count business hours only"),
        default=True,
        help_text=_(
            "Off: every hour counts (24/7), whatever calendar the team or organisation has."
        ),
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response within (minutes)"), null=True, blank=True
    )
    next_response_minutes = models.PositiveIntegerField(
        _("next response within (minutes)"),
        null=True,
        blank=True,
        help_text=_("After each customer message that follows an answer."),
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution within (minutes)"), null=True, blank=True
    )
    warning_percent = models.PositiveSmallIntegerField(
        _("warning at this share of the target (per cent)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    pause_when_pending = models.BooleanField(
        _("pause while waiting for the customer"), default=False
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(warning_percent__gte=1, warning_percent__lte=100),
                name="sla_policy_warning_percent",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TeamCalendar(models.Model):
    """The business calendar a team works by, for policies that name no calendar. Kept in
    the SLA app: the accounts app does not know about calendars."""

    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.CASCADE,
        related_name="team_links",
        verbose_name=_("business calendar"),
    )

    class Meta:
        verbose_name = _("team calendar")
        verbose_name_plural = _("team calendars")

    def __str__(self) -> str:
        return f"{self.team_id} {self.calendar_id}"


class OrganisationCalendar(models.Model):
    """The business calendar a customer organisation is served by (its contract's hours), for
    policies that name no calendar; it wins over the team's."""

    organisation = models.OneToOneField(
        "customers.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.CASCADE,
        related_name="organisation_links",
        verbose_name=_("business calendar"),
    )

    class Meta:
        verbose_name = _("organisation calendar")
        verbose_name_plural = _("organisation calendars")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.calendar_id}"


class ClockKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    NEXT_RESPONSE = "next_response", _("Next response")
    RESOLUTION = "resolution", _("Resolution")


class ClockState(models.TextChoices):
    ACTIVE = "active", _("Running")
    PAUSED = "paused", _("Paused")
    FULFILLED = "fulfilled", _("Met")
    BREACHED = "breached", _("Breached")


class SlaClock(models.Model):
    """One target of one ticket. The calendar and target are copied when the clock starts;
    when the calendar's hours or the policy's targets change, a job recomputes the running
    clocks from their SlaEvent history (`recompute.py`).

    Elapsed time = `business_elapsed_seconds` (counted up to the last pause) + the time that
    counts from `started_at` (the last start or resume) to now. A late clock keeps running
    after `breached_at` until its target is fulfilled. The next-response clock is one row
    that starts a new cycle (elapsed, warning and breach reset) with each customer message
    after an answer."""

    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        related_name="sla_clocks",
        verbose_name=_("ticket"),
        db_index=False,  # the (ticket, kind) constraint's index serves lookups by ticket
    )
    policy = models.ForeignKey(
        SlaPolicy, on_delete=models.PROTECT, related_name="clocks", verbose_name=_("SLA policy")
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business calendar"),
    )
    kind = models.CharField(_("target"), max_length=20, choices=ClockKind.choices)
    target_minutes = models.PositiveIntegerField(_("target (minutes)"))
    state = models.CharField(
        _("state"), max_length=10, choices=ClockState.choices, default=ClockState.ACTIVE
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    # When the policy's warning share of the target is used up (None while paused), and
    # when the scan marked it so.
    warning_at = models.DateTimeField(_("warning due"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned"), null=True, blank=True)
    business_elapsed_seconds = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(_("started"))
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("met"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind"], name="sla_clock_ticket_kind")
        ]
        indexes = [
            # The breach scan: active clocks in due order, nothing else in the index.
            models.Index(
                fields=["state", "due_at"],
                condition=models.Q(state="active"),
                name="sla_clock_active_due",
            ),
            # The warning scan: active clocks not yet warned, in warning order.
            models.Index(
                fields=["warning_at"],
                condition=models.Q(state="active", warned_at__isnull=True),
                name="sla_clock_active_warning",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.state}"


class SlaEventKind(models.TextChoices):
    """Zendesk's metric-event vocabulary, so SLA reports read the same way."""

    APPLIED = "applied", _("Applied")
    ACTIVATED = "activated", _("Activated")
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    FULFILLED = "fulfilled", _("Fulfilled")
    BREACHED = "breached", _("Breached")


class SlaEvent(models.Model):
    """Append-only history of one ticket's targets; SLA reports are computed from it."""

    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        related_name="sla_events",
        verbose_name=_("ticket"),
        db_index=False,  # served by the (ticket, at) index
    )
    policy = models.ForeignKey(
        SlaPolicy,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("SLA policy"),
    )
    target = models.CharField(_("target"), max_length=20, choices=ClockKind.choices)
    kind = models.CharField(_("event"), max_length=10, choices=SlaEventKind.choices)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("SLA event")
        verbose_name_plural = _("SLA events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["ticket", "at"], name="sla_event_ticket_at"),
            models.Index(fields=["kind", "at"], name="sla_event_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.target} {self.kind}"
