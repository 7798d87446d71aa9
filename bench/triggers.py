"""Trigger evaluation: the cost of one event with N active triggers, none of which matches
(the common case: most events change nothing), through `automation.services.triggers_run`
with the definitions read from the cache as in production.

    python bench/triggers.py [--triggers 100] [--events 5000]
    NORDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/nordesk_bench python bench/triggers.py

Prints one JSON object. Target: <= 1 ms per event with 100 active triggers, 0 queries."""

from __future__ import annotations

import argparse
import json
import time

import benchenv

EVENTS = ("ticket_created", "message_received", "ticket_updated")


def _conditions(i: int) -> dict:
    """Realistic mixes over ticket columns, tags-free so the miss needs no query."""
    kinds = [
        {
            "all": [
                {"field": "priority", "operator": "is", "value": "urgent"},
                {"field": "channel", "operator": "in", "value": ["chat", "phone"]},
            ]
        },
        {"all": [{"field": "status", "operator": "is_not", "value": "new"}]},
        {
            "any": [
                {"field": "subject", "operator": "contains", "value": f"ord{i}"},
                {"field": "language", "operator": "is", "value": "sv"},
            ]
        },
        {"all": [{"field": "custom_field:order", "operator": "starts_with", "value": "VL"}]},
        {"all": [{"field": "priority", "operator": "greater_than", "value": "high"}]},
    ]
    return kinds[i % len(kinds)]


def trigger_eval_bench(n_triggers: int = 100, events: int = 5000) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from nordesk.automation import services
    from nordesk.tickets import services as ticket_services
    from nordesk.tickets.inbound import InboundMessage
    from nordesk.tickets.selectors import ticket_get_created_by

    with transaction.atomic():
        for i in range(n_triggers):
            services.trigger_create(
                name=f"Bench {i}",
                events=list(EVENTS),
                conditions=_conditions(i),
                actions=[{"type": "add_tags", "value": ["bench"]}],
            )
    message = ticket_services.receive(
        InboundMessage(
            channel="email",
            sender_kind="email",
            sender_address="bench@example.test",
            sender_name="Bench Customer",
            subject="Fakturaen er feil",
            text="Hei, fakturaen min er feil.",
            received_at=timezone.now(),
            language="nb",
        )
    )
    ticket = ticket_get_created_by(ticket_id=message.ticket_id)
    for event in EVENTS:
        services.triggers_for(event)  # warm, as every event after the first

    counter = benchenv.QueryCounter()
    clock = time.perf_counter
    with counter.installed():
        started = clock()
        for i in range(events):
            services.triggers_run(event=EVENTS[i % len(EVENTS)], ticket=ticket)
        seconds = clock() - started
    return {
        "triggers": n_triggers,
        "events": events,
        "trigger_eval_ms_per_event": round(seconds * 1000 / events, 4),
        "queries_per_event": round(counter.count / events, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triggers", type=int, default=100)
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args(argv)
    env = benchenv.setup("triggers")
    benchenv.log(f"{env.db}: {args.events} events, {args.triggers} active triggers")
    result = {"database": env.db, **trigger_eval_bench(args.triggers, args.events)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
