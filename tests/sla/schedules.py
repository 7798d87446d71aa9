"""Schedules and moments for the business-time tests, in the zones the Nordic desks use."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from nordesk.sla.business_time import Schedule

OSLO = "Europe/Oslo"
STOCKHOLM = "Europe/Stockholm"
COPENHAGEN = "Europe/Copenhagen"
HELSINKI = "Europe/Helsinki"
NORDIC_ZONES = [OSLO, STOCKHOLM, COPENHAGEN, HELSINKI]
COUNTRY_OF = {OSLO: "NO", STOCKHOLM: "SE", COPENHAGEN: "DK", HELSINKI: "FI"}
WEEKDAYS = range(5)
EVERY_DAY = range(7)


def office(
    zone: str = OSLO,
    *,
    country: str = "",
    days: range = WEEKDAYS,
    lunch: bool = False,
    closed: tuple[date, ...] = (),
) -> Schedule:
    """08:00-16:00 on `days`, or 08:00-11:30 and 12:00-16:00 with a lunch break."""
    intervals = [(time(8), time(11, 30)), (time(12), time(16))] if lunch else [(time(8), time(16))]
    return Schedule.build(
        time_zone=zone,
        hours=[(day, opens, closes) for day in days for opens, closes in intervals],
        country=country,
        closed_dates=closed,
    )


def local(zone: str, *args: int) -> datetime:
    """An aware moment from wall-clock fields in `zone` (first occurrence when repeated)."""
    return datetime(*args, tzinfo=ZoneInfo(zone))
