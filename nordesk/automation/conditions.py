"""What a trigger's or time rule's conditions may say: checked before a definition is stored.

The stored form is data, never code:

    {"all": [condition, ...]}   every condition holds; an empty list always holds
    {"any": [condition, ...]}   at least one condition holds; never empty

and a condition is {"field": ..., "operator": ..., "value": ...} ("value" is left out for
"changed"). Fields name the ticket ("status", "tags", "custom_field:<key>" …), its customer
("customer.name") or what happened ("message.text", "sla.target", "csat.score").
`conditions_validate` refuses the first problem with a message that names the condition by
its number: "Condition 2: …".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import InvalidConditions

CUSTOM_FIELD_PREFIX = "custom_field:"
CUSTOM_FIELD_KEY = re.compile(r"[-a-zA-Z0-9_]{1,64}")
# The values of the tickets app's choices (tests/automation keeps them equal).
STATUSES = ("new", "open", "pending", "on_hold", "solved", "closed")
PRIORITIES = ("low", "normal", "high", "urgent")
CHANNELS = ("email", "web", "chat", "social", "phone", "api")
SLA_TARGETS = ("first_response", "next_response", "resolution")

EQUALITY = ("is", "is_not", "in", "not_in")
TEXT = ("contains", "not_contains", "starts_with")
ORDER = ("greater_than", "less_than")
CHANGE = ("changed", "changed_to", "changed_from")
OPERATORS = (*EQUALITY, *TEXT, *ORDER, *CHANGE)

MAX_CONDITIONS = 50
MAX_VALUES = 100
MAX_VALUE_LENGTH = 500

Scalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    kind: str  # choice, id, text, tags, number, any
    operators: tuple[str, ...]
    # Facts a timer has too (no message, no event data when it fires).
    on_timers: bool = True


_CHOICE = FieldSpec("choice", EQUALITY)
FIELDS: dict[str, FieldSpec] = {
    "status": FieldSpec("choice", (*EQUALITY, *CHANGE)),
    "priority": FieldSpec("choice", (*EQUALITY, *ORDER, *CHANGE)),
    "channel": _CHOICE,
    "language": _CHOICE,
    "team": FieldSpec("id", (*EQUALITY, *CHANGE)),
    "assignee": FieldSpec("id", (*EQUALITY, *CHANGE)),
    "organisation": FieldSpec("id", EQUALITY),
    "subject": FieldSpec("text", (*EQUALITY, *TEXT)),
    "category": FieldSpec("text", (*EQUALITY, *TEXT)),
    "tags": FieldSpec("tags", ("contains", "not_contains", "changed_to", "changed_from")),
    "customer.name": FieldSpec("text", (*EQUALITY, *TEXT)),
    "customer.language": _CHOICE,
    "message.text": FieldSpec("text", TEXT, on_timers=False),
    "sla.target": FieldSpec("choice", EQUALITY, on_timers=False),
    # changed…: a first answer, or a new score; a change to the comment alone is not one
    "csat.score": FieldSpec("number", (*EQUALITY, *ORDER, *CHANGE), on_timers=False),
}
CUSTOM_FIELD = FieldSpec("any", OPERATORS)


def field_spec(field: str) -> FieldSpec | None:
    if field.startswith(CUSTOM_FIELD_PREFIX):
        key = field.removeprefix(CUSTOM_FIELD_PREFIX)
        return CUSTOM_FIELD if CUSTOM_FIELD_KEY.fullmatch(key) else None
    return FIELDS.get(field)


def choices_for(field: str) -> tuple[str, ...]:
    if field == "status":
        return STATUSES
    if field == "priority":
        return PRIORITIES
    if field == "channel":
        return CHANNELS
    if field in ("language", "customer.language"):
        return tuple(code for code, _name in settings.LANGUAGES)
    if field == "sla.target":
        return SLA_TARGETS
    return ()


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    field: str = Field(max_length=100)
    operator: str = Field(max_length=30)
    value: Scalar | list[Scalar] = None


class Conditions(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)

    all_: list[Any] | None = Field(None, alias="all")
    any_: list[Any] | None = Field(None, alias="any")


class _Problem(Exception):
    """One condition's problem, in words for the admin."""


