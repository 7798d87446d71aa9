"""Rule evaluation as a pure function: no database, plain rules and facts."""

import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest

from nordesk.routing.matching import TicketFacts, rules_match

_ids = itertools.count(1)


@dataclass
class Rule:
    name: str
    conditions: dict[str, Any]
    is_active: bool = True
    pk: int = field(default_factory=lambda: next(_ids))


def when(field_: str, operator: str, value: Any, *, mode: str = "all") -> dict[str, Any]:
    return {mode: [{"field": field_, "operator": operator, "value": value}]}


FACTS = TicketFacts(
    channel="email",
    language="da",
    organisation_id=7,
    category="billing",
    priority="high",
    subject="Fejl på fakturaen",
    text="Hej! Min faktura for maj er forkert. Kan I sende en ny? Venlig hilsen Søren",
    custom_fields={"plan": "Enterprise", "seats": 25, "vip": True},
)


def matches(conditions: dict[str, Any], facts: TicketFacts = FACTS) -> bool:
    rule, _trace = rules_match([Rule("r", conditions)], facts)
    return rule is not None


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (when("channel", "is", "email"), True),
        (when("channel", "is", "chat"), False),
        (when("language", "is_not", "nb"), True),
        (when("language", "is_not", "da"), False),
        (when("language", "in", ["nb", "nn", "da"]), True),
        (when("language", "in", ["sv", "en"]), False),
        (when("organisation", "is", 7), True),
        (when("organisation", "in", [1, 2]), False),
        (when("priority", "in", ["high", "urgent"]), True),
        (when("category", "starts_with", "BILL"), True),
        (when("subject", "contains", "FAKTURA"), True),
        (when("subject", "starts_with", "faktura"), False),
        (when("text", "contains", "sende en ny"), True),
        (when("text", "contains", "refusion"), False),
    ],
)
def test_rules_match_each_operator(condition, expected):
    assert matches(condition) is expected


def test_rules_match_nordic_letters_ignore_case():
    facts = TicketFacts(subject="ÆRGERLIG FEJL I ØRESUND-ÅBNINGEN", text="Störning på linjen")
    assert matches(when("subject", "contains", "ærgerlig fejl i øresund-åbningen"), facts)
    assert matches(when("text", "starts_with", "STÖRNING PÅ"), facts)
    # "Straße" folds to "strasse": casefold, not lower
    assert matches(when("text", "contains", "STRASSE"), TicketFacts(text="Hauptstraße 1"))


def test_rules_match_decomposed_letters_equal_composed_ones():
    decomposed = "Ga\u030arden"  # "Gården" as some mail programs send it: a + combining ring
    assert matches(when("text", "contains", "gården"), TicketFacts(text=decomposed))


def test_rules_match_custom_fields():
    assert matches(when("custom_field:plan", "is", "enterprise"))
    assert matches(when("custom_field:plan", "in", ["Pro", "Enterprise"]))
    assert matches(when("custom_field:seats", "is", 25))
    assert matches(when("custom_field:seats", "is", "25"))
    assert matches(when("custom_field:vip", "is", True))
    assert not matches(when("custom_field:vip", "is", 1))
    assert matches(when("custom_field:plan", "starts_with", "enter"))
    # a field the ticket does not have is empty
    assert not matches(when("custom_field:region", "is", "nord"))
    assert matches(when("custom_field:region", "is_not", "nord"))
    assert matches(when("custom_field:region", "is", ""))


def test_rules_match_all_needs_every_condition():
    both = {
        "all": [
            {"field": "language", "operator": "is", "value": "da"},
            {"field": "channel", "operator": "is", "value": "chat"},
        ]
    }
    rule, trace = rules_match([Rule("Dansk chat", both)], FACTS)
    assert rule is None
    assert trace[0]["outcome"] == "failed"
    assert trace[0]["condition"] == 2
    assert trace[0]["actual"] == "email"


def test_rules_match_any_needs_one_condition():
    either = {
        "any": [
            {"field": "language", "operator": "is", "value": "sv"},
            {"field": "subject", "operator": "contains", "value": "faktura"},
        ]
    }
    rule, trace = rules_match([Rule("Svensk eller faktura", either)], FACTS)
    assert rule is not None
    assert trace[0] == {
        "rule_id": rule.pk,
        "rule": "Svensk eller faktura",
        "outcome": "matched",
        "condition": 2,
    }


def test_rules_match_empty_all_is_a_catch_all():
    assert matches({"all": []})


def test_rules_match_first_active_rule_wins_and_the_trace_says_why():
    # given a rule for Swedish, an inactive Danish rule, an active Danish rule, a catch-all
    swedish = Rule("Svensk", when("language", "is", "sv"))
    inactive = Rule("Dansk (gammel)", when("language", "is", "da"), is_active=False)
    danish = Rule("Dansk", when("language", "is", "da"))
    catch_all = Rule("Alle andre", {"all": []})

    # when
    rule, trace = rules_match([swedish, inactive, danish, catch_all], FACTS)

    # then
    assert rule is danish
    assert [step["outcome"] for step in trace] == ["failed", "inactive", "matched"]
    assert trace[0] == {
        "rule_id": swedish.pk,
        "rule": "Svensk",
        "outcome": "failed",
        "condition": 1,
        "field": "language",
        "operator": "is",
        "value": "sv",
        "actual": "da",
    }


def test_rules_match_order_matters():
    danish = Rule("Dansk", when("language", "is", "da"))
    billing = Rule("Faktura", when("subject", "contains", "faktura"))
    assert rules_match([danish, billing], FACTS)[0] is danish
    assert rules_match([billing, danish], FACTS)[0] is billing


def test_rules_match_no_rule_gives_none():
    rule, trace = rules_match([Rule("Svensk", when("language", "is", "sv"))], FACTS)
    assert rule is None
    assert len(trace) == 1


def test_rules_match_trace_never_copies_the_customers_words():
    rule = Rule("Refusion", when("text", "contains", "refusion"))
    _rule, trace = rules_match([rule], FACTS)
    assert "actual" not in trace[0]
    assert "Søren" not in repr(trace)


def test_rules_match_skips_a_broken_stored_rule():
    broken = Rule("Ødelagt", {"all": [{"field": "mood", "operator": "is", "value": "sur"}]})
    also_broken = Rule("Også ødelagt", {"sometimes": []})
    danish = Rule("Dansk", when("language", "is", "da"))
    rule, trace = rules_match([broken, also_broken, danish], FACTS)
    assert rule is danish
    assert [step["outcome"] for step in trace] == ["invalid", "invalid", "matched"]


def test_rules_match_tries_100_rules_in_order_and_traces_each():
    """The time this takes is measured by bench/routing.py (rules_match_ms_100)."""
    # given 99 rules that fail on their last condition, then the one that matches
    rules = [
        Rule(
            f"Regel {n}",
            {
                "all": [
                    {"field": "channel", "operator": "in", "value": ["email", "web"]},
                    {"field": "subject", "operator": "contains", "value": "faktura"},
                    {"field": "text", "operator": "contains", "value": f"ordre {n}"},
                ]
            },
        )
        for n in range(99)
    ]
    rules.append(Rule("Dansk", when("language", "is", "da")))

    # when
    rule, trace = rules_match(rules, FACTS)

    # then
    assert rule is rules[-1]
    assert len(trace) == 100
    assert [step["outcome"] for step in trace[-2:]] == ["failed", "matched"]
