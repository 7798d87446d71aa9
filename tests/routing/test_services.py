"""Rules through the services, and routing through the real intake pipeline."""

from dataclasses import replace

import pytest

from nordesk.core.errors import Invalid
from nordesk.core.events import DomainEvent
from nordesk.customers import services as customer_services
from nordesk.customers.models import Organisation
from nordesk.routing import selectors, services
from nordesk.routing.errors import InvalidConditions, InvalidOrder, RuleNameTaken, UnknownTeam
from nordesk.routing.events import on_ticket_created
from nordesk.routing.models import RoutingDecision, RoutingRule
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import CustomFieldDefinition, EventKind, Ticket
from tests.factories import inbound

pytestmark = pytest.mark.django_db

DANISH = "Hej! Min faktura for maj er forkert. Kan I sende en ny? Venlig hilsen Søren"


def language_is(code: str) -> dict:
    return {"all": [{"field": "language", "operator": "is", "value": code}]}


def make_rule(name: str, team, conditions: dict, **fields) -> RoutingRule:
    return services.rule_create(name=name, conditions=conditions, team_id=team.pk, **fields)


def receive(**fields) -> Ticket:
    """A new ticket through the real intake; `fields` go on the InboundMessage."""
    message = inbound(address=fields.pop("address", "soren@example.dk"), text=DANISH)
    return ticket_services.receive(replace(message, **fields)).ticket


# --- rules -----------------------------------------------------------------------------------


def test_rule_create_appends_after_the_existing_rules(people):
    first = make_rule("Dansk", people.billing, language_is("da"))
    second = make_rule("Svensk", people.technical, language_is("sv"), is_active=False)

    assert [rule.name for rule in selectors.rule_list()] == ["Dansk", "Svensk"]
    assert (first.position, second.position) == (0, 1)
    assert second.is_active is False


def test_rule_create_refuses_invalid_conditions_and_stores_nothing(people):
    bad = {"any": [{"field": "language", "operator": "equals", "value": "da"}]}
    with pytest.raises(InvalidConditions, match="Condition 1: unknown operator “equals”"):
        make_rule("Dansk", people.billing, bad)
    assert not RoutingRule.objects.exists()


def test_rule_create_refuses_an_unknown_team_a_taken_name_and_no_name(people):
    make_rule("Dansk", people.billing, language_is("da"))
    with pytest.raises(UnknownTeam):
        services.rule_create(name="Svensk", conditions=language_is("sv"), team_id=999_999)
    with pytest.raises(RuleNameTaken):
        make_rule(" Dansk ", people.technical, language_is("da"))
    with pytest.raises(Invalid, match="name of at most 100"):
        make_rule("  ", people.technical, language_is("da"))


def test_rule_update_validates_and_refuses_other_fields(people):
    rule = make_rule("Dansk", people.billing, language_is("da"))

    updated = services.rule_update(
        rule=rule, changes={"name": "Dansk kundeservice", "team_id": people.technical.pk}
    )
    assert (updated.name, updated.team_id) == ("Dansk kundeservice", people.technical.pk)

    with pytest.raises(InvalidConditions, match="Condition 1: unknown field “mood”"):
        services.rule_update(
            rule=rule,
            changes={"conditions": {"all": [{"field": "mood", "operator": "is", "value": "x"}]}},
        )
    with pytest.raises(Invalid, match="cannot be changed: position"):
        services.rule_update(rule=rule, changes={"position": 9})
    rule.refresh_from_db()
    assert (rule.position, rule.conditions) == (0, language_is("da"))


def test_rules_reorder_needs_every_rule_once(people):
    a = make_rule("A", people.billing, language_is("da"))
    b = make_rule("B", people.billing, language_is("sv"))
    c = make_rule("C", people.billing, language_is("nb"))

    services.rules_reorder(rule_ids=[c.pk, a.pk, b.pk])
    assert [rule.name for rule in selectors.rule_list()] == ["C", "A", "B"]

    for wrong in ([c.pk, a.pk], [c.pk, a.pk, a.pk], [c.pk, a.pk, b.pk, 999_999]):
        with pytest.raises(InvalidOrder):
            services.rules_reorder(rule_ids=wrong)
    assert [rule.name for rule in selectors.rule_list()] == ["C", "A", "B"]


