from datetime import date, time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from nordesk.core.errors import Invalid
from nordesk.sla import selectors, services
from nordesk.sla.business_time import business_add
from nordesk.sla.errors import CalendarNameTaken, CalendarNotFound, ClosedDayTaken
from nordesk.sla.models import BusinessCalendar, ClosedDay, OpeningHours
from tests.factories import PASSWORD
from tests.sla.schedules import OSLO, local

pytestmark = pytest.mark.django_db

WORKING_WEEK = [(day, time(8), time(16)) for day in range(5)]
WITH_LUNCH = [(day, opens, closes) for day in range(5) for opens, closes in
              [(time(8), time(11, 30)), (time(12), time(16))]]  # fmt: skip


def make_calendar(name: str = "Kundeservice Oslo", **fields) -> BusinessCalendar:
    fields = {"time_zone": OSLO, "country": "NO", "hours": WORKING_WEEK, **fields}
    return services.calendar_create(name=name, **fields)


def test_calendar_create_stores_the_week():
    calendar = make_calendar(hours=WITH_LUNCH)

    rows = list(calendar.hours.values_list("weekday", "opens", "closes"))
    assert rows == WITH_LUNCH
    assert (calendar.time_zone, calendar.country, calendar.is_default) == (OSLO, "NO", False)


def test_calendar_create_refuses_overlapping_hours_naming_the_weekday():
    hours = [*WORKING_WEEK, (1, time(15), time(18))]

    with pytest.raises(Invalid) as refused:
        make_calendar(hours=hours)

    assert refused.value.field == "hours"
    assert refused.value.message == (
        "On Tuesday the opening hours 08:00-16:00 and 15:00-18:00 overlap."
    )
    assert not BusinessCalendar.objects.exists()


def test_calendar_create_refuses_closing_before_opening():
    with pytest.raises(Invalid, match="On Friday the closing time 07:00 is not after"):
        make_calendar(hours=[(4, time(8), time(7))])


@pytest.mark.parametrize(
    "row", [(7, time(8), time(16)), (True, time(8), time(16)), (0, "08:00", time(16))]
)
def test_calendar_create_refuses_malformed_rows(row):
    with pytest.raises(Invalid, match="Each opening-hours row is a weekday"):
        make_calendar(hours=[row])


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_calendar_create_refuses_a_missing_or_long_name(name):
    with pytest.raises(Invalid, match="at most 100 characters") as refused:
        make_calendar(name)

    assert refused.value.field == "name"


def test_calendar_create_refuses_a_week_without_hours():
    with pytest.raises(Invalid, match="at least one day") as refused:
        make_calendar(hours=[])

    assert refused.value.field == "hours"


@pytest.mark.parametrize("time_zone", ["Europe/Bergen", "", "../etc/passwd", "CET+1"])
def test_calendar_create_refuses_an_unknown_time_zone(time_zone):
    with pytest.raises(Invalid, match="Unknown time zone") as refused:
        make_calendar(time_zone=time_zone)

    assert refused.value.field == "time_zone"
    assert not BusinessCalendar.objects.exists()


@pytest.mark.parametrize(
    ("country", "subdivision", "field"),
    [("US", "", "country"), ("NO", "99", "subdivision"), ("", "03", "subdivision")],
)
def test_calendar_create_refuses_unknown_regions(country, subdivision, field):
    with pytest.raises(Invalid) as refused:
        make_calendar(country=country, subdivision=subdivision)

    assert refused.value.field == field


def test_calendar_create_accepts_a_region_and_no_country():
    assert make_calendar("Oslo", subdivision="03").subdivision == "03"
    assert make_calendar("Uten helligdager", country="").country == ""


def test_calendar_names_are_unique():
    make_calendar("Support")

    with pytest.raises(CalendarNameTaken):
        make_calendar(" Support ")


def test_only_one_calendar_is_the_default():
    # given
    oslo = make_calendar("Oslo", is_default=True)

    # when another calendar becomes the default
    stockholm = make_calendar("Stockholm", time_zone="Europe/Stockholm", is_default=True)

    # then
    oslo.refresh_from_db()
    assert not oslo.is_default
    assert selectors.calendar_default() == stockholm

    services.calendar_update(calendar=oslo, changes={"is_default": True})
    assert list(BusinessCalendar.objects.filter(is_default=True)) == [oslo]


