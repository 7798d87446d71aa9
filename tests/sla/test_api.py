"""The SLA API as admins and agents meet it (mounted at /api/v1/sla)."""

from datetime import date, time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nordesk.customers import services as customer_services
from nordesk.sla import services
from nordesk.sla.calendar_links import calendar_links
from nordesk.sla.models import BusinessCalendar, ClosedDay, OpeningHours, SlaPolicy
from nordesk.tickets import services as ticket_services
from tests.factories import make_ticket, token_client
from tests.http import assert_problem, json_patch, json_post, json_put

pytestmark = pytest.mark.django_db

SLA = "/api/v1/sla"
OSLO = "Europe/Oslo"
WEEKDAYS_8_16 = [{"weekday": day, "opens": "08:00", "closes": "16:00"} for day in range(5)]
WORKING_WEEK = [(day, time(8), time(16)) for day in range(5)]
MOVING_DAY = date(2025, 6, 2)


@pytest.fixture
def admin(people):
    return token_client(people.astrid)


@pytest.fixture
def kari(people):
    return token_client(people.kari)


def oslo_office(name="Kundeservice Oslo"):
    return services.calendar_create(name=name, time_zone=OSLO, country="NO", hours=WORKING_WEEK)


def create_calendar(client, **body):
    return json_post(
        client,
        f"{SLA}/calendars",
        {"name": "Kundeservice Oslo", "time_zone": OSLO, "hours": WEEKDAYS_8_16, **body},
    )


def create_policy(client, **body):
    return json_post(client, f"{SLA}/policies", {"name": "Standard", **body})


# Calendars


def test_admin_creates_lists_and_updates_a_calendar(people, admin, kari):
    # when Astrid creates an Oslo calendar with a lunch break on Fridays
    hours = [
        *WEEKDAYS_8_16[:4],
        {"weekday": 4, "opens": "08:00", "closes": "11:30"},
        {"weekday": 4, "opens": "12:00", "closes": "15:00"},
    ]
    response = create_calendar(admin, country="no", hours=hours, is_default=True)

    # then it is stored with its hours, Norway's holidays and the default flag
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["name"], created["time_zone"], created["country"], created["is_default"]) == (
        "Kundeservice Oslo",
        OSLO,
        "NO",
        True,
    )
    assert created["hours"][-2:] == [
        {"weekday": 4, "opens": "08:00", "closes": "11:30"},
        {"weekday": 4, "opens": "12:00", "closes": "15:00"},
    ]
    assert OpeningHours.objects.filter(calendar_id=created["id"]).count() == 6

    # and any agent reads it
    assert [row["name"] for row in kari.get(f"{SLA}/calendars").json()] == ["Kundeservice Oslo"]
    assert kari.get(f"{SLA}/calendars/{created['id']}").json() == created

    # when she renames it, moves it to Stockholm and opens it on Saturdays only
    response = json_patch(
        admin,
        f"{SLA}/calendars/{created['id']}",
        {
            "name": "Kundtjänst",
            "time_zone": "Europe/Stockholm",
            "country": "SE",
            "hours": [{"weekday": 5, "opens": "10:00", "closes": "14:00"}],
        },
    )

    # then the whole week is replaced and the rest kept
    assert response.status_code == 200, response.content
    updated = response.json()
    assert (updated["name"], updated["time_zone"], updated["country"], updated["is_default"]) == (
        "Kundtjänst",
        "Europe/Stockholm",
        "SE",
        True,
    )
    assert updated["hours"] == [{"weekday": 5, "opens": "10:00", "closes": "14:00"}]
    assert list(OpeningHours.objects.values_list("weekday", flat=True)) == [5]


