"""Analytics at scale: tickets with a year of history in bulk, then the rebuild, the incremental
job's cost per event and the report selectors' latency.

    .venv/bin/python bench/analytics.py [--tickets 1000000]

Prints one JSON object: db, tickets, events, load_seconds, rebuild_seconds,
rollup_ms_per_event (replies and time spent on tickets at random),
rollup_ms_per_event_reopened_and_solved (tickets at random reopened, answered and solved),
report_p95_ms (kpis_for and kpis_by over 30-, 90- and 365-day slices filtered or grouped by
one dimension), report_max_ms, cross_slice_p95_ms (filtered and grouped within channel,
priority and language: the combined rollups), pair_slice_p95_ms (two other dimensions: a
pair's monthly rows and the facts of part months), facts_slice_p95_ms (an agent with an
organisation either way, three dimensions, or two by week: summed from the facts), per-query
p95s and dashboard_p95_ms (the live dashboard's figures, after one call: it refreshes itself
every few seconds in use, and the first call after the reports read its tables cold). With
NORDESK_DATABASE_URL (PostgreSQL) the tickets are loaded with COPY, else with executemany."""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402

CHANNELS = ("email", "email", "email", "web", "chat", "chat", "phone", "social", "api")
PRIORITIES = ("low", "normal", "normal", "normal", "high", "urgent")
LANGUAGES = ("nb", "nb", "nb", "sv", "da", "nn", "en")
CATEGORIES = tuple(f"topic-{n:02d}" for n in range(30))
TEAMS, AGENTS, ORGANISATIONS = 20, 100, 500
CHUNK = 20_000


def _writer(table: str, columns: Sequence[str]):
    """A function writing rows (tuples in `columns` order) to `table` in bulk."""
    from django.db import connection

    if connection.vendor == "postgresql":

        def write(rows: Iterable[tuple]) -> None:
            with connection.cursor() as cursor:
                statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                with cursor.cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(row)

        return write

    marks = ", ".join("%s" for _ in columns)
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - names are constants

    def write_sqlite(rows: Iterable[tuple]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(statement, list(rows))

    return write_sqlite


def _at(moment: datetime) -> Any:
    from django.db import connection

    return connection.ops.adapt_datetimefield_value(moment)


TICKET_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "number",
    "subject",
    "status",
    "priority",
    "channel",
    "customer_id",
    "organisation_id",
    "team_id",
    "assignee_id",
    "category",
    "language",
    "custom_fields",
    "last_message_at",
    "solved_at",
    "transfer_count",
    "merged_into_id",
)
EVENT_COLUMNS = ("ticket_id", "kind", "actor_kind", "actor_user_id", "data", "created_at")
SURVEY_COLUMNS = (
    "ticket_id",
    "agent_id",
    "skipped",
    "sent_at",
    "language",
    "scale",
    "score",
    "comment",
    "answered_at",
    "created_at",
)


