"""API latency on a large inbox: 100,000 tickets over 3 teams, 90 days and every status, then
ticket list (team + status filter), ticket detail and ticket create through the real HTTP stack:
a `nordesk run`-style uvicorn process serving the ASGI app, called with httpx over loopback,
one request at a time after a warm-up. Queries per request are counted in-process with Django's
test client on the same URLs (same middleware, same ninja API).

    python bench/api.py [--tickets 100000] [--requests 300]
    NORDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/nordesk_bench python bench/api.py

Prints one JSON object. Targets: p95 list <= 30 ms, detail <= 30 ms, create <= 40 ms; the
serving process under 200 MB resident."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import benchenv
import httpx

# The API throttles each token (600/min by default); a benchmark calls far faster than that.
os.environ["NORDESK_API_RATE_LIMIT_PER_MINUTE"] = "100000000"

STATUSES = {"new": 5, "open": 15, "pending": 10, "on_hold": 3, "solved": 17, "closed": 50}
CHANNELS = ("email", "email", "email", "web", "chat", "api", "phone")
LANGUAGES = ("nb", "nb", "nn", "da", "sv", "en")
SUBJECTS = (
    "Feil på faktura",
    "Hvor er pakken min?",
    "Appen krasjer ved oppstart",
    "Retur av vare",
    "Dobbelt trekk på kortet",
    "Kan inte logga in",
    "Forsinket levering",
    "Wrong amount on invoice",
)
TEXT = (
    "Hei, jeg har et spørsmål om bestillingen min. Pakken skulle vært levert i går, men "
    "sporingen har ikke oppdatert seg på flere dager. Kan dere sjekke hva som skjer? Mvh"
)
REPLY = "Takk for at du tok kontakt! Jeg har sjekket med transportøren, pakken kommer i morgen."
TAGS = ("invoice", "delivery", "return", "app", "vip")
TEAMS = ("Billing", "Technical support", "Orders & returns")


def load(tickets: int, rng: random.Random) -> dict:
    """Bulk rows for speed: this is set-up, not the thing measured. Services make the teams,
    agents and token; tickets, customers, identities, messages, events and tags go in with
    bulk_create, numbered 1..N, and then the number allocator (counter row or PostgreSQL
    sequence) is moved past N so that tickets created through the API continue from there."""
    from django.db import transaction
    from django.utils import timezone

    from nordesk.accounts import services as account_services
    from nordesk.customers.models import Customer, Identity
    from nordesk.tickets import services as ticket_services
    from nordesk.tickets.models import (
        AuthorKind,
        Direction,
        EventKind,
        Message,
        Tag,
        Ticket,
        TicketEvent,
    )

    now = timezone.now()
    teams = [account_services.team_create(name=name) for name in TEAMS]
    staff = {
        team.pk: [
            account_services.agent_create(
                email=f"agent{i}.{team.slug}@nordesk.bench", name=f"Agent {i}", teams=[team]
            ).user_id
            for i in range(4)
        ]
        for team in teams
    }
    agent = account_services.agent_create(
        email="bench@nordesk.bench", name="Bench Agent", teams=[teams[0]]
    )
    _token, secret = account_services.token_create(
        agent=agent, name="bench", scopes=["tickets:read", "tickets:write"]
    )
    tags = [Tag.objects.create(name=name) for name in TAGS]
    through = Ticket.tags.through

    n_customers = max(1000, tickets // 5)
    with transaction.atomic():
        customers = Customer.objects.bulk_create(
            [
                Customer(name=f"Customer {i}", language=rng.choice(LANGUAGES))
                for i in range(n_customers)
            ],
            batch_size=5000,
        )
        Identity.objects.bulk_create(
            [
                Identity(customer=c, kind="email", address=f"customer{i}@bench.example")
                for i, c in enumerate(customers)
            ],
            batch_size=5000,
        )
    statuses, weights = list(STATUSES), list(STATUSES.values())
    chunk = 10_000
    for start in range(0, tickets, chunk):
        rows = []
        for number in range(start + 1, min(start + chunk, tickets) + 1):
            created = now - timedelta(seconds=rng.uniform(0, 90 * 86400))
            updated = min(now, created + timedelta(seconds=rng.uniform(0, 3 * 86400)))
            status = rng.choices(statuses, weights)[0]
            team = rng.choice(teams) if rng.random() > 0.03 else None
            answered = status != "new"
            rows.append(
                Ticket(
                    number=number,
                    subject=rng.choice(SUBJECTS),
                    status=status,
                    priority=rng.choice(("low", "normal", "normal", "normal", "high")),
                    channel=rng.choice(CHANNELS),
                    customer=rng.choice(customers),
                    team=team,
                    assignee_id=rng.choice(staff[team.pk]) if team and answered else None,
                    language=rng.choice(LANGUAGES),
                    created_at=created,
                    updated_at=updated,
                    last_message_at=updated,
                    first_response_at=created + timedelta(hours=1) if answered else None,
                    solved_at=updated if status in ("solved", "closed") else None,
                )
            )
        with transaction.atomic():
            made = Ticket.objects.bulk_create(rows, batch_size=2000)
            messages, events, tagged = [], [], []
            for t in made:
                messages.append(
                    Message(
                        ticket=t,
                        direction=Direction.IN,
                        author_kind=AuthorKind.CUSTOMER,
                        author_customer_id=t.customer_id,
                        channel=t.channel,
                        text=TEXT,
                        created_at=t.created_at,
                    )
                )
                if t.assignee_id:
                    messages.append(
                        Message(
                            ticket=t,
                            direction=Direction.OUT,
                            author_kind=AuthorKind.AGENT,
                            author_user_id=t.assignee_id,
                            channel=t.channel,
                            text=REPLY,
                            created_at=t.first_response_at,
                        )
                    )
                events.append(
                    TicketEvent(
                        ticket=t,
                        kind=EventKind.CREATED,
                        actor_kind=AuthorKind.CUSTOMER,
                        data={"channel": t.channel, "status": "new", "priority": t.priority},
                        created_at=t.created_at,
                    )
                )
                if rng.random() < 0.3:
                    tagged.append(through(ticket_id=t.pk, tag_id=rng.choice(tags).pk))
            Message.objects.bulk_create(messages, batch_size=2000)
            TicketEvent.objects.bulk_create(events, batch_size=2000)
            through.objects.bulk_create(tagged, batch_size=2000)
        benchenv.log(f"loaded {min(start + chunk, tickets)} tickets")
    ticket_services.ticket_numbers_continue_after_bulk_load()
    visible = list(
        Ticket.objects.filter(team=teams[0]).values_list("id", flat=True).order_by("?")[:2000]
    )
    return {
        "secret": secret,
        "team": teams[0].pk,
        "ticket_ids": visible,
        "customers": n_customers,
    }


def analyse(db: str) -> None:
    """PostgreSQL's autovacuum analyses a table after a bulk load like this within a minute;
    do it now rather than measure the planner without statistics."""
    if db != "postgresql":
        return
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    """The embedded server as `nordesk run` starts it: uvicorn, one process, ASGI app."""
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "nordesk.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--lifespan",
        "off",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, env={**os.environ, **env}, cwd=benchenv.ROOT, stdout=sys.stderr, stderr=sys.stderr
    )


def rss_mb(pid: int) -> tuple[float, float]:
    """Resident set size now and at its peak, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        fields[key] = value.strip()
    return (
        round(int(fields["VmRSS"].split()[0]) / 1024, 1),
        round(int(fields["VmHWM"].split()[0]) / 1024, 1),
    )