def test_the_database_holds_one_default_too():
    make_calendar("Oslo", is_default=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessCalendar.objects.create(name="Rogue", time_zone=OSLO, is_default=True)


def test_the_database_refuses_closing_before_opening():
    calendar = make_calendar()

    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(calendar=calendar, weekday=0, opens=time(9), closes=time(8))


def test_calendar_update_replaces_the_week():
    calendar = make_calendar()

    services.calendar_update(
        calendar=calendar,
        changes={"hours": WITH_LUNCH, "name": "Kundeservice", "time_zone": "Europe/Helsinki"},
    )

    calendar.refresh_from_db()
    assert (calendar.name, calendar.time_zone) == ("Kundeservice", "Europe/Helsinki")
    assert list(calendar.hours.values_list("weekday", "opens", "closes")) == WITH_LUNCH


def test_calendar_update_validates_everything_before_writing():
    calendar = make_calendar()

    with pytest.raises(Invalid, match="Monday"):
        services.calendar_update(
            calendar=calendar,
            changes={"name": "Ny", "hours": [(0, time(8), time(12)), (0, time(8), time(9))]},
        )

    calendar.refresh_from_db()
    assert calendar.name == "Kundeservice Oslo"
    assert calendar.hours.count() == 5


def test_calendar_update_checks_the_region_against_the_country():
    calendar = make_calendar(country="DK")

    with pytest.raises(Invalid) as refused:
        services.calendar_update(calendar=calendar, changes={"subdivision": "03"})

    assert refused.value.field == "subdivision"


def test_closed_day_add_and_refuse_the_same_day_twice():
    calendar = make_calendar()
    services.closed_day_add(calendar=calendar, day=date(2026, 6, 12), name="Sommerfest")

    with pytest.raises(ClosedDayTaken) as refused:
        services.closed_day_add(calendar=calendar, day=date(2026, 6, 12), name="Flytting")

    assert refused.value.field == "date"
    assert list(ClosedDay.objects.values_list("name", flat=True)) == ["Sommerfest"]


def test_schedule_for_calendar_loads_in_two_queries(django_assert_num_queries):
    calendar = make_calendar(hours=WITH_LUNCH)
    services.closed_day_add(calendar=calendar, day=date(2026, 1, 13), name="Inventar")
    services.closed_day_add(calendar=calendar, day=date(2026, 1, 14), name="Inventar")

    with django_assert_num_queries(2):
        schedule = selectors.schedule_for_calendar(calendar.pk)

    assert schedule.closed_dates == {date(2026, 1, 13), date(2026, 1, 14)}
    assert schedule.week_length == timedelta(hours=5 * 7.5)
    assert business_add(local(OSLO, 2026, 1, 12, 15), timedelta(hours=2), schedule) == local(
        OSLO, 2026, 1, 15, 9
    )


def test_schedule_for_a_missing_calendar_is_not_found():
    with pytest.raises(CalendarNotFound):
        selectors.schedule_for_calendar(404)


def test_calendar_default_is_none_without_one():
    make_calendar()

    assert selectors.calendar_default() is None


# --- admin -----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(people) -> Client:
    client = Client()
    assert client.login(username="astrid@nordesk.test", password=PASSWORD)
    return client


def test_admin_pages_render(admin_client):
    calendar = make_calendar()
    services.closed_day_add(calendar=calendar, day=date(2026, 6, 12), name="Sommerfest")

    for url in [
        "/admin/sla/businesscalendar/",
        f"/admin/sla/businesscalendar/{calendar.pk}/change/",
        "/admin/sla/openinghours/",
        "/admin/sla/closedday/",
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_admin_refuses_overlapping_hours(admin_client):
    form = {
        "name": "Helg",
        "time_zone": OSLO,
        "country": "NO",
        "subdivision": "",
        "hours-TOTAL_FORMS": "2",
        "hours-INITIAL_FORMS": "0",
        "hours-0-weekday": "5",
        "hours-0-opens": "10:00",
        "hours-0-closes": "14:00",
        "hours-1-weekday": "5",
        "hours-1-opens": "13:00",
        "hours-1-closes": "15:00",
        "closed_days-TOTAL_FORMS": "0",
        "closed_days-INITIAL_FORMS": "0",
    }

    response = admin_client.post("/admin/sla/businesscalendar/add/", form)

    assert response.status_code == 200
    assert "On Saturday the opening hours 10:00-14:00 and 13:00-15:00 overlap." in (
        response.content.decode()
    )
    assert not BusinessCalendar.objects.exists()