def test_a_new_default_calendar_takes_the_flag(admin):
    first = create_calendar(admin, name="Oslo", is_default=True).json()
    second = create_calendar(admin, name="Bergen", is_default=True).json()

    assert BusinessCalendar.objects.get(is_default=True).pk == second["id"]
    assert admin.get(f"{SLA}/calendars/{first['id']}").json()["is_default"] is False


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        (
            {"hours": [{"weekday": 0, "opens": "16:00", "closes": "08:00"}]},
            "invalid_hours",
            "On Monday the closing time 08:00 is not after the opening time.",
        ),
        (
            {
                "hours": [
                    {"weekday": 1, "opens": "08:00", "closes": "12:00"},
                    {"weekday": 1, "opens": "11:00", "closes": "16:00"},
                ]
            },
            "invalid_hours",
            "On Tuesday the opening hours 08:00-12:00 and 11:00-16:00 overlap.",
        ),
        (
            {"hours": []},
            "invalid_hours",
            "A business calendar needs opening hours on at least one day.",
        ),
        (
            {"hours": [{"weekday": 7, "opens": "08:00", "closes": "16:00"}]},
            "invalid_hours",
            "Each opening-hours row is a weekday (0 = Monday to 6 = Sunday) and two times of "
            "day, such as 08:00.",
        ),
        (
            {"time_zone": "Europe/Atlantis"},
            "invalid_time_zone",
            "Unknown time zone 'Europe/Atlantis'; use an IANA name such as Europe/Oslo.",
        ),
        (
            {"country": "US"},
            "invalid_region",
            "Public holidays are not available for country 'US'.",
        ),
        (
            {"country": "NO", "subdivision": "99"},
            "invalid_region",
            "Public holidays are not available for region '99'.",
        ),
    ],
)
def test_an_invalid_calendar_is_refused_with_the_reason(admin, changes, code, message):
    # when Astrid creates a calendar that is wrong in one way
    response = create_calendar(admin, **changes)

    # then the refusal says what is wrong, and nothing is stored
    body = assert_problem(response, 422, code)
    assert body["detail"] == message
    assert not BusinessCalendar.objects.exists()

    # and changing a good calendar that way is refused the same way, changing nothing
    calendar = oslo_office()
    response = json_patch(admin, f"{SLA}/calendars/{calendar.pk}", changes)
    assert assert_problem(response, 422, code)["detail"] == message
    calendar.refresh_from_db()
    assert (calendar.time_zone, calendar.country, calendar.hours.count()) == (OSLO, "NO", 5)


@pytest.mark.parametrize(
    "body",
    [
        {"id": 5},
        {"created_at": "2020-01-01T00:00:00Z"},
        {"closed_days": []},
        {"hours": [{"weekday": 0, "opens": "25:00", "closes": "26:00"}]},
        {"hours": [{"weekday": 0, "opens": "08:00", "closes": "16:00", "calendar": 1}]},
        {"hours": [{"weekday": "Monday", "opens": "08:00", "closes": "16:00"}]},
        {"name": None},
        {"hours": None},
    ],
)
def test_calendar_fields_outside_the_schema_are_refused(admin, body):
    calendar = oslo_office()

    response = json_patch(admin, f"{SLA}/calendars/{calendar.pk}", body)

    assert_problem(response, 422, "validation_failed")
    calendar.refresh_from_db()
    assert calendar.name == "Kundeservice Oslo"


def test_a_taken_calendar_name_is_a_conflict(admin):
    oslo_office()
    assert_problem(create_calendar(admin), 409, "calendar_name_taken")


def test_unknown_calendars_are_404(admin):
    assert_problem(admin.get(f"{SLA}/calendars/987654"), 404, "calendar_not_found")
    response = json_patch(admin, f"{SLA}/calendars/987654", {"name": "x"})
    assert_problem(response, 404, "calendar_not_found")
    assert_problem(admin.delete(f"{SLA}/calendars/987654"), 404, "calendar_not_found")
    assert_problem(admin.get(f"{SLA}/calendars/987654/closed-days"), 404, "calendar_not_found")


