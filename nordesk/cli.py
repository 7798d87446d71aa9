"""The `nordesk` command: run, demo, worker, migrate, createadmin, token, smtpd, mail."""

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nordesk.settings")
    import django

    django.setup()


def _manage(*args: str, **options: Any) -> None:
    from django.core.management import call_command

    call_command(*args, **options)


def cmd_migrate(args: argparse.Namespace) -> int:
    _django()
    _manage("migrate", "--no-input", verbosity=0 if args.quiet else 1)
    return 0


def _embedded_consumer(workers: int):
    """A job consumer on threads of this process. Without Redis the channel layer is in
    memory, so the jobs that push to WebSockets must run where the sockets are."""
    from django.utils.module_loading import autodiscover_modules
    from huey.consumer import Consumer
    from huey.contrib.djhuey import HUEY

    class EmbeddedConsumer(Consumer):
        def _set_signal_handlers(self) -> None:
            pass  # the web server owns this process's signals

    autodiscover_modules("tasks")
    consumer = EmbeddedConsumer(HUEY, workers=workers, worker_type="thread")
    consumer.start()
    return consumer


def cmd_run(args: argparse.Namespace) -> int:
    """Pages, API and WebSocket on one port, with a job consumer in the same process."""
    _django()
    import uvicorn
    from django.conf import settings

    _manage("migrate", "--no-input", verbosity=0)
    if args.workers > 1 and not settings.REDIS_URL:
        print(
            "Several web processes need NORDESK_REDIS_URL for live updates to reach every "
            "browser; without it, run one.",
            file=sys.stderr,
        )
        return 2
    consumer = None if args.no_worker else _embedded_consumer(args.job_threads)
    print(f"Nordesk serving on http://{args.host}:{args.port}/", flush=True)
    # uvicorn re-raises SIGTERM after its graceful shutdown; turning it into SystemExit lets the
    # `finally` below stop the job consumer cleanly.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        uvicorn.run(
            "nordesk.asgi:application",
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level="warning",
            lifespan="off",
        )
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    _django()
    _manage("run_huey", "--workers", str(args.workers), "--worker-type", "thread")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _django()
    _manage("migrate", "--no-input", verbosity=0)
    from nordesk.demo import seed

    result = seed.demo_load(tickets=args.tickets, seed=args.seed)
    if not result.demo_admin:
        print("This database already holds other data; the demo loads only into an empty one.")
        return 0
    state = "loaded" if result.created else "already there, kept as it was"
    print(f"Demo data {state}: {result.tickets} tickets, {result.customers} customers.")
    print(f"Log in at http://127.0.0.1:8000/ as {seed.DEMO_ADMIN_EMAIL} / {seed.DEMO_PASSWORD}")
    if result.portal_email:
        print(
            f"Customer portal: http://127.0.0.1:8000/help/ as {result.portal_email} / "
            f"{seed.DEMO_PASSWORD}, or ask there for a sign-in link: `nordesk run` prints its "
            "email here until NORDESK_SMTP_HOST names a relay"
        )
    return 0


def cmd_search_reindex(args: argparse.Namespace) -> int:
    _django()
    from nordesk.kb import search as kb_search
    from nordesk.tickets import search

    print(f"Indexed {search.search_index_pending(everything=True)} tickets for search.")
    print(f"Indexed {kb_search.articles_reindex()} knowledge base articles for search.")
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    _django()
    _manage("migrate", "--no-input", verbosity=0)
    import getpass

    from nordesk.accounts import services

    password = args.password or getpass.getpass("Password: ")
    agent = services.agent_create(email=args.email, name=args.name, role="admin", password=password)
    print(f"Admin {agent.user.email} created.")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    _django()
    from nordesk.accounts import selectors, services

    if args.action == "create":
        agent = selectors.agent_by_email(args.agent)
        if agent is None:
            print(f"No agent with email {args.agent}.", file=sys.stderr)
            return 2
        scopes = args.scopes.split(",") if args.scopes else sorted(services.TOKEN_SCOPES)
        token, secret = services.token_create(agent=agent, name=args.name, scopes=scopes)
        print(f"Token {token.name!r} ({token.prefix}) with scopes {', '.join(token.scopes)}:")
        print(secret)
        print("Keep it safe: it is not shown again.", file=sys.stderr)
    elif args.action == "list":
        for token in selectors.token_list():
            state = "revoked" if token.revoked_at else "active"
            print(f"{token.prefix}\t{token.name}\t{token.agent.user.email}\t{state}")
    else:
        found = selectors.token_by_prefix(args.prefix)
        if found is None:
            print(f"No token {args.prefix}.", file=sys.stderr)
            return 2
        services.token_revoke(token=found)
        print(f"Token {found.prefix} revoked.")
    return 0


