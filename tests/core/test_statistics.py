"""SQLite gathers no planner statistics by itself: the hourly job does, so the inbox's view
counts are read from the partial index of unsolved tickets, not from the whole table."""

import pytest
from django.db import connection

from nordesk.core.services import database_statistics_refresh
from nordesk.tickets.listing import BUILT_IN_VIEWS, view_counts
from nordesk.tickets.models import Ticket
from tests.factories import make_ticket

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's autovacuum analyses"),
]


class _Plans:
    """Notes SQLite's plan of every query run while installed."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        cursor = context["cursor"].cursor  # the database's own: no wrappers, no recursion
        self.lines += [row[-1] for row in cursor.execute("EXPLAIN QUERY PLAN " + sql, params)]
        return execute(sql, params, many, context)


def _counting_plan(people) -> list[str]:
    plans = _Plans()
    with connection.execute_wrapper(plans):
        view_counts(agent=people.kari, views=BUILT_IN_VIEWS)
    return plans.lines


def test_statistics_lead_the_view_counts_to_the_unsolved_index(people):
    # given: many solved tickets and a few unsolved ones, as a helpdesk has after a while
    for n in range(200):
        make_ticket(team=people.billing, subject=f"Sak {n}")
    Ticket.objects.exclude(subject__in=("Sak 1", "Sak 2", "Sak 3")).update(status="solved")
    without = _counting_plan(people)

    # when: the hourly job has run
    database_statistics_refresh()

    # then: SQLite knows the tickets table, and counts the unsolved from their own index
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'tickets_ticket'")
        assert cursor.fetchone()[0] > 0
    assert not any("ticket_unsolved_scope" in line for line in without), without
    assert any("ticket_unsolved_scope" in line for line in _counting_plan(people))
