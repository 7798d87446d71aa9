from typing import Any

from django.db import models
from django.utils import timezone


def model_update(
    *, instance: models.Model, changes: dict[str, Any], allowed: frozenset[str]
) -> list[str]:
    """Apply the allowed `changes` to `instance` and save just those fields (and `updated_at`
    when the model has it). Returns the names of the fields that were given."""
    fields = sorted(set(changes) & allowed)
    if not fields:
        return []
    for field in fields:
        setattr(instance, field, changes[field])
    if hasattr(instance, "updated_at"):
        instance.updated_at = timezone.now()
        fields.append("updated_at")
    instance.save(update_fields=fields)
    return fields
