"""SLA policies and business calendars on the settings pages, through Django's test client:
admins only; opening hours typed as "Mon 08:00-11:30, 12:00-16:00" lines; every write through
the SLA services, whose refusals show by the form and store nothing."""

from datetime import time

import pytest
from django.urls import reverse

from nordesk.sla import services as sla_services
from nordesk.sla.models import BusinessCalendar, OpeningHours, SlaPolicy
from tests.web.settings_helpers import page_text, row_cells, warm

pytestmark = pytest.mark.django_db

WEEKDAYS_8_16 = [(day, time(8), time(16)) for day in range(5)]


@pytest.fixture
def astrid_client(client, people):
    client.force_login(people.astrid.user)
    return client


@pytest.fixture
def calendar() -> BusinessCalendar:
    return sla_services.calendar_create(
        name="Oslo", time_zone="Europe/Oslo", country="NO", hours=WEEKDAYS_8_16
    )


@pytest.fixture
def policy(calendar) -> SlaPolicy:
    return sla_services.policy_create(
        name="Standard", first_response_minutes=240, resolution_minutes=2400
    )


def _calendar_data(**changes) -> dict:
    data = {
        "name": "Stockholm",
        "time_zone": "Europe/Stockholm",
        "country": "SE",
        "subdivision": "",
        "hours": "Mon 08:00-11:30, 12:00-16:00\nFri 09:00-15:00",
    }
    data.update(changes)
    return data


def _policy_data(**changes) -> dict:
    data = {
        "name": "VIP",
        "conditions": '[{"field": "tags", "operator": "is", "value": "vip"}]',
        "first_response_minutes": "30",
        "next_response_minutes": "60",
        "resolution_minutes": "",
        "warning_percent": "80",
        "business_hours": "on",
        "calendar": "",
        "is_active": "on",
    }
    data.update(changes)
    return data


PAGES = [
    ("get", "web:settings_sla_policies", None),
    ("get", "web:settings_sla_policies_create", None),
    ("post", "web:settings_sla_policies_create", None),
    ("get", "web:settings_sla_policies_edit", "policy"),
    ("post", "web:settings_sla_policies_edit", "policy"),
    ("get", "web:settings_calendars", None),
    ("get", "web:settings_calendars_create", None),
    ("post", "web:settings_calendars_create", None),
    ("get", "web:settings_calendars_edit", "calendar"),
    ("post", "web:settings_calendars_edit", "calendar"),
]


@pytest.mark.parametrize("persona", ["siri", "kari", "lars"])
@pytest.mark.parametrize(("method", "name", "arg"), PAGES)
def test_sla_settings_are_404_for_everyone_but_admins(
    request, client, people, calendar, policy, persona, method, name, arg
):
    client.force_login(getattr(people, persona).user)
    url = reverse(name, args=[request.getfixturevalue(arg).pk] if arg else [])

    response = getattr(client, method)(
        url, {**_calendar_data(), **_policy_data()} if method == "post" else {}
    )

    assert response.status_code == 404
    assert list(BusinessCalendar.objects.values_list("name", flat=True)) == ["Oslo"]
    assert list(SlaPolicy.objects.values_list("name", flat=True)) == ["Standard"]


# --- calendars ------------------------------------------------------------------------------


def test_admin_creates_a_calendar_with_lunch_break(astrid_client):
    response = astrid_client.post(
        reverse("web:settings_calendars_create"), _calendar_data(), follow=True
    )

    page = page_text(response)
    assert "Business calendar Stockholm created." in page
    calendar = BusinessCalendar.objects.get()
    assert (calendar.time_zone, calendar.country) == ("Europe/Stockholm", "SE")
    hours = list(
        OpeningHours.objects.filter(calendar=calendar)
        .order_by("weekday", "opens")
        .values_list("weekday", "opens", "closes")
    )
    assert hours == [
        (0, time(8), time(11, 30)),
        (0, time(12), time(16)),
        (4, time(9), time(15)),
    ]
    assert row_cells(page, calendar.pk) == ["Stockholm", "Europe/Stockholm", "Sweden", "No"]


