"""The automation API as admins and agents meet it (mounted at /api/v1/automation)."""

import pytest
from django.test import Client

from nordesk.automation import services
from nordesk.automation.models import Trigger
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import Ticket
from tests.factories import make_ticket, token_client
from tests.http import assert_problem, json_patch, json_post

pytestmark = pytest.mark.django_db

AUTO = "/api/v1/automation"
URGENT = {"all": [{"field": "priority", "operator": "is", "value": "urgent"}]}


@pytest.fixture
def admin(people):
    return token_client(people.astrid)


@pytest.fixture
def kari(people):
    return token_client(people.kari)


def test_admin_creates_lists_updates_reorders_and_deletes_triggers(admin):
    body = {
        "name": "A",
        "events": ["ticket_created"],
        "conditions": URGENT,
        "actions": [{"type": "add_tags", "value": ["x"]}],
    }
    first = json_post(admin, f"{AUTO}/triggers", body)
    assert first.status_code == 201, first.content
    second = json_post(admin, f"{AUTO}/triggers", {**body, "name": "B"}).json()
    assert [t["name"] for t in admin.get(f"{AUTO}/triggers").json()] == ["A", "B"]

    response = json_patch(admin, f"{AUTO}/triggers/{second['id']}", {"is_active": False})
    assert response.json()["is_active"] is False

    response = admin.put(
        f"{AUTO}/triggers/order",
        data={"trigger_ids": [second["id"], first.json()["id"]]},
        content_type="application/json",
    )
    assert [t["name"] for t in response.json()] == ["B", "A"]

    assert admin.delete(f"{AUTO}/triggers/{second['id']}").status_code == 204
    assert_problem(
        admin.delete(f"{AUTO}/triggers/{second['id']}"), 404, "automation_trigger_not_found"
    )


def test_an_invalid_definition_is_refused_naming_the_condition_or_action(admin):
    body = {
        "name": "A",
        "events": ["ticket_created"],
        "conditions": {
            "all": [URGENT["all"][0], {"field": "status", "operator": "is", "value": "nope"}]
        },
        "actions": [{"type": "add_tags", "value": ["x"]}],
    }
    problem = assert_problem(json_post(admin, f"{AUTO}/triggers", body), 422, "invalid_conditions")
    assert problem["detail"].startswith("Condition 2: “nope” is not a value of “status”")

    body["conditions"] = URGENT
    body["actions"] = [{"type": "set_priority", "value": "mega"}]
    problem = assert_problem(json_post(admin, f"{AUTO}/triggers", body), 422, "invalid_actions")
    assert problem["detail"].startswith("Action 1: “mega” is not one of")

    body["actions"] = [{"type": "add_tags", "value": ["x"]}]
    body["events"] = ["ticket_exploded"]
    assert_problem(json_post(admin, f"{AUTO}/triggers", body), 422, "invalid_definition")
    assert not Trigger.objects.exists()


def test_mass_assignment_is_refused(admin):
    body = {
        "name": "A",
        "events": ["ticket_created"],
        "conditions": URGENT,
        "actions": [],
        "position": 0,
        "id": 5,
    }
    assert_problem(json_post(admin, f"{AUTO}/triggers", body), 422, "validation_failed")


def test_agents_cannot_write_definitions_and_strangers_cannot_read(people, kari):
    body = {"name": "A", "events": ["ticket_created"], "conditions": URGENT, "actions": []}
    assert_problem(json_post(kari, f"{AUTO}/triggers", body), 403, "permission_denied")
    assert_problem(kari.get(f"{AUTO}/triggers"), 403, "permission_denied")
    assert_problem(
        json_post(kari, f"{AUTO}/canned-replies", {"name": "x", "texts": {"en": "x"}}),
        403,
        "permission_denied",
    )
    assert_problem(Client().get(f"{AUTO}/macros"), 401, "unauthenticated")


