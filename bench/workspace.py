"""The agent workspace on a large helpdesk: 100,000 tickets over 3 teams, 90 days and every
status (bench/api.py's corpus, with SLA deadlines on the unsolved ones), searched through the
index the every-minute job keeps. An agent of one team, logged in, asks for what they ask for
all day, each page whole as the browser gets it (middleware, session, templates):

- the inbox: every built-in view in each sort order, with and without filters, and the next
  page of each through its keyset cursor;
- ticket pages of tickets in their team;
- the search page, for Nordic words in other inflections than written and ticket numbers.

Server time is measured in-process with Django's test client (no network); queries are counted
on the inbox's full page. bench/search.py times `tickets.search.ticket_search` alone, over a
corpus of varied texts in four languages (`make bench` runs both).

    python bench/workspace.py [--tickets 100000] [--requests 300]
    NORDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/nordesk_ws_bench \
        python bench/workspace.py

Prints one JSON object. Targets with 100,000 tickets: inbox p95 <= 100 ms and <= 15 queries,
ticket page p95 <= 120 ms, search p95 <= 200 ms on PostgreSQL."""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from datetime import timedelta
from urllib.parse import urlencode

import api
import benchenv

VIEWS = ("mine", "unassigned", "teams", "sla", "pending", "solved", "all")
SORTS = ("updated", "sla", "priority", "created")
FILTERS = ("", "channel=email", "priority=high", "tag=vip", "language=sv", "status=open")
SEARCHES = (
    "faktura",
    "fakturaen",
    "pakke",
    "pakken min",
    "levering",
    "leveransen",
    "bestilling",
    "sporing",
    "kortet",
    "logga",
    "invoice",
    "retur",
    "transportøren morgen",
    "zzyzx",
)
NEXT_PAGE = re.compile(r'href="\?([^"]*cursor=[^"]+)"')


def sla_deadlines() -> None:
    """Unsolved tickets answer to an SLA: due eight hours after they came in."""
    from django.db.models import F

    from nordesk.tickets.models import Ticket

    Ticket.objects.filter(status__in=("new", "open")).update(
        sla_due_at=F("created_at") + timedelta(hours=8)
    )


def inbox_urls(rng: random.Random, count: int) -> list[str]:
    urls = []
    for i in range(count):
        query = f"view={VIEWS[i % len(VIEWS)]}&sort={SORTS[(i // len(VIEWS)) % len(SORTS)]}"
        extra = rng.choice(FILTERS)
        urls.append(f"/?{query}&{extra}" if extra else f"/?{query}")
    return urls


def timed_get(client, url: str) -> tuple[float, str]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: {response.status_code}")
    return elapsed, response.content.decode()


def measure_inbox(client, rng: random.Random, count: int) -> tuple[list[float], int]:
    """First pages, and the next page of every third (the link the page itself offers)."""
    timings, pages = [], 0
    for url in inbox_urls(rng, count):
        elapsed, page = timed_get(client, url)
        timings.append(elapsed)
        pages += 1
        following = NEXT_PAGE.search(page)
        if following and pages % 3 == 0:
            timings.append(timed_get(client, "/?" + following.group(1).replace("&amp;", "&"))[0])
    return timings, pages


def inbox_queries(client) -> int:
    """The most queries any full inbox page costs, over every view and sort order. Each page
    is asked for twice and the second counted: the first of a minute also notes the agent
    seen (one write, at most once a minute)."""
    most = 0
    for view in VIEWS:
        for sort in SORTS:
            url = f"/?view={view}&sort={sort}"
            timed_get(client, url)
            counter = benchenv.QueryCounter()
            with counter.installed():
                timed_get(client, url)
            most = max(most, counter.count)
    return most


def measure_ticket_pages(client, numbers: list[int], count: int) -> list[float]:
    return [timed_get(client, f"/tickets/{numbers[i % len(numbers)]}/")[0] for i in range(count)]


def measure_search(client, rng: random.Random, count: int, tickets: int) -> list[float]:
    """The search page for words (every tenth a ticket number), as the header's box asks."""
    timings = []
    for n in range(count):
        text = SEARCHES[n % len(SEARCHES)] if n % 10 else str(rng.randint(1, tickets))
        timings.append(timed_get(client, f"/search/?{urlencode({'q': text})}")[0])
    return timings


def workspace_agent(team_id: int):
    """The first agent of the measured team: they hold a share of its tickets."""
    from nordesk.accounts.models import Agent

    return (
        Agent.objects.select_related("user")
        .filter(teams=team_id, user__email__startswith="agent0.")
        .get()
    )


def summary(name: str, timings: list[float]) -> dict:
    return {
        f"{name}_p50_ms": round(benchenv.percentile(timings, 50), 1),
        f"{name}_p95_ms": round(benchenv.percentile(timings, 95), 1),
        f"{name}_max_ms": round(max(timings), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    env = benchenv.setup("workspace")

    from django.db import connection
    from django.test import Client

    from nordesk.core.services import database_statistics_refresh
    from nordesk.tickets.models import Ticket
    from nordesk.tickets.search import search_index_pending

    rng = random.Random(args.seed)
    data = api.load(args.tickets, rng)
    sla_deadlines()
    benchenv.log("indexing for search")
    search_index_pending(everything=True)
    # What runs by itself in production: PostgreSQL's autovacuum, SQLite's hourly job.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    database_statistics_refresh()

    agent = workspace_agent(data["team"])
    client = Client()
    client.force_login(agent.user)
    numbers = list(
        Ticket.objects.filter(pk__in=data["ticket_ids"]).values_list("number", flat=True)
    )
    benchenv.log("warming up")
    measure_inbox(client, rng, 20)
    measure_ticket_pages(client, numbers, 10)
    measure_search(client, rng, 10, args.tickets)

    benchenv.log(f"measuring {args.requests} of each")
    inbox, inbox_pages = measure_inbox(client, rng, args.requests)
    ticket_pages = measure_ticket_pages(client, numbers, args.requests)
    searches = measure_search(client, rng, args.requests, args.tickets)
    print(
        json.dumps(
            {
                "database": env.db,
                "tickets": args.tickets,
                "inbox_requests": len(inbox),
                "inbox_first_pages": inbox_pages,
                **summary("inbox", inbox),
                "inbox_queries": inbox_queries(client),
                **summary("ticket_page", ticket_pages),
                **summary("search", searches),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
