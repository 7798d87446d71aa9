import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import InvalidCustomField
from ..models import CustomFieldDefinition, FieldKind


def _clean_value(definition: CustomFieldDefinition, value: Any) -> Any:
    if value is None or value == "":
        return None
    kind = definition.kind
    if kind == FieldKind.TEXT:
        if not isinstance(value, str) or len(value) > 1000:
            raise ValueError("text of at most 1000 characters")
        return value
    if kind == FieldKind.NUMBER:
        if isinstance(value, bool):
            raise ValueError("a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError("a number") from exc
        if not number.is_finite():
            raise ValueError("a number")
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == FieldKind.DATE:
        try:
            return datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError as exc:
            raise ValueError("a date as YYYY-MM-DD") from exc
    if kind == FieldKind.CHOICE:
        if value not in definition.choices:
            raise ValueError(f"one of {', '.join(map(str, definition.choices))}")
        return value
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


def custom_fields_clean(values: dict[str, Any], *, current: dict[str, Any] | None = None) -> dict:
    """Validate `values` against the active field definitions; returns the merged result."""
    definitions = {d.key: d for d in CustomFieldDefinition.objects.filter(active=True)}
    result = dict(current or {})
    for key, value in values.items():
        definition = definitions.get(key)
        if definition is None:
            raise InvalidCustomField(f"Unknown custom field {key!r}.", field=f"custom_fields.{key}")
        try:
            cleaned = _clean_value(definition, value)
        except ValueError as exc:
            raise InvalidCustomField(
                f"{definition.label} must be {exc}.", field=f"custom_fields.{key}"
            ) from exc
        if cleaned is None:
            if definition.required:
                raise InvalidCustomField(
                    f"{definition.label} is required.", field=f"custom_fields.{key}"
                )
            result.pop(key, None)
        else:
            result[key] = cleaned
    return result