def test_admin_adds_lists_and_removes_closed_days(admin, kari):
    calendar = oslo_office()
    url = f"{SLA}/calendars/{calendar.pk}/closed-days"

    # when Astrid closes Christmas Eve and New Year's Eve
    response = json_post(admin, url, {"date": "2025-12-31", "name": "Nyttårsaften"})
    assert response.status_code == 201, response.content
    json_post(admin, url, {"date": "2025-12-24", "name": "Julaften"})

    # then every agent sees them in date order
    listed = kari.get(url).json()
    assert [(day["date"], day["name"]) for day in listed] == [
        ("2025-12-24", "Julaften"),
        ("2025-12-31", "Nyttårsaften"),
    ]

    # and a day closed twice, or closed without a reason, is refused
    twice = json_post(admin, url, {"date": "2025-12-24", "name": "Again"})
    assert_problem(twice, 409, "closed_day_taken")
    unnamed = json_post(admin, url, {"date": "2025-12-27", "name": "  "})
    body = assert_problem(unnamed, 422, "invalid")
    assert body["detail"] == "Say in at most 100 characters why the day is closed."
    bad_date = json_post(admin, url, {"date": "2025-02-30", "name": "Nope"})
    assert_problem(bad_date, 422, "validation_failed")

    # when she opens Christmas Eve again
    day_id = listed[0]["id"]
    assert admin.delete(f"{url}/{day_id}").status_code == 204

    # then it is gone, and gone only once
    assert list(ClosedDay.objects.values_list("name", flat=True)) == ["Nyttårsaften"]
    assert_problem(admin.delete(f"{url}/{day_id}"), 404, "closed_day_not_found")


def test_a_closed_day_is_removed_only_through_its_own_calendar(admin):
    oslo, bergen = oslo_office(), oslo_office("Bergen")
    day = services.closed_day_add(calendar=oslo, day=MOVING_DAY, name="Flytting")

    response = admin.delete(f"{SLA}/calendars/{bergen.pk}/closed-days/{day.pk}")

    assert_problem(response, 404, "closed_day_not_found")
    assert ClosedDay.objects.filter(pk=day.pk).exists()


def test_admin_deletes_an_unused_calendar(people, admin):
    calendar = oslo_office()
    services.closed_day_add(calendar=calendar, day=MOVING_DAY, name="Flytting")
    services.team_calendar_set(team_id=people.billing.pk, calendar_id=calendar.pk)

    assert admin.delete(f"{SLA}/calendars/{calendar.pk}").status_code == 204

    assert not BusinessCalendar.objects.exists()
    assert not ClosedDay.objects.exists()
    assert calendar_links().teams == {}


def test_a_calendar_a_policy_uses_is_not_deleted(admin):
    calendar = oslo_office()
    services.policy_create(name="Standard", calendar_id=calendar.pk, first_response_minutes=60)

    response = admin.delete(f"{SLA}/calendars/{calendar.pk}")

    body = assert_problem(response, 409, "calendar_in_use")
    assert body["detail"] == (
        "The SLA policies Standard use this calendar; give them another one before deleting it."
    )
    assert BusinessCalendar.objects.filter(pk=calendar.pk).exists()


def test_a_calendar_clocks_count_in_is_not_deleted(people, admin):
    # given a clock counting in the team's calendar, under a policy without its own
    calendar = oslo_office()
    services.team_calendar_set(team_id=people.billing.pk, calendar_id=calendar.pk)
    services.policy_create(name="Standard", first_response_minutes=60)
    make_ticket(team=people.billing, address="eva@example.no")

    response = admin.delete(f"{SLA}/calendars/{calendar.pk}")

    body = assert_problem(response, 409, "calendar_in_use")
    assert body["detail"] == "Tickets' SLA clocks count in this calendar, so it cannot be deleted."
    assert BusinessCalendar.objects.filter(pk=calendar.pk).exists()


# Team and organisation calendars


def test_admin_sets_and_clears_a_teams_calendar(people, admin):
    calendar = oslo_office()
    url = f"{SLA}/teams/{people.billing.pk}/calendar"

    response = json_put(admin, url, {"calendar": calendar.pk})

    assert response.status_code == 200, response.content
    assert response.json() == {"team_id": people.billing.pk, "calendar_id": calendar.pk}
    assert calendar_links().teams == {people.billing.pk: calendar.pk}

    assert json_put(admin, url, {"calendar": None}).json()["calendar_id"] is None
    assert calendar_links().teams == {}


