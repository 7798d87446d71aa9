"""Which routing rule a ticket matches: pure functions over plain values, no database.

Rules are tried in the order given; the first active rule whose conditions hold wins. Text is
compared without regard to case, with Unicode casefolding on NFC-normalised text, so "Æ", "Ø",
"Å", "Ä", "Ö" match their small letters and a decomposed "å" (a + ring, as some mail
programs send it) matches a composed one. The trace says, for every rule tried, why it
matched or which condition failed; it is stored as JSON and never holds the subject or the
message text itself (they are personal data and live on the ticket).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from .conditions import CUSTOM_FIELD_PREFIX

# Facts the trace never copies: the customer's own words.
PRIVATE_FIELDS = frozenset({"subject", "text"})

Step = dict[str, Any]


@dataclass(frozen=True, slots=True)
class TicketFacts:
    """What rules look at: the new ticket and its first message."""

    channel: str = ""
    language: str = ""
    organisation_id: int | None = None
    category: str = ""
    priority: str = ""
    subject: str = ""
    text: str = ""
    mailbox: str = ""
    tier: str = ""
    custom_fields: Mapping[str, object] = field(default_factory=dict)


class Rule(Protocol):
    @property
    def pk(self) -> Any: ...
    @property
    def name(self) -> str: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def conditions(self) -> Any: ...


R = TypeVar("R", bound=Rule)


class _Broken(Exception):
    """A stored condition the schema would refuse (edited behind the services' back)."""


def rules_match(rules: Iterable[R], facts: TicketFacts) -> tuple[R | None, list[Step]]:
    """The first active rule whose conditions hold (or None), and the trace of every rule
    tried up to it."""
    folded = _FoldedFacts(facts)
    trace: list[Step] = []
    for rule in rules:
        step: Step = {"rule_id": rule.pk, "rule": rule.name}
        step.update(_rule_try(rule, folded) if rule.is_active else {"outcome": "inactive"})
        trace.append(step)
        if step["outcome"] == "matched":
            return rule, trace
    return None, trace


def _rule_try(rule: Rule, facts: _FoldedFacts) -> Step:
    try:
        ((mode, conditions),) = rule.conditions.items()
        if mode == "all":
            return _all_try(conditions, facts)
        if mode == "any":
            return _any_try(conditions, facts)
        raise _Broken(mode)
    except (_Broken, AttributeError, KeyError, TypeError, ValueError):
        return {"outcome": "invalid"}


def _all_try(conditions: list[dict[str, Any]], facts: _FoldedFacts) -> Step:
    for number, condition in enumerate(conditions, start=1):
        if not _holds(condition, facts):
            return {"outcome": "failed", "condition": number, **_seen(condition, facts)}
    return {"outcome": "matched"}


def _any_try(conditions: list[dict[str, Any]], facts: _FoldedFacts) -> Step:
    for number, condition in enumerate(conditions, start=1):
        if _holds(condition, facts):
            return {"outcome": "matched", "condition": number}
    if not conditions:
        raise _Broken("any")
    return {"outcome": "failed", "condition": None}


def _seen(condition: dict[str, Any], facts: _FoldedFacts) -> Step:
    """The failed condition and, unless it is the customer's own words, what the ticket had."""
    seen = {key: condition[key] for key in ("field", "operator", "value")}
    if condition["field"] not in PRIVATE_FIELDS:
        seen["actual"] = facts.raw(condition["field"])
    return seen


def _holds(condition: dict[str, Any], facts: _FoldedFacts) -> bool:
    operator, expected = condition["operator"], condition["value"]
    actual = facts.folded(condition["field"])
    if operator == "is":
        return _equal(actual, expected)
    if operator == "is_not":
        return not _equal(actual, expected)
    if operator == "in":
        if not isinstance(expected, list):
            raise _Broken(operator)
        return any(_equal(actual, value) for value in expected)
    if operator == "contains":
        return _fold_text(_text(expected)) in _text(actual)
    if operator == "starts_with":
        return _text(actual).startswith(_fold_text(_text(expected)))
    raise _Broken(operator)


def _equal(actual: object, expected: object) -> bool:
    """`actual` is folded already. Text compares as text (a number field holding 5 is "5");
    true/false only ever equal true/false."""
    if isinstance(expected, str):
        return _text(actual) == _fold_text(expected)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    return actual == expected


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def _fold(value: object) -> object:
    return _fold_text(value) if isinstance(value, str) else value


def _fold_text(value: str) -> str:
    return unicodedata.normalize("NFC", value).casefold()


class _FoldedFacts:
    """The facts, each folded at most once however many rules look at it."""

    __slots__ = ("_facts", "_folded")

    def __init__(self, facts: TicketFacts) -> None:
        self._facts = facts
        self._folded: dict[str, object] = {}

    def raw(self, name: str) -> object:
        if name.startswith(CUSTOM_FIELD_PREFIX):
            return self._facts.custom_fields.get(name.removeprefix(CUSTOM_FIELD_PREFIX))
        if name == "organisation":
            return self._facts.organisation_id
        if name in _PLAIN_FACTS:
            return getattr(self._facts, name)
        raise _Broken(name)

    def folded(self, name: str) -> object:
        try:
            return self._folded[name]
        except KeyError:
            value = self._folded[name] = _fold(self.raw(name))
            return value


_PLAIN_FACTS = frozenset(
    {"channel", "language", "category", "priority", "subject", "text", "mailbox", "tier"}
)
