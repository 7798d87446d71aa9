"""Assignment settings, queues, decisions, transfers and presence through the API."""

import pytest

from nordesk.accounts import services as account_services
from nordesk.routing import dispatch
from nordesk.tickets import services as ticket_services
from tests.factories import make_ticket, token_client
from tests.http import assert_problem, json_patch, json_post, json_put

pytestmark = pytest.mark.django_db

ROUTING = "/api/v1/routing"


@pytest.fixture
def admin(people):
    return token_client(people.astrid)


@pytest.fixture
def kari(people):
    return token_client(people.kari)


def test_admin_sets_a_teams_strategy_waits_and_backup(people, admin):
    response = json_patch(
        admin,
        f"{ROUTING}/teams/{people.billing.pk}",
        {
            "strategy": "skills",
            "relax_after_minutes": 10,
            "overflow_after_minutes": 20,
            "backup_team": people.technical.pk,
        },
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": people.billing.pk,
        "name": "Billing",
        "strategy": "skills",
        "relax_after_minutes": 10,
        "overflow_after_minutes": 20,
        "backup_team_id": people.technical.pk,
    }
    cleared = json_patch(admin, f"{ROUTING}/teams/{people.billing.pk}", {"backup_team": None})
    assert cleared.json()["backup_team_id"] is None
    assert cleared.json()["strategy"] == "skills"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"strategy": "lottery"}, 422, "validation_failed"),
        ({"strategy": None}, 422, "validation_failed"),
        ({"relax_after_minutes": 0}, 422, "invalid"),
        ({"relax_after_minutes": -5}, 422, "invalid"),
        ({"overflow_after_minutes": 10**9}, 422, "invalid"),
        ({"name": "Hacked"}, 422, "validation_failed"),
    ],
)
def test_bad_team_settings_are_refused(people, admin, body, status, code):
    response = json_patch(admin, f"{ROUTING}/teams/{people.billing.pk}", body)
    assert_problem(response, status, code)


def test_a_team_cannot_be_its_own_backup_and_agents_cannot_change_teams(people, admin, kari):
    own = json_patch(
        admin, f"{ROUTING}/teams/{people.billing.pk}", {"backup_team": people.billing.pk}
    )
    assert_problem(own, 422, "invalid")
    forbidden = json_patch(
        kari, f"{ROUTING}/teams/{people.billing.pk}", {"strategy": "round_robin"}
    )
    assert_problem(forbidden, 403, "permission_denied")
    missing = json_patch(admin, f"{ROUTING}/teams/999999", {"strategy": "round_robin"})
    assert_problem(missing, 404, "team_not_found")


def test_the_queue_lists_position_wait_and_estimate_for_the_teams_agents(people, kari):
    second = make_ticket(team=people.billing, address="jonas@example.no")
    ticket_services.ticket_set_priority(ticket=second, priority="urgent", actor=None)
    response = kari.get(f"{ROUTING}/teams/{people.billing.pk}/queue")
    assert response.status_code == 200, response.content
    entries = response.json()
    assert [(e["ticket_id"], e["position"]) for e in entries] == [
        (second.pk, 0),
        (people.ticket.pk, 1),
    ]
    assert entries[0]["estimated_wait_minutes"] is None  # nothing handed out yet: no pace
    other_team = token_client(people.ole)
    assert_problem(
        other_team.get(f"{ROUTING}/teams/{people.billing.pk}/queue"), 404, "team_not_found"
    )


def test_supervisors_see_every_decision_with_candidates_and_agents_do_not(people):
    account_services.team_set_routing(team=people.billing, changes={"strategy": "least_loaded"})
    account_services.agent_set_presence(agent=people.kari, presence="online")
    dispatch.team_dispatch(team_id=people.billing.pk)

    response = token_client(people.siri).get(f"{ROUTING}/tickets/{people.ticket.pk}/decisions")
    assert response.status_code == 200, response.content
    [decision] = response.json()
    assert (decision["kind"], decision["assignee_id"]) == ("assignment", people.kari.user_id)
    assert decision["trace"]["strategy"] == "least_loaded"
    assert [c["name"] for c in decision["trace"]["candidates"]] == ["Kari Nordmann"]

    refused = token_client(people.kari).get(f"{ROUTING}/tickets/{people.ticket.pk}/decisions")
    assert_problem(refused, 403, "permission_denied")


