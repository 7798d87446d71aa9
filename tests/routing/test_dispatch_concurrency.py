"""Several worker processes handing out the same queues at once on PostgreSQL: no ticket is
assigned twice and no agent goes over capacity. Real processes, each with its own
connection, against the committed test database."""

import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from nordesk.accounts import services as account_services
from nordesk.accounts.models import Agent, Presence
from nordesk.routing.models import DecisionKind, RoutingDecision
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import EventKind, Ticket, TicketEvent
from tests.factories import inbound, make_agent, make_team

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

WORKERS = 4
AGENTS, CAPACITY, TICKETS = 5, 3, 40

WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import django
    django.setup()
    from huey.contrib.djhuey import HUEY
    HUEY.immediate = True  # what an assignment queues (live push) runs here, not in Redis
    from nordesk.routing import dispatch
    start = Path(sys.argv[1])
    while not start.exists():
        time.sleep(0.005)
    for _round in range(3):
        for team_id in map(int, sys.argv[2:]):
            dispatch.team_dispatch(team_id=team_id)
    """
)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED across processes need PostgreSQL")


def _worker_env() -> dict[str, str]:
    settings = connection.settings_dict
    url = "postgresql://{USER}@{HOST}:{PORT}/{NAME}".format(**settings)
    env = {**os.environ, "NORDESK_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "nordesk.settings"}
    env.pop("NORDESK_REDIS_URL", None)
    return env


def _queue(team, count: int) -> None:
    for n in range(count):
        ticket_services.receive(inbound(team=team, address=f"kunde{team.pk}-{n}@example.no"))


def test_workers_racing_over_shared_agents_never_double_assign_or_overfill(postgresql, tmp_path):
    first, second = make_team("Førstelinje"), make_team("Andrelinje")
    for team in (first, second):
        account_services.team_set_routing(team=team, changes={"strategy": "least_loaded"})
    agents = [make_agent(f"Agent {n}", teams=(first, second)) for n in range(AGENTS)]
    for agent in agents:
        account_services.agent_set_capacity(agent=agent, capacity=CAPACITY)
    _queue(first, TICKETS // 2)
    _queue(second, TICKETS // 2)
    # Online without the presence service: nothing is handed out before the race starts.
    Agent.objects.filter(pk__in=[a.pk for a in agents]).update(presence=Presence.ONLINE)

    start = tmp_path / "start"
    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter running our worker code
            [sys.executable, "-c", WORKER, str(start), str(first.pk), str(second.pk)],
            env=_worker_env(),
            cwd=Path(__file__).resolve().parents[2],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    start.touch()
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err

    assigned = Ticket.objects.filter(assignee__isnull=False)
    assert assigned.count() == AGENTS * CAPACITY
    per_agent = Counter(assigned.values_list("assignee_id", flat=True))
    assert set(per_agent.values()) == {CAPACITY}
    assignments = Counter(
        TicketEvent.objects.filter(kind=EventKind.ASSIGNMENT).values_list("ticket_id", flat=True)
    )
    assert set(assignments.values()) == {1}, "a ticket was assigned more than once"
    decisions = RoutingDecision.objects.filter(kind=DecisionKind.ASSIGNMENT)
    assert decisions.count() == AGENTS * CAPACITY
