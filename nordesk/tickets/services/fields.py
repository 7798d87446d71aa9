import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ..errors import InvalidCustomField
from ..models import CustomFieldDefinition, FieldKind


def _clean_value(definition: CustomFieldDefinition, value: Any) -> Any:
    if value is None or value == "":
        return None
    kind = definition.kind
    if kind == FieldKind.TEXT:
        if not isinstance(value, str) or len(value) > 1000:
            raise ValueError(_("text of at most 1000 characters"))
        return value
    if kind == FieldKind.NUMBER:
        if isinstance(value, bool):
            raise ValueError(_("a number"))
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(_("a number")) from exc
        if not number.is_finite():
            raise ValueError(_("a number"))
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == FieldKind.DATE:
        try:
            return datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError as exc:
            raise ValueError(_("a date as YYYY-MM-DD")) from exc
    if kind == FieldKind.CHOICE:
        if value not in definition.choices:
            raise ValueError(
                _("one of %(choices)s") % {"choices": ", ".join(map(str, definition.choices))}
            )
        return value
    if not isinstance(value, bool):
        raise ValueError(_("true or false"))
    return value


def custom_fields_clean(values: dict[str, Any], *, current: dict[str, Any] | None = None) -> dict:
    """Validate `values` against the active field definitions; returns the merged result."""
    definitions = {d.key: d for d in CustomFieldDefinition.objects.filter(active=True)}
    result = dict(current or {})
    for key, value in values.items():
        definition = definitions.get(key)
        if definition is None:
            raise InvalidCustomField(
                _("Unknown custom field %(key)r.") % {"key": key}, field=f"custom_fields.{key}"
            )
        try:
            cleaned = _clean_value(definition, value)
        except ValueError as exc:
            raise InvalidCustomField(
                _("%(label)s must be %(rule)s.") % {"label": definition.label, "rule": exc},
                field=f"custom_fields.{key}",
            ) from exc
        if cleaned is None:
            if definition.required:
                raise InvalidCustomField(
                    _("%(label)s is required.") % {"label": definition.label},
                    field=f"custom_fields.{key}",
                )
            result.pop(key, None)
        else:
            result[key] = cleaned
    return result