class Generator:
    """A ticket's plausible year: a customer writes, an agent of its team answers, most are
    solved, some reopened, transferred, merged, surveyed; handle time recorded."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        agents: list[int],
        teams: list[int],
        organisations: list[int],
        customer_id: int,
        tickets: int,
    ) -> None:
        self.rng, self.now = rng, now
        self.teams, self.organisations = teams, organisations
        # Agents work in one team each, as routing assigns a team's tickets to its agents.
        self.agents_of = {team: agents[n :: len(teams)] for n, team in enumerate(teams)}
        self.customer_id = customer_id
        self.slot = 365 * 86400 / tickets  # the year's seconds a ticket

    def ticket(self, ticket_id: int, number: int) -> tuple[tuple, list[tuple], tuple | None]:
        """Tickets arrive in the order of their ids and numbers, as they are numbered in
        Nordesk, spread over the last year: each at a random moment of its own slot."""
        rng, now = self.rng, self.now
        created = now - timedelta(seconds=365 * 86400 - (ticket_id - 1 + rng.random()) * self.slot)
        team = rng.choice(self.teams)
        agent = rng.choice(self.agents_of[team])
        events: list[tuple] = [
            (ticket_id, "created", "customer", None, "{}", created),
            (ticket_id, "message_in", "customer", None, '{"message_id": 0}', created),
        ]

        def later(start: datetime, mean_hours: float) -> datetime:
            return min(now, start + timedelta(hours=rng.expovariate(1 / mean_hours)))

        at = created
        status, solved_at, transfers, merged_into = "open", None, 0, None
        if rng.random() < 0.1:
            at = later(at, 1)
            transfers += 1
            events.append((ticket_id, "transferred", "agent", agent, '{"reason": "other"}', at))
        if rng.random() < 0.92:
            at = later(at, 5)
            events.append((ticket_id, "message_out", "agent", agent, '{"message_id": 0}', at))
            if rng.random() < 0.3:
                at = later(at, 10)
                events.append((ticket_id, "message_in", "customer", None, "{}", at))
                at = later(at, 4)
                events.append((ticket_id, "message_out", "agent", agent, "{}", at))
        if rng.random() < 0.5:
            seconds = rng.randint(60, 1800)
            data = json.dumps({"seconds": seconds, "agent": agent, "source": "tracked"})
            events.append((ticket_id, "time_spent", "agent", agent, data, at))
        if rng.random() < 0.85 and at < now:
            at = later(at, 12)
            events.append(
                (ticket_id, "status", "agent", agent, '{"old": "open", "new": "solved"}', at)
            )
            status, solved_at = "solved", at
            if rng.random() < 0.06:
                at = later(at, 48)
                events.append(
                    (ticket_id, "status", "customer", None, '{"old": "solved", "new": "open"}', at)
                )
                status, solved_at = "open", None
                if rng.random() < 0.7:
                    at = later(at, 8)
                    events.append(
                        (
                            ticket_id,
                            "status",
                            "agent",
                            agent,
                            '{"old": "open", "new": "solved"}',
                            at,
                        )
                    )
                    status, solved_at = "solved", at
        elif ticket_id > 1 and rng.random() < 0.02:
            merged_into = ticket_id - 1
            data = json.dumps({"into": merged_into})
            events.append((ticket_id, "merged", "agent", agent, data, later(at, 2)))
            status = "closed"
        survey = None
        if solved_at is not None and rng.random() < 0.4:
            sent = min(now, solved_at + timedelta(hours=1))
            answered = rng.random() < 0.3
            score = rng.choice((5, 5, 5, 4, 1)) if answered else None
            survey = (
                ticket_id, agent, False, _at(sent), "nb", "good_bad", score, "",
                _at(sent + timedelta(minutes=30)) if answered else None, _at(sent),
            )  # fmt: skip
        ticket = (
            ticket_id,
            _at(created),
            _at(at),
            number,
            "Bench ticket",
            status,
            rng.choice(PRIORITIES),
            rng.choice(CHANNELS),
            self.customer_id,
            rng.choice(self.organisations) if rng.random() < 0.6 else None,
            team,
            agent,
            rng.choice(CATEGORIES),
            rng.choice(LANGUAGES),
            "{}",
            _at(at),
            _at(solved_at) if solved_at else None,
            transfers,
            merged_into,
        )
        rows = [(*event[:5], _at(event[5])) for event in events]
        return ticket, rows, survey


def load(n: int, rng: random.Random, now: datetime) -> int:
    """N tickets with their events and surveys in bulk; the number of events."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from nordesk.accounts import services as account_services
    from nordesk.customers.models import Customer, Organisation
    from nordesk.tickets import services as ticket_services

    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"agent{n}", email=f"agent{n}@bench.test", first_name="Agent",
                         last_name=str(n))
        for n in range(AGENTS)
    )  # fmt: skip
    teams = [account_services.team_create(name=f"Team {n}").pk for n in range(TEAMS)]
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {n}") for n in range(ORGANISATIONS)
    )
    customer = Customer.objects.create(name="Bench customer")
    generator = Generator(
        rng, now, [u.pk for u in users], teams, [o.pk for o in organisations], customer.pk, n
    )
    write_tickets = _writer("tickets_ticket", TICKET_COLUMNS)
    write_events = _writer("tickets_ticketevent", EVENT_COLUMNS)
    write_surveys = _writer("csat_survey", SURVEY_COLUMNS)
    total_events = 0
    for start in range(0, n, CHUNK):
        tickets, events, surveys = [], [], []
        for ticket_id in range(start + 1, min(start + CHUNK, n) + 1):
            ticket, rows, survey = generator.ticket(ticket_id, ticket_id)
            tickets.append(ticket)
            events.extend(rows)
            if survey:
                surveys.append(survey)
        with transaction.atomic():
            write_tickets(tickets)
            write_events(events)
            write_surveys(surveys)
        total_events += len(events)
        if (start // CHUNK) % 10 == 0:
            benchenv.log(f"loaded {start + len(tickets)} tickets, {total_events} events")
    ticket_services.ticket_numbers_continue_after_bulk_load()
    _sequences_reset()
    _analyse()
    return total_events


def _sequences_reset() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    from nordesk.tickets.models import Ticket

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Ticket]):
                cursor.execute(statement)


