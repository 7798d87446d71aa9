from datetime import time

import pytest
from django.test import Client

from nordesk.core.errors import Invalid
from nordesk.sla import services
from nordesk.sla.errors import CalendarNotFound, PolicyNameTaken
from nordesk.sla.models import SlaPolicy
from nordesk.sla.policies import policy_for
from tests.factories import PASSWORD

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
            "organisation_id, tags.",
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
