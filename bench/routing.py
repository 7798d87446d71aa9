"""Routing, SLA and automation figures in one run, on one database:

- assign_p99_ms: the assignment decision for a newly queued ticket (the team's settings, its
  queue, its agents and their loads read, the ticket's needs, the choice), with 200 agents in
  50 skills-based, least-loaded and round-robin teams already holding work;
- handout_p99_ms: the whole hand-out by `team_dispatch` (the decision, then the ticket
  claimed, the agent locked and counted again, the assignment, its history and the decision
  written, committed, the live-inbox job queued);
- sla_scan_seconds: one full breach-and-warning scan over 100,000 open tickets with running
  clocks (bench/sla_scan.py);
- trigger_eval_ms_per_event: one event against 100 active triggers (bench/triggers.py).

    python bench/routing.py [--assignments 2000] [--open-tickets 100000]
    NORDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/nordesk_bench python bench/routing.py

Prints one JSON object. Targets: assign p99 <= 5 ms; the scan <= 2 s on PostgreSQL;
<= 1 ms per event."""

from __future__ import annotations

import argparse
import json
import random
import time

import benchenv
from sla_scan import sla_scan_bench
from triggers import trigger_eval_bench

TEAMS, AGENTS, TEAMS_PER_AGENT = 50, 200, 3
STRATEGIES = ("skills", "least_loaded", "round_robin")
LANGUAGES = {"nb": "norwegian", "nn": "norwegian", "da": "danish", "sv": "swedish", "en": "english"}


def _organisation(rng: random.Random):
    from nordesk.accounts import services as account_services
    from nordesk.routing import services as routing_services

    teams = [account_services.team_create(name=f"Team {n:02d}") for n in range(TEAMS)]
    for n, team in enumerate(teams):
        account_services.team_set_routing(
            team=team,
            changes={"strategy": STRATEGIES[n % len(STRATEGIES)], "relax_after_minutes": 10},
        )
    for language, skill in LANGUAGES.items():
        routing_services.skill_requirement_create(
            attribute="language", value=language, skill=skill, level=3
        )
    agents = []
    for n in range(AGENTS):
        agent = account_services.agent_create(
            email=f"agent{n}@bench.test",
            name=f"Agent {n}",
            teams=rng.sample(teams, TEAMS_PER_AGENT),
            capacity=10_000,  # the bench measures deciding, not running out of agents
        )
        for skill in set(LANGUAGES.values()):
            account_services.agent_set_skill(agent=agent, skill_name=skill, level=rng.randint(1, 5))
        account_services.agent_set_presence(agent=agent, presence="online")
        agents.append(agent)
    return teams, agents


def _inbound(rng: random.Random, team, n: int):
    from django.utils import timezone

    from nordesk.tickets.inbound import InboundMessage

    return InboundMessage(
        channel=rng.choice(("email", "email", "web", "chat")),
        sender_kind="email",
        sender_address=f"kunde{n}@example.no",
        subject="Hvor er pakken min?",
        text="Hei, pakken skulle kommet i går.",
        received_at=timezone.now(),
        team_id=team.pk,
        language=rng.choice(tuple(LANGUAGES)),
    )


def assign_bench(assignments: int, rng: random.Random) -> dict:
    from nordesk.routing import dispatch
    from nordesk.tickets import services as ticket_services

    teams, _agents = _organisation(rng)
    benchenv.log(f"{TEAMS} teams, {AGENTS} agents; giving every team work first")
    for n, team in enumerate(teams * 10):  # every agent holds tickets: loads are real counts
        ticket_services.receive(_inbound(rng, team, n))
        dispatch.team_dispatch(team_id=team.pk)

    _analyze()
    benchenv.log(f"timing {assignments} assignments")
    counter = benchenv.QueryCounter()
    deciding, handing_out = [], []
    for n in range(assignments):
        team = rng.choice(teams)
        ticket_services.receive(_inbound(rng, team, 100_000 + n))
        started = time.perf_counter()
        _decide(team.pk)
        deciding.append((time.perf_counter() - started) * 1000)
        with counter.installed():
            started = time.perf_counter()
            decisions = dispatch.team_dispatch(team_id=team.pk)
            handing_out.append((time.perf_counter() - started) * 1000)
        if len(decisions) != 1:
            raise RuntimeError("every queued ticket should be handed out")
    return {
        "teams": TEAMS,
        "agents": AGENTS,
        "assignments": assignments,
        "assign_p50_ms": round(benchenv.percentile(deciding, 50), 2),
        "assign_p99_ms": round(benchenv.percentile(deciding, 99), 2),
        "handout_p50_ms": round(benchenv.percentile(handing_out, 50), 2),
        "handout_p99_ms": round(benchenv.percentile(handing_out, 99), 2),
        "queries_per_handout": round(counter.count / assignments, 1),
    }


def _analyze() -> None:
    """PostgreSQL plans by its statistics; a production database has them (autovacuum), a
    table just filled by the warm-up does not yet."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _decide(team_id: int):
    """The assignment decision for the head of the queue: the team's settings, its queue,
    its agents and their loads read, the ticket's needs and the choice; nothing written."""
    from django.utils import timezone

    from nordesk.accounts import selectors as account_selectors
    from nordesk.routing import dispatch
    from nordesk.tickets import selectors as ticket_selectors

    team = account_selectors.team_routing(team_id)
    head = ticket_selectors.team_queue(team_id=team_id)[0]
    dispatcher = dispatch.Dispatcher(team, timezone.now())
    choice = dispatcher.decide(dispatcher.need(head))
    if choice.winner is None:
        raise RuntimeError("an agent should be free")
    return choice


def rules_match_bench(runs: int = 2000) -> float:
    """Routing rules for a new ticket: 99 that fail on their last condition, then a match."""
    from nordesk.routing.matching import TicketFacts, rules_match

    class Rule:
        def __init__(self, n: int, conditions: dict) -> None:
            self.pk, self.name, self.is_active, self.conditions = n, f"Regel {n}", True, conditions

    rules = [
        Rule(n, {"all": [
            {"field": "channel", "operator": "in", "value": ["email", "web"]},
            {"field": "subject", "operator": "contains", "value": "faktura"},
            {"field": "text", "operator": "contains", "value": f"ordre {n}"},
        ]})
        for n in range(99)
    ]  # fmt: skip
    rules.append(Rule(99, {"all": [{"field": "language", "operator": "is", "value": "da"}]}))
    facts = TicketFacts(channel="email", language="da", subject="Faktura", text="Hej")
    started = time.perf_counter()
    for _ in range(runs):
        rules_match(rules, facts)
    return round((time.perf_counter() - started) * 1000 / runs, 4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=2000)
    parser.add_argument("--open-tickets", type=int, default=100_000)
    parser.add_argument("--triggers", type=int, default=100)
    args = parser.parse_args(argv)
    env = benchenv.setup("routing")
    rng = random.Random(7)
    result: dict = {"database": env.db}
    result |= assign_bench(args.assignments, rng)
    benchenv.log(f"{args.triggers} active triggers")
    result |= trigger_eval_bench(args.triggers)
    benchenv.log(f"{args.open_tickets} open tickets with running clocks")
    result |= sla_scan_bench(args.open_tickets, rng)
    result["rules_match_ms_100"] = rules_match_bench()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