def test_admin_sets_and_clears_an_organisations_calendar(admin):
    calendar = oslo_office()
    acme = customer_services.organisation_create(name="Acme", domain="acme.no")
    url = f"{SLA}/organisations/{acme.pk}/calendar"

    response = json_put(admin, url, {"calendar": calendar.pk})

    assert response.status_code == 200, response.content
    assert response.json() == {"organisation_id": acme.pk, "calendar_id": calendar.pk}
    assert calendar_links().organisations == {acme.pk: calendar.pk}
    json_put(admin, url, {"calendar": None})
    assert calendar_links().organisations == {}


def test_calendar_links_to_unknown_rows_are_404(people, admin):
    calendar = oslo_office()
    acme = customer_services.organisation_create(name="Acme", domain="acme.no")

    unknown_team = json_put(admin, f"{SLA}/teams/987654/calendar", {"calendar": calendar.pk})
    assert_problem(unknown_team, 404, "not_found")
    unknown_org = json_put(admin, f"{SLA}/organisations/987654/calendar", {"calendar": calendar.pk})
    assert_problem(unknown_org, 404, "not_found")
    for url in (
        f"{SLA}/teams/{people.billing.pk}/calendar",
        f"{SLA}/organisations/{acme.pk}/calendar",
    ):
        assert_problem(json_put(admin, url, {"calendar": 987654}), 404, "calendar_not_found")
        assert_problem(json_put(admin, url, {}), 422, "validation_failed")
        assert_problem(json_put(admin, url, {"calendar": "Oslo"}), 422, "validation_failed")
    assert calendar_links().teams == {}
    assert calendar_links().organisations == {}


# Policies


def test_admin_creates_lists_updates_and_deletes_a_policy(people, admin, kari):
    calendar = oslo_office()

    # when Astrid creates a policy for urgent chats of gold customers
    response = create_policy(
        admin,
        name="Gull",
        conditions=[
            {"field": "priority", "operator": "is", "value": "urgent"},
            {"field": "tier", "operator": "in", "value": ["Gold", "platinum"]},
        ],
        calendar=calendar.pk,
        first_response_minutes=30,
        resolution_minutes=480,
        warning_percent=50,
        pause_when_pending=True,
    )

    # then it is stored with its conditions normalised
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["conditions"] == [
        {"field": "priority", "operator": "is", "value": "urgent"},
        {"field": "tier", "operator": "in", "value": ["gold", "platinum"]},
    ]
    assert (
        created["calendar_id"],
        created["first_response_minutes"],
        created["next_response_minutes"],
        created["warning_percent"],
        created["pause_when_pending"],
        created["is_active"],
    ) == (calendar.pk, 30, None, 50, True, True)

    # and every agent reads it
    assert [policy["name"] for policy in kari.get(f"{SLA}/policies").json()] == ["Gull"]
    assert kari.get(f"{SLA}/policies/{created['id']}").json() == created

    # when she drops the calendar and the resolution target and deactivates it
    response = json_patch(
        admin,
        f"{SLA}/policies/{created['id']}",
        {"calendar": None, "resolution_minutes": None, "is_active": False, "name": "Gull 2"},
    )
    assert response.status_code == 200, response.content
    updated = response.json()
    assert (updated["calendar_id"], updated["resolution_minutes"], updated["is_active"]) == (
        None,
        None,
        False,
    )
    assert (updated["name"], updated["first_response_minutes"]) == ("Gull 2", 30)

    # when she deletes it (no ticket ever had a clock under it)
    assert admin.delete(f"{SLA}/policies/{created['id']}").status_code == 204
    assert not SlaPolicy.objects.exists()
    assert_problem(admin.delete(f"{SLA}/policies/{created['id']}"), 404, "sla_policy_not_found")


