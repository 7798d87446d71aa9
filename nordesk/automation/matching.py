"""Whether stored conditions hold for a ticket: pure functions over `Facts`, which read each
fact at most once and only when a condition asks for it (a ticket's tags or customer cost a
query; its own columns do not).

Text compares without regard to case, on NFC-normalised casefolded text, as routing does.
Priorities order low < normal < high < urgent for "greater_than"/"less_than".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from .conditions import CUSTOM_FIELD_PREFIX, PRIORITIES

# What changed, by condition field: (old, new); for tags (removed, added).
Changes = Mapping[str, tuple[Any, Any]]
_MISSING = object()


class Broken(Exception):
    """A stored condition the schema would refuse (edited behind the services' back)."""


class Facts:
    """What conditions look at. `ticket` is the tickets app's row (read by attribute only);
    `loaders` add or override facts ("message.text", "sla.target", "csat.score")."""

    __slots__ = ("_cache", "changes", "loaders", "ticket")

    def __init__(
        self,
        *,
        ticket: Any,
        changes: Changes | None = None,
        loaders: Mapping[str, Callable[[], Any]] | None = None,
    ) -> None:
        self.ticket = ticket
        self.changes: Changes = changes or {}
        self.loaders = loaders or {}
        self._cache: dict[str, Any] = {}

    def value(self, field: str) -> Any:
        cached = self._cache.get(field, _MISSING)
        if cached is _MISSING:
            cached = self._cache[field] = _fold(self._load(field))
        return cached

    def _load(self, field: str) -> Any:
        loader = self.loaders.get(field)
        if loader is not None:
            return loader()
        ticket = self.ticket
        if field.startswith(CUSTOM_FIELD_PREFIX):
            return (ticket.custom_fields or {}).get(field.removeprefix(CUSTOM_FIELD_PREFIX))
        if field in _COLUMNS:
            return getattr(ticket, _COLUMNS[field])
        if field == "tags":
            return [tag.name for tag in ticket.tags.all()]
        if field == "customer.name":
            return ticket.customer.name
        if field == "customer.language":
            return ticket.customer.language
        if field in _EVENT_FACTS:
            return None  # the event that is being handled does not have it
        raise Broken(field)

    def reset(self) -> None:
        """Forget what was read: the ticket changed (a trigger's actions ran)."""
        self._cache.clear()


_COLUMNS = {
    "status": "status",
    "priority": "priority",
    "channel": "channel",
    "language": "language",
    "team": "team_id",
    "assignee": "assignee_id",
    "organisation": "organisation_id",
    "subject": "subject",
    "category": "category",
}
_EVENT_FACTS = frozenset({"message.text", "sla.target", "csat.score"})


def conditions_hold(conditions: Mapping[str, Any], facts: Facts) -> bool:
    """Whether the stored conditions hold; Broken when they are not in the stored form."""
    try:
        ((mode, items),) = conditions.items()
        if mode == "all":
            return all(_holds(item, facts) for item in items)
        if mode == "any":
            return any(_holds(item, facts) for item in items)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise Broken(str(exc)) from exc
    raise Broken(mode)


def _holds(condition: Mapping[str, Any], facts: Facts) -> bool:
    field, operator = condition["field"], condition["operator"]
    if operator.startswith("changed"):
        return _change_holds(field, operator, condition.get("value"), facts)
    expected = condition["value"]
    actual = facts.value(field)
    if operator == "is":
        return _equal(actual, expected)
    if operator == "is_not":
        return not _equal(actual, expected)
    if operator == "in":
        return any(_equal(actual, value) for value in expected)
    if operator == "not_in":
        return not any(_equal(actual, value) for value in expected)
    if operator in ("contains", "not_contains"):
        found = _contains(actual, expected)
        return found if operator == "contains" else not found
    if operator == "starts_with":
        return _text(actual).startswith(_fold_text(_text(expected)))
    if operator in ("greater_than", "less_than"):
        left, right = _number(field, actual), _number(field, expected)
        if left is None or right is None:
            return False
        return left > right if operator == "greater_than" else left < right
    raise Broken(operator)


def _change_holds(field: str, operator: str, expected: Any, facts: Facts) -> bool:
    change = facts.changes.get(field)
    if change is None:
        return False
    old, new = change
    if operator == "changed":
        return True
    if field == "tags":
        names = new if operator == "changed_to" else old
        return _fold_text(str(expected)) in {_fold_text(name) for name in names}
    side = new if operator == "changed_to" else old
    return _equal(_fold(side), expected)


def _contains(actual: Any, expected: Any) -> bool:
    needle = _fold_text(_text(expected))
    if isinstance(actual, list):
        return needle in actual
    return needle in _text(actual)


def _equal(actual: Any, expected: Any) -> bool:
    """`actual` is folded already; text compares as text, true/false only with true/false,
    null only with nothing (an empty text counts as nothing)."""
    if expected is None:
        return actual is None or actual == ""
    if isinstance(expected, str):
        return actual is not None and _text(actual) == _fold_text(expected)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    return actual == expected


def _number(field: str, value: Any) -> float | None:
    if field == "priority":
        try:
            return float(PRIORITIES.index(_text(value)))
        except ValueError:
            return None
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def _fold(value: Any) -> Any:
    if isinstance(value, str):
        return _fold_text(value)
    if isinstance(value, list):
        return [_fold_text(item) if isinstance(item, str) else item for item in value]
    return value


def _fold_text(value: str) -> str:
    return unicodedata.normalize("NFC", value).casefold()
