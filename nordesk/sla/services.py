"""Business calendars: created and changed only here, validated before anything is written."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from nordesk.core.errors import Conflict, Invalid
from nordesk.core.events import on_commit_enqueue

from .business_time import region_check, zone_load
from .calendar_links import calendar_links_changed
from .errors import (
    CalendarInUse,
    CalendarNameTaken,
    ClosedDayTaken,
    InvalidHours,
    InvalidRegion,
    InvalidTimeZone,
)
from .models import BusinessCalendar, ClosedDay, Country, OpeningHours, SlaPolicy

HoursRow = tuple[int, time, time]

# What `calendar_update` may change; "hours" replaces every interval of the week.
CALENDAR_FIELDS = frozenset({"name", "time_zone", "country", "subdivision", "is_default", "hours"})


def hours_validate(hours: Iterable[HoursRow]) -> list[HoursRow]:
    """The rows sorted by weekday and opening time, or InvalidHours naming the first problem:
    a weekday outside 0-6, a closing time not after the opening time, overlapping intervals
    on one day, or no hours at all."""
    rows = sorted(_row_check(row) for row in hours)
    if not rows:
        raise InvalidHours(
            _("A business calendar needs opening hours on at least one day."), field="hours"
        )
    previous: HoursRow | None = None
    for row in rows:
        weekday, opens, closes = row
        if closes <= opens:
            raise InvalidHours(
                _("On %(weekday)s the closing time %(closes)s is not after the opening time.")
                % {"weekday": WEEKDAYS[weekday], "closes": f"{closes:%H:%M}"},
                field="hours",
            )
        if previous is not None and previous[0] == weekday and opens < previous[2]:
            raise InvalidHours(
                _("On %(weekday)s the opening hours %(first)s and %(second)s overlap.")
                % {
                    "weekday": WEEKDAYS[weekday],
                    "first": _interval_text(previous),
                    "second": _interval_text(row),
                },
                field="hours",
            )
        previous = row
    return rows


def _row_check(row: HoursRow) -> HoursRow:
    weekday, opens, closes = row
    well_formed = (
        not isinstance(weekday, bool)
        and weekday in WEEKDAYS
        and all(isinstance(clock, time) and clock.tzinfo is None for clock in (opens, closes))
    )
    if not well_formed:
        raise InvalidHours(
            _(
                "Each opening-hours row is a weekday (0 = Monday to 6 = Sunday) and two times "
                "of day, such as 08:00."
            ),
            field="hours",
        )
    return row


def _interval_text(row: HoursRow) -> str:
    return f"{row[1]:%H:%M}-{row[2]:%H:%M}"


def _time_zone_clean(time_zone: str) -> str:
    time_zone = time_zone.strip()
    try:
        zone_load(time_zone)
    except ValueError as exc:
        raise InvalidTimeZone(
            _("Unknown time zone %(zone)r; use an IANA name such as Europe/Oslo.")
            % {"zone": time_zone},
            field="time_zone",
        ) from exc
    return time_zone


def _region_clean(country: str, subdivision: str) -> tuple[str, str]:
    country, subdivision = country.strip().upper(), subdivision.strip().upper()
    if country not in Country.values:
        raise InvalidRegion(
            _("Public holidays are not available for country %(country)r.") % {"country": country},
            field="country",
        )
    try:
        region_check(country, subdivision)
    except ValueError as exc:
        raise InvalidRegion(
            _("Public holidays are not available for region %(region)r.") % {"region": subdivision},
            field="subdivision",
        ) from exc
    return country, subdivision


NAME_LIMIT = 100


def _name_clean(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_LIMIT:
        raise Invalid(
            _("Give the calendar a name of at most %(limit)d characters.") % {"limit": NAME_LIMIT},
            field="name",
        )
    return name


def _hours_replace(calendar: BusinessCalendar, rows: list[HoursRow]) -> None:
    OpeningHours.objects.filter(calendar=calendar).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=weekday, opens=opens, closes=closes)
        for weekday, opens, closes in rows
    )


def _default_clear(*, keep: BusinessCalendar | None = None) -> None:
    """The default flag moves: whoever held it lets go, in the caller's transaction."""
    others = BusinessCalendar.objects.filter(is_default=True)
    if keep is not None:
        others = others.exclude(pk=keep.pk)
    others.update(is_default=False, updated_at=timezone.now())


def _integrity_error(name: str) -> Exception:
    if BusinessCalendar.objects.filter(name=name).exists():
        return CalendarNameTaken(field="name")
    # Another request made a different calendar the default at the same moment.
    return Conflict()


def calendar_create(
    *,
    name: str,
    time_zone: str,
    country: str = "",
    subdivision: str = "",
    hours: list[HoursRow],
    is_default: bool = False,
) -> BusinessCalendar:
    name = _name_clean(name)
    time_zone = _time_zone_clean(time_zone)
    country, subdivision = _region_clean(country, subdivision)
    rows = hours_validate(hours)
    if BusinessCalendar.objects.filter(name=name).exists():
        raise CalendarNameTaken(field="name")
    try:
        with transaction.atomic():
            if is_default:
                _default_clear()
                calendar_links_changed()
            calendar = BusinessCalendar.objects.create(
                name=name,
                time_zone=time_zone,
                country=country,
                subdivision=subdivision,
                is_default=is_default,
            )
            _hours_replace(calendar, rows)
    except IntegrityError as exc:
        raise _integrity_error(name) from exc
    return calendar


