"""Reports run their queries unprepared on PostgreSQL: a prepared statement gets a plan for
any parameters after five runs, which read a year of facts 2.5 times slower."""

import pytest

from nordesk.core.selectors import raw_rows, statements_unprepared
from tests.markers import postgresql_only

pytestmark = [pytest.mark.django_db, postgresql_only("prepared statements are PostgreSQL's")]

PROBE = "SELECT 'prepared-probe', %s::int"
PREPARED = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s"


def _prepared_probes() -> int:
    return raw_rows(PREPARED, ["%prepared-probe%"])[0][0]


def test_a_query_run_often_is_prepared_but_not_within_statements_unprepared():
    with statements_unprepared():
        for number in range(6):
            raw_rows(PROBE, [number])
        assert _prepared_probes() == 0

    for number in range(3):
        raw_rows(PROBE, [number])

    assert _prepared_probes() == 1
