"""Domain events: emitted by services inside their transaction, handled in registration order
in the same transaction. Handlers that talk to the world queue work with `on_commit_enqueue`."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction


@dataclass(frozen=True)
class DomainEvent:
    name: str
    payload: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[DomainEvent], None]
# Filled once at import time by each app's events module (AppConfig.ready); never mutated later.
_HANDLERS: dict[str, list[Handler]] = defaultdict(list)


def subscribe(*names: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in names:
            _HANDLERS[name].append(handler)
        return handler

    return register


def emit(name: str, **payload: Any) -> None:
    event = DomainEvent(name=name, payload=payload)
    for handler in _HANDLERS.get(name, ()):
        handler(event)


def on_commit_enqueue(task: Callable[..., Any], *args: Any) -> None:
    """Queue a job once the surrounding transaction commits; nothing is queued on rollback."""
    transaction.on_commit(lambda: task(*args))
