"""Properties of the business-time arithmetic over random starts, durations and schedules,
and a minute-by-minute reference around the clock changes."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from nordesk.sla.business_time import Schedule, business_add, business_between
from tests.sla.schedules import COUNTRY_OF, NORDIC_ZONES, office

# No example database: it would be written into the working tree.
PROFILE = hypothesis_settings(database=None, deadline=None, max_examples=150)

MAX_BUSINESS = timedelta(days=60)
MINUTE = timedelta(minutes=1)

starts = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - bounds are naive; values get a zone
    max_value=datetime(2028, 12, 31, 23, 59),  # noqa: DTZ001
    timezones=st.just(UTC),
)
durations = st.timedeltas(min_value=timedelta(0), max_value=MAX_BUSINESS)


@st.composite
def day_intervals(draw: st.DrawFn, *, max_intervals: int = 3) -> list[tuple[time, time]]:
    """Up to `max_intervals` sorted, non-overlapping intervals on minute boundaries."""
    count = draw(st.integers(0, max_intervals))
    minutes = sorted(
        draw(st.sets(st.integers(0, 24 * 60 - 1), min_size=2 * count, max_size=2 * count))
    )
    clocks = [time(m // 60, m % 60) for m in minutes]
    return list(zip(clocks[::2], clocks[1::2], strict=True))


@st.composite
def random_schedules(draw: st.DrawFn, *, country: bool = True) -> Schedule:
    zone = draw(st.sampled_from(NORDIC_ZONES))
    hours = [(day, opens, closes) for day in range(7) for opens, closes in draw(day_intervals())]
    closed = draw(st.lists(st.dates(date(2025, 1, 1), date(2029, 6, 30)), max_size=20))
    schedule = Schedule.build(
        time_zone=zone,
        hours=hours,
        country=COUNTRY_OF[zone] if country and draw(st.booleans()) else "",
        closed_dates=closed,
    )
    # Less than 8 open hours a week would push 60 days of business time past year 9999.
    assume(schedule.week_length >= timedelta(hours=8))
    return schedule


offices = st.builds(
    office,
    st.sampled_from(NORDIC_ZONES),
    country=st.sampled_from(["", "NO", "DK", "SE", "FI"]),
    lunch=st.booleans(),
)
schedules = st.one_of(offices, random_schedules())


@PROFILE
@given(schedule=schedules, start=starts, duration=durations)
def test_business_between_undoes_business_add(schedule, start, duration):
    due = business_add(start, duration, schedule)

    assert due.tzinfo is UTC
    assert due >= start
    assert business_between(start, due, schedule) == duration


@PROFILE
@given(schedule=schedules, start=starts, durations=st.lists(durations, min_size=2, max_size=2))
def test_business_add_is_monotonic_in_the_duration(schedule, start, durations):
    shorter, longer = sorted(durations)

    assert business_add(start, shorter, schedule) <= business_add(start, longer, schedule)


@PROFILE
@given(schedule=schedules, starts=st.lists(starts, min_size=2, max_size=2), duration=durations)
def test_business_add_is_monotonic_in_the_start(schedule, starts, duration):
    earlier, later = sorted(starts)

    assert business_add(earlier, duration, schedule) <= business_add(later, duration, schedule)


@PROFILE
@given(schedule=schedules, moments=st.lists(starts, min_size=3, max_size=3))
def test_business_between_adds_up(schedule, moments):
    first, middle, last = sorted(moments)

    assert business_between(first, last, schedule) == business_between(
        first, middle, schedule
    ) + business_between(middle, last, schedule)


CHANGE_DAYS = [date(2025, 3, 30), date(2025, 10, 26), date(2026, 3, 29), date(2026, 10, 25)]


def _open_at(schedule: Schedule, instant: datetime) -> bool:
    """Open at `instant` as a wall clock on the desk's wall would say."""
    wall = instant.astimezone(schedule.zone)
    if schedule.is_closed(wall.date()):
        return False
    clock = wall.time()
    return any(opens <= clock < closes for opens, closes in schedule.week[wall.weekday()])


@st.composite
def reference_cases(draw: st.DrawFn) -> tuple[Schedule, datetime, datetime]:
    """A random schedule whose intervals avoid the hour the autumn clocks repeat (where "open
    while the wall clock reads 02:00-02:30" is open twice, and our intervals once) and a
    window of up to three days around a clock change, on minute boundaries."""
    schedule = draw(random_schedules(country=False))
    change_day = draw(st.sampled_from(CHANGE_DAYS))
    if change_day.month == 10:
        repeated = range(3 * 60, 4 * 60) if "Helsinki" in str(schedule.zone) else range(120, 180)
        for intervals in schedule.week:
            for opens, closes in intervals:
                assume(opens.hour * 60 + opens.minute not in repeated)
                assume(closes.hour * 60 + closes.minute not in repeated)
    origin = datetime.combine(change_day - timedelta(days=1), time(), tzinfo=UTC)
    start = origin + draw(st.integers(0, 24 * 60)) * MINUTE
    end = start + draw(st.integers(0, 2 * 24 * 60)) * MINUTE
    return schedule, start, end


@hypothesis_settings(parent=PROFILE, max_examples=40)
@given(case=reference_cases())
def test_business_between_matches_a_minute_by_minute_count(case):
    schedule, start, end = case
    minutes = int((end - start) / MINUTE)

    expected = sum(_open_at(schedule, start + n * MINUTE) for n in range(minutes)) * MINUTE

    assert business_between(start, end, schedule) == expected
