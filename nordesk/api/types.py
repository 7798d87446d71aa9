from typing import Annotated, TypeVar

from pydantic import Field

T = TypeVar("T")

# A row id as the database stores it (64-bit): anything outside is a 422, not a driver error.
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def reject_null(value: T) -> T:
    """For optional PATCH fields where leaving the field out means "unchanged" and null
    means nothing: use as a mode="before" field validator."""
    if value is None:
        raise ValueError("may not be null; leave the field out to keep it unchanged")
    return value
