"""What a routing rule's conditions may say: a pydantic schema, checked before a rule is stored.

The stored form is data, never code:

    {"all": [condition, ...]}   every condition holds; an empty list always holds (a catch-all)
    {"any": [condition, ...]}   at least one condition holds; never empty

and a condition is {"field": ..., "operator": ..., "value": ...}. `conditions_validate` turns
the first problem into InvalidConditions whose message names the condition by its number.
"""

from __future__ import annotations

import re
from typing import Any, Self

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError

from .errors import InvalidConditions

CUSTOM_FIELD_PREFIX = "custom_field:"
# Fields compared with a fixed set of values: is, is_not and in only.
CHOICE_FIELDS = ("channel", "language", "priority")
# "mailbox": the address (or form, widget) the message came to; "tier": the organisation's.
TEXT_FIELDS = ("category", "subject", "text", "mailbox", "tier")
FIELDS = (*CHOICE_FIELDS, "organisation", *TEXT_FIELDS)
OPERATORS = ("is", "is_not", "in", "contains", "starts_with")
TEXT_OPERATORS = ("contains", "starts_with")
# The values of the tickets app's Channel and Priority choices (tests/routing keeps them equal).
CHANNELS = ("email", "web", "chat", "social", "phone", "api")
PRIORITIES = ("low", "normal", "high", "urgent")

MAX_CONDITIONS = 50
MAX_VALUES = 100
MAX_VALUE_LENGTH = 500
CUSTOM_FIELD_KEY = re.compile(r"[-a-zA-Z0-9_]{1,64}")

Scalar = str | int | float | bool


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    field: str
    operator: str
    value: Scalar | list[Scalar]

    @model_validator(mode="after")
    def _check(self) -> Self:
        _field_check(self.field)
        if self.operator not in OPERATORS:
            raise PydanticCustomError("unknown_operator", "unknown operator")
        _operator_check(self.field, self.operator)
        _value_check(self.field, self.operator, self.value)
        return self


class Conditions(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)

    all_: list[Condition] | None = Field(None, alias="all")
    any_: list[Condition] | None = Field(None, alias="any")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.all_ is None) == (self.any_ is None):
            raise PydanticCustomError("shape", "one of all or any")
        if self.any_ == []:
            raise PydanticCustomError("any_empty", "any needs a condition")
        if len(self.items) > MAX_CONDITIONS:
            raise PydanticCustomError("too_many_conditions", "too many conditions")
        return self

    @property
    def mode(self) -> str:
        return "all" if self.all_ is not None else "any"

    @property
    def items(self) -> list[Condition]:
        return self.all_ if self.all_ is not None else self.any_ or []


def _field_check(field: str) -> None:
    if field.startswith(CUSTOM_FIELD_PREFIX):
        if not CUSTOM_FIELD_KEY.fullmatch(field.removeprefix(CUSTOM_FIELD_PREFIX)):
            raise PydanticCustomError("custom_field_key", "custom field key")
    elif field not in FIELDS:
        raise PydanticCustomError("unknown_field", "unknown field")


def _operator_check(field: str, operator: str) -> None:
    if operator in TEXT_OPERATORS and (field in CHOICE_FIELDS or field == "organisation"):
        raise PydanticCustomError("operator_not_for_field", "operator not for field")


def _value_check(field: str, operator: str, value: Scalar | list[Scalar]) -> None:
    if operator == "in":
        if not isinstance(value, list):
            raise PydanticCustomError("value_not_list", "in needs a list")
        if not value:
            raise PydanticCustomError("value_empty_list", "in needs values")
        if len(value) > MAX_VALUES:
            raise PydanticCustomError("value_too_many", "too many values")
        for item in value:
            _scalar_check(field, operator, item)
    elif isinstance(value, list):
        raise PydanticCustomError("value_is_list", "one value")
    else:
        _scalar_check(field, operator, value)


def _scalar_check(field: str, operator: str, value: Scalar) -> None:
    if field == "organisation":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise PydanticCustomError("value_not_id", "organisation id")
        return
    if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
        raise PydanticCustomError("value_too_long", "value too long")
    if operator in TEXT_OPERATORS:
        if not isinstance(value, str) or not value.strip():
            raise PydanticCustomError("value_not_text", "text needed")
        return
    if not field.startswith(CUSTOM_FIELD_PREFIX) and not isinstance(value, str):
        raise PydanticCustomError("value_not_string", "text needed")
    choices = _choices(field)
    if choices and value not in choices:
        raise PydanticCustomError("value_not_choice", "not a choice", {"value": value})