def conditions_validate(data: Any, *, for_timers: bool = False) -> dict[str, list[dict]]:
    """The conditions in their stored form, or InvalidConditions naming the first problem.
    `for_timers`: for a time rule, which has no change, message or event to look at."""
    try:
        shape = Conditions.model_validate(data)
    except ValidationError as exc:
        raise InvalidConditions(_shape_problem(), field="conditions") from exc
    if (shape.all_ is None) == (shape.any_ is None):
        raise InvalidConditions(_shape_problem(), field="conditions")
    mode = "all" if shape.all_ is not None else "any"
    items = shape.all_ if shape.all_ is not None else shape.any_ or []
    if mode == "any" and not items:
        raise InvalidConditions(_("“any” needs at least one condition."), field="conditions")
    if len(items) > MAX_CONDITIONS:
        raise InvalidConditions(
            _("Give at most %(limit)d conditions.") % {"limit": MAX_CONDITIONS},
            field="conditions",
        )
    cleaned = []
    for number, item in enumerate(items, start=1):
        try:
            cleaned.append(_condition_check(item, for_timers=for_timers))
        except _Problem as problem:
            raise InvalidConditions(
                _("Condition %(number)d: %(problem)s") % {"number": number, "problem": problem},
                field="conditions",
            ) from None
    return {mode: cleaned}


def _shape_problem() -> str:
    return _("Conditions are an object with one key, “all” or “any”, holding a list of conditions.")


def _condition_check(item: Any, *, for_timers: bool) -> dict[str, Any]:
    try:
        condition = Condition.model_validate(item)
    except ValidationError as exc:
        raise _Problem(_shape_message(exc)) from None
    field, operator, value = condition.field, condition.operator, condition.value
    spec = field_spec(field)
    if spec is None:
        raise _Problem(
            _("unknown field “%(field)s”; use one of %(choices)s.")
            % {"field": field, "choices": ", ".join((*FIELDS, f"{CUSTOM_FIELD_PREFIX}<key>"))}
        )
    if for_timers and not spec.on_timers:
        raise _Problem(_("a time rule cannot look at “%(field)s”.") % {"field": field})
    if operator not in OPERATORS:
        raise _Problem(
            _("unknown operator “%(operator)s”; use one of %(choices)s.")
            % {"operator": operator, "choices": ", ".join(OPERATORS)}
        )
    if operator not in spec.operators or (for_timers and operator in CHANGE):
        allowed = [op for op in spec.operators if not (for_timers and op in CHANGE)]
        raise _Problem(
            _("the field “%(field)s” cannot be compared with “%(operator)s”; use %(choices)s.")
            % {"field": field, "operator": operator, "choices": ", ".join(allowed)}
        )
    _value_check(field, spec, operator, value)
    stored: dict[str, Any] = {"field": field, "operator": operator}
    if operator != "changed":
        stored["value"] = value
    return stored


def _shape_message(exc: ValidationError) -> str:
    error = exc.errors()[0]
    if error["type"] in ("missing", "extra_forbidden", "model_type") or not error["loc"]:
        return _("a condition is an object with the keys field, operator and value.")
    if error["loc"][0] == "value":
        return _("the value must be text, a number, true, false or null (or a list of them).")
    return _("field and operator are short texts.")


def _value_check(field: str, spec: FieldSpec, operator: str, value: Any) -> None:
    if operator == "changed":
        if value is not None:
            raise _Problem(_("the operator “changed” takes no value."))
        return
    if operator in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            raise _Problem(
                _("the operator “%(operator)s” needs a list of values.")
                % {"operator": operator, "field": field}
            )
        if len(value) > MAX_VALUES:
            raise _Problem(_("give at most %(limit)d values.") % {"limit": MAX_VALUES})
        for item in value:
            _scalar_check(field, spec, operator, item)
        return
    if isinstance(value, list):
        raise _Problem(
            _("the operator “%(operator)s” compares with one value, not a list.")
            % {"operator": operator, "field": field}
        )
    _scalar_check(field, spec, operator, value)


def _scalar_check(field: str, spec: FieldSpec, operator: str, value: Scalar) -> None:
    if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
        raise _Problem(_("a value may have at most %(limit)d characters.") % {"limit": 500})
    if operator in ORDER:
        if spec.kind == "choice":
            pass  # priority: compared by rank, checked as a choice below
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise _Problem(
                _("the operator “%(operator)s” compares with a number.")
                % {"operator": operator, "field": field}
            )
        else:
            return
    if operator in TEXT or spec.kind == "tags":
        if not isinstance(value, str) or not value.strip():
            raise _Problem(
                _("the operator “%(operator)s” needs some text.")
                % {"operator": operator, "field": field}
            )
        return
    if spec.kind == "id":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise _Problem(
                _("“%(field)s” is given by its id, or null for none.")
                % {"operator": operator, "field": field}
            )
        return
    if spec.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Problem(
                _("“%(field)s” is compared with a number.") % {"operator": operator, "field": field}
            )
        return
    if spec.kind in ("choice", "text") and not isinstance(value, str):
        raise _Problem(
            _("“%(field)s” is compared with text.") % {"operator": operator, "field": field}
        )
    choices = choices_for(field)
    if choices and value not in choices:
        raise _Problem(
            _("“%(value)s” is not a value of “%(field)s”; use one of %(choices)s.")
            % {"value": value, "field": field, "choices": ", ".join(choices)}
        )
