from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter

import pytest

from nordesk.sla.business_time import (
    NoBusinessHours,
    Schedule,
    business_add,
    business_between,
    due_at,
    elapsed_between,
    public_holidays,
)
from tests.sla.schedules import (
    COPENHAGEN,
    COUNTRY_OF,
    EVERY_DAY,
    HELSINKI,
    NORDIC_ZONES,
    OSLO,
    STOCKHOLM,
    local,
    office,
)

H = timedelta(hours=1)

# --- clock changes: last Sunday of March and of October 2026 ------------------------------


@pytest.mark.parametrize("zone", NORDIC_ZONES)
@pytest.mark.parametrize("change_day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_business_between_a_working_day_is_8_hours_when_the_clocks_change(zone, change_day):
    schedule = office(zone, country=COUNTRY_OF[zone], days=EVERY_DAY)
    midnight = local(zone, change_day.year, change_day.month, change_day.day)

    assert business_between(midnight, midnight + timedelta(days=1), schedule) == 8 * H


@pytest.mark.parametrize("zone", NORDIC_ZONES)
@pytest.mark.parametrize(
    ("saturday", "sunday_9_utc_hour"),
    # Sunday 09:00 local: summer time after the March change, winter time after October's.
    [((2026, 3, 28), {"CET": 7, "EET": 6}), ((2026, 10, 24), {"CET": 8, "EET": 7})],
)
def test_business_add_over_the_night_the_clocks_change(zone, saturday, sunday_9_utc_hour):
    schedule = office(zone, country=COUNTRY_OF[zone], days=EVERY_DAY)

    due = business_add(local(zone, *saturday, 15), 2 * H, schedule)

    assert due == local(zone, saturday[0], saturday[1], saturday[2] + 1, 9)
    assert due.tzinfo is UTC
    assert due.hour == sunday_9_utc_hour["EET" if zone == HELSINKI else "CET"]


@pytest.mark.parametrize("zone", NORDIC_ZONES)
@pytest.mark.parametrize(("friday", "monday"), [(27, 30), (23, 26)])
def test_business_add_over_a_weekend_with_a_clock_change(zone, friday, monday):
    month = 3 if friday == 27 else 10
    schedule = office(zone, country=COUNTRY_OF[zone])

    due = business_add(local(zone, 2026, month, friday, 15), 2 * H, schedule)

    assert due == local(zone, 2026, month, monday, 9)
    assert business_between(local(zone, 2026, month, friday, 8), due, schedule) == 9 * H


@pytest.mark.parametrize("zone", NORDIC_ZONES)
@pytest.mark.parametrize(("change_day", "hours"), [(date(2026, 3, 29), 5), (date(2026, 10, 25), 7)])
def test_a_night_shift_across_the_change_counts_the_hours_that_passed(zone, change_day, hours):
    # given a desk open 00:00-06:00 on Sundays: the clocks skip or repeat an hour inside it
    schedule = Schedule.build(time_zone=zone, hours=[(6, time(0), time(6))])
    midnight = local(zone, change_day.year, change_day.month, change_day.day)

    assert business_between(midnight, midnight + timedelta(days=1), schedule) == hours * H
    assert business_add(midnight, hours * H, schedule) == local(
        zone, change_day.year, change_day.month, change_day.day, 6
    )


def test_an_opening_time_the_clocks_skip_opens_at_the_jump():
    # 02:30 does not exist in Oslo on 29 March 2026: the clocks go from 02:00 to 03:00 CEST
    schedule = Schedule.build(time_zone=OSLO, hours=[(6, time(2, 30), time(5))])

    assert schedule.spans_on(date(2026, 3, 29)) == (
        (datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 3, 29, 3, tzinfo=UTC)),
    )


def test_an_opening_time_the_clocks_repeat_opens_at_its_first_occurrence():
    # 02:30 happens twice in Oslo on 25 October 2026: first in summer time (00:30 UTC)
    schedule = Schedule.build(time_zone=OSLO, hours=[(6, time(2, 30), time(5))])

    assert schedule.spans_on(date(2026, 10, 25)) == (
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 4, tzinfo=UTC)),
    )


