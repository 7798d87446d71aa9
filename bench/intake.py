"""Intake throughput: N inbound messages through `tickets.services.receive`, the one pipeline
every channel uses. 70% open new tickets, 30% answer earlier ones (threaded by the thread key
of an earlier message). Each message is its own transaction (`--batch N`: N messages a
transaction, each in a savepoint, as an import or a mailbox poll receives) and, as in
production, queues its jobs on the (Sqlite)Huey queue after commit (Redis, with
NORDESK_BENCH_REDIS_URL: see benchenv).

    python bench/intake.py [--messages 10000]
    NORDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/nordesk_bench \
        NORDESK_BENCH_REDIS_URL=redis://127.0.0.1:6379/15 python bench/intake.py

Prints one JSON object. Targets: >= 500 msg/s on SQLite, >= 300 on PostgreSQL, <= 12 queries
per message, the same for the first and the last 1000 messages. `--workers K` receives in K
processes at once (a customer's messages stay in one process, in order)."""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta

import benchenv

TEXTS = (
    ("nb", "Feil på fakturaen", "Hei, fakturaen min er på 1 249 kr, men jeg har bare ett "
     "abonnement. Kan dere se på det og sende en ny faktura? Mvh Kari"),
    ("sv", "Paketet har inte kommit", "Hej! Jag beställde en Aurora X2 för en vecka sedan och "
     "spårningen har inte uppdaterats. När kommer paketet? Hälsningar Anna"),
    ("da", "Appen crasher", "Hej, appen lukker ned, hver gang jeg åbner min ordrehistorik. Jeg "
     "bruger en iPhone 13 med nyeste iOS. Venlig hilsen Mette"),
    ("nn", "Retur av vare", "Hei, eg vil gjerne returnere Polar Mini frå ordre VL-204381. "
     "Korleis går eg fram? Helsing Olav"),
    ("en", "Charged twice", "Hello, I have been charged twice for order VL-550123. Could you "
     "refund one of the payments? Best regards, James"),
)  # fmt: skip
CHANNELS = ("email", "email", "email", "web", "chat", "api", "phone")


