"""Races that only a real multi-connection database shows (PostgreSQL run)."""

import threading

import pytest
from django.db import connections

from nordesk.tickets import services
from nordesk.tickets.models import Message, Ticket
from tests.factories import inbound
from tests.markers import postgresql_only

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql_only("needs concurrent connections"),
]


def _race(count: int, make_inbound) -> list:
    barrier = threading.Barrier(count)
    results: list = []
    errors: list = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            results.append(services.receive(make_inbound(i)))
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def test_same_external_id_delivered_concurrently_is_one_message():
    results = _race(4, lambda i: inbound(external_id="<race@mail>", text=f"kopi {i}"))
    assert len({m.pk for m in results}) == 1
    assert Message.objects.count() == 1
    assert Ticket.objects.count() == 1


def test_concurrent_new_tickets_get_distinct_numbers():
    _race(6, lambda i: inbound(address=f"c{i}@example.no", external_id=f"<n{i}@m>"))
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 6
