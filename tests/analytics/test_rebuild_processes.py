"""`nordesk analytics rebuild --workers N` on PostgreSQL: processes compute the facts from the
rebuild's snapshot, and the rows are the same as one process makes."""

from concurrent.futures.process import BrokenProcessPool

import pytest
from django.db import connection

from nordesk.analytics import services
from nordesk.analytics.models import TicketFact
from nordesk.tickets import services as ticket_services
from tests.analytics.test_services import snapshot
from tests.factories import make_ticket
from tests.markers import postgresql_only

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql_only("worker processes need a committed PostgreSQL database"),
]


def test_workers_compute_the_same_rows_as_one_process(people, monkeypatch):
    # given: tickets answered, solved, merged and left open, over several batches
    ticket_services.ticket_reply(
        ticket=people.ticket, actor=people.kari.user, text="Fikset.", status="solved"
    )
    for n in range(5):
        ticket = make_ticket(team=people.billing, address=f"kunde{n}@example.no", subject=f"S{n}")
        if n % 2:
            ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Ja")
    duplicate = make_ticket(team=people.billing, address="per@example.no", subject="Igjen")
    target = make_ticket(team=people.billing, address="per@example.no", subject="Faktura")
    ticket_services.ticket_merge(source=duplicate, target=target, actor=people.kari.user)
    assert services.analytics_rebuild(batch=3) == 8
    in_one_process = snapshot()
    calls = []
    real = services._rebuild_parts_in_processes
    monkeypatch.setattr(
        services, "_rebuild_parts_in_processes", lambda *args: calls.append(args) or real(*args)
    )
    # when
    done = services.analytics_rebuild(batch=3, workers=2)
    # then
    assert calls == [(3, 2)]
    assert done == 8
    assert snapshot() == in_one_process


def test_workers_that_cannot_start_stop_the_rebuild_and_it_changes_nothing(people, monkeypatch):
    # given: figures computed, and workers that will not reach the database
    services.analytics_rebuild()
    before = snapshot()
    connection.ensure_connection()
    monkeypatch.setitem(connection.settings_dict, "NAME", "nordesk_no_such_database")
    # when / then: an error, not a wait for ever, and the rebuild rolled back
    with pytest.raises(BrokenProcessPool):
        services.analytics_rebuild(workers=2)
    monkeypatch.undo()
    assert TicketFact.objects.exists()
    assert snapshot() == before