def test_a_policy_with_clocks_is_deactivated_not_deleted(people, admin):
    policy = services.policy_create(name="Standard", first_response_minutes=60)
    make_ticket(team=people.billing, address="eva@example.no")

    response = admin.delete(f"{SLA}/policies/{policy.pk}")

    body = assert_problem(response, 409, "sla_policy_in_use")
    assert body["detail"] == (
        "Tickets have SLA clocks under this policy, so it cannot be deleted; deactivate it instead."
    )
    assert SlaPolicy.objects.filter(pk=policy.pk).exists()
    deactivated = json_patch(admin, f"{SLA}/policies/{policy.pk}", {"is_active": False})
    assert deactivated.json()["is_active"] is False


def test_admin_reorders_the_policies(admin):
    first = create_policy(admin, name="Standard", first_response_minutes=480).json()
    second = create_policy(admin, name="Urgent", first_response_minutes=60).json()

    response = json_put(admin, f"{SLA}/policies/order", {"policy_ids": [second["id"], first["id"]]})

    assert response.status_code == 200, response.content
    assert [policy["name"] for policy in response.json()] == ["Urgent", "Standard"]
    assert [policy["name"] for policy in admin.get(f"{SLA}/policies").json()] == [
        "Urgent",
        "Standard",
    ]
    for ids in ([first["id"]], [first["id"], first["id"]], [first["id"], second["id"], 987654]):
        incomplete = json_put(admin, f"{SLA}/policies/order", {"policy_ids": ids})
        assert_problem(incomplete, 422, "invalid_sla_policy_order")
    assert list(SlaPolicy.objects.order_by("position").values_list("name", flat=True)) == [
        "Urgent",
        "Standard",
    ]


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (
            {"conditions": [{"field": "colour", "operator": "is", "value": "red"}]},
            "invalid_sla_policy",
            "Condition 1: unknown field 'colour'; use one of priority, channel, team_id, "
            "organisation_id, tags, tier.",
        ),
        (
            {"conditions": [{"field": "tier", "operator": "is", "value": "gold star"}]},
            "invalid_sla_policy",
            "Condition 1: tier takes customer tiers (letters, digits, “-” and “_”, at most 32 "
            "characters), not 'gold star'.",
        ),
        (
            {"first_response_minutes": 0},
            "invalid_sla_policy",
            "A target is a whole number of minutes from 1 to 525600.",
        ),
        (
            {"warning_percent": 120},
            "invalid_sla_policy",
            "Warn at a whole percentage of the target from 1 to 100.",
        ),
        ({"name": " "}, "invalid_sla_policy", "Give the policy a name of at most 100 characters."),
        ({"calendar": 987654}, "calendar_not_found", "No such business calendar."),
    ],
)
def test_an_invalid_policy_is_refused_with_the_reason(admin, body, code, message):
    status = 404 if code == "calendar_not_found" else 422

    response = create_policy(admin, **{"first_response_minutes": 60, **body})

    assert assert_problem(response, status, code)["detail"] == message
    assert not SlaPolicy.objects.exists()
    policy = services.policy_create(name="Standard", first_response_minutes=60)
    response = json_patch(admin, f"{SLA}/policies/{policy.pk}", body)
    assert assert_problem(response, status, code)["detail"] == message
    policy.refresh_from_db()
    assert (policy.name, policy.conditions, policy.first_response_minutes) == ("Standard", [], 60)


@pytest.mark.parametrize(
    "body",
    [
        {"position": 0},
        {"id": 5},
        {"calendar_id": 1},
        {"created_at": "2020-01-01T00:00:00Z"},
        {"name": None},
        {"conditions": None},
        {"warning_percent": None},
        {"is_active": None},
        {"conditions": {"field": "priority"}},
    ],
)
def test_policy_fields_outside_the_schema_are_refused(admin, body):
    policy = services.policy_create(name="Standard", first_response_minutes=60)

    assert_problem(json_patch(admin, f"{SLA}/policies/{policy.pk}", body), 422, "validation_failed")
    if "name" not in body:
        response = create_policy(admin, name="Other", first_response_minutes=60, **body)
        assert_problem(response, 422, "validation_failed")
    policy.refresh_from_db()
    assert (policy.position, policy.name, policy.is_active) == (0, "Standard", True)
    assert SlaPolicy.objects.count() == 1