def test_rule_delete_keeps_its_decisions(people):
    rule = make_rule("Dansk", people.technical, language_is("da"))
    ticket = receive(language="da")

    services.rule_delete(rule=rule)

    decision = selectors.decision_for_ticket(ticket_id=ticket.pk)
    assert decision is not None
    assert (decision.rule_id, decision.rule_name) == (None, "Dansk")


# --- routing at intake -----------------------------------------------------------------------


def test_a_danish_message_goes_to_the_team_of_the_language_rule(people):
    # given a Swedish rule, then a Danish one
    make_rule("Svensk", people.billing, language_is("sv"))
    danish = make_rule("Dansk", people.technical, language_is("da"))

    # when a Danish mail arrives without a team
    ticket = receive(language="da")

    # then it is in the Danish rule's team, the history says so, and the decision says why
    ticket.refresh_from_db()
    assert ticket.team_id == people.technical.pk
    change = ticket.events.get(kind=EventKind.TEAM)
    assert (change.actor_kind, change.actor_user_id) == ("system", None)
    assert change.data == {"old": None, "new": people.technical.pk}
    decision = selectors.decision_for_ticket(ticket_id=ticket.pk)
    assert decision is not None
    assert (decision.rule_id, decision.rule_name, decision.team_id) == (
        danish.pk,
        "Dansk",
        people.technical.pk,
    )
    assert [(step["rule"], step["outcome"]) for step in decision.trace] == [
        ("Svensk", "failed"),
        ("Dansk", "matched"),
    ]
    assert decision.trace[0]["actual"] == "da"


def test_a_message_with_a_team_keeps_it(people):
    make_rule("Dansk", people.technical, language_is("da"))

    ticket = receive(language="da", team_id=people.billing.pk)

    ticket.refresh_from_db()
    assert ticket.team_id == people.billing.pk
    assert not ticket.events.filter(kind=EventKind.TEAM).exists()
    assert selectors.decision_for_ticket(ticket_id=ticket.pk) is None


def test_a_message_no_rule_matches_stays_without_a_team(people):
    make_rule("Svensk", people.billing, language_is("sv"))
    make_rule("Dansk (pause)", people.technical, language_is("da"), is_active=False)

    ticket = receive(language="da")

    ticket.refresh_from_db()
    assert ticket.team_id is None
    decision = selectors.decision_for_ticket(ticket_id=ticket.pk)
    assert decision is not None
    assert (decision.rule_id, decision.team_id) == (None, None)
    # inactive rules are not even loaded
    assert [step["rule"] for step in decision.trace] == ["Svensk"]


def test_a_catch_all_rule_last_is_the_default_team(people):
    make_rule("Svensk", people.technical, language_is("sv"))
    make_rule("Alle andre", people.billing, {"all": []})

    ticket = receive(language="da")

    ticket.refresh_from_db()
    assert ticket.team_id == people.billing.pk


def test_a_reply_on_an_existing_ticket_is_not_routed_again(people):
    ticket = receive(language="da", external_id="<first@example.dk>")
    make_rule("Dansk", people.technical, language_is("da"))

    reply = replace(
        inbound(address="soren@example.dk", text="Og en ting til."),
        thread_keys=("<first@example.dk>",),
        language="da",
    )
    assert ticket_services.receive(reply).ticket_id == ticket.pk

    ticket.refresh_from_db()
    assert ticket.team_id is None
    # no rule existed when the ticket was made, and the reply made no decision either
    assert not RoutingDecision.objects.filter(ticket_id=ticket.pk).exists()