def cmd_smtpd(args: argparse.Namespace) -> int:
    _django()
    import time

    from nordesk.connectors.email.smtpd import controller

    server = controller(host=args.host, port=args.port, lmtp=args.lmtp)
    server.start()
    kind = "LMTP" if args.lmtp else "SMTP"
    print(f"Receiving mail by {kind} on {args.host}:{args.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        server.stop()


def cmd_mail(args: argparse.Namespace) -> int:
    if args.action == "parse":
        return _mail_parse(args)
    _django()
    from nordesk.connectors.email import selectors

    mailbox = selectors.mailbox_by_address(args.mailbox) if args.mailbox else None
    if args.mailbox and mailbox is None:
        print(f"No mailbox {args.mailbox}.", file=sys.stderr)
        return 2
    if args.action == "import":
        return _mail_import(args, mailbox)
    return _mail_poll(mailbox)


def _mail_parse(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    _django()
    from nordesk.connectors.email.parse import EmailRejected, parse_email

    try:
        parsed = parse_email(Path(args.file).read_bytes())
    except EmailRejected as exc:
        print(f"Rejected: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(parsed.as_json(), ensure_ascii=False, indent=2 if not args.json else None))
    return 0


def _mail_import(args: argparse.Namespace, mailbox) -> int:
    from pathlib import Path

    from nordesk.connectors.email import importer, selectors

    mailbox = mailbox or selectors.mailbox_default()
    if mailbox is None:
        print(
            "Add a mailbox first (admin → Mailboxes), or name one with --mailbox.", file=sys.stderr
        )
        return 2
    path = Path(args.path)
    if not path.exists():
        print(f"{path} does not exist.", file=sys.stderr)
        return 2
    outcomes = importer.mail_import(mailbox=mailbox, path=path)
    summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
    print(f"Imported into {mailbox.address}: {summary or 'nothing found'}.")
    return 0


def _mail_poll(mailbox) -> int:
    from nordesk.connectors.email import imap

    ids = [mailbox.pk] if mailbox else imap.mailboxes_due()
    for mailbox_id in ids:
        count = imap.mailbox_poll(mailbox_id=mailbox_id)
        print(f"Mailbox {mailbox_id}: {count} new message(s).")
    return 0


def cmd_analytics(args: argparse.Namespace) -> int:
    """Recompute the analytics tables from history, or bring them up to date now."""
    _django()
    import time

    from huey.contrib.djhuey import HUEY

    from nordesk.analytics import services
    from nordesk.analytics.tasks import LOCK

    started = time.monotonic()
    with HUEY.lock_task(LOCK):
        if args.action == "rebuild":

            def progress(done: int) -> None:
                if not args.quiet:
                    print(f"\r{done} tickets", end="", file=sys.stderr, flush=True)

            count = services.analytics_rebuild(progress=progress, workers=args.workers)
            if not args.quiet:
                print(file=sys.stderr)
        else:
            count = services.analytics_refresh()
    print(f"{count} ticket(s) in {time.monotonic() - started:.1f} s.")
    return 0


def cmd_staffing(args: argparse.Namespace) -> int:
    """Erlang C for one interval; pure arithmetic, no database."""
    import json

    from nordesk.analytics import erlang

    try:
        result = erlang.staffing(
            calls=args.calls,
            interval_minutes=args.interval_minutes,
            aht_seconds=args.aht_seconds,
            target_seconds=args.target_seconds,
            service_level_target=args.service_level,
            shrinkage=args.shrinkage,
            max_occupancy=args.max_occupancy,
            concurrency=args.concurrency,
        )
    except ValueError as error:
        print(f"nordesk staffing: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.as_json()))
        return 0
    rows = [
        ("Traffic", f"{result.traffic_erlangs:.2f} Erlangs"),
        ("Agents required", result.agents),
    ]
    if result.concurrency > 1:
        rows.append(("Contacts at once", f"{result.concurrency} per agent"))
    rows += [
        ("Agents to schedule", f"{result.agents_scheduled} (shrinkage {result.shrinkage:.0%})"),
        (
            "Service level",
            f"{result.service_level:.1%} answered within {result.target_seconds:g} s "
            f"(target {result.service_level_target:.0%})",
        ),
        ("Probability to wait", f"{result.probability_waiting:.1%}"),
        ("Average speed of answer", f"{result.asa_seconds:.1f} s"),
        ("Occupancy", f"{result.occupancy:.1%}"),
    ]
    width = max(len(label) for label, _value in rows) + 2
    for label, value in rows:
        print(f"{label + ':':<{width}}{value}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="nordesk", description="Nordesk customer service")
    sub = root.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="serve pages, API and WebSocket, with a job consumer")
    run.add_argument("--host", default=os.environ.get("NORDESK_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("NORDESK_PORT", "8000")))
    run.add_argument("--workers", type=int, default=1, help="web server processes")
    run.add_argument("--job-threads", type=int, default=2, help="threads running queued jobs")
    run.add_argument(
        "--no-worker", action="store_true", help="run no jobs here (`nordesk worker` does)"
    )
    run.set_defaults(func=cmd_run)

    worker = sub.add_parser("worker", help="run the job consumer")
    worker.add_argument("--workers", type=int, default=2)
    worker.set_defaults(func=cmd_worker)

    migrate = sub.add_parser("migrate", help="create or update the database tables")
    migrate.add_argument("--quiet", action="store_true")
    migrate.set_defaults(func=cmd_migrate)

    demo = sub.add_parser("demo", help="load Nordic demo data (once; kept on re-run)")
    demo.add_argument("--tickets", type=int, default=360)
    demo.add_argument("--seed", type=int, default=7)
    demo.set_defaults(func=cmd_demo)

    reindex = sub.add_parser(
        "search-reindex", help="rebuild the search index of every ticket and article"
    )
    reindex.set_defaults(func=cmd_search_reindex)

    admin = sub.add_parser("createadmin", help="create an admin account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", default="Admin")
    admin.add_argument("--password", help="prompted for when left out")
    admin.set_defaults(func=cmd_createadmin)

    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="action", required=True)
    create = token_sub.add_parser("create", help="create a token and print its secret once")
    create.add_argument("--agent", required=True, help="email of the agent it acts as")
    create.add_argument("--name", required=True)
    create.add_argument("--scopes", help="comma-separated; default: all")
    token_sub.add_parser("list", help="list tokens")
    revoke = token_sub.add_parser("revoke", help="revoke a token by its prefix")
    revoke.add_argument("prefix")
    token.set_defaults(func=cmd_token)

    smtpd = sub.add_parser("smtpd", help="receive mail by SMTP or LMTP from a relay")
    smtpd.add_argument("--host", default=os.environ.get("NORDESK_SMTPD_HOST", "127.0.0.1"))
    smtpd.add_argument(
        "--port", type=int, default=int(os.environ.get("NORDESK_SMTPD_PORT", "8025"))
    )
    smtpd.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")
    smtpd.set_defaults(func=cmd_smtpd)

    mail = sub.add_parser("mail", help="email: import, parse, poll")
    mail_sub = mail.add_subparsers(dest="action", required=True)
    imports = mail_sub.add_parser("import", help="import a .eml file, a folder of them or an mbox")
    imports.add_argument("path")
    parse = mail_sub.add_parser("parse", help="print what Nordesk understands of one message")
    parse.add_argument("file")
    parse.add_argument("--json", action="store_true", help="one line of JSON")
    mail_sub.add_parser("poll", help="poll IMAP mailboxes now")
    for action in (imports, mail_sub.choices["poll"]):
        action.add_argument("--mailbox", help="the mailbox address (default: the first)")
    mail.set_defaults(func=cmd_mail)

    analytics = sub.add_parser("analytics", help="KPI facts and rollups: rebuild, refresh")
    analytics_sub = analytics.add_subparsers(dest="action", required=True)
    rebuild = analytics_sub.add_parser("rebuild", help="recompute every figure from history")
    refresh = analytics_sub.add_parser("refresh", help="apply the history since the last run")
    rebuild.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes computing facts, on PostgreSQL (default: one per CPU)",
    )
    for action in (rebuild, refresh):
        action.add_argument("--quiet", action="store_true", help="no progress on stderr")
    analytics.set_defaults(func=cmd_analytics)

    staffing = sub.add_parser("staffing", help="Erlang C: agents needed for an interval")
    staffing.add_argument("--calls", type=float, required=True, help="contacts in the interval")
    staffing.add_argument("--interval-minutes", type=float, default=60)
    staffing.add_argument("--aht-seconds", type=float, required=True, help="average handle time")
    staffing.add_argument("--target-seconds", type=float, required=True, help="answer within")
    staffing.add_argument("--service-level", type=float, default=0.8, help="share, e.g. 0.8")
    staffing.add_argument("--shrinkage", type=float, default=0.0, help="share, e.g. 0.3")
    staffing.add_argument("--max-occupancy", type=float, help="share, e.g. 0.85")
    staffing.add_argument(
        "--concurrency", type=int, default=1, help="contacts an agent handles at once (chat)"
    )
    staffing.add_argument("--json", action="store_true", help="one line of JSON")
    staffing.set_defaults(func=cmd_staffing)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