def test_unknown_policies_are_404(admin):
    assert_problem(admin.get(f"{SLA}/policies/987654"), 404, "sla_policy_not_found")
    response = json_patch(admin, f"{SLA}/policies/987654", {"name": "x"})
    assert_problem(response, 404, "sla_policy_not_found")


# Who may do what


@pytest.mark.parametrize("persona", ["siri", "kari", "lars"])
def test_only_admins_change_calendars_and_policies(people, persona):
    client = token_client(getattr(people, persona))
    calendar = oslo_office()
    policy = services.policy_create(name="Standard", first_response_minutes=60)
    day = services.closed_day_add(calendar=calendar, day=MOVING_DAY, name="Flytting")
    acme = customer_services.organisation_create(name="Acme", domain="acme.no")
    calendar_url, policy_url = f"{SLA}/calendars/{calendar.pk}", f"{SLA}/policies/{policy.pk}"

    # reading is for everyone
    assert client.get(f"{SLA}/calendars").status_code == 200
    assert client.get(calendar_url).status_code == 200
    assert client.get(f"{calendar_url}/closed-days").status_code == 200
    assert client.get(f"{SLA}/policies").status_code == 200
    assert client.get(policy_url).status_code == 200

    # changing is for admins
    refused = [
        create_calendar(client, name="Bergen"),
        json_patch(client, calendar_url, {"name": "x"}),
        client.delete(calendar_url),
        json_post(client, f"{calendar_url}/closed-days", {"date": "2025-12-24", "name": "Jul"}),
        client.delete(f"{calendar_url}/closed-days/{day.pk}"),
        json_put(client, f"{SLA}/teams/{people.billing.pk}/calendar", {"calendar": calendar.pk}),
        json_put(client, f"{SLA}/organisations/{acme.pk}/calendar", {"calendar": calendar.pk}),
        create_policy(client, name="Mine", first_response_minutes=1),
        json_patch(client, policy_url, {"name": "x"}),
        json_put(client, f"{SLA}/policies/order", {"policy_ids": [policy.pk]}),
        client.delete(policy_url),
    ]
    for response in refused:
        # light agents are refused any change by their role, before being asked for admin
        assert_problem(response, 403, "role_forbids" if persona == "lars" else "permission_denied")
    assert (BusinessCalendar.objects.get().name, SlaPolicy.objects.get().name) == (
        "Kundeservice Oslo",
        "Standard",
    )
    assert ClosedDay.objects.count() == 1
    assert calendar_links().teams == {}


def test_a_read_only_admin_token_cannot_change_anything(people):
    client = token_client(people.astrid, scopes=("tickets:read",))
    assert client.get(f"{SLA}/calendars").status_code == 200
    assert_problem(create_calendar(client), 403, "permission_denied")
    assert_problem(create_policy(client, first_response_minutes=60), 403, "permission_denied")


def test_without_a_token_everything_is_401(people):
    anonymous = Client()
    calendar = oslo_office()
    for response in (
        anonymous.get(f"{SLA}/calendars"),
        anonymous.get(f"{SLA}/policies"),
        anonymous.get(f"{SLA}/tickets/{people.ticket.pk}"),
        create_calendar(anonymous, name="Bergen"),
        anonymous.delete(f"{SLA}/calendars/{calendar.pk}"),
    ):
        assert_problem(response, 401, "unauthenticated")


# A ticket's SLA