# --- public holidays and closed days --------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "country", "start", "due"),
    [
        # 17 May: a Wednesday in 2028, a Monday in 2027 (Whit Monday too)
        (OSLO, "NO", (2028, 5, 16, 15), (2028, 5, 18, 9)),
        (OSLO, "", (2028, 5, 16, 15), (2028, 5, 17, 9)),
        (COPENHAGEN, "DK", (2028, 5, 16, 15), (2028, 5, 17, 9)),
        (OSLO, "NO", (2027, 5, 14, 15), (2027, 5, 18, 9)),
        # Grundlovsdag, Friday 5 June 2026
        (COPENHAGEN, "DK", (2026, 6, 4, 15), (2026, 6, 8, 9)),
        (OSLO, "NO", (2026, 6, 4, 15), (2026, 6, 5, 9)),
        # Midsommarafton, Friday 19 June 2026 (Juhannusaatto in Finland)
        (STOCKHOLM, "SE", (2026, 6, 18, 15), (2026, 6, 22, 9)),
        (HELSINKI, "FI", (2026, 6, 18, 15), (2026, 6, 22, 9)),
        (OSLO, "NO", (2026, 6, 18, 15), (2026, 6, 19, 9)),
        # Easter 2026: Norway and Denmark close from Maundy Thursday to Easter Monday
        (OSLO, "NO", (2026, 4, 1, 15), (2026, 4, 7, 9)),
        (COPENHAGEN, "DK", (2026, 4, 1, 15), (2026, 4, 7, 9)),
        (STOCKHOLM, "SE", (2026, 4, 1, 15), (2026, 4, 2, 9)),
        (HELSINKI, "FI", (2026, 4, 2, 15), (2026, 4, 7, 9)),
        # Christmas 2026: Christmas Eve is a Thursday
        (STOCKHOLM, "SE", (2026, 12, 23, 15), (2026, 12, 28, 9)),
        (COPENHAGEN, "DK", (2026, 12, 23, 15), (2026, 12, 28, 9)),
        (HELSINKI, "FI", (2026, 12, 23, 15), (2026, 12, 28, 9)),
    ],
)
def test_business_add_skips_public_holidays(zone, country, start, due):
    schedule = office(zone, country=country)

    assert business_add(local(zone, *start), 2 * H, schedule) == local(zone, *due)


def test_business_between_over_easter_counts_only_open_days():
    start, end = (2026, 4, 1, 8), (2026, 4, 7, 16)

    assert business_between(local(OSLO, *start), local(OSLO, *end), office(OSLO, country="NO")) == (
        16 * H
    )
    assert business_between(
        local(STOCKHOLM, *start), local(STOCKHOLM, *end), office(STOCKHOLM, country="SE")
    ) == (24 * H)


def test_a_custom_closed_day_is_skipped():
    schedule = office(OSLO, country="NO", closed=(date(2026, 1, 13),))

    assert business_add(local(OSLO, 2026, 1, 12, 15), 2 * H, schedule) == local(
        OSLO, 2026, 1, 14, 9
    )
    assert business_between(local(OSLO, 2026, 1, 12), local(OSLO, 2026, 1, 15), schedule) == (
        16 * H
    )


def test_starting_on_a_holiday_counts_from_the_next_opening():
    schedule = office(OSLO, country="NO")

    assert business_add(local(OSLO, 2028, 5, 17, 10), H, schedule) == local(OSLO, 2028, 5, 18, 9)


# --- opening hours ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "duration", "due"),
    [
        ((11, 0), H, (12, 30)),  # the lunch break does not count
        ((11, 45), H / 2, (12, 30)),  # starting in the break counts from 12:00
        ((11, 30), 4 * H, (16, 0)),
        ((8, 0), 7.5 * H, (16, 0)),
    ],
)
def test_business_add_around_a_lunch_break(start, duration, due):
    schedule = office(OSLO, lunch=True)

    assert business_add(local(OSLO, 2026, 1, 12, *start), duration, schedule) == local(
        OSLO, 2026, 1, 12, *due
    )


def test_business_between_a_day_with_a_lunch_break():
    schedule = office(OSLO, lunch=True)

    assert business_between(local(OSLO, 2026, 1, 12), local(OSLO, 2026, 1, 13), schedule) == (
        7.5 * H
    )
    assert business_between(
        local(OSLO, 2026, 1, 12, 11, 15), local(OSLO, 2026, 1, 12, 12, 15), schedule
    ) == (H / 2)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        ((2026, 1, 10, 12), (2026, 1, 12, 9)),  # a Saturday
        ((2026, 1, 12, 6), (2026, 1, 12, 9)),  # before opening
        ((2026, 1, 12, 17), (2026, 1, 13, 9)),  # after closing
        ((2026, 1, 16, 16), (2026, 1, 19, 9)),  # exactly at closing on a Friday
        ((2026, 1, 12, 8), (2026, 1, 12, 9)),  # exactly at opening
    ],
)
def test_business_add_from_outside_or_at_the_edge_of_hours(start, due):
    assert business_add(local(OSLO, *start), H, office(OSLO)) == local(OSLO, *due)


def test_a_full_day_ends_at_closing_time_not_at_the_next_opening():
    schedule = office(OSLO)

    assert business_add(local(OSLO, 2026, 1, 12, 8), 8 * H, schedule) == local(
        OSLO, 2026, 1, 12, 16
    )


def test_a_zero_duration_is_due_at_the_start():
    saturday = local(OSLO, 2026, 1, 10, 12)

    assert business_add(saturday, timedelta(0), office(OSLO)) == saturday


