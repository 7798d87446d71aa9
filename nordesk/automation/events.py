"""What automation listens to: every event a trigger can run on, and the moments time rules
count from. Handlers run in the emitter's transaction, after routing and SLA (INSTALLED_APPS
order), and read the definitions through the cache: an event no definition listens to costs
no query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from nordesk.core.config_cache import config_changed
from nordesk.core.errors import NotFound
from nordesk.core.events import DomainEvent, subscribe
from nordesk.tickets import selectors as ticket_selectors

from . import services
from .models import Since, TimeRule, Trigger

# History row kinds as "changed…" conditions name them; tags and fields are read apart.
_CHANGED_FIELDS = {
    "status": "status",
    "priority": "priority",
    "assignment": "assignee",
    "team": "team",
}


@subscribe("ticket_created")
def on_ticket_created(event: DomainEvent) -> None:
    """The new ticket starts every time rule's clock, then the triggers on it run."""
    ticket, message = event.payload["ticket"], event.payload["message"]
    services.timers_start(ticket=ticket, kinds=tuple(Since.values), at=ticket.created_at)
    services.triggers_run(
        event="ticket_created", ticket=ticket, loaders={"message.text": lambda: message.text}
    )


@subscribe("message_received")
def on_message_received(event: DomainEvent) -> None:
    message = event.payload["message"]
    services.triggers_run(
        event="message_received",
        ticket=event.payload["ticket"],
        loaders={"message.text": lambda: message.text},
    )


@subscribe("ticket_status_changed")
def on_status_changed(event: DomainEvent) -> None:
    """Rules counting from the status change start over (history imports are not followed)."""
    if event.payload["imported"]:
        return
    services.timers_start(
        ticket=event.payload["ticket"], kinds=(Since.STATUS_CHANGED,), at=event.payload["at"]
    )


@subscribe("ticket_updated")
def on_ticket_updated(event: DomainEvent) -> None:
    ticket, rows = event.payload["ticket"], event.payload["events"]
    kinds: tuple[str, ...] = (Since.UPDATED,)
    if any(row.kind == "assignment" for row in rows):
        kinds = (Since.UPDATED, Since.ASSIGNEE_CHANGED)
    services.timers_start(ticket=ticket, kinds=kinds, at=max(row.created_at for row in rows))
    if services.triggers_for("ticket_updated"):
        services.triggers_run(event="ticket_updated", ticket=ticket, changes=changes_of(rows))


def changes_of(rows: list[Any]) -> dict[str, tuple[Any, Any]]:
    """What changed, by condition field, from the ticket's history rows: (old, new); for
    tags (removed, added)."""
    changes: dict[str, tuple[Any, Any]] = {}
    for row in rows:
        data = row.data
        if row.kind in _CHANGED_FIELDS:
            field = _CHANGED_FIELDS[row.kind]
            first = changes.get(field, (data.get("old"), None))[0]
            changes[field] = (first, data.get("new"))
        elif row.kind == "tags":
            removed, added = changes.get("tags", ((), ()))
            changes["tags"] = (
                (*removed, *data.get("removed", ())),
                (*added, *data.get("added", ())),
            )
        elif row.kind == "fields":
            for key, change in data.items():
                changes[f"custom_field:{key}"] = (change.get("old"), change.get("new"))
    return changes


def _ticket(ticket_id: int) -> Any:
    try:
        return ticket_selectors.ticket_get_created_by(ticket_id=ticket_id)
    except NotFound:
        return None


@subscribe("sla_warning", "sla_breached")
def on_sla_event(event: DomainEvent) -> None:
    """Escalation steps: triggers on each clock of an SLA scan's batch of warnings or
    breaches (the clock's target is "sla.target")."""
    if not services.triggers_for(event.name):
        return
    for clock in event.payload["clocks"]:
        ticket = _ticket(clock["ticket_id"])
        if ticket is not None:
            services.triggers_run(
                event=event.name, ticket=ticket, loaders={"sla.target": _given(clock["target"])}
            )


def _given(value: Any) -> Callable[[], Any]:
    return lambda: value


@subscribe("csat_received")
def on_csat_received(event: DomainEvent) -> None:
    if not services.triggers_for("csat_received"):
        return
    ticket = _ticket(event.payload["ticket_id"])
    if ticket is not None:
        score, previous = event.payload.get("score"), event.payload.get("previous_score")
        services.triggers_run(
            event="csat_received",
            ticket=ticket,
            changes={"csat.score": (previous, score)} if previous != score else {},
            loaders={"csat.score": lambda: score},
        )


@receiver([post_save, post_delete], sender=Trigger)
def on_trigger_changed(**_kwargs: Any) -> None:
    """Every change, by the services or the admin, is seen by the next event."""
    config_changed(services.ACTIVE_TRIGGERS)


@receiver([post_save, post_delete], sender=TimeRule)
def on_time_rule_changed(**_kwargs: Any) -> None:
    config_changed(services.ACTIVE_TIME_RULES)
