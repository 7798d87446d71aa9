"""Conditions and actions as data: what validation refuses (naming the condition or action),
and what each operator means."""

from types import SimpleNamespace

import pytest

from nordesk.automation import conditions as c
from nordesk.automation.actions import MACRO_ACTIONS, actions_validate
from nordesk.automation.conditions import conditions_validate
from nordesk.automation.errors import InvalidActions, InvalidConditions
from nordesk.automation.matching import Facts, conditions_hold
from nordesk.tickets.selectors import ticket_vocabulary


def test_choices_match_the_tickets_app():
    vocabulary = ticket_vocabulary()
    assert tuple(value for value, _label in vocabulary["status"]) == c.STATUSES
    assert tuple(value for value, _label in vocabulary["priority"]) == c.PRIORITIES
    assert tuple(value for value, _label in vocabulary["channel"]) == c.CHANNELS


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        (
            {
                "all": [
                    {"field": "status", "operator": "is", "value": "open"},
                    {"field": "colour", "operator": "is", "value": "red"},
                ]
            },
            "Condition 2: unknown field “colour”",
        ),
        (
            {"all": [{"field": "status", "operator": "like", "value": "x"}]},
            "Condition 1: unknown operator “like”",
        ),
        (
            {"all": [{"field": "status", "operator": "contains", "value": "x"}]},
            "Condition 1: the field “status” cannot be compared with “contains”",
        ),
        (
            {"all": [{"field": "status", "operator": "is", "value": "gone"}]},
            "Condition 1: “gone” is not a value of “status”",
        ),
        (
            {"all": [{"field": "status", "operator": "in", "value": "open"}]},
            "Condition 1: the operator “in” needs a list",
        ),
        (
            {"all": [{"field": "csat.score", "operator": "greater_than", "value": "3"}]},
            "Condition 1: the operator “greater_than” compares with a number",
        ),
        (
            {"all": [{"field": "status", "operator": "changed", "value": "open"}]},
            "Condition 1: the operator “changed” takes no value",
        ),
        (
            {"all": [{"field": "team", "operator": "is", "value": "Billing"}]},
            "Condition 1: “team” is given by its id",
        ),
        (
            {"all": [{"field": "status", "operator": "is"}, {"op": 1}]},
            "Condition 1: “status” is compared with text",
        ),
        ({"all": [{"field": "status", "value": "open"}]}, "Condition 1: a condition is an object"),
        ({"any": []}, "“any” needs at least one condition"),
        ({"all": [], "any": []}, "Conditions are an object with one key"),
        ([], "Conditions are an object with one key"),
    ],
)
def test_conditions_validate_names_the_wrong_condition(conditions, message):
    with pytest.raises(InvalidConditions) as refused:
        conditions_validate(conditions)
    assert refused.value.message.startswith(message), refused.value.message


def test_time_rules_refuse_changes_and_event_facts():
    with pytest.raises(InvalidConditions, match="Condition 1: the field “status” cannot"):
        conditions_validate({"all": [{"field": "status", "operator": "changed"}]}, for_timers=True)
    with pytest.raises(InvalidConditions, match="Condition 1: a time rule cannot look at"):
        conditions_validate(
            {"all": [{"field": "message.text", "operator": "contains", "value": "x"}]},
            for_timers=True,
        )


def test_conditions_validate_keeps_the_stored_form():
    data = {
        "any": [
            {"field": "status", "operator": "changed"},
            {"field": "custom_field:order", "operator": "starts_with", "value": "VL"},
        ]
    }
    assert conditions_validate(data) == data


