"""Ticket search for an agent over a large corpus: N tickets in Norwegian, Danish, Swedish and
English (some without a known language), two messages each, in 10 teams; the agent belongs to
two of them. Times the whole `ticket_search` call (scope, number lookup, hits, snippets) for
varied, inflected Nordic words, one or two at a time; also the first full index and the
every-minute pass that finds nothing to do.

    python bench/search.py [--tickets 100000] [--queries 200]
    NORDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/nordesk_h1_bench \
        python bench/search.py

Prints one JSON object. Target: search p95 <= 200 ms on PostgreSQL with 100,000 tickets."""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta

import benchenv

CHUNK = 5_000
TEAMS = 10
LANGUAGE_SHARE = (("nb", 35), ("sv", 20), ("da", 20), ("en", 10), ("nn", 5), ("", 10))
# Inflected forms a customer writes; the searches use other forms of the same words.
NOUNS = {
    "nb": [
        "fakturaen",
        "purringen",
        "pakken",
        "passordet",
        "kontoen",
        "refusjonen",
        "leveransen",
        "abonnementet",
        "kvitteringen",
        "ordren",
        "varene",
        "rabatten",
    ],
    "nn": ["fakturaen", "pakka", "passordet", "kontoen", "leveransen", "kvitteringa"],
    "sv": [
        "fakturan",
        "påminnelsen",
        "paketet",
        "lösenordet",
        "kontot",
        "återbetalningen",
        "leveransen",
        "prenumerationen",
        "kvittot",
        "beställningen",
        "varorna",
        "rabatten",
    ],
    "da": [
        "fakturaen",
        "rykkeren",
        "pakken",
        "adgangskoden",
        "kontoen",
        "refusionen",
        "leveringen",
        "abonnementet",
        "kvitteringen",
        "ordren",
        "varerne",
        "rabatten",
    ],
    "en": [
        "invoices",
        "reminders",
        "parcels",
        "passwords",
        "accounts",
        "refunds",
        "deliveries",
        "subscriptions",
        "receipts",
        "orders",
        "goods",
        "discounts",
    ],
}
FRAMES = {
    "nb": "Hei, {a} er fortsatt ikke i orden, og {b} mangler. Kan dere sjekke saken snart?",
    "nn": "Hei, {a} er framleis ikkje i orden, og {b} manglar. Kan de sjekke saka?",
    "sv": "Hej, {a} stämmer fortfarande inte och {b} saknas. Kan ni kontrollera ärendet?",
    "da": "Hej, {a} er stadig ikke i orden, og {b} mangler. Kan I tjekke sagen hurtigt?",
    "en": "Hello, the {a} are still wrong and the {b} are missing. Could you check this?",
}
REPLY = "Takk for meldingen. Vi ser på {a} og kommer tilbake til deg i løpet av dagen."
SEARCHES = [
    "faktura",
    "fakturaer",
    "purring",
    "pakke",
    "passord",
    "konto",
    "refusjon",
    "leveranse",
    "abonnement",
    "kvittering",
    "ordre",
    "rabatt",
    "fakturan",
    "lösenord",
    "återbetalning",
    "beställning",
    "rykker",
    "adgangskode",
    "levering",
    "invoice",
    "refund",
    "delivery",
    "faktura mangler",
    "pakken savnet",
    "passord konto",
    "kvittering rabatt",
    "hetteglass",
    "zzyzx",  # rare and absent words: the GIN index alone answers
]


def load(n: int, rng: random.Random, now: datetime) -> list[int]:
    """Teams, customers with an email identity, tickets and their messages, in bulk (not
    through intake: this measures search). Returns the team ids."""
    from django.db import transaction

    from nordesk.accounts import services as account_services
    from nordesk.customers.models import Customer, Identity
    from nordesk.tickets import services as ticket_services
    from nordesk.tickets.models import Message, Ticket

    team_ids = [account_services.team_create(name=f"Team {t}").pk for t in range(TEAMS)]
    codes = [code for code, share in LANGUAGE_SHARE for _ in range(share)]
    for start in range(0, n, CHUNK):
        with transaction.atomic():
            count = min(CHUNK, n - start)
            customers = Customer.objects.bulk_create(
                Customer(name=f"Kunde {start + k} Hansen") for k in range(count)
            )
            Identity.objects.bulk_create(
                Identity(customer=c, kind="email", address=f"kunde{c.pk}@example.no")
                for c in customers
            )
            tickets, texts = [], []
            for k, customer in enumerate(customers):
                code = rng.choice(codes)
                nouns = NOUNS[code or rng.choice(list(NOUNS))]
                a, b = rng.sample(nouns, 2)
                at = now - timedelta(minutes=rng.uniform(0, 60 * 24 * 365))
                texts.append((FRAMES[code or "nb"].format(a=a, b=b), REPLY.format(a=a), at))
                tickets.append(
                    Ticket(
                        number=start + k + 1,
                        subject=f"Spørsmål om {a}",
                        status=rng.choice(["new", "open", "pending", "solved"]),
                        channel="email",
                        customer=customer,
                        team_id=rng.choice(team_ids),
                        language=code,
                        created_at=at,
                        updated_at=at,
                    )
                )
            made = Ticket.objects.bulk_create(tickets)
            Message.objects.bulk_create(
                Message(
                    ticket=ticket,
                    direction=direction,
                    author_kind=kind,
                    channel="email",
                    text=text,
                    created_at=at,
                )
                for ticket, (text, reply, at) in zip(made, texts, strict=True)
                for direction, kind, text in (("in", "customer", text), ("out", "agent", reply))
            )
        benchenv.log(f"loaded {start + count} tickets")
    ticket_services.ticket_numbers_continue_after_bulk_load()
    return team_ids


def search_bench(tickets: int = 100_000, queries: int = 200, seed: int = 7) -> dict:
    from django.db import connection

    from nordesk.accounts import services as account_services
    from nordesk.accounts.models import Team
    from nordesk.tickets.search import search_index_pending, ticket_search

    rng = random.Random(seed)
    team_ids = load(tickets, rng, datetime.now(tz=UTC))
    started = time.perf_counter()
    search_index_pending()
    index_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    started = time.perf_counter()
    search_index_pending()
    idle_pass_ms = (time.perf_counter() - started) * 1000

    agent = account_services.agent_create(
        email="searcher@bench.test",
        name="Searcher",
        teams=list(Team.objects.filter(pk__in=team_ids[:2])),
    )
    timings, found, counter = [], 0, benchenv.QueryCounter()
    with counter.installed():
        for n in range(queries):
            text = SEARCHES[n % len(SEARCHES)] if n % 10 else str(rng.randint(1, tickets))
            started = time.perf_counter()
            hits, _cursor = ticket_search(agent=agent, text=text)
            timings.append((time.perf_counter() - started) * 1000)
            found += len(hits)
    return {
        "search_tickets": tickets,
        "search_queries": queries,
        "search_p50_ms": round(benchenv.percentile(timings, 50), 2),
        "search_p95_ms": round(benchenv.percentile(timings, 95), 2),
        "search_max_ms": round(max(timings), 2),
        "hits_per_search": round(found / queries, 1),
        "queries_per_search": round(counter.count / queries, 2),
        "index_seconds": round(index_seconds, 1),
        "index_idle_pass_ms": round(idle_pass_ms, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    env = benchenv.setup("search")
    result = search_bench(args.tickets, args.queries, args.seed)
    print(json.dumps({"database": env.db, **result}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