def requests_for(kind: str, data: dict, rng: random.Random, i: int) -> tuple[str, str, dict | None]:
    if kind == "list":
        return "GET", f"/api/v1/tickets?team={data['team']}&status=open&limit=25", None
    if kind == "detail":
        return "GET", f"/api/v1/tickets/{rng.choice(data['ticket_ids'])}", None
    # Half from customers we know, half from new addresses.
    person = rng.randrange(data["customers"]) if i % 2 else f"new{i}-{rng.randrange(10**9)}"
    body = {
        "subject": rng.choice(SUBJECTS),
        "text": TEXT,
        "requester": {"email": f"customer{person}@bench.example", "name": f"Customer {person}"},
    }
    return "POST", "/api/v1/tickets", body


def measure(client, kind: str, data: dict, rng: random.Random, count: int) -> list[float]:
    timings = []
    for i in range(count):
        method, url, body = requests_for(kind, data, rng, i)
        started = time.perf_counter()
        response = client.request(method, url, json=body)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code not in (200, 201):
            raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:300]}")
    return timings


def queries_per_request(kind: str, data: dict, rng: random.Random, count: int = 20) -> float:
    """The same requests through Django's test client in this process, counting SQL."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {data['secret']}")
    counter = benchenv.QueryCounter()
    with counter.installed():
        for i in range(count):
            method, url, body = requests_for(kind, data, rng, 10_000 + i)
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data=json.dumps(body), content_type="application/json")
            if response.status_code not in (200, 201):
                raise RuntimeError(f"{method} {url}: {response.status_code}")
    return round(counter.count / count, 2)


def wait_until_up(client: httpx.Client, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        with contextlib.suppress(httpx.TransportError):  # not listening yet
            if client.get("/api/v1/tickets?limit=1").status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    env = benchenv.setup("api")
    rng = random.Random(args.seed)

    started = time.perf_counter()
    data = load(args.tickets, rng)
    analyse(env.db)
    load_seconds = time.perf_counter() - started
    benchenv.log(f"{env.db}: {args.tickets} tickets loaded in {load_seconds:.1f} s")

    result: dict = {
        "db": env.db,
        "tickets": args.tickets,
        "requests": args.requests,
        "server": "uvicorn, 1 process, ASGI (as `nordesk run`)",
        "load_seconds": round(load_seconds, 1),
    }
    port = free_port()
    server = serve(env.env, port)
    try:
        headers = {"Authorization": f"Bearer {data['secret']}"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers) as client:
            wait_until_up(client, server)
            for kind in ("list", "detail", "create"):
                measure(client, kind, data, rng, args.warmup)
            for kind in ("list", "detail", "create"):
                timings = measure(client, kind, data, rng, args.requests)
                result[kind] = {
                    "p50_ms": round(benchenv.percentile(timings, 50), 2),
                    "p95_ms": round(benchenv.percentile(timings, 95), 2),
                    "p99_ms": round(benchenv.percentile(timings, 99), 2),
                    "mean_ms": round(sum(timings) / len(timings), 2),
                }
                benchenv.log(f"{kind}: {result[kind]}")
        result["server_rss_mb"], result["server_rss_peak_mb"] = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)
    for kind in ("list", "detail", "create"):
        result[kind]["queries_per_request"] = queries_per_request(kind, data, rng)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