def _choices(field: str) -> tuple[str, ...]:
    if field == "channel":
        return CHANNELS
    if field == "priority":
        return PRIORITIES
    if field == "language":
        return tuple(code for code, _name in settings.LANGUAGES)
    return ()


def conditions_validate(data: Any) -> Conditions:
    """The conditions as a Conditions model, or InvalidConditions naming the first problem."""
    try:
        return Conditions.model_validate(data)
    except ValidationError as exc:
        raise InvalidConditions(_error_message(exc.errors()[0], data), field="conditions") from exc


# Messages for the problems of one condition; each is shown after "Condition N:".
_CONDITION_PROBLEMS: dict[str, Promise] = {
    "condition_shape": gettext_lazy(
        "a condition is an object with exactly the keys field, operator and value."
    ),
    "value_type": gettext_lazy(
        "the value must be text, a number, true or false (or a list of them for in)."
    ),
    "unknown_field": gettext_lazy("unknown field %(field)s; use one of %(choices)s."),
    "custom_field_key": gettext_lazy(
        "name the custom field after “custom_field:” with letters, digits, - or _."
    ),
    "unknown_operator": gettext_lazy("unknown operator %(operator)s; use one of %(choices)s."),
    "operator_not_for_field": gettext_lazy(
        "the field %(field)s cannot be compared with %(operator)s; use is, is_not or in."
    ),
    "value_not_list": gettext_lazy("the operator in needs a list of values."),
    "value_empty_list": gettext_lazy("the operator in needs at least one value."),
    "value_too_many": gettext_lazy("give at most %(limit)d values."),
    "value_is_list": gettext_lazy("the operator %(operator)s compares with one value, not a list."),
    "value_not_id": gettext_lazy("an organisation is given by its id, a positive whole number."),
    "value_too_long": gettext_lazy("a value may have at most %(limit)d characters."),
    "value_not_text": gettext_lazy("the operator %(operator)s needs some text to look for."),
    "value_not_string": gettext_lazy("the field %(field)s is compared with text."),
    "value_not_choice": gettext_lazy(
        "%(value)s is not a value of %(field)s; use one of %(choices)s."
    ),
}


def _error_message(error: ErrorDetails, data: Any) -> str:
    location = error["loc"]
    if len(location) >= 2 and isinstance(location[1], int):
        number = location[1] + 1
        condition = _condition_at(data, str(location[0]), location[1])
        problem = _condition_problem(error, location[2:], condition)
        return _("Condition %(number)d: %(problem)s") % {"number": number, "problem": problem}
    return _rule_problem(error["type"])


def _condition_at(data: Any, mode: str, index: int) -> dict[str, Any]:
    try:
        condition = data[mode][index]
    except (KeyError, IndexError, TypeError):
        return {}
    return condition if isinstance(condition, dict) else {}


def _condition_problem(error: ErrorDetails, rest: tuple[int | str, ...], condition: dict) -> str:
    kind = error["type"]
    if kind not in _CONDITION_PROBLEMS:
        kind = _builtin_kind(kind, rest[:1])
    field, operator = condition.get("field"), condition.get("operator")
    params = {
        "field": _quoted(field),
        "operator": _quoted(operator),
        "value": _quoted(error.get("ctx", {}).get("value", condition.get("value"))),
        "limit": MAX_VALUES if kind == "value_too_many" else MAX_VALUE_LENGTH,
        "choices": ", ".join(_choices_for(kind, field)),
    }
    return str(_CONDITION_PROBLEMS[kind]) % params


def _builtin_kind(kind: str, key: tuple[int | str, ...]) -> str:
    """Our name for an error pydantic found itself (a missing key, a wrong type)."""
    if kind in ("missing", "extra_forbidden") or not key:
        return "condition_shape"
    if key == ("field",):
        return "unknown_field"
    if key == ("operator",):
        return "unknown_operator"
    return "value_type"


def _choices_for(kind: str, field: Any) -> tuple[str, ...]:
    if kind == "unknown_field":
        return (*FIELDS, f"{CUSTOM_FIELD_PREFIX}<key>")
    if kind == "unknown_operator":
        return OPERATORS
    if kind == "value_not_choice" and isinstance(field, str):
        return _choices(field)
    return ()


def _quoted(value: Any) -> str:
    return f"“{value}”" if isinstance(value, str) else str(value)


def _rule_problem(kind: str) -> str:
    if kind == "any_empty":
        return _("“any” needs at least one condition.")
    if kind == "too_many_conditions":
        return _("A rule may have at most %(limit)d conditions.") % {"limit": MAX_CONDITIONS}
    return _("Conditions are an object with one key, “all” or “any”, holding a list of conditions.")