def facts(**fields):
    ticket = SimpleNamespace(
        status="pending",
        priority="high",
        channel="email",
        language="nb",
        team_id=3,
        assignee_id=None,
        organisation_id=None,
        subject="Feil på FAKTURA",
        category="",
        custom_fields={"order": "VL-42", "amount": 120},
        tags=SimpleNamespace(all=lambda: [SimpleNamespace(name="vip")]),
        customer=SimpleNamespace(name="Åse Berg", language="nb"),
    )
    changes = fields.pop("changes", {})
    for name, value in fields.items():
        setattr(ticket, name, value)
    return Facts(ticket=ticket, changes=changes, loaders={"message.text": lambda: "Hei på deg"})


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ({"field": "status", "operator": "is", "value": "pending"}, True),
        ({"field": "status", "operator": "is_not", "value": "pending"}, False),
        ({"field": "status", "operator": "in", "value": ["open", "pending"]}, True),
        ({"field": "status", "operator": "not_in", "value": ["open", "pending"]}, False),
        ({"field": "subject", "operator": "contains", "value": "faktura"}, True),
        ({"field": "subject", "operator": "not_contains", "value": "faktura"}, False),
        ({"field": "subject", "operator": "starts_with", "value": "feil"}, True),
        ({"field": "customer.name", "operator": "starts_with", "value": "åse"}, True),
        ({"field": "message.text", "operator": "contains", "value": "PÅ"}, True),
        ({"field": "priority", "operator": "greater_than", "value": "normal"}, True),
        ({"field": "priority", "operator": "less_than", "value": "high"}, False),
        ({"field": "custom_field:amount", "operator": "greater_than", "value": 100}, True),
        ({"field": "custom_field:amount", "operator": "less_than", "value": 100}, False),
        ({"field": "custom_field:order", "operator": "greater_than", "value": 1}, False),
        ({"field": "assignee", "operator": "is", "value": None}, True),
        ({"field": "team", "operator": "is", "value": 3}, True),
        ({"field": "tags", "operator": "contains", "value": "VIP"}, True),
        ({"field": "tags", "operator": "not_contains", "value": "vip"}, False),
        ({"field": "csat.score", "operator": "less_than", "value": 3}, False),
        ({"field": "sla.target", "operator": "is", "value": "resolution"}, False),
    ],
)
def test_each_operator(condition, holds):
    assert conditions_hold({"all": [condition]}, facts()) is holds


def test_changed_operators_read_the_change():
    changed = facts(changes={"status": ("open", "pending"), "tags": (("old",), ("new",))})
    unchanged = facts()

    def hold(condition, on):
        return conditions_hold({"all": [condition]}, on)

    assert hold({"field": "status", "operator": "changed"}, changed)
    assert not hold({"field": "status", "operator": "changed"}, unchanged)
    assert hold({"field": "status", "operator": "changed_to", "value": "pending"}, changed)
    assert hold({"field": "status", "operator": "changed_from", "value": "open"}, changed)
    assert not hold({"field": "status", "operator": "changed_from", "value": "new"}, changed)
    assert hold({"field": "tags", "operator": "changed_to", "value": "new"}, changed)
    assert hold({"field": "tags", "operator": "changed_from", "value": "old"}, changed)


def test_all_and_any_groups():
    yes = {"field": "status", "operator": "is", "value": "pending"}
    no = {"field": "status", "operator": "is", "value": "open"}
    assert conditions_hold({"all": [yes, yes]}, facts())
    assert not conditions_hold({"all": [yes, no]}, facts())
    assert conditions_hold({"any": [no, yes]}, facts())
    assert not conditions_hold({"any": [no, no]}, facts())
    assert conditions_hold({"all": []}, facts())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actions", "message"),
    [
        ({"type": "set_status"}, "Actions are a list"),
        ([{"type": "explode"}], "Action 1: an action is an object whose “type” is one of"),
        (
            [{"type": "raise_priority"}, {"type": "set_status", "value": "done"}],
            "Action 2: “done” is not one of",
        ),
        ([{"type": "set_status"}], "Action 1: set_status needs a “value”"),
        ([{"type": "set_team", "value": 999_999}], "Action 1: there is no team with the id 999999"),
        ([{"type": "set_assignee", "value": 999_999}], "Action 1: there is no agent"),
        ([{"type": "add_note", "text": {"de": "Hallo"}}], "Action 1: “de” is not a language"),
        ([{"type": "notify", "to": ["boss"], "text": "x"}], "Action 1: a recipient is assignee"),
        ([{"type": "webhook", "url": "ftp://example.no/x"}], "Action 1: a webhook URL starts with"),
        (
            [{"type": "webhook", "url": "http://127.0.0.1:8000/x"}],
            "Action 1: a webhook may not call a private",
        ),
        (
            [{"type": "webhook", "url": "http://localhost/x"}],
            "Action 1: a webhook may not call a private",
        ),
        ([{"type": "set_status", "value": "open", "extra": 1}], "Action 1: set_status needs"),
    ],
)
def test_actions_validate_names_the_wrong_action(actions, message):
    with pytest.raises(InvalidActions) as refused:
        actions_validate(actions)
    assert refused.value.message.startswith(message), refused.value.message


def test_macros_may_not_send_or_call_out():
    with pytest.raises(InvalidActions, match="Action 1: an action is an object"):
        actions_validate([{"type": "webhook", "url": "https://example.no"}], allowed=MACRO_ACTIONS)


def test_private_webhooks_are_allowed_when_configured(settings):
    settings.AUTOMATION_WEBHOOK_ALLOW_PRIVATE = True
    assert actions_validate([{"type": "webhook", "url": "http://127.0.0.1:9/x"}])