def calendar_update(*, calendar: BusinessCalendar, changes: dict[str, Any]) -> BusinessCalendar:
    """Changes any of CALENDAR_FIELDS; `hours` (a list like calendar_create's) replaces the
    whole week. Everything is validated before anything is written."""
    unknown = set(changes) - CALENDAR_FIELDS
    if unknown:
        raise ValueError(f"unknown calendar fields: {sorted(unknown)}")
    values = _calendar_changes_clean(calendar, changes)
    rows = hours_validate(changes["hours"]) if "hours" in changes else None
    if "name" in values and (
        BusinessCalendar.objects.filter(name=values["name"]).exclude(pk=calendar.pk).exists()
    ):
        raise CalendarNameTaken(field="name")
    try:
        with transaction.atomic():
            if values.get("is_default"):
                _default_clear(keep=calendar)
            for field_name, value in values.items():
                setattr(calendar, field_name, value)
            calendar.updated_at = timezone.now()
            calendar.save(update_fields=[*values, "updated_at"])
            if rows is not None:
                _hours_replace(calendar, rows)
            if "is_default" in values:
                calendar_links_changed()
            if rows is not None or TIMING_FIELDS & values.keys():
                calendar_clocks_recompute_later(calendar_id=calendar.pk)
    except IntegrityError as exc:
        raise _integrity_error(values.get("name", calendar.name)) from exc
    return calendar


# Changing these moves the deadlines of the clocks counting in the calendar.
TIMING_FIELDS = frozenset({"time_zone", "country", "subdivision"})


def calendar_clocks_recompute_later(*, calendar_id: int) -> None:
    """After commit, a job recomputes the due times of the running clocks that count in the
    calendar from their history (`recompute.clocks_recompute`)."""
    from .tasks import sla_calendar_clocks_recompute

    on_commit_enqueue(sla_calendar_clocks_recompute, calendar_id)


def _calendar_changes_clean(calendar: BusinessCalendar, changes: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = _name_clean(changes["name"])
    if "time_zone" in changes:
        values["time_zone"] = _time_zone_clean(changes["time_zone"])
    if "country" in changes or "subdivision" in changes:
        values["country"], values["subdivision"] = _region_clean(
            changes.get("country", calendar.country),
            changes.get("subdivision", calendar.subdivision),
        )
    if "is_default" in changes:
        values["is_default"] = bool(changes["is_default"])
    return values


def calendar_delete(*, calendar: BusinessCalendar) -> None:
    """Deletes the calendar with its hours, closed days and team and organisation links.
    Refused (CalendarInUse) while a policy names it or a ticket's clock counts in it."""
    policy_names = list(
        SlaPolicy.objects.filter(calendar=calendar)
        .order_by("position", "id")
        .values_list("name", flat=True)
    )
    if policy_names:
        raise CalendarInUse(
            _(
                "The SLA policies %(policies)s use this calendar; give them another one "
                "before deleting it."
            )
            % {"policies": ", ".join(policy_names)}
        )
    try:
        with transaction.atomic():
            calendar.delete()
    except ProtectedError as exc:
        raise CalendarInUse(
            _("Tickets' SLA clocks count in this calendar, so it cannot be deleted.")
        ) from exc


def closed_day_add(*, calendar: BusinessCalendar, day: date, name: str) -> ClosedDay:
    name = name.strip()
    if not name or len(name) > NAME_LIMIT:
        raise Invalid(
            _("Say in at most %(limit)d characters why the day is closed.") % {"limit": NAME_LIMIT},
            field="name",
        )
    try:
        with transaction.atomic():
            closed_day = ClosedDay.objects.create(calendar=calendar, date=day, name=name)
    except IntegrityError as exc:
        raise ClosedDayTaken(field="date") from exc
    calendar_clocks_recompute_later(calendar_id=calendar.pk)
    return closed_day


def closed_day_remove(*, closed_day: ClosedDay) -> None:
    closed_day.delete()
    calendar_clocks_recompute_later(calendar_id=closed_day.calendar_id)


# Policies, clocks and calendar links live in modules of their own; other apps reach them
# through here.
from .calendar_links import organisation_calendar_set, team_calendar_set  # noqa: E402
from .clocks import (  # noqa: E402
    clocks_fulfil,
    clocks_next_response_start,
    clocks_pause,
    clocks_reopen,
    clocks_resume,
    clocks_start,
    sla_breaches_mark,
)
from .policies import (  # noqa: E402
    policies_reorder,
    policy_create,
    policy_delete,
    policy_update,
)
from .recompute import clocks_recompute  # noqa: E402

__all__ = [
    "calendar_clocks_recompute_later",
    "calendar_create",
    "calendar_delete",
    "calendar_update",
    "closed_day_add",
    "closed_day_remove",
    "clocks_fulfil",
    "clocks_next_response_start",
    "clocks_pause",
    "clocks_recompute",
    "clocks_reopen",
    "clocks_resume",
    "clocks_start",
    "hours_validate",
    "organisation_calendar_set",
    "policies_reorder",
    "policy_create",
    "policy_delete",
    "policy_update",
    "sla_breaches_mark",
    "team_calendar_set",
]