def test_an_agent_who_sees_the_ticket_reads_its_clocks_and_history(people, kari):
    # given a 24/7 policy that pauses while the customer is asked, and a ticket under it
    services.policy_create(
        name="Standard",
        business_hours=False,
        first_response_minutes=60,
        resolution_minutes=480,
        pause_when_pending=True,
    )
    ticket = make_ticket(team=people.billing, address="eva@example.no")
    ticket_services.ticket_change_status(ticket=ticket, status="pending", actor=people.kari.user)

    # when Kari of Billing asks for its SLA
    response = kari.get(f"{SLA}/tickets/{ticket.pk}")

    # then she sees both clocks, the resolution one paused, and every event so far
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ticket_id"] == ticket.pk
    first, resolution = body["clocks"]
    assert (first["target"], first["name"], first["policy"], first["state"]) == (
        "first_response",
        "First response",
        "Standard",
        "active",
    )
    assert (first["status"], first["target_minutes"]) == ("ok", 60)
    assert first["due_at"] is not None
    assert 0 < first["remaining_seconds"] <= 3600
    assert (resolution["target"], resolution["state"], resolution["status"]) == (
        "resolution",
        "paused",
        "ok",
    )
    assert resolution["remaining_seconds"] <= 480 * 60
    assert [(event["target"], event["kind"]) for event in body["events"]] == [
        ("first_response", "applied"),
        ("first_response", "activated"),
        ("resolution", "applied"),
        ("resolution", "activated"),
        ("resolution", "paused"),
    ]
    assert {event["policy"] for event in body["events"]} == {"Standard"}

    # when she answers, the first response is met
    ticket_services.ticket_reply(ticket=ticket, text="Hei Eva!", actor=people.kari.user)
    first = kari.get(f"{SLA}/tickets/{ticket.pk}").json()["clocks"][0]
    assert (first["state"], first["status"], first["remaining_seconds"]) == (
        "fulfilled",
        "met",
        None,
    )


def test_a_ticket_the_agent_does_not_see_is_a_404(people, admin):
    services.policy_create(name="Standard", first_response_minutes=60)
    ticket = make_ticket(team=people.billing, address="eva@example.no")

    assert_problem(token_client(people.ole).get(f"{SLA}/tickets/{ticket.pk}"), 404, "not_found")
    assert_problem(admin.get(f"{SLA}/tickets/987654"), 404, "not_found")
    assert admin.get(f"{SLA}/tickets/{ticket.pk}").status_code == 200


def test_a_ticket_without_a_policy_has_no_clocks(people, kari):
    body = kari.get(f"{SLA}/tickets/{people.ticket.pk}").json()
    assert body == {"ticket_id": people.ticket.pk, "clocks": [], "events": []}


def test_reading_a_tickets_sla_costs_the_same_queries_however_long_its_history(
    people, kari, django_assert_num_queries
):
    # given a ticket counting in a business calendar, paused and resumed once
    services.policy_create(
        name="Standard",
        calendar_id=oslo_office().pk,
        first_response_minutes=60,
        resolution_minutes=480,
        pause_when_pending=True,
    )
    ticket = make_ticket(team=people.billing, address="eva@example.no")
    url = f"{SLA}/tickets/{ticket.pk}"

    def pause_and_resume():
        for status in ("pending", "open"):
            ticket_services.ticket_change_status(
                ticket=ticket, status=status, actor=people.kari.user
            )

    pause_and_resume()
    kari.get(url)  # the token's first use records when it was used
    with CaptureQueriesContext(connection) as short:
        assert len(kari.get(url).json()["events"]) == 6

    # when the history grows
    for _cycle in range(5):
        pause_and_resume()

    # then reading it costs no more: the token and the agent's teams (2), the ticket with its
    # tags (2), the clocks with their policies (1), the calendar with its hours and its closed
    # days (2), the events (1)
    with django_assert_num_queries(len(short.captured_queries)):
        assert len(kari.get(url).json()["events"]) == 16
    assert len(short.captured_queries) == 8


def test_a_calendar_without_a_time_zone_is_in_oslo_time(admin):
    response = json_post(admin, f"{SLA}/calendars", {"name": "Oslo", "hours": WEEKDAYS_8_16})

    assert response.status_code == 201, response.content
    assert (response.json()["time_zone"], response.json()["country"]) == (OSLO, "")