def test_time_rules_through_the_api(admin):
    body = {
        "name": "Løs",
        "since": "status_changed",
        "after_minutes": 7 * 24 * 60,
        "conditions": {"all": [{"field": "status", "operator": "is", "value": "pending"}]},
        "actions": [{"type": "set_status", "value": "solved"}],
    }
    created = json_post(admin, f"{AUTO}/time-rules", body)
    assert created.status_code == 201, created.content
    assert created.json()["calendar_id"] is None
    problem = assert_problem(
        json_patch(admin, f"{AUTO}/time-rules/{created.json()['id']}", {"after_minutes": 0}),
        422,
        "invalid_definition",
    )
    assert "minutes" in problem["detail"]
    body["conditions"] = {"all": [{"field": "status", "operator": "changed"}]}
    assert_problem(
        json_post(admin, f"{AUTO}/time-rules", {**body, "name": "B"}), 422, "invalid_conditions"
    )


def test_agent_applies_a_macro_and_renders_a_canned_reply(people, kari):
    macro = services.macro_create(
        name="Venter",
        actions=[{"type": "set_status", "value": "pending"}],
        texts={"en": "Hi {{ customer.first_name }}, from {{ agent.first_name }}"},
    )
    canned = services.canned_reply_create(name="Takk", texts={"en": "Thanks, {{ customer.name }}"})
    ticket = people.ticket

    assert [m["name"] for m in kari.get(f"{AUTO}/macros").json()] == ["Venter"]
    response = kari.post(f"{AUTO}/tickets/{ticket.pk}/macros/{macro.pk}")
    assert response.status_code == 200, response.content
    assert response.json()["reply"] == "Hi Sofie, from Kari"
    assert response.json()["status"] == "pending"
    assert Ticket.objects.get(pk=ticket.pk).status == "pending"

    response = kari.get(f"{AUTO}/tickets/{ticket.pk}/canned-replies/{canned.pk}")
    assert response.json() == {
        "ticket_id": ticket.pk,
        "language": "en",
        "text": "Thanks, Sofie Lund",
    }


def test_tickets_out_of_scope_are_not_found(people):
    ole = token_client(people.ole)  # Technical support; the ticket is Billing's
    macro = services.macro_create(
        name="M", actions=[{"type": "add_tags", "value": ["x"]}], texts={}
    )
    canned = services.canned_reply_create(name="C", texts={"en": "x"})
    ticket = people.ticket
    assert_problem(ole.post(f"{AUTO}/tickets/{ticket.pk}/macros/{macro.pk}"), 404, "not_found")
    assert_problem(
        ole.get(f"{AUTO}/tickets/{ticket.pk}/canned-replies/{canned.pk}"), 404, "not_found"
    )
    assert_problem(ole.get(f"{AUTO}/tickets/{ticket.pk}/runs"), 404, "not_found")
    assert not Ticket.objects.get(pk=ticket.pk).tags.exists()


def test_light_agents_cannot_apply_macros(people):
    lars = token_client(people.lars)
    macro = services.macro_create(
        name="M", actions=[{"type": "add_tags", "value": ["x"]}], texts={}
    )
    response = lars.post(f"{AUTO}/tickets/{people.ticket.pk}/macros/{macro.pk}")
    assert response.status_code == 403


def test_runs_of_a_ticket_and_notifications(people, kari):
    services.trigger_create(
        name="Varsle",
        events=["ticket_created"],
        conditions={"all": []},
        actions=[{"type": "notify", "to": ["team"], "text": "Ny sak #{{ ticket.number }}"}],
    )
    ticket = make_ticket(team=people.billing, address="ny@example.no")

    runs = kari.get(f"{AUTO}/tickets/{ticket.pk}/runs").json()
    assert [(r["name"], r["event"]) for r in runs] == [("Varsle", "ticket_created")]

    notifications = kari.get(f"{AUTO}/notifications?unread=true").json()
    assert [n["text"] for n in notifications] == [f"Ny sak #{ticket.number}"]
    # another agent's notification is not found
    siri = token_client(people.siri)
    assert_problem(
        siri.post(f"{AUTO}/notifications/{notifications[0]['id']}/read"),
        404,
        "automation_notification_not_found",
    )
    read = kari.post(f"{AUTO}/notifications/{notifications[0]['id']}/read").json()
    assert read["read_at"] is not None
    assert kari.get(f"{AUTO}/notifications?unread=true").json() == []
    ticket_services.ticket_set_priority(ticket=ticket, priority="high", actor=None)
