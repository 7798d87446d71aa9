"""The periodic SLA scan over a large backlog: N open tickets, each with a running
resolution clock; 10% are overdue, another 10% past their warning time. Times one full
`sla_breaches_mark` pass (breaches, then warnings, each in batches with their events).

    python bench/sla_scan.py [--tickets 100000]
    NORDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/nordesk_slabench \
        python bench/sla_scan.py

Prints one JSON object. Target: <= 2 s for 100,000 open tickets on PostgreSQL."""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta

import benchenv

CHUNK = 10_000


def load(n: int, rng: random.Random, now: datetime) -> None:
    """Tickets and clocks in bulk (not through intake: this measures the scan)."""
    from django.db import transaction
    from django.db.models import Max

    from nordesk.customers.models import Customer
    from nordesk.sla import services as sla_services
    from nordesk.sla.models import SlaClock, SlaEvent, SlaEventKind
    from nordesk.tickets import services as ticket_services
    from nordesk.tickets.models import Ticket

    policy = sla_services.policy_create(name="Bench standard", resolution_minutes=480)
    numbered = Ticket.objects.aggregate(last=Max("number"))["last"] or 0
    customer = Customer.objects.create(name="Bench customer")
    target = timedelta(minutes=480)
    for start in range(0, n, CHUNK):
        with transaction.atomic():
            rows, starts = [], []
            for number in range(start + 1, min(start + CHUNK, n) + 1):
                roll = rng.random()
                if roll < 0.1:  # overdue
                    started = now - target - timedelta(minutes=rng.uniform(1, 600))
                elif roll < 0.2:  # past 75 %, not yet due
                    started = now - target * rng.uniform(0.76, 0.99)
                else:
                    started = now - target * rng.uniform(0, 0.7)
                starts.append(started)
                rows.append(
                    Ticket(
                        number=numbered + number,
                        subject="Bench ticket",
                        status="open",
                        channel="email",
                        customer=customer,
                        created_at=started,
                        updated_at=started,
                        sla_due_at=started + target,
                    )
                )
            made = Ticket.objects.bulk_create(rows, batch_size=2000)
            clocks = [
                SlaClock(
                    ticket_id=ticket.pk,
                    policy=policy,
                    kind="resolution",
                    target_minutes=480,
                    started_at=started,
                    due_at=started + target,
                    warning_at=started + target * 0.75,
                )
                for ticket, started in zip(made, starts, strict=True)
            ]
            SlaClock.objects.bulk_create(clocks, batch_size=2000)
            SlaEvent.objects.bulk_create(
                (
                    SlaEvent(
                        ticket_id=c.ticket_id,
                        policy=policy,
                        target=c.kind,
                        kind=kind,
                        at=c.started_at,
                    )
                    for c in clocks
                    for kind in (SlaEventKind.APPLIED, SlaEventKind.ACTIVATED)
                ),
                batch_size=5000,
            )
        benchenv.log(f"loaded {min(start + CHUNK, n)} tickets")
    ticket_services.ticket_numbers_continue_after_bulk_load()


def sla_scan_bench(tickets: int, rng: random.Random, *, batch: int = 0) -> dict:
    from django.db import connection

    from nordesk.sla import services as sla_services
    from nordesk.sla.models import SlaClock

    now = datetime.now(tz=UTC)
    load(tickets, rng, now)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    counter = benchenv.QueryCounter()
    started = time.perf_counter()
    with counter.installed():
        if batch:
            breached = sla_services.sla_breaches_mark(now, batch_size=batch)
        else:
            breached = sla_services.sla_breaches_mark(now)
    seconds = time.perf_counter() - started
    warned = SlaClock.objects.filter(state="active", warned_at__isnull=False).count()
    return {
        "open_tickets": tickets,
        "sla_scan_seconds": round(seconds, 3),
        "breached": breached,
        "warned": warned,
        "scan_queries": counter.count,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--batch", type=int, default=0, help="scan batch size (default: the scan's)"
    )
    args = parser.parse_args(argv)
    env = benchenv.setup("sla")
    result = sla_scan_bench(args.tickets, random.Random(args.seed), batch=args.batch)
    print(json.dumps({"database": env.db, **result}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
