from datetime import time

import pytest
from django.test import Client

from nordesk.core.config_cache import config_changed
from nordesk.core.errors import Invalid
from nordesk.customers import selectors as customer_selectors
from nordesk.customers import services as customer_services
from nordesk.customers.models import Organisation
from nordesk.sla import services
from nordesk.sla.errors import CalendarNotFound, InvalidPolicyOrder, PolicyInUse, PolicyNameTaken
from nordesk.sla.models import SlaClock, SlaPolicy
from nordesk.sla.policies import ACTIVE_POLICIES, policy_for
from nordesk.tickets import services as ticket_services
from tests.factories import PASSWORD, inbound

pytestmark = pytest.mark.django_db

WORKING_WEEK = [(day, time(8), time(16)) for day in range(5)]


def facts(**overrides):
    return {
        "priority": "normal",
        "channel": "email",
        "team_id": None,
        "organisation_id": None,
        **overrides,
    }


def test_policy_first_active_match_in_position_order_applies():
    # given
    everything = services.policy_create(name="Everyone", first_response_minutes=480, position=10)
    urgent = services.policy_create(
        name="Urgent",
        conditions=[{"field": "priority", "operator": "is", "value": "urgent"}],
        first_response_minutes=60,
        position=1,
    )
    services.policy_create(
        name="Old urgent",
        conditions=[{"field": "priority", "operator": "is", "value": "urgent"}],
        first_response_minutes=30,
        position=0,
        is_active=False,
    )

    # then
    assert policy_for(facts(priority="urgent")) == urgent
    assert policy_for(facts(priority="high")) == everything


def test_policy_all_conditions_must_hold():
    # given
    services.policy_create(
        name="Chat and phone for Acme",
        conditions=[
            {"field": "channel", "operator": "in", "value": ["phone", "chat"]},
            {"field": "organisation_id", "operator": "is", "value": 7},
        ],
        first_response_minutes=10,
    )

    # then
    assert policy_for(facts(channel="chat", organisation_id=7)).name == "Chat and phone for Acme"
    assert policy_for(facts(channel="chat", organisation_id=8)) is None
    assert policy_for(facts(channel="email", organisation_id=7)) is None


def test_policy_create_stores_conditions_normalised_and_appends_last():
    first = services.policy_create(name="A", resolution_minutes=60)
    second = services.policy_create(
        name="B",
        conditions=[{"field": "team_id", "operator": "in", "value": [3, 1, 3]}],
        resolution_minutes=60,
    )

    assert second.position == first.position + 1
    assert second.conditions == [{"field": "team_id", "operator": "in", "value": [1, 3]}]


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        (
            [{"field": "priority", "operator": "is", "value": "high"}, {"field": "colour"}],
            "Condition 2: unknown field 'colour'; use one of priority, channel, team_id, "
            "organisation_id, tags, tier.",
        ),
        (
            [{"field": "priority", "operator": "like", "value": "high"}],
            "Condition 1: unknown operator 'like'; use “is” or “in”.",
        ),
        (
            [{"field": "priority", "operator": "is", "value": "panic"}],
            "Condition 1: 'panic' is not a priority; use one of low, normal, high, urgent.",
        ),
        (
            [{"field": "channel", "operator": "is", "value": ["chat"]}],
            "Condition 1: “is” takes one value; use “in” for a list.",
        ),
        (
            [{"field": "channel", "operator": "in", "value": []}],
            "Condition 1: “in” needs at least one value.",
        ),
        (
            [{"field": "team_id", "operator": "is", "value": "Billing"}],
            "Condition 1: team_id takes ids (whole numbers), not 'Billing'.",
        ),
        (
            [{"field": "channel", "operator": "is"}],
            "Condition 1: value is missing.",
        ),
        (
            [{"field": "channel", "operator": "is", "value": "chat", "negate": True}],
            "Condition 1: unknown part 'negate'.",
        ),
        (["priority is urgent"], "Condition 1: give it a field, an operator and a value."),
        ({"field": "priority"}, "Conditions are a list of field, operator and value."),
    ],
)
def test_policy_create_refuses_a_wrong_condition_naming_it(conditions, message):
    with pytest.raises(Invalid) as raised:
        services.policy_create(name="Broken", conditions=conditions, first_response_minutes=60)

    assert raised.value.message == message
    assert raised.value.field == "conditions"
    assert not SlaPolicy.objects.exists()


