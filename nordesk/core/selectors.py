from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def first_row(queryset: QuerySet[M]) -> M | None:
    """The first row in the queryset's own order, or None. Unlike `.first()` it adds no
    ORDER BY on the primary key: for lookups by a unique key that is work for nothing, and on
    the intake path it is measurable."""
    return next(iter(queryset[:1]), None)