def test_rules_see_organisation_subject_priority_and_custom_fields(people):
    acme = customer_services.organisation_create(name="Acme Danmark", domain="acme.dk")
    # no service defines custom fields yet; the tickets tests make them the same way
    CustomFieldDefinition.objects.create(key="plan", label="Plan", kind="text")
    make_rule(
        "Acme haster",
        people.technical,
        {
            "all": [
                {"field": "organisation", "operator": "is", "value": acme.pk},
                {"field": "subject", "operator": "contains", "value": "NEDBRUD"},
                {"field": "priority", "operator": "in", "value": ["high", "urgent"]},
                {"field": "custom_field:plan", "operator": "is", "value": "enterprise"},
                {"field": "text", "operator": "contains", "value": "venlig hilsen søren"},
            ]
        },
    )

    ticket = receive(
        address="soren@acme.dk",
        subject="Totalt nedbrud i Århus",
        priority="urgent",
        custom_fields={"plan": "Enterprise"},
    )

    ticket.refresh_from_db()
    assert ticket.organisation_id == acme.pk
    assert ticket.team_id == people.technical.pk


def test_the_event_payloads_ticket_shows_the_new_team(people):
    make_rule("Dansk", people.technical, language_is("da"))
    ticket = receive(language="da")  # the object intake held through its handlers
    assert ticket.team_id == people.technical.pk


# --- query budget ----------------------------------------------------------------------------


def _event_for_new_ticket() -> DomainEvent:
    ticket = receive(language="da")
    return DomainEvent(
        name="ticket_created",
        payload={
            "ticket": ticket,
            "message": ticket.messages.get(),
            "imported": False,
            "recipient": "faktura@vinterly.no",
        },
    )


def test_routing_loads_the_rules_in_one_query_however_many(people, django_assert_num_queries):
    # given a ticket no rule matched and 100 rules that do not match it either
    event = _event_for_new_ticket()
    for n in range(100):
        make_rule(
            f"Regel {n}",
            people.billing,
            {"all": [{"field": "text", "operator": "contains", "value": f"ordre {n}"}]},
        )

    # then: the rules (1) and the decision (1)
    with django_assert_num_queries(2):
        on_ticket_created(event)


def test_routing_a_ticket_to_a_team_costs_a_fixed_number_of_queries(
    people, django_assert_num_queries
):
    event = _event_for_new_ticket()
    for n in range(99):
        make_rule(f"Regel {n}", people.billing, language_is("sv"))
    make_rule("Dansk", people.technical, language_is("da"))

    # the rules (1); the team set on the new row (1) and its history (1); the decision (1)
    with django_assert_num_queries(4):
        on_ticket_created(event)
    assert event.payload["ticket"].team_id == people.technical.pk


def test_the_next_ticket_reads_the_rules_from_the_cache_until_a_rule_changes(
    people, django_assert_num_queries
):
    # given a rule the Danish tickets below do not match, read once by the first of them
    make_rule("Svensk", people.billing, language_is("sv"))
    event = _event_for_new_ticket()

    # then: the next ticket pays only for its decision
    with django_assert_num_queries(1):
        on_ticket_created(event)

    # and a new rule is seen at once: the rules are read again
    make_rule("Norsk", people.billing, language_is("nb"))
    with django_assert_num_queries(2):
        on_ticket_created(event)


def test_a_rule_can_match_the_mailbox_the_mail_came_to(people):
    make_rule(
        "Faktura-postkassen",
        people.billing,
        {"all": [{"field": "mailbox", "operator": "is", "value": "Faktura@Vinterly.no"}]},
    )
    ticket = receive(recipient="faktura@vinterly.no")
    other = receive(recipient="kundeservice@vinterly.no", address="ola@example.no")
    assert Ticket.objects.get(pk=ticket.pk).team_id == people.billing.pk
    assert Ticket.objects.get(pk=other.pk).team_id is None


def test_a_rule_can_match_the_customer_tier_of_the_organisation(people):
    gold = customer_services.organisation_create(name="Fjelltopp Bygg AS", domain="fjelltopp.no")
    Organisation.objects.filter(pk=gold.pk).update(tier="gold")
    make_rule(
        "Gull", people.technical, {"all": [{"field": "tier", "operator": "is", "value": "gold"}]}
    )
    ticket = receive(address="per@fjelltopp.no")
    assert Ticket.objects.get(pk=ticket.pk).team_id == people.technical.pk
    decision = selectors.decision_for_ticket(ticket_id=ticket.pk)
    assert decision.rule_name == "Gull"