@pytest.mark.parametrize("minutes", [0, -5, 10**7, 1.5, True])
def test_policy_create_refuses_targets_that_are_not_whole_minutes(minutes):
    with pytest.raises(Invalid) as raised:
        services.policy_create(name="Broken", first_response_minutes=minutes)

    assert raised.value.message == "A target is a whole number of minutes from 1 to 525600."
    assert raised.value.field == "first_response_minutes"


def test_policy_create_refuses_a_taken_name_and_a_missing_calendar():
    services.policy_create(name="Standard", first_response_minutes=60)

    with pytest.raises(PolicyNameTaken):
        services.policy_create(name=" Standard ", first_response_minutes=60)
    with pytest.raises(CalendarNotFound):
        services.policy_create(name="Other", calendar_id=999, first_response_minutes=60)


def test_policy_update_changes_conditions_after_checking_them():
    policy = services.policy_create(name="Standard", first_response_minutes=60)

    with pytest.raises(Invalid):
        services.policy_update(
            policy=policy, changes={"conditions": [{"field": "x", "operator": "is", "value": 1}]}
        )
    services.policy_update(
        policy=policy,
        changes={"conditions": [{"field": "channel", "operator": "is", "value": "chat"}]},
    )

    policy.refresh_from_db()
    assert policy.conditions == [{"field": "channel", "operator": "is", "value": "chat"}]


def test_admin_refuses_a_policy_with_a_wrong_condition(people):
    client = Client()
    assert client.login(username="astrid@nordesk.test", password=PASSWORD)

    response = client.post(
        "/admin/sla/slapolicy/add/",
        {
            "name": "Broken",
            "position": 0,
            "is_active": "on",
            "conditions": '[{"field": "priority", "operator": "is", "value": "panic"}]',
            "first_response_minutes": 60,
        },
    )

    assert response.status_code == 200
    assert "Condition 1: &#x27;panic&#x27; is not a priority" in response.content.decode()
    assert not SlaPolicy.objects.exists()
    for page in ("slapolicy", "slaclock", "slaevent"):
        assert client.get(f"/admin/sla/{page}/").status_code == 200


def test_policies_reorder_changes_which_policy_applies_first():
    # given two policies that both match an urgent ticket, Standard tried first
    standard = services.policy_create(name="Standard", first_response_minutes=480)
    urgent = services.policy_create(
        name="Urgent",
        conditions=[{"field": "priority", "operator": "is", "value": "urgent"}],
        first_response_minutes=60,
    )
    assert policy_for(facts(priority="urgent")) == standard

    # when Urgent is moved first
    ordered = services.policies_reorder(policy_ids=[urgent.pk, standard.pk])

    # then it applies to the next urgent ticket
    assert [(policy.name, policy.position) for policy in ordered] == [
        ("Urgent", 0),
        ("Standard", 1),
    ]
    assert policy_for(facts(priority="urgent")) == urgent


@pytest.mark.parametrize("ids", [[1], [1, 1], [1, 2, 3], []])
def test_policies_reorder_refuses_a_list_that_does_not_name_each_policy_once(ids):
    first = services.policy_create(name="A", first_response_minutes=60)
    second = services.policy_create(name="B", first_response_minutes=60)
    real = {1: first.pk, 2: second.pk, 3: second.pk + 1000}

    with pytest.raises(InvalidPolicyOrder):
        services.policies_reorder(policy_ids=[real[number] for number in ids])

    assert list(SlaPolicy.objects.order_by("position").values_list("name", flat=True)) == [
        "A",
        "B",
    ]


def test_policy_delete_removes_a_policy_without_clocks_and_refuses_one_with(people):
    unused = services.policy_create(
        name="Chat",
        conditions=[{"field": "channel", "operator": "is", "value": "chat"}],
        first_response_minutes=5,
    )
    used = services.policy_create(name="Standard", first_response_minutes=60)
    ticket_services.receive(inbound(address="eva@example.no"))

    services.policy_delete(policy=unused)
    with pytest.raises(PolicyInUse, match="deactivate it instead"):
        services.policy_delete(policy=used)

    assert list(SlaPolicy.objects.values_list("name", flat=True)) == ["Standard"]


