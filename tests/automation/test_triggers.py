"""Triggers through the services and the real ticket services: each action, ordering, loop
safety, the record of runs, and the query budget of the hot path."""

from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nordesk.automation import services
from nordesk.automation.models import AutomationRun, Notification
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import CustomFieldDefinition, Message, Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

ALWAYS = {"all": []}


def trigger(name, actions, *, events=("ticket_updated",), conditions=ALWAYS, **fields):
    return services.trigger_create(
        name=name, events=list(events), conditions=conditions, actions=actions, **fields
    )


def fresh(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def moment(ticket, target: str) -> dict:
    """One clock of an SLA scan's batch, as the SLA app emits it."""
    return {"ticket_id": ticket.pk, "target": target, "at": None}


def tags(ticket) -> set[str]:
    return set(fresh(ticket).tags.values_list("name", flat=True))


def test_trigger_on_ticket_created_sets_priority_and_tags_and_records_the_run(people):
    # given a trigger on new tickets that mention "faktura"
    made = trigger(
        "Faktura",
        [{"type": "set_priority", "value": "high"}, {"type": "add_tags", "value": ["faktura"]}],
        events=["ticket_created"],
        conditions={"all": [{"field": "message.text", "operator": "contains", "value": "FAKTURA"}]},
    )

    # when a customer writes
    ticket = make_ticket(team=people.billing, text="Hei, fakturaen min er feil")

    # then the ticket got both changes, and the run is on the ticket
    assert fresh(ticket).priority == "high"
    assert tags(ticket) == {"faktura"}
    run = AutomationRun.objects.get(ticket_id=ticket.pk)
    assert (run.trigger_id, run.name, run.event, run.error) == (
        made.pk,
        "Faktura",
        "ticket_created",
        "",
    )
    assert run.actions == [{"type": "set_priority"}, {"type": "add_tags"}]


def test_trigger_whose_conditions_fail_does_nothing(people):
    trigger(
        "Engelsk",
        [{"type": "set_priority", "value": "urgent"}],
        events=["ticket_created"],
        conditions={"all": [{"field": "language", "operator": "is", "value": "en"}]},
    )
    ticket = make_ticket(team=people.billing, text="Hei, fakturaen min er feil")
    assert fresh(ticket).priority == "normal"
    assert not AutomationRun.objects.exists()


def test_each_action_changes_the_ticket(people):
    CustomFieldDefinition.objects.create(key="order", label="Order", kind="text")
    ticket = people.ticket
    actions = [
        {"type": "set_status", "value": "open"},
        {"type": "raise_priority"},
        {"type": "set_team", "value": people.technical.pk},
        {"type": "set_assignee", "value": people.ole.user_id},
        {"type": "add_tags", "value": ["a", "b"]},
        {"type": "remove_tags", "value": ["b"]},
        {"type": "set_field", "key": "order", "value": "VL-1"},
        {"type": "add_note", "text": "Sak #{{ ticket.number }} for {{ customer.first_name }}"},
        {"type": "send_reply", "text": {"en": "Hello", "nb": "Hei {{ customer.first_name }}!"}},
    ]
    services.trigger_create(
        name="All", events=["csat_received"], conditions=ALWAYS, actions=actions
    )

    from nordesk.core.events import emit

    emit("csat_received", ticket_id=ticket.pk, score=2)

    ticket = fresh(ticket)
    assert (ticket.status, ticket.priority, ticket.team_id, ticket.assignee_id) == (
        "open",
        "high",
        people.technical.pk,
        people.ole.user_id,
    )
    assert tags(ticket) == {"a"}
    assert ticket.custom_fields == {"order": "VL-1"}
    note, reply = Message.objects.filter(ticket=ticket, direction="out").order_by("id")
    assert (note.visibility, note.text) == ("internal", f"Sak #{ticket.number} for Sofie")
    # the ticket's language is unknown: English
    assert (reply.visibility, reply.text) == ("public", "Hello")
    run = AutomationRun.objects.get(ticket_id=ticket.pk)
    assert run.error == ""
    assert [action["type"] for action in run.actions] == [action["type"] for action in actions]


def test_a_refused_action_is_recorded_and_the_others_still_run(people):
    # a new ticket cannot be closed; the tag still goes on
    trigger(
        "Lukk",
        [{"type": "set_status", "value": "closed"}, {"type": "add_tags", "value": ["x"]}],
        events=["csat_received"],
    )
    from nordesk.core.events import emit

    emit("csat_received", ticket_id=people.ticket.pk, score=5)

    assert fresh(people.ticket).status == "new"
    assert tags(people.ticket) == {"x"}
    run = AutomationRun.objects.get()
    assert run.actions[0]["type"] == "set_status"
    assert "error" in run.actions[0]
    assert run.error.startswith("1: ")


def test_notify_reaches_assignee_team_and_supervisors(people):
    ticket_services.ticket_assign(ticket=people.ticket, assignee_id=people.kari.user_id, actor=None)
    trigger(
        "Brudd",
        [
            {"type": "notify", "to": ["assignee", "supervisors"], "text": "#{{ ticket.number }}"},
            {"type": "notify", "to": ["team"], "text": "team"},
            {"type": "raise_priority"},
            {"type": "add_tags", "value": ["escalated"]},
        ],
        events=["sla_breached"],
        conditions={"all": [{"field": "sla.target", "operator": "is", "value": "resolution"}]},
    )
    from nordesk.core.events import emit

    emit("sla_warning", clocks=[moment(people.ticket, "resolution")])
    assert not Notification.objects.exists()
    emit("sla_breached", clocks=[moment(people.ticket, "first_response")])
    assert not Notification.objects.exists()

    emit("sla_breached", clocks=[moment(people.ticket, "resolution")])

    first = {n.recipient_id for n in Notification.objects.filter(text=f"#{people.ticket.number}")}
    assert first == {people.kari.user_id, people.siri.user_id}
    team = {n.recipient_id for n in Notification.objects.filter(text="team")}
    assert team == {people.kari.user_id, people.lars.user_id}
    assert fresh(people.ticket).priority == "high"
    assert tags(people.ticket) == {"escalated"}


def test_send_email_and_webhook_after_commit(people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    trigger(
        "Ut",
        [
            {
                "type": "send_email",
                "to": [people.kari.user_id, "boss@example.no"],
                "subject": "Sak {{ ticket.number }}",
                "text": "Se på den",
            },
            {"type": "webhook", "url": "https://hooks.example.no/nordesk"},
        ],
        events=["csat_received"],
    )
    from nordesk.core.events import emit

    with (
        mock.patch("nordesk.automation.tasks.webhook_send") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        emit("csat_received", ticket_id=people.ticket.pk, score=1)

    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["boss@example.no", "kari@nordesk.test"]
    assert mail.outbox[0].subject == f"Sak {people.ticket.number}"
    (url, body), _kw = send.call_args
    assert url == "https://hooks.example.no/nordesk"
    assert body["event"] == "csat_received"
    assert body["ticket"]["id"] == people.ticket.pk


# --- order and "updated" ---------------------------------------------------------------------


def test_triggers_run_in_their_order_and_see_each_others_changes(people):
    # the second trigger only holds once the first one has set the priority
    first = trigger("A", [{"type": "set_priority", "value": "urgent"}], events=["csat_received"])
    second = trigger(
        "B",
        [{"type": "add_tags", "value": ["urgent-csat"]}],
        events=["csat_received"],
        conditions={"all": [{"field": "priority", "operator": "is", "value": "urgent"}]},
    )
    from nordesk.core.events import emit

    emit("csat_received", ticket_id=people.ticket.pk, score=1)
    assert tags(people.ticket) == {"urgent-csat"}

    # reordered, B runs before A has changed anything
    services.triggers_reorder(trigger_ids=[second.pk, first.pk])
    ticket_services.ticket_tag(ticket=people.ticket, remove=["urgent-csat"], actor=None)
    ticket_services.ticket_set_priority(ticket=people.ticket, priority="normal", actor=None)
    emit("csat_received", ticket_id=people.ticket.pk, score=1)
    assert tags(people.ticket) == set()


def test_changed_to_and_from_read_the_history_of_the_change(people):
    trigger(
        "Løst",
        [{"type": "add_tags", "value": ["was-pending"]}],
        conditions={
            "all": [
                {"field": "status", "operator": "changed_from", "value": "pending"},
                {"field": "status", "operator": "changed_to", "value": "solved"},
            ]
        },
    )
    ticket = people.ticket
    ticket_services.ticket_change_status(ticket=ticket, status="open", actor=None)
    ticket_services.ticket_change_status(ticket=ticket, status="solved", actor=None)
    assert tags(ticket) == set()

    ticket_services.ticket_change_status(ticket=ticket, status="open", actor=None)
    ticket_services.ticket_change_status(ticket=ticket, status="pending", actor=None)
    ticket_services.ticket_change_status(ticket=ticket, status="solved", actor=None)
    assert tags(ticket) == {"was-pending"}


def test_a_reply_that_sets_pending_is_an_update(people):
    trigger(
        "Venter",
        [{"type": "add_tags", "value": ["venter"]}],
        conditions={"all": [{"field": "status", "operator": "changed_to", "value": "pending"}]},
    )
    ticket_services.ticket_reply(ticket=people.ticket, actor=people.kari.user, text="Svar")
    assert tags(people.ticket) == {"venter"}


# --- loop safety -----------------------------------------------------------------------------


def test_a_trigger_does_not_fire_on_its_own_change(people):
    # every update adds a tag, which is an update itself
    made = trigger("Alltid", [{"type": "add_tags", "value": ["seen"]}])
    ticket_services.ticket_set_priority(ticket=people.ticket, priority="high", actor=None)
    assert AutomationRun.objects.filter(trigger=made).count() == 1
    assert tags(people.ticket) == {"seen"}


def test_two_triggers_that_undo_each_other_stop(people):
    trigger(
        "Ned",
        [{"type": "set_priority", "value": "normal"}],
        conditions={"all": [{"field": "priority", "operator": "changed_to", "value": "high"}]},
    )
    trigger(
        "Opp",
        [{"type": "set_priority", "value": "high"}],
        conditions={"all": [{"field": "priority", "operator": "changed_to", "value": "normal"}]},
    )
    ticket_services.ticket_set_priority(ticket=people.ticket, priority="high", actor=None)
    # Ned ran, then Opp on Ned's change (its run is written first, inside Ned's); neither ran
    # again inside its own chain
    names = AutomationRun.objects.order_by("id").values_list("name", flat=True)
    assert list(names) == ["Opp", "Ned"]
    assert fresh(people.ticket).priority == "high"


def test_chains_of_triggers_stop_at_the_depth_cap(people):
    # t0 -> t1 -> … -> t7: each tag added adds the next
    for i in range(8):
        trigger(
            f"Kjede {i}",
            [{"type": "add_tags", "value": [f"t{i + 1}"]}],
            conditions={"all": [{"field": "tags", "operator": "changed_to", "value": f"t{i}"}]},
        )
    ticket_services.ticket_tag(ticket=people.ticket, add=["t0"], actor=None)
    assert AutomationRun.objects.count() == services.MAX_DEPTH
    assert tags(people.ticket) == {f"t{i}" for i in range(services.MAX_DEPTH + 1)}


# --- the hot path ----------------------------------------------------------------------------


def test_an_event_with_100_triggers_that_do_not_match_costs_no_query(people):
    for i in range(100):
        trigger(
            f"Ingen {i}",
            [{"type": "add_tags", "value": ["x"]}],
            events=["ticket_created", "message_received", "ticket_updated"],
            conditions={
                "all": [
                    {"field": "priority", "operator": "is", "value": "urgent"},
                    {"field": "status", "operator": "is", "value": "closed"},
                ]
            },
        )
    services.triggers_for("ticket_created")  # warm the cache, as every event after the first
    ticket = fresh(people.ticket)

    with CaptureQueriesContext(connection) as queries:
        for event in ("ticket_created", "message_received", "ticket_updated"):
            assert services.triggers_run(event=event, ticket=ticket) == []
    assert len(queries) == 0


def test_updates_cost_no_extra_query_without_listening_triggers(people):
    ticket = fresh(people.ticket)
    ticket_services.ticket_set_priority(ticket=ticket, priority="low", actor=None)  # warm
    with CaptureQueriesContext(connection) as without:
        ticket_services.ticket_set_priority(ticket=ticket, priority="high", actor=None)
    trigger(
        "Aldri",
        [{"type": "add_tags", "value": ["x"]}],
        conditions={"all": [{"field": "status", "operator": "is", "value": "closed"}]},
    )
    services.triggers_for("ticket_updated")
    with CaptureQueriesContext(connection) as with_trigger:
        ticket_services.ticket_set_priority(ticket=ticket, priority="low", actor=None)
    assert len(with_trigger) == len(without)


def test_an_automatic_reply_is_nobodys_first_response(people):
    """An acknowledgement a trigger sends does not stop the first-response clock: the customer
    still waits for a person."""
    from nordesk.sla import selectors as sla_selectors
    from nordesk.sla import services as sla_services

    sla_services.policy_create(name="Standard", first_response_minutes=60)
    trigger(
        "Kvittering",
        [{"type": "send_reply", "text": {"nb": "Takk, vi svarer innen en time."}}],
        events=["ticket_created"],
    )

    ticket = make_ticket(team=people.billing, address="jonas@example.no")

    reply = Message.objects.get(ticket=ticket, direction="out")
    assert (reply.author_kind, reply.author_user) == ("system", None)
    assert fresh(ticket).first_response_at is None
    [first_response] = sla_selectors.clocks_for_ticket(ticket.pk)
    assert first_response.state == "active"

    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Hei Jonas!")
    assert fresh(ticket).first_response_at is not None
    assert sla_selectors.clocks_for_ticket(ticket.pk)[0].state == "fulfilled"
