"""Scheduled reports raced on PostgreSQL: jobs running at once mail a period once."""

import threading

import pytest
from django.core import mail
from django.db import connections

from nordesk.analytics import schedules
from tests.analytics.fakes import FakeKpis
from tests.analytics.test_schedules import CREATED, NEXT_MONDAY, _values
from tests.markers import postgresql_only

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql_only("needs concurrent connections"),
]


def test_jobs_running_at_once_mail_the_period_once(people, monkeypatch):
    FakeKpis(monkeypatch)
    schedules.schedule_create(values=_values(people), actor=people.siri.user, now=CREATED)
    barrier = threading.Barrier(4)
    sent: list[int] = []
    errors: list[Exception] = []

    def job() -> None:
        try:
            barrier.wait()
            sent.append(schedules.schedules_send_due(now=NEXT_MONDAY))
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=job) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(sent) == [0, 0, 0, 1]
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.no", "kari@nordesk.test"]