def gold_organisation(tier="gold"):
    acme = customer_services.organisation_create(name="Fjelltopp Bygg AS", domain="fjelltopp.no")
    Organisation.objects.filter(pk=acme.pk).update(tier=tier)
    return acme


def test_tier_condition_is_stored_in_lower_case():
    policy = services.policy_create(
        name="Gold",
        conditions=[{"field": "tier", "operator": "in", "value": ["Platinum", " gold ", "gold"]}],
        first_response_minutes=15,
    )

    assert policy.conditions == [{"field": "tier", "operator": "in", "value": ["gold", "platinum"]}]


@pytest.mark.parametrize("value", ["gold star", "", 7, "x" * 33, "guld!"])
def test_tier_condition_refuses_what_is_no_tier(value):
    with pytest.raises(Invalid) as refused:
        services.policy_create(
            name="Gold",
            conditions=[{"field": "tier", "operator": "is", "value": value}],
            first_response_minutes=15,
        )

    assert refused.value.message == (
        "Condition 1: tier takes customer tiers (letters, digits, “-” and “_”, at most 32 "
        f"characters), not {value!r}."
    )


def test_tier_condition_matches_the_tier_of_the_tickets_organisation():
    # given a policy for gold customers, tried before the one for everyone
    services.policy_create(
        name="Gold",
        conditions=[{"field": "tier", "operator": "is", "value": "gold"}],
        first_response_minutes=15,
    )
    services.policy_create(name="Everyone", first_response_minutes=240)
    gold_organisation(tier="Gold")

    # when a gold customer, a customer of no organisation and one of a silver one write
    gold = ticket_services.receive(inbound(address="per@fjelltopp.no")).ticket
    plain = ticket_services.receive(inbound(address="eva@example.no")).ticket
    silver = customer_services.organisation_create(name="Sølv AS", domain="solv.no")
    Organisation.objects.filter(pk=silver.pk).update(tier="silver")
    other = ticket_services.receive(inbound(address="ola@solv.no")).ticket

    # then only the gold ticket is under the gold policy
    assert SlaClock.objects.get(ticket=gold, kind="first_response").policy.name == "Gold"
    assert SlaClock.objects.get(ticket=plain, kind="first_response").policy.name == "Everyone"
    assert SlaClock.objects.get(ticket=other, kind="first_response").policy.name == "Everyone"
    assert policy_for(facts(tier="gold")).name == "Gold"


def test_tier_is_read_only_when_an_active_policy_asks_for_it(monkeypatch):
    reads = []
    real = customer_selectors.organisation_tier
    monkeypatch.setattr(
        customer_selectors,
        "organisation_tier",
        lambda organisation_id: reads.append(organisation_id) or real(organisation_id),
    )
    acme = gold_organisation()
    services.policy_create(
        name="Urgent",
        conditions=[{"field": "priority", "operator": "is", "value": "urgent"}],
        first_response_minutes=15,
    )
    services.policy_create(name="Everyone", first_response_minutes=240)

    # no policy asks: the tier is not read
    ticket_services.receive(inbound(address="per@fjelltopp.no"))
    assert reads == []

    # an inactive policy asking does not count either
    services.policy_create(
        name="Gold",
        conditions=[{"field": "tier", "operator": "is", "value": "gold"}],
        first_response_minutes=15,
        position=0,
        is_active=False,
    )
    ticket_services.receive(inbound(address="kari@fjelltopp.no"))
    assert reads == []

    # an active one does, once per ticket of an organisation, and never without one
    SlaPolicy.objects.filter(name="Gold").update(is_active=True)
    config_changed(ACTIVE_POLICIES)
    ticket = ticket_services.receive(inbound(address="ola@fjelltopp.no")).ticket
    ticket_services.receive(inbound(address="eva@example.no"))
    assert reads == [acme.pk]
    assert SlaClock.objects.get(ticket=ticket, kind="first_response").policy.name == "Gold"