def _analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _timed(function, *args, **kwargs) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, result


def _replies_and_time(ticket_id: int, at: Any) -> list[tuple]:
    data = json.dumps({"seconds": 120, "agent": None, "source": "manual"})
    return [
        (ticket_id, "message_out", "agent", None, "{}", at),
        (ticket_id, "time_spent", "agent", None, data, at),
    ]


def _reopened_and_solved(ticket_id: int, at: Any) -> list[tuple]:
    """The customer writes again and the agent answers and solves it anew: the next response,
    resolution and reopen figures change, not only counters."""
    return [
        (ticket_id, "status", "customer", None, '{"old": "solved", "new": "open"}', at),
        (ticket_id, "message_in", "customer", None, "{}", at),
        *_replies_and_time(ticket_id, at),
        (ticket_id, "status", "agent", None, '{"old": "open", "new": "solved"}', at),
    ]


def refresh_cost(
    rng: random.Random, now: datetime, tickets: int, events: int, make=_replies_and_time
) -> float:
    """New events on existing tickets (by default replies and time spent), then one job run:
    ms per event."""
    from nordesk.analytics import services

    write_events = _writer("tickets_ticketevent", EVENT_COLUMNS)
    rows: list[tuple] = []
    while len(rows) < events:
        rows += make(rng.randint(1, tickets), _at(now))
    write_events(rows)
    services.analytics_refresh()  # the re-read window and the cursors settle first
    write_events(rows)
    elapsed, _ = _timed(services.analytics_refresh)
    return elapsed / len(rows)


