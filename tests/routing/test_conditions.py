"""Rule definitions are data checked by a schema; a refusal names the condition at fault."""

from typing import Any

import pytest

from nordesk.routing.conditions import CHANNELS, PRIORITIES, conditions_validate
from nordesk.routing.errors import InvalidConditions
from nordesk.tickets.models import Channel, Priority


def refusal(conditions) -> str:
    with pytest.raises(InvalidConditions) as caught:
        conditions_validate(conditions)
    assert caught.value.field == "conditions"
    return caught.value.message


def one(field: Any, operator: str, value: Any) -> dict:
    return {"field": field, "operator": operator, "value": value}


def second(condition: dict) -> dict:
    return {"all": [one("channel", "is", "email"), condition]}


def test_conditions_validate_accepts_every_field_and_operator():
    conditions = {
        "all": [
            one("channel", "in", ["email", "web"]),
            one("language", "is", "da"),
            one("organisation", "is_not", 12),
            one("category", "starts_with", "bill"),
            one("priority", "is", "urgent"),
            one("subject", "contains", "faktura"),
            one("text", "contains", "Øresund"),
            one("custom_field:plan", "in", ["pro", 3, True]),
        ]
    }
    parsed = conditions_validate(conditions)
    assert parsed.mode == "all"
    assert len(parsed.items) == 8
    assert conditions_validate({"all": []}).items == []


def test_conditions_choices_follow_the_tickets_app():
    assert set(CHANNELS) == set(Channel.values)
    assert set(PRIORITIES) == set(Priority.values)


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ([], "Conditions are an object with one key, “all” or “any”"),
        ({}, "Conditions are an object with one key"),
        ({"all": [], "any": []}, "Conditions are an object with one key"),
        ({"every": []}, "Conditions are an object with one key"),
        ({"any": []}, "“any” needs at least one condition."),
        ({"all": [one("text", "contains", "x")] * 51}, "at most 50 conditions"),
    ],
)
def test_conditions_validate_refuses_a_bad_shape(conditions, message):
    assert message in refusal(conditions)


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("language is da", "a condition is an object with exactly the keys field, operator"),
        ({"field": "language", "operator": "is"}, "exactly the keys field, operator and value"),
        ({**one("language", "is", "da"), "team": 3}, "exactly the keys field, operator and value"),
        (one("mood", "is", "angry"), "unknown field “mood”; use one of channel, language"),
        (one(3, "is", "angry"), "unknown field 3"),
        (one("custom_field:", "is", "x"), "name the custom field after “custom_field:”"),
        (one("language", "equals", "da"), "unknown operator “equals”; use one of is, is_not"),
        (one("language", "contains", "d"), "the field “language” cannot be compared with"),
        (one("organisation", "starts_with", "1"), "the field “organisation” cannot be compared"),
        (one("language", "in", "da"), "the operator in needs a list of values."),
        (one("language", "in", []), "the operator in needs at least one value."),
        (one("subject", "in", ["x"] * 101), "give at most 100 values."),
        (one("language", "is", ["da"]), "the operator “is” compares with one value"),
        (one("organisation", "is", "Acme"), "an organisation is given by its id"),
        (one("organisation", "is", True), "an organisation is given by its id"),
        (one("subject", "contains", "x" * 501), "at most 500 characters"),
        (one("subject", "contains", " "), "the operator “contains” needs some text"),
        (one("custom_field:seats", "starts_with", 2), "the operator “starts_with” needs some"),
        (one("priority", "is", 3), "the field “priority” is compared with text."),
        (one("language", "is", "dk"), "“dk” is not a value of “language”; use one of en, nb"),
        (one("channel", "in", ["email", "fax"]), "“fax” is not a value of “channel”"),
        (one("subject", "is", None), "the value must be text, a number, true or false"),
        (one("subject", "is", {"x": 1}), "the value must be text, a number, true or false"),
    ],
)
def test_conditions_validate_names_the_wrong_condition(condition, message):
    text = refusal(second(condition))
    assert text.startswith("Condition 2: ")
    assert message in text
