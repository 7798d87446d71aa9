"""Deflections (a customer opened a suggested article and left without sending the form) as
the analytics app counts them: past a cursor, in id order."""

from __future__ import annotations

from datetime import datetime

from ..models import ArticleEvent, EventKind


def deflections_after(*, after_id: int, limit: int) -> list[tuple[int, datetime, str]]:
    """The next `limit` deflections past `after_id` as (id, at, language)."""
    return list(
        ArticleEvent.objects.filter(kind=EventKind.DEFLECTED, id__gt=after_id)
        .order_by("id")
        .values_list("id", "created_at", "language")[:limit]
    )


def deflections_between(start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """Every deflection from `start` (inclusive) to `end` (exclusive) as (at, language)."""
    return list(
        ArticleEvent.objects.filter(
            kind=EventKind.DEFLECTED, created_at__gte=start, created_at__lt=end
        ).values_list("created_at", "language")
    )