def test_calendar_edit_shows_the_hours_as_typed_and_saves_changes(astrid_client, calendar):
    url = reverse("web:settings_calendars_edit", args=[calendar.pk])
    form = page_text(astrid_client.get(url))
    assert "Mon 08:00-16:00\nTue 08:00-16:00\nWed 08:00-16:00" in form

    astrid_client.post(url, _calendar_data(name="Oslo", hours="Sat 10:00-14:00", is_default="on"))

    calendar.refresh_from_db()
    assert (calendar.name, calendar.time_zone, calendar.is_default) == (
        "Oslo",
        "Europe/Stockholm",
        True,
    )
    assert list(OpeningHours.objects.filter(calendar=calendar).values_list("weekday")) == [(5,)]


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"hours": "Mon 08:00-16:00\nFunday 08:00-10:00"}, "hours", "Line 2: start with a day"),
        ({"hours": "Mon 8-16"}, "hours", "Line 1: write each interval as 08:00-16:00."),
        ({"hours": "Mon 16:00-08:00"}, "hours", "is not after the opening time"),
        ({"hours": "Mon 08:00-12:00, 11:00-16:00"}, "hours", "overlap"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone", "Unknown time zone"),
        ({"country": "NO", "subdivision": "99"}, "subdivision", "not available for region"),
    ],
)
def test_invalid_calendar_shows_the_reason_and_stores_nothing(astrid_client, changes, field, error):
    response = astrid_client.post(
        reverse("web:settings_calendars_create"), _calendar_data(**changes)
    )

    page = page_text(response)
    assert response.status_code == 200
    assert error in page
    assert f'id="calendar-{field}_error"' in page
    assert not BusinessCalendar.objects.exists()


def test_calendar_list_query_count(astrid_client, calendar, django_assert_num_queries):
    warm(astrid_client)
    for n in range(4):
        sla_services.calendar_create(name=f"<b>K{n}</b>", time_zone="UTC", hours=WEEKDAYS_8_16)

    # session, user, agent, unread notifications, calendars
    with django_assert_num_queries(5):
        page = page_text(astrid_client.get(reverse("web:settings_calendars")))
    assert page.count('<tr id="row-') == 5
    assert "&lt;b&gt;K3&lt;/b&gt;" in page
    assert "<b>K3" not in page


# --- policies -------------------------------------------------------------------------------


def test_admin_creates_a_policy(astrid_client, calendar, policy):
    response = astrid_client.post(
        reverse("web:settings_sla_policies_create"),
        _policy_data(calendar=str(calendar.pk), pause_when_pending="on"),
        follow=True,
    )

    page = page_text(response)
    assert "SLA policy VIP created." in page
    created = SlaPolicy.objects.get(name="VIP")
    assert created.conditions == [{"field": "tags", "operator": "is", "value": "vip"}]
    assert (
        created.first_response_minutes,
        created.next_response_minutes,
        created.resolution_minutes,
    ) == (30, 60, None)
    assert (created.warning_percent, created.calendar_id, created.pause_when_pending) == (
        80,
        calendar.pk,
        True,
    )
    assert row_cells(page, created.pk) == [
        "2",
        "VIP",
        "30 minutes",
        "60 minutes",
        "—",
        "Oslo",
        "Yes",
    ]


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        (
            {"conditions": '[{"field": "priority", "operator": "is", "value": "high"},'
             ' {"field": "mood", "operator": "is", "value": "x"}]'},
            "conditions",
            "Condition 2: unknown field &#x27;mood&#x27;",
        ),
        ({"conditions": '{"all": []}'}, "conditions", "Conditions are a list"),
        ({"conditions": "[{"}, "conditions", "This is not valid JSON"),
        ({"first_response_minutes": "0"}, "first_response_minutes", "A target is a whole number"),
        ({"warning_percent": "120"}, "warning_percent", "Warn at a whole percentage"),
    ],
)  # fmt: skip
def test_invalid_policy_shows_the_reason_and_stores_nothing(astrid_client, changes, field, error):
    response = astrid_client.post(
        reverse("web:settings_sla_policies_create"), _policy_data(**changes)
    )

    page = page_text(response)
    assert error in page
    assert f'id="policy-{field}_error"' in page
    assert not SlaPolicy.objects.exists()


def test_admin_edits_a_policy(astrid_client, policy):
    url = reverse("web:settings_sla_policies_edit", args=[policy.pk])
    assert 'name="first_response_minutes" value="240"' in page_text(astrid_client.get(url))

    astrid_client.post(
        url, _policy_data(name="Standard", business_hours="", conditions="[]", is_active="")
    )

    policy.refresh_from_db()
    assert (policy.first_response_minutes, policy.business_hours, policy.is_active) == (
        30,
        False,
        False,
    )


def test_policy_list_query_count(astrid_client, calendar, policy, django_assert_num_queries):
    warm(astrid_client)
    for n in range(4):
        sla_services.policy_create(name=f"P{n}", calendar_id=calendar.pk, resolution_minutes=60)

    # session, user, agent, unread notifications, calendars, policies
    with django_assert_num_queries(6):
        page = page_text(astrid_client.get(reverse("web:settings_sla_policies")))
    assert page.count('<tr id="row-') == 5