def test_admin_manages_skill_requirements(people, admin, kari):
    body = {"attribute": "language", "value": "da", "skill": "Danish", "level": 3}
    created = json_post(admin, f"{ROUTING}/skill-requirements", body)
    assert created.status_code == 201, created.content
    assert created.json() | {"id": 0} == {
        "id": 0,
        "attribute": "language",
        "value": "da",
        "skill": "danish",
        "level": 3,
    }
    assert_problem(
        json_post(admin, f"{ROUTING}/skill-requirements", body), 409, "skill_requirement_taken"
    )
    assert_problem(
        json_post(admin, f"{ROUTING}/skill-requirements", {**body, "level": 9}),
        422,
        "validation_failed",
    )
    assert_problem(json_post(kari, f"{ROUTING}/skill-requirements", body), 403, "permission_denied")
    requirement_id = created.json()["id"]
    assert admin.delete(f"{ROUTING}/skill-requirements/{requirement_id}").status_code == 204
    assert_problem(
        admin.delete(f"{ROUTING}/skill-requirements/{requirement_id}"),
        404,
        "skill_requirement_not_found",
    )


def test_an_agent_transfers_a_ticket_with_a_reason(people, kari):
    url = f"/api/v1/tickets/{people.ticket.pk}/transfer"
    response = json_post(kari, url, {"team": people.technical.pk, "reason": "Appen krasjer"})
    assert response.status_code == 200, response.content
    assert response.json()["team"]["id"] == people.technical.pk
    assert response.json()["transfer_count"] == 1
    # now outside Kari's teams: she no longer sees it, and cannot move it again
    again = json_post(kari, url, {"team": people.billing.pk, "reason": "Tilbake"})
    assert_problem(again, 404, "not_found")


def test_a_transfer_without_a_reason_or_with_extra_fields_is_refused(people, kari):
    url = f"/api/v1/tickets/{people.ticket.pk}/transfer"
    assert_problem(json_post(kari, url, {"team": people.technical.pk}), 422, "validation_failed")
    assert_problem(
        json_post(kari, url, {"team": people.technical.pk, "reason": "x", "transfer_count": 0}),
        422,
        "validation_failed",
    )


def test_an_agent_escalates_to_a_team(people, kari):
    response = json_post(
        kari,
        f"/api/v1/tickets/{people.ticket.pk}/escalate",
        {"team": people.technical.pk, "reason": "specialist", "note": "Trenger utvikler"},
    )
    assert response.status_code == 200, response.content
    events = kari.get(f"/api/v1/tickets/{people.ticket.pk}/events")
    assert events.status_code == 404  # the ticket left Kari's scope
    siri = token_client(people.siri)
    kinds = [e["kind"] for e in siri.get(f"/api/v1/tickets/{people.ticket.pk}/events").json()]
    assert "escalated" in kinds


def test_an_agent_goes_online_and_an_admin_sets_capacity(people, admin, kari):
    response = json_put(kari, "/api/v1/agents/me/presence", {"presence": "online"})
    assert response.status_code == 200, response.content
    assert response.json()["presence"] == "online"
    assert_problem(
        json_put(kari, "/api/v1/agents/me/presence", {"presence": "asleep"}),
        422,
        "validation_failed",
    )

    url = f"/api/v1/agents/{people.kari.user_id}/capacity"
    response = json_patch(admin, url, {"capacity": 25, "channel_capacity": {"chat": 3}})
    assert response.status_code == 200, response.content
    assert (response.json()["capacity"], response.json()["channel_capacity"]) == (25, {"chat": 3})
    assert_problem(
        json_patch(admin, url, {"channel_capacity": {"fax": 1}}), 422, "validation_failed"
    )
    assert_problem(json_patch(kari, url, {"capacity": 99}), 403, "permission_denied")
