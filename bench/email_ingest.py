"""Email ingest throughput: raw .eml → store raw → parse → thread → `receive()`, one process.

    python bench/email_ingest.py [DIR] [--messages 3000]
    python bench/email_ingest.py --big-mb 25   # memory for one large message

Without DIR it generates plain multilingual mails, 20% with a small attachment and 30%
answering an earlier mail, a batch at a time (streamed: memory stays flat in the corpus size),
and ingests them as an import or an IMAP poll does, 50 a transaction (`--batch`).
Prints one JSON object. Targets: >= 300 messages/s on SQLite; a 25 MB message within 150 MB
of extra memory."""

from __future__ import annotations

import argparse
import functools
import json
import random
import resource
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path

import benchenv

TEXTS = (
    ("Feil på fakturaen", "Hei,\n\nfakturaen min er på 1 249 kr, men jeg har bare ett "
     "abonnement. Kan dere se på det og sende en ny faktura?\n\nMvh Kari"),
    ("Paketet har inte kommit", "Hej!\n\nJag beställde en Aurora X2 för en vecka sedan och "
     "spårningen har inte uppdaterats. När kommer paketet?\n\nHälsningar Anna"),
    ("Appen crasher", "Hej,\n\nappen lukker ned, hver gang jeg åbner min ordrehistorik. Jeg "
     "bruger en iPhone 13 med nyeste iOS.\n\nVenlig hilsen Mette"),
    ("Retur av vare", "Hei,\n\neg vil gjerne returnere Polar Mini frå ordre VL-204381. "
     "Korleis går eg fram?\n\nHelsing Olav"),
    ("Charged twice", "Hello,\n\nI have been charged twice for order VL-550123. Could you "
     "refund one of the payments?\n\nBest regards, James"),
)  # fmt: skip
SUPPORT = "support@bench.test"


def _mail(*, sender: str, subject: str, text: str, reply_to: str | None, attach: bool) -> bytes:
    """A raw mail as a client writes it. Built by the stdlib once per kind and then filled
    in: building each with EmailMessage costs more than ingesting it, and would disturb the
    measurement between two timed calls."""
    template = _template(subject, text, reply_to is not None, attach)
    return (
        template.replace(b"sender@placeholder.test", sender.encode())
        .replace(b"<message-id@placeholder.test>", make_msgid(domain="customer.example").encode())
        .replace(b"<reply-to@placeholder.test>", (reply_to or "").encode())
    )


@functools.cache
def _template(subject: str, text: str, reply: bool, attach: bool) -> bytes:
    mail = EmailMessage(policy=SMTP)
    mail["From"] = "Customer <sender@placeholder.test>"
    mail["To"] = SUPPORT
    mail["Subject"] = subject
    mail["Date"] = format_datetime(datetime.now(tz=UTC))
    mail["Message-ID"] = "<message-id@placeholder.test>"
    if reply:
        mail["In-Reply-To"] = "<reply-to@placeholder.test>"
        mail["References"] = "<reply-to@placeholder.test>"
    mail.set_content(text)
    if attach:
        mail.add_attachment(b"%PDF-1.4 bench " * 200, maintype="application", subtype="pdf",
                            filename="kvittering.pdf")  # fmt: skip
    return mail.as_bytes()


def generated(n: int, rng: random.Random) -> Iterator[bytes]:
    """Raw mails, made one at a time."""
    openers: list[tuple[str, str, str]] = []  # (sender, subject, message id)
    for _ in range(n):
        if openers and rng.random() < 0.3:
            sender, subject, message_id = rng.choice(openers)
            text = "Takk for svar! Her er mer informasjon om saken.\n\n" + (
                "Den tors. 12. sep. 2026 kl. 10:14 skrev Support <support@bench.test>:\n"
                "> Hei, kan du sende oss ordrenummeret?\n"
            )
            yield _mail(sender=sender, subject=f"SV: {subject}", text=text,
                        reply_to=message_id, attach=False)  # fmt: skip
            continue
        subject, text = rng.choice(TEXTS)
        sender = f"customer{rng.randrange(max(50, n // 4))}@example.test"
        raw = _mail(sender=sender, subject=subject, text=text, reply_to=None,
                    attach=rng.random() < 0.2)  # fmt: skip
        message_id = raw.split(b"Message-ID: ", 1)[1].split(b"\r\n", 1)[0].decode()
        openers.append((sender, subject, message_id))
        yield raw


