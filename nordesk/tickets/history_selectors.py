"""Reads of ticket history in bulk, for the analytics app's facts: events past a cursor, the
tickets they touch (the values reports slice by) and each ticket's whole timeline."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from .models import UNSOLVED, Ticket, TicketEvent


@dataclass(frozen=True, slots=True)
class TicketRow:
    id: int
    channel: str
    status: str
    priority: str
    team_id: int | None
    assignee_id: int | None
    category: str
    language: str
    organisation_id: int | None
    merged_into_id: int | None
    follow_up_of_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    kind: str
    actor_kind: str
    actor_user_id: int | None
    data: dict[str, Any]
    created_at: datetime


TICKET_COLUMNS = (
    "id",
    "channel",
    "status",
    "priority",
    "team_id",
    "assignee_id",
    "category",
    "language",
    "organisation_id",
    "merged_into_id",
    "follow_up_of_id",
    "created_at",
)
EVENT_COLUMNS = ("ticket_id", "id", "kind", "actor_kind", "actor_user_id", "data", "created_at")


def unsolved_statuses() -> tuple[str, ...]:
    return tuple(str(status) for status in UNSOLVED)


def event_last_id() -> int:
    return TicketEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_after(*, after_id: int, limit: int) -> list[tuple[int, int]]:
    """(id, ticket id) of the next `limit` events past `after_id`, in id order."""
    return list(
        TicketEvent.objects.filter(id__gt=after_id)
        .order_by("id")
        .values_list("id", "ticket_id")[:limit]
    )


def ticket_id_batches(*, size: int) -> Iterator[list[int]]:
    """Every ticket id in ascending order, `size` at a time (keyset: no OFFSET)."""
    last = 0
    while True:
        ids = list(
            Ticket.objects.filter(id__gt=last).order_by("id").values_list("id", flat=True)[:size]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def ticket_rows(
    ticket_ids: Iterable[int], *, between: tuple[int, int] | None = None
) -> dict[int, TicketRow]:
    """The tickets among `ticket_ids`, or with ids in the range `between` (inclusive: a
    rebuild's batch, cheaper than a list of thousands of ids)."""
    tickets = (
        Ticket.objects.filter(id__range=between)
        if between
        else Ticket.objects.filter(id__in=list(ticket_ids))
    )
    return {row[0]: TicketRow(*row) for row in tickets.values_list(*TICKET_COLUMNS)}


def ticket_timelines(
    ticket_ids: Iterable[int],
    *,
    between: tuple[int, int] | None = None,
    data_kinds: tuple[str, ...] | None = None,
) -> dict[int, list[EventRow]]:
    """Each ticket's events, oldest first (by time, then id), in one query (`between`: the
    tickets with ids in that range instead). `data_kinds`: only events of these kinds need
    their data (on PostgreSQL the others come with `{}`, saving the JSON decoding). On
    PostgreSQL by hand: the ORM's converters would double the cost of a rebuild."""
    ids = list(ticket_ids)
    timelines: dict[int, list[EventRow]] = {}
    if connection.vendor == "postgresql":
        data = "data"
        params: list[Any] = []
        if data_kinds is not None:
            data = "CASE WHEN kind = ANY(%s) THEN data ELSE '{}' END"
            params.append(list(data_kinds))
        where = "ticket_id BETWEEN %s AND %s" if between else "ticket_id = ANY(%s)"
        params += list(between) if between else [ids]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT ticket_id, id, kind, actor_kind, actor_user_id, {data}, created_at "  # noqa: S608
                f"FROM tickets_ticketevent WHERE {where} "
                "ORDER BY ticket_id, created_at, id",
                params,
            )
            loads = json.loads
            for ticket_id, event_id, kind, actor_kind, actor, data, at in cursor.fetchall():
                if isinstance(data, str):  # Django leaves JSON undecoded for its fields
                    data = loads(data)
                row = EventRow(event_id, kind, actor_kind, actor, data, at)
                timelines.setdefault(ticket_id, []).append(row)
        return timelines
    events = TicketEvent.objects.filter(
        **(
            {"ticket_id__gte": between[0], "ticket_id__lte": between[1]}
            if between
            else {"ticket_id__in": ids}
        )
    )
    rows = events.order_by("ticket_id", "created_at", "id").values_list(*EVENT_COLUMNS)
    for ticket_id, *rest in rows.iterator(chunk_size=20000):
        timelines.setdefault(ticket_id, []).append(EventRow(*rest))
    return timelines