def test_business_between_nothing_counts_outside_hours_or_backwards():
    schedule = office(OSLO)
    closing, opening = local(OSLO, 2026, 1, 12, 16), local(OSLO, 2026, 1, 13, 8)

    assert business_between(closing, opening, schedule) == timedelta(0)
    assert business_between(opening, closing, schedule) == timedelta(0)
    assert business_between(opening, opening, schedule) == timedelta(0)


# --- long durations --------------------------------------------------------------------------


def test_30_business_days_take_well_under_50_ms():
    schedule = office(OSLO, country="NO", lunch=True)
    start = local(OSLO, 2026, 3, 30, 9)
    public_holidays(COUNTRY_OF[OSLO], "", 1999)  # the package's one-time load is not measured
    public_holidays.cache_clear()

    began = perf_counter()
    due = business_add(start, 30 * 7.5 * H, schedule)
    elapsed = business_between(start, due, schedule)
    seconds = perf_counter() - began

    # Easter, 1 May, Ascension Day; 17 May is a Sunday in 2026
    assert due == local(OSLO, 2026, 5, 18, 9)
    assert elapsed == 30 * 7.5 * H
    assert seconds < 0.05


def test_skipping_whole_weeks_agrees_with_counting_day_by_day():
    schedule = office(HELSINKI, country="FI", lunch=True, closed=(date(2026, 8, 12),))
    days = [local(HELSINKI, 2026, 1, 1) + timedelta(days=n) for n in range(366)]
    midnights = [local(HELSINKI, d.year, d.month, d.day) for d in days]

    day_by_day = sum(
        (business_between(a, b, schedule) for a, b in zip(midnights, midnights[1:], strict=False)),
        timedelta(0),
    )

    assert business_between(midnights[0], midnights[-1], schedule) == day_by_day
    assert business_add(midnights[0], day_by_day, schedule) <= midnights[-1]


# --- guards ----------------------------------------------------------------------------------


def test_a_schedule_without_hours_raises_a_clear_error():
    schedule = Schedule.build(time_zone=OSLO, hours=[])
    start = local(OSLO, 2026, 1, 12, 9)

    with pytest.raises(NoBusinessHours, match="no opening hours"):
        business_add(start, H, schedule)
    with pytest.raises(NoBusinessHours):
        business_between(start, start + H, schedule)


def test_a_schedule_closed_on_every_open_day_raises_instead_of_looping():
    mondays = [date(2026, 1, 5) + timedelta(weeks=n) for n in range(52 * 12)]
    schedule = Schedule.build(time_zone=OSLO, hours=[(0, time(8), time(16))], closed_dates=mondays)

    with pytest.raises(NoBusinessHours, match="closed every day"):
        business_add(local(OSLO, 2026, 1, 1), H, schedule)


def test_naive_datetimes_and_negative_durations_are_refused():
    schedule = office(OSLO)
    naive = datetime(2026, 1, 12, 9)  # noqa: DTZ001 - the point of the test

    with pytest.raises(ValueError, match="aware"):
        business_add(naive, H, schedule)
    with pytest.raises(ValueError, match="aware"):
        business_between(local(OSLO, 2026, 1, 12), naive, schedule)
    with pytest.raises(ValueError, match="negative"):
        business_add(local(OSLO, 2026, 1, 12), -H, schedule)


@pytest.mark.parametrize(
    "hours",
    [
        [(0, time(8), time(12)), (0, time(11), time(16))],
        [(0, time(16), time(8))],
    ],
)
def test_a_schedule_refuses_overlapping_or_reversed_intervals(hours):
    with pytest.raises(ValueError, match="weekday 0"):
        Schedule.build(time_zone=OSLO, hours=hours)


def test_a_schedule_refuses_an_unknown_zone():
    with pytest.raises(ValueError, match="unknown time zone"):
        Schedule.build(time_zone="Europe/Bergen", hours=[(0, time(8), time(16))])


# --- calendar time ---------------------------------------------------------------------------


def test_due_at_without_a_schedule_is_calendar_time():
    saturday = local(OSLO, 2026, 1, 10, 12)

    assert due_at(saturday, 2 * H, None) == datetime(2026, 1, 10, 13, tzinfo=UTC)
    assert due_at(saturday, 2 * H, office(OSLO)) == local(OSLO, 2026, 1, 12, 10)


def test_elapsed_between_without_a_schedule_is_calendar_time():
    friday, monday = local(OSLO, 2026, 1, 9, 15), local(OSLO, 2026, 1, 12, 9)

    assert elapsed_between(friday, monday, None) == 66 * H
    assert elapsed_between(monday, friday, None) == timedelta(0)
    assert elapsed_between(friday, monday, office(OSLO)) == 2 * H
