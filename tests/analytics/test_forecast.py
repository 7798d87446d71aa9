"""The arrivals forecast on generated seasonal data: it learns the weekly and daily rhythm,
treats holidays like Sundays, beats the naive "same hour last week" and reports its MAPE
exactly as defined."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from nordesk.analytics import forecast
from nordesk.analytics.models import ArrivalHour
from nordesk.sla import services as sla_services

from .seasonal import OSLO, expected, generate, utc_hours

# Easter 2026 in Norway: Maundy Thursday, Good Friday, Easter Monday. Inside the backtest.
EASTER = frozenset({date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 6)})
FIRST = date(2026, 1, 5)  # a Monday; 14 weeks of history, across the change to summer time
TODAY = date(2026, 4, 13)
WEEKDAYS = [(weekday, time(8), time(16)) for weekday in range(5)]


@pytest.fixture(scope="module")
def history():
    return generate(FIRST, TODAY - timedelta(days=1), holidays=EASTER)


def test_mape_skips_hours_without_arrivals():
    # |10−8|/10 = 0.2, |5−5|/5 = 0, the hour with no arrivals is not scored, |4−6|/4 = 0.5.
    error, hours = forecast.mape([(10, 8), (5, 5), (0, 3), (4, 6)])
    assert hours == 3
    assert error == pytest.approx(100 * (0.2 + 0 + 0.5) / 3)
    assert forecast.mape([(0, 1), (0, 0)]) == (None, 0)


def test_forecast_covers_fourteen_local_days_hour_by_hour(history):
    hours = forecast.forecast_hours(history, origin=TODAY, since=FIRST, zone=OSLO)
    assert len(hours) == 14 * 24
    assert hours[0][0] == datetime(2026, 4, 12, 22, tzinfo=UTC)  # Oslo midnight in summer
    assert all(
        later - earlier == timedelta(hours=1)
        for (earlier, _), (later, _) in zip(hours, hours[1:], strict=False)
    )


def test_forecast_learns_the_weekly_and_daily_rhythm(history):
    hours = dict(
        forecast.forecast_hours(
            history, origin=TODAY, since=FIRST, zone=OSLO, holidays=EASTER.__contains__
        )
    )
    for day in (TODAY, TODAY + timedelta(days=5), TODAY + timedelta(days=6)):  # Mon, Sat, Sun
        predicted = sum(hours[hour] for hour in utc_hours(day))
        truth = sum(expected(day, hour.astimezone(OSLO).hour) for hour in utc_hours(day))
        assert predicted == pytest.approx(truth, rel=0.1), day
    monday = {hour.astimezone(OSLO).hour: hours[hour] for hour in utc_hours(TODAY)}
    assert max(monday, key=monday.__getitem__) in (9, 10)
    assert monday[3] < monday[9] / 10


def test_a_holiday_is_forecast_like_a_sunday(history):
    labour_day = date(2026, 5, 1)  # a Friday
    holidays = (EASTER | {labour_day}).__contains__
    hours = dict(
        forecast.forecast_hours(
            history, origin=date(2026, 4, 27), since=FIRST, zone=OSLO, holidays=holidays, days=7
        )
    )
    friday_total = sum(hours[hour] for hour in utc_hours(labour_day))
    sunday_total = sum(hours[hour] for hour in utc_hours(date(2026, 5, 3)))
    assert friday_total == pytest.approx(sunday_total, rel=0.35)
    assert friday_total < 100  # an ordinary Friday brings 200


def test_backtest_beats_the_naive_forecast(history):
    result = forecast.backtest(
        history, today=TODAY, since=FIRST, zone=OSLO, holidays=EASTER.__contains__
    )
    assert result.start == datetime(2026, 3, 15, 23, tzinfo=UTC)  # 16 March, Oslo winter time
    assert result.mape is not None
    assert result.naive_mape is not None
    assert result.mape < 0.75 * result.naive_mape
    assert result.mape < 45


def test_backtest_mape_is_the_mape_of_two_fourteen_day_forecasts(history):
    holidays = EASTER.__contains__
    result = forecast.backtest(history, today=TODAY, since=FIRST, zone=OSLO, holidays=holidays)
    replayed = []
    for origin in (TODAY - timedelta(days=28), TODAY - timedelta(days=14)):
        trimmed = {
            hour: n for hour, n in history.items() if hour < forecast.local_midnight(origin, OSLO)
        }
        replayed += forecast.forecast_hours(
            trimmed, origin=origin, since=FIRST, zone=OSLO, holidays=holidays
        )
    errors = [
        abs(history[hour] - value) / history[hour]
        for hour, value in replayed
        if history.get(hour, 0) > 0
    ]
    assert result.hours == len(errors)
    assert result.mape == pytest.approx(100 * sum(errors) / len(errors))


def test_without_holidays_the_forecast_is_worse_around_easter(history):
    with_calendar = forecast.backtest(
        history, today=TODAY, since=FIRST, zone=OSLO, holidays=EASTER.__contains__
    )
    without = forecast.backtest(history, today=TODAY, since=FIRST, zone=OSLO)
    assert with_calendar.mape < without.mape


def test_short_history_forecasts_from_what_there_is():
    history = generate(date(2026, 3, 30), date(2026, 4, 12))  # two weeks only
    hours = dict(forecast.forecast_hours(history, origin=TODAY, since=date(2026, 3, 30), zone=OSLO))
    predicted = sum(hours[hour] for hour in utc_hours(TODAY))
    assert predicted == pytest.approx(260, rel=0.15)  # not diluted by weeks without data


@pytest.mark.django_db
def test_channel_forecast_reads_arrival_hours_of_its_channel(django_assert_max_num_queries):
    # given: four weeks of chat arrivals (and email noise), a default calendar in Oslo whose
    # closed day today is
    now = datetime(2026, 4, 13, 10, 30, tzinfo=UTC)
    generated = generate(date(2026, 3, 16), TODAY)
    ArrivalHour.objects.bulk_create(
        [
            ArrivalHour(hour=hour, channel="chat", category="billing", tickets=n)
            for hour, n in generated.items()
            if hour < now
        ]
        + [
            ArrivalHour(hour=hour, channel="email", category="", tickets=50)
            for hour in list(generated)[:100]
        ]
    )
    calendar = sla_services.calendar_create(
        name="Oslo", time_zone="Europe/Oslo", hours=WEEKDAYS, is_default=True
    )
    sla_services.closed_day_add(calendar=calendar, day=TODAY, name="Closed")
    # when
    with django_assert_max_num_queries(8):
        result = forecast.channel_forecast("chat", now=now)
    # then
    assert len(result.hours) == 14 * 24
    today_total = sum(value for hour, value in result.hours if hour < now + timedelta(hours=14))
    assert today_total < 100  # a closed Monday looks like a Sunday, not a Monday (260)
    assert sum(result.actual.values()) == sum(
        n for hour, n in generated.items() if datetime(2026, 4, 12, 22, tzinfo=UTC) <= hour < now
    )
    assert result.backtest.mape is not None
