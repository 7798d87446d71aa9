"""Which tickets an SLA policy applies to: a list of conditions that must all hold.

A condition is {"field": ..., "operator": "is" | "in", "value": ...} over the ticket's
priority, channel, team_id, organisation_id, tags ("is": the ticket has the tag; "in": it
has any of them) or tier (the customer tier of the ticket's organisation, a slug). The shape
is checked by a pydantic schema; the values against the tickets app's vocabulary. Messages
name the condition by number."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, ValidationError

from nordesk.tickets import selectors as ticket_selectors

from .errors import InvalidPolicy

FIELDS = ("priority", "channel", "team_id", "organisation_id", "tags", "tier")
ID_FIELDS = frozenset({"team_id", "organisation_id"})
TAG_LIMIT = 64
# Organisation.tier is a slug of at most 32 characters.
TIER_LIMIT = 32
TIER_PATTERN = re.compile(r"[-a-z0-9_]+")
Scalar = StrictStr | StrictInt


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    field: Literal["priority", "channel", "team_id", "organisation_id", "tags", "tier"]
    operator: Literal["is", "in"]
    value: Scalar | list[Scalar]


def conditions_validate(raw: Any) -> list[dict[str, Any]]:
    """The conditions as plain JSON, `in` values sorted and without repeats; InvalidPolicy
    naming the first wrong condition otherwise."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InvalidPolicy(
            _("Conditions are a list of field, operator and value."), field="conditions"
        )
    return [_condition_clean(number, item) for number, item in enumerate(raw, start=1)]


def _condition_clean(number: int, item: Any) -> dict[str, Any]:
    try:
        condition = Condition.model_validate(item)
    except ValidationError as exc:
        raise InvalidPolicy(_shape_message(number, item, exc), field="conditions") from exc
    values = condition.value if isinstance(condition.value, list) else [condition.value]
    if condition.operator == "is" and isinstance(condition.value, list):
        raise _invalid(number, _("“is” takes one value; use “in” for a list."))
    if condition.operator == "in" and not isinstance(condition.value, list):
        raise _invalid(number, _("“in” takes a list of values."))
    if not values:
        raise _invalid(number, _("“in” needs at least one value."))
    if condition.field == "tags":
        values = [_tag_clean(number, one) for one in values]
        tag_value: Any = sorted(set(values)) if condition.operator == "in" else values[0]
        return {"field": "tags", "operator": condition.operator, "value": tag_value}
    if condition.field == "tier":
        values = [_tier_clean(number, one) for one in values]
        tier_value: Any = sorted(set(values)) if condition.operator == "in" else values[0]
        return {"field": "tier", "operator": condition.operator, "value": tier_value}
    allowed = _allowed_values(condition.field)
    for one in values:
        if condition.field in ID_FIELDS:
            if not isinstance(one, int) or one < 1:
                raise _invalid(
                    number,
                    _("%(field)s takes ids (whole numbers), not %(value)r.")
                    % {"field": condition.field, "value": one},
                )
        elif one not in allowed:
            raise _invalid(
                number,
                _("%(value)r is not a %(field)s; use one of %(allowed)s.")
                % {"value": one, "field": condition.field, "allowed": ", ".join(allowed)},
            )
    value: Any = sorted(set(values)) if condition.operator == "in" else condition.value
    return {"field": condition.field, "operator": condition.operator, "value": value}


def _tag_clean(number: int, value: Any) -> str:
    """Tags are matched as the tickets app stores them: lower case, words joined by "-"."""
    name = "-".join(str(value).strip().lower().split()) if isinstance(value, str) else ""
    if not name or len(name) > TAG_LIMIT:
        raise _invalid(
            number,
            _("tags takes tag names of at most %(limit)d characters, not %(value)r.")
            % {"limit": TAG_LIMIT, "value": value},
        )
    return name


def _tier_clean(number: int, value: Any) -> str:
    """Tiers are matched as organisations store them: slugs, compared in lower case."""
    name = value.strip().lower() if isinstance(value, str) else ""
    if not TIER_PATTERN.fullmatch(name) or len(name) > TIER_LIMIT:
        raise _invalid(
            number,
            _(
                "tier takes customer tiers (letters, digits, “-” and “_”, at most %(limit)d "
                "characters), not %(value)r."
            )
            % {"limit": TIER_LIMIT, "value": value},
        )
    return name


def _allowed_values(field: str) -> list[str]:
    if field in ID_FIELDS:
        return []
    return [str(value) for value, _label in ticket_selectors.ticket_vocabulary()[field]]


def _invalid(number: int, problem: str) -> InvalidPolicy:
    return InvalidPolicy(
        _("Condition %(number)d: %(problem)s") % {"number": number, "problem": problem},
        field="conditions",
    )


def _shape_message(number: int, item: Any, exc: ValidationError) -> str:
    if not isinstance(item, Mapping):
        return str(_invalid(number, _("give it a field, an operator and a value.")))
    first = exc.errors()[0]
    where = first["loc"][0] if first["loc"] else ""
    if first["type"] == "missing":
        problem = _("%(part)s is missing.") % {"part": where}
    elif first["type"] == "extra_forbidden":
        problem = _("unknown part %(part)r.") % {"part": where}
    elif where == "field":
        problem = _("unknown field %(field)r; use one of %(fields)s.") % {
            "field": item.get("field"),
            "fields": ", ".join(FIELDS),
        }
    elif where == "operator":
        problem = _("unknown operator %(operator)r; use “is” or “in”.") % {
            "operator": item.get("operator")
        }
    else:
        problem = _("the value %(value)r is neither text, a number nor a list of them.") % {
            "value": item.get("value")
        }
    return str(_invalid(number, problem))


def conditions_match(conditions: Sequence[Mapping[str, Any]], facts: Mapping[str, Any]) -> bool:
    """True when every condition holds for the ticket's `facts` (field name → value; "tags"
    → the set of the ticket's tag names; "tier" → the organisation's tier, "" when none)."""
    for condition in conditions:
        actual = facts.get(condition["field"])
        if condition["field"] == "tags":
            wanted = condition["value"]
            names = actual or frozenset()
            if not (wanted in names if condition["operator"] == "is" else names & set(wanted)):
                return False
        elif condition["operator"] == "is":
            if actual != condition["value"]:
                return False
        elif actual not in condition["value"]:
            return False
    return True