def reports(today: date, repeat: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from nordesk.accounts.models import Team
    from nordesk.analytics import kpis
    from nordesk.customers.models import Organisation

    team = Team.objects.order_by("pk").values_list("pk", flat=True).first()
    organisation = Organisation.objects.order_by("pk").values_list("pk", flat=True).first()
    agent = get_user_model().objects.order_by("pk").values_list("pk", flat=True).first()
    timings: dict[str, list[float]] = {}
    for days in (30, 90, 365):
        whole = kpis.Slice(start=today - timedelta(days=days - 1), end=today)
        email, swedish = replace(whole, channel="email"), replace(whole, language="sv")
        in_team, urgent = replace(whole, team_id=team), replace(whole, priority="urgent")
        team_email = replace(in_team, channel="email")
        calls = {
            "kpis_for": (kpis.kpis_for, whole),
            "kpis_for_channel": (kpis.kpis_for, email),
            "by_day": (kpis.kpis_by, whole, "day"),
            "by_week_channel": (kpis.kpis_by, email, "week"),
            "by_month": (kpis.kpis_by, whole, "month"),
            "by_team": (kpis.kpis_by, whole, "team"),
            "by_agent": (kpis.kpis_by, whole, "agent"),
            "by_channel": (kpis.kpis_by, whole, "channel"),
            "by_category": (kpis.kpis_by, whole, "category"),
            "cross_by_priority_in_channel": (kpis.kpis_by, email, "priority"),
            "cross_kpis_for_two_filters": (kpis.kpis_for, replace(email, priority="high")),
            "pair_by_agent_in_team": (kpis.kpis_by, in_team, "agent"),
            "pair_by_category_in_channel": (kpis.kpis_by, email, "category"),
            "pair_by_category_in_language": (kpis.kpis_by, swedish, "category"),
            "pair_by_agent_in_channel": (kpis.kpis_by, email, "agent"),
            "pair_by_team_in_language": (kpis.kpis_by, swedish, "team"),
            "pair_by_agent_in_language": (kpis.kpis_by, swedish, "agent"),
            "pair_by_agent_in_priority": (kpis.kpis_by, urgent, "agent"),
            "pair_by_organisation_in_channel": (kpis.kpis_by, email, "organisation"),
            "pair_by_organisation_in_team": (kpis.kpis_by, in_team, "organisation"),
            "facts_by_agent_in_organisation": (
                kpis.kpis_by,
                replace(whole, organisation_id=organisation),
                "agent",
            ),
            "pair_by_organisation_in_category": (
                kpis.kpis_by,
                replace(whole, category="topic-03"),
                "organisation",
            ),
            "facts_by_organisation_for_agent": (
                kpis.kpis_by,
                replace(whole, agent_id=agent),
                "organisation",
            ),
            "facts_by_agent_in_team_and_channel": (kpis.kpis_by, team_email, "agent"),
            "facts_by_week_in_team_and_channel": (kpis.kpis_by, team_email, "week"),
        }
        for name, (function, *args) in calls.items():
            for _ in range(repeat):
                elapsed, _result = _timed(function, *args)
                timings.setdefault(f"{name}_{days}d", []).append(elapsed)
    # Slices filtered or grouped by one dimension read its rollups; "cross" ones (two of
    # channel, priority and language) the combined rollups; "pair" ones (a pair of
    # rollups.PAIRS) its monthly rows and the facts of part months; "facts" ones (a pair
    # left out, three dimensions, or two by day or week) sum the facts' parts.
    groups: dict[str, list[float]] = {"report": [], "cross": [], "pair": [], "facts": []}
    for name, values in timings.items():
        kind = name.split("_")[0]
        groups[kind if kind in groups else "report"] += values
    return {
        "report_p95_ms": round(benchenv.percentile(groups["report"], 95), 1),
        "report_max_ms": round(max(groups["report"]), 1),
        "cross_slice_p95_ms": round(benchenv.percentile(groups["cross"], 95), 1),
        "pair_slice_p95_ms": round(benchenv.percentile(groups["pair"], 95), 1),
        "facts_slice_p95_ms": round(benchenv.percentile(groups["facts"], 95), 1),
        "report_p95_by_query_ms": {
            name: round(benchenv.percentile(values, 95), 1) for name, values in timings.items()
        },
    }


def extras(today: date, now: datetime, repeat: int) -> dict[str, Any]:
    from nordesk.analytics import kpis

    year = kpis.Slice(start=today - timedelta(days=364), end=today)
    found: dict[str, Any] = {}
    for name, function in (
        ("matrix_365d", lambda: kpis.topic_channel_matrix(year)),
        ("backlog", lambda: kpis.backlog_by_age(year, now=now)),
        ("agent_productivity_365d", lambda: kpis.agent_productivity(year)),
        ("drilldown_solved_365d", lambda: kpis.ticket_ids_behind(year, "solved")),
    ):
        values = [_timed(function)[0] for _ in range(repeat)]
        found[name] = round(benchenv.percentile(values, 95), 1)
    from nordesk.analytics import dashboard

    dashboard.dashboard_figures(now)
    values = [_timed(dashboard.dashboard_figures, now)[0] for _ in range(repeat)]
    return {"other_p95_ms": found, "dashboard_p95_ms": round(benchenv.percentile(values, 95), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each report query")
    parser.add_argument("--refresh-events", type=int, default=2000)
    args = parser.parse_args(argv)
    env = benchenv.setup("analytics")
    from django.utils import timezone

    from nordesk.analytics import services

    rng = random.Random(args.seed)
    now = timezone.now().astimezone(UTC)
    started = time.perf_counter()
    events = load(args.tickets, rng, now)
    load_seconds = time.perf_counter() - started
    benchenv.log(f"loaded in {load_seconds:.0f} s; rebuilding")
    rebuild_ms, _ = _timed(services.analytics_rebuild, workers=os.cpu_count() or 1)
    _analyse()
    benchenv.log(f"rebuilt in {rebuild_ms / 1000:.0f} s; reports")
    today = timezone.localdate(now, timezone=services.reporting_zone())
    result = {
        "db": env.db,
        "tickets": args.tickets,
        "events": events,
        "load_seconds": round(load_seconds, 1),
        "rebuild_seconds": round(rebuild_ms / 1000, 1),
        **reports(today, args.repeat),
    }
    result.update(extras(today, now, args.repeat))
    result["rollup_ms_per_event"] = round(
        refresh_cost(rng, now, args.tickets, args.refresh_events), 3
    )
    result["rollup_ms_per_event_reopened_and_solved"] = round(
        refresh_cost(rng, now, args.tickets, args.refresh_events, _reopened_and_solved), 3
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
