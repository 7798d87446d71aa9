"""The routing API as admins and agents meet it (mounted at /api/v1/routing)."""

from dataclasses import replace

import pytest

from nordesk.routing.models import RoutingRule
from nordesk.tickets import services as ticket_services
from tests.factories import inbound, token_client
from tests.http import assert_problem, json_patch, json_post

pytestmark = pytest.mark.django_db

ROUTING = "/api/v1/routing"
DANISH = {"all": [{"field": "language", "operator": "is", "value": "da"}]}
SWEDISH = {"all": [{"field": "language", "operator": "is", "value": "sv"}]}


@pytest.fixture
def admin(people):
    return token_client(people.astrid)


def create(client, **body):
    return json_post(client, f"{ROUTING}/rules", body)


def test_admin_creates_lists_updates_and_deletes_a_rule(people, admin):
    # when Astrid creates a rule
    response = create(admin, name="Dansk", conditions=DANISH, team=people.billing.pk)

    # then it is stored and listed
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["name"], created["team_id"], created["is_active"]) == (
        "Dansk",
        people.billing.pk,
        True,
    )
    assert created["conditions"] == DANISH
    listed = admin.get(f"{ROUTING}/rules").json()
    assert [rule["name"] for rule in listed] == ["Dansk"]

    # when she moves it to another team and pauses it
    response = json_patch(
        admin,
        f"{ROUTING}/rules/{created['id']}",
        {"team": people.technical.pk, "is_active": False},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["team_id"], response.json()["is_active"]) == (
        people.technical.pk,
        False,
    )

    # when she deletes it
    assert admin.delete(f"{ROUTING}/rules/{created['id']}").status_code == 204
    assert not RoutingRule.objects.exists()
    assert_problem(admin.delete(f"{ROUTING}/rules/{created['id']}"), 404, "routing_rule_not_found")


def test_admin_reorders_the_rules(people, admin):
    first = create(admin, name="Dansk", conditions=DANISH, team=people.billing.pk).json()
    second = create(admin, name="Svensk", conditions=SWEDISH, team=people.billing.pk).json()

    response = admin.put(
        f"{ROUTING}/rules/order",
        data={"rule_ids": [second["id"], first["id"]]},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert [rule["name"] for rule in response.json()] == ["Svensk", "Dansk"]
    assert [rule["name"] for rule in admin.get(f"{ROUTING}/rules").json()] == ["Svensk", "Dansk"]
    incomplete = admin.put(
        f"{ROUTING}/rules/order", data={"rule_ids": [first["id"]]}, content_type="application/json"
    )
    assert_problem(incomplete, 422, "invalid_rule_order")


def test_an_invalid_definition_is_refused_naming_the_condition(people, admin):
    conditions = {
        "any": [
            {"field": "language", "operator": "is", "value": "da"},
            {"field": "language", "operator": "contains", "value": "sv"},
        ]
    }

    response = create(admin, name="Nordisk", conditions=conditions, team=people.billing.pk)

    body = assert_problem(response, 422, "invalid_conditions")
    assert body["errors"] == [
        {
            "field": "conditions",
            "message": "Condition 2: the field “language” cannot be compared with “contains”; "
            "use is, is_not or in.",
        }
    ]
    assert not RoutingRule.objects.exists()


def test_an_unknown_team_is_refused(people, admin):
    response = create(admin, name="Dansk", conditions=DANISH, team=987_654)
    assert_problem(response, 422, "unknown_team")


def test_fields_outside_the_schema_are_refused(people, admin):
    # mass assignment: position, ids and timestamps are not the client's to set
    for extra in ({"position": 0}, {"id": 5}, {"created_at": "2020-01-01T00:00:00Z"}):
        response = create(admin, name="Dansk", conditions=DANISH, team=people.billing.pk, **extra)
        assert_problem(response, 422, "validation_failed")
    rule = create(admin, name="Dansk", conditions=DANISH, team=people.billing.pk).json()
    response = json_patch(admin, f"{ROUTING}/rules/{rule['id']}", {"position": 7})
    assert_problem(response, 422, "validation_failed")
    response = json_patch(admin, f"{ROUTING}/rules/{rule['id']}", {"name": None})
    assert_problem(response, 422, "validation_failed")
    assert RoutingRule.objects.get().position == 0


@pytest.mark.parametrize("persona", ["siri", "kari", "lars"])
def test_only_admins_manage_rules(people, persona):
    client = token_client(getattr(people, persona))
    rule = RoutingRule.objects.create(name="Dansk", conditions=DANISH, team=people.billing)

    assert_problem(client.get(f"{ROUTING}/rules"), 403, "permission_denied")
    response = create(client, name="Svensk", conditions=SWEDISH, team=people.billing.pk)
    assert response.status_code == 403
    assert json_patch(client, f"{ROUTING}/rules/{rule.pk}", {"name": "x"}).status_code == 403
    assert client.delete(f"{ROUTING}/rules/{rule.pk}").status_code == 403
    assert RoutingRule.objects.get().name == "Dansk"


def test_a_read_only_token_cannot_change_rules(people):
    client = token_client(people.astrid, scopes=("tickets:read",))
    assert client.get(f"{ROUTING}/rules").status_code == 200
    response = create(client, name="Dansk", conditions=DANISH, team=people.billing.pk)
    assert_problem(response, 403, "permission_denied")


def test_the_decision_is_shown_to_agents_who_see_the_ticket(people, admin):
    # given a Danish rule for Billing and a Danish ticket it routed
    create(admin, name="Dansk", conditions=DANISH, team=people.billing.pk)
    message = ticket_services.receive(replace(inbound(address="soren@example.dk"), language="da"))
    url = f"{ROUTING}/tickets/{message.ticket_id}/decision"

    # then Kari of Billing sees why
    response = token_client(people.kari).get(url)
    assert response.status_code == 200, response.content
    decision = response.json()
    assert (decision["rule_name"], decision["team_id"]) == ("Dansk", people.billing.pk)
    assert decision["trace"][0]["outcome"] == "matched"

    # and Ole of Technical support does not see the ticket at all
    assert_problem(token_client(people.ole).get(url), 404, "not_found")


def test_a_ticket_without_a_decision_is_a_404(people, admin):
    response = admin.get(f"{ROUTING}/tickets/{people.ticket.pk}/decision")
    assert_problem(response, 404, "routing_decision_not_found")
