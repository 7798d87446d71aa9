from __future__ import annotations

from django.db.models import QuerySet

from nordesk.core.selectors import first_row

from .business_time import Schedule
from .errors import CalendarNotFound
from .models import BusinessCalendar, ClosedDay


def calendar_default() -> BusinessCalendar | None:
    return first_row(BusinessCalendar.objects.filter(is_default=True))


def calendar_get(*, calendar_id: int) -> BusinessCalendar | None:
    return first_row(BusinessCalendar.objects.filter(pk=calendar_id))


def calendar_list() -> QuerySet[BusinessCalendar]:
    return BusinessCalendar.objects.order_by("name")


def schedule_for_calendar(calendar_id: int) -> Schedule:
    """The calendar as a Schedule for the business-time arithmetic, in two queries: the
    calendar joined with its hours, then its closed days."""
    rows = list(
        BusinessCalendar.objects.filter(pk=calendar_id).values_list(
            "time_zone", "country", "subdivision", "hours__weekday", "hours__opens", "hours__closes"
        )
    )
    if not rows:
        raise CalendarNotFound()
    time_zone, country, subdivision = rows[0][:3]
    closed_dates = ClosedDay.objects.filter(calendar_id=calendar_id).values_list("date", flat=True)
    return Schedule.build(
        time_zone=time_zone,
        country=country,
        subdivision=subdivision,
        hours=[
            (weekday, opens, closes) for *_, weekday, opens, closes in rows if weekday is not None
        ],
        closed_dates=list(closed_dates),
    )