def messages(n: int, rng: random.Random) -> list:
    """N InboundMessages, generated before the clock starts."""
    from nordesk.tickets.inbound import InboundMessage

    senders = max(50, n // 4)
    start = datetime.now(tz=UTC) - timedelta(days=30)
    openers: list = []  # messages that opened a ticket, to answer later
    out = []
    for i in range(n):
        at = start + timedelta(seconds=i * 2)
        if openers and rng.random() < 0.3:
            first = rng.choice(openers)
            out.append(
                InboundMessage(
                    channel=first.channel,
                    sender_kind=first.sender_kind,
                    sender_address=first.sender_address,
                    sender_name=first.sender_name,
                    subject=f"Re: {first.subject}",
                    text="Takk for svar! Her er mer informasjon om saken.",
                    received_at=at,
                    external_id=f"bench-{i}@example.test",
                    thread_keys=(first.external_id,),
                    language=first.language,
                )
            )
            continue
        channel = rng.choice(CHANNELS)
        language, subject, text = rng.choice(TEXTS)
        person = rng.randrange(senders)
        if channel == "phone":
            kind, address = "phone", f"+4790{person:06d}"
        else:
            kind, address = "email", f"customer{person}@example.test"
        message = InboundMessage(
            channel=channel,
            sender_kind=kind,
            sender_address=address,
            sender_name=f"Customer {person}",
            subject=subject,
            text=text,
            received_at=at,
            external_id=f"bench-{i}@example.test",
            language=language,
            tags=("bench",) if i % 10 == 0 else (),
        )
        openers.append(message)
        out.append(message)
    return out


Counts = list[tuple[int, int, float]]  # (message index, queries, milliseconds)


def _receive_all(inbound: list, indexes: list[int], batch: int = 1) -> tuple[Counts, float]:
    """Receive each message, counting its queries and timing it; `batch` messages a
    transaction (1: each its own, as a chat message or an API call comes)."""
    from django.db import transaction

    from nordesk.tickets.services import receive

    counter = benchenv.QueryCounter()
    counts = []
    clock = time.perf_counter
    with counter.installed():
        started = clock()
        for start in range(0, len(inbound), batch):
            with transaction.atomic() if batch > 1 else contextlib.nullcontext():
                for i, message in zip(
                    indexes[start : start + batch], inbound[start : start + batch], strict=True
                ):
                    before, began = counter.count, clock()
                    receive(message)
                    counts.append((i, counter.count - before, (clock() - began) * 1000))
        seconds = clock() - started
    return counts, seconds


def _shard(inbound: list, parts: int) -> tuple[list[list], list[list[int]]]:
    """A customer's messages all go to one part, in order, so a reply never overtakes the
    message that opened its ticket."""
    shares: list[list] = [[] for _ in range(parts)]
    indexes: list[list[int]] = [[] for _ in range(parts)]
    for i, message in enumerate(inbound):
        part = sum(message.sender_address.encode()) % parts
        shares[part].append(message)
        indexes[part].append(i)
    return shares, indexes


def _receive_threaded(inbound: list, threads: int) -> tuple[Counts, float]:
    """Several threads of one process, as the job consumer's or a web worker's threads would."""
    import threading

    from django.db import connection

    shares, indexes = _shard(inbound, threads)
    barrier = threading.Barrier(threads + 1)
    results: list[Counts] = []

    def run(part: int) -> None:
        barrier.wait()
        results.append(_receive_all(shares[part], indexes[part])[0])
        connection.close()

    workers = [threading.Thread(target=run, args=(part,)) for part in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    return [pair for counts in results for pair in counts], seconds


def _worker(share: list, indexes: list[int], barrier, results) -> None:
    import django

    django.setup()
    barrier.wait()
    results.put(_receive_all(share, indexes)[0])


def _receive_parallel(inbound: list, workers: int) -> tuple[Counts, float]:
    """Several processes at once, as several web or mail workers would."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    shares, indexes = _shard(inbound, workers)
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(workers + 1), ctx.Queue()
    processes = [
        ctx.Process(target=_worker, args=(shares[w], indexes[w], barrier, results))
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    counts = [pair for _ in processes for pair in results.get()]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join()
    return counts, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1, help="processes receiving at once")
    parser.add_argument("--threads", type=int, default=1, help="threads receiving at once")
    parser.add_argument(
        "--batch", type=int, default=1, help="messages a transaction, as an import or a poll"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    env = benchenv.setup("intake")

    from huey.contrib.djhuey import HUEY

    from nordesk.tickets import selectors

    inbound = messages(args.messages, random.Random(args.seed))
    benchenv.log(
        f"{env.db}: {len(inbound)} messages through receive(), "
        f"{args.workers} process(es), {args.threads} thread(s)"
    )
    if args.workers > 1:
        counts, seconds = _receive_parallel(inbound, args.workers)
    elif args.threads > 1:
        counts, seconds = _receive_threaded(inbound, args.threads)
    else:
        counts, seconds = _receive_all(inbound, list(range(len(inbound))), args.batch)
    counts.sort()
    per_message = [n for _i, n, _ms in counts]
    ms = [t for _i, _n, t in counts]

    window = min(1000, len(per_message))
    result = {
        "db": env.db,
        "messages": len(inbound),
        "workers": args.workers,
        "threads": args.threads,
        "batch": args.batch,
        "seconds": round(seconds, 3),
        "per_second": round(len(inbound) / seconds, 1),
        "queries_per_message": round(sum(per_message) / len(per_message), 2),
        "queries_per_message_first_1000": round(sum(per_message[:window]) / window, 2),
        "queries_per_message_last_1000": round(sum(per_message[-window:]) / window, 2),
        "queries_per_message_max": max(per_message),
        "ms_per_message_first_1000": round(sum(ms[:window]) / window, 3),
        "ms_per_message_last_1000": round(sum(ms[-window:]) / window, 3),
        "tickets": selectors.ticket_count(),
        "jobs_queued": HUEY.pending_count(),
        "queue": type(HUEY).__name__,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
