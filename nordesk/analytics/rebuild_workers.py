"""The processes of a parallel rebuild (`services._rebuild_parts_in_processes`). They are
spawned, and import this module before Django is set up: it imports nothing of Django's or
Nordesk's at its top."""

from __future__ import annotations

import re
from typing import Any

_state: dict[str, Any] = {}


def start(database: str, snapshot: str) -> None:
    """Set Django up on the parent's database, in one read-only transaction that sees the
    parent's snapshot."""
    import django

    django.setup()
    from django.db import connection, connections

    from .services import Context

    connections["default"].settings_dict["NAME"] = database
    if not re.fullmatch(r"[0-9A-F-]+", snapshot):
        raise ValueError(snapshot)
    connection.set_autocommit(False)
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
    _state["context"] = Context.load()


def part(ticket_range: tuple[int, int]) -> Any:
    """The `services.RebuildPart` of the tickets with ids in `ticket_range` (inclusive)."""
    from .services import rebuild_part

    return rebuild_part(list(ticket_range), _state["context"], contiguous=True)