def from_folder(path: Path) -> Iterator[bytes]:
    for file in sorted(path.rglob("*.eml")):
        yield file.read_bytes()


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_corpus(source: Iterator[bytes], mailbox, batch: int) -> dict:
    """Ingest as `nordesk mail import` and an IMAP poll do: `batch` mails (at most 8 MB) a
    transaction; `--batch 1` is one mail at a time, as SMTP and webhook deliveries come."""
    from nordesk.connectors.email import services
    from nordesk.connectors.email.importer import raw_batches

    count = threaded = 0
    seconds = 0.0  # ingesting only: generating the next mails is not on the clock
    for raws in raw_batches(source, count=batch):
        started = time.perf_counter()
        results = services.mail_ingest_many(mailbox=mailbox, raws=raws, source="import")
        seconds += time.perf_counter() - started
        count += len(results)
        threaded += sum(bool(r.ticket_id and not r.created_ticket) for r in results)
    return {
        "messages": count,
        "batch": batch,
        "seconds": round(seconds, 3),
        "per_second": round(count / seconds, 1),
        "threaded": threaded,
    }


def run_big(megabytes: int, mailbox) -> dict:
    """One message with a `megabytes` MB attachment: extra peak memory while ingesting it."""
    import os

    from nordesk.connectors.email import services

    mail = EmailMessage(policy=SMTP)
    mail["From"] = "Stor Fil <big@example.test>"
    mail["To"] = SUPPORT
    mail["Subject"] = "Stort vedlegg"
    mail["Message-ID"] = make_msgid(domain="customer.example")
    mail.set_content("Her er loggfilene.")
    mail.add_attachment(os.urandom(megabytes * 1024 * 1024 * 3 // 4), maintype="application",
                        subtype="octet-stream", filename="logs.bin")  # fmt: skip
    raw = mail.as_bytes()
    del mail
    # A running worker has parsed mail before: its language model is loaded already.
    warm = _mail(sender="warm@example.test", subject="Hei", text=TEXTS[0][1], reply_to=None,
                 attach=False)  # fmt: skip
    services.mail_ingest(mailbox=mailbox, raw=warm, source="import")
    before = peak_rss_mb()
    started = time.perf_counter()
    result = services.mail_ingest(mailbox=mailbox, raw=raw, source="import")
    return {
        "raw_mb": round(len(raw) / 1024 / 1024, 1),
        "status": result.status,
        "seconds": round(time.perf_counter() - started, 3),
        "extra_peak_mb": round(peak_rss_mb() - before, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", help="a folder of .eml files (default: generate)")
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--big-mb", type=int, default=0, help="ingest one message this large")
    parser.add_argument("--batch", type=int, default=50, help="mails a transaction")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    env = benchenv.setup("email")

    from nordesk.connectors.email import services

    mailbox = services.mailbox_create(name="Bench", address=SUPPORT, inbound="smtp")
    if args.big_mb:
        result = {"db": env.db, **run_big(args.big_mb, mailbox)}
    else:
        source = (
            from_folder(Path(args.folder))
            if args.folder
            else generated(args.messages, random.Random(args.seed))
        )
        benchenv.log(f"{env.db}: ingesting {args.folder or f'{args.messages} generated mails'}")
        result = {
            "db": env.db,
            **run_corpus(source, mailbox, args.batch),
            "peak_rss_mb": peak_rss_mb(),
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
