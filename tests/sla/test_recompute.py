"""Deadlines recomputed from the SlaEvent history when a calendar or a policy changes."""

from dataclasses import replace
from datetime import date, time

import pytest

from nordesk.sla import services
from nordesk.sla.models import SlaClock
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import Ticket
from tests.factories import inbound
from tests.sla.schedules import OSLO, local

pytestmark = pytest.mark.django_db

WORKING_WEEK = [(day, time(8), time(16)) for day in range(5)]
TEN_TO_FOUR = [(day, time(10), time(16)) for day in range(5)]
MONDAY_8 = local(OSLO, 2025, 11, 17, 8, 0)
LATER = local(OSLO, 2025, 11, 19, 9, 0)  # "now" of the recompute: Wednesday 09:00


def office():
    return services.calendar_create(name="Oslo", time_zone=OSLO, hours=WORKING_WEEK)


def new_ticket(at, key="conv-1"):
    return ticket_services.receive(replace(inbound(received_at=at, thread_keys=(key,)))).ticket


def resolution(ticket):
    return SlaClock.objects.get(ticket=ticket, kind="resolution")


def test_changing_opening_hours_moves_a_running_clock(django_capture_on_commit_callbacks):
    # given: 16 business hours from Monday 08:00 on 08-16: due Tuesday 16:00
    calendar = office()
    services.policy_create(name="Standard", calendar_id=calendar.pk, resolution_minutes=16 * 60)
    ticket = new_ticket(MONDAY_8)
    assert resolution(ticket).due_at == local(OSLO, 2025, 11, 18, 16, 0)

    # when: the desk opens at 10:00 from now on (the job runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_update(calendar=calendar, changes={"hours": TEN_TO_FOUR})

    # then: 6 h a day: Monday, Tuesday, then 4 h on Wednesday
    moved = resolution(ticket)
    assert moved.due_at == local(OSLO, 2025, 11, 19, 14, 0)
    assert moved.warning_at == local(OSLO, 2025, 11, 18, 16, 0)  # 75 % of 16 h = 12 h
    assert Ticket.objects.get(pk=ticket.pk).sla_due_at == moved.due_at


def test_recompute_replays_a_pause(django_capture_on_commit_callbacks):
    # given: counted Monday 08-12 (4 h), paused until Wednesday 08:00: 12 h left, due
    # Thursday 12:00 on 08-16
    calendar = office()
    services.policy_create(
        name="Standard",
        calendar_id=calendar.pk,
        resolution_minutes=16 * 60,
        pause_when_pending=True,
    )
    ticket = new_ticket(MONDAY_8)
    services.clocks_pause(ticket_id=ticket.pk, at=local(OSLO, 2025, 11, 17, 12, 0))
    services.clocks_resume(ticket_id=ticket.pk, at=local(OSLO, 2025, 11, 19, 8, 0))
    assert resolution(ticket).due_at == local(OSLO, 2025, 11, 20, 12, 0)

    # when: the hours become 10-16
    services.calendar_update(calendar=calendar, changes={"hours": TEN_TO_FOUR})
    replayed = services.clocks_recompute(calendar_id=calendar.pk, now=LATER)

    # then: Monday 10-12 counted 2 h; 14 h left from Wednesday: 6 + 6 + 2 → Friday 12:00
    clock = resolution(ticket)
    assert replayed == 1
    assert clock.business_elapsed_seconds == 2 * 3600
    assert clock.started_at == local(OSLO, 2025, 11, 19, 8, 0)
    assert clock.due_at == local(OSLO, 2025, 11, 21, 12, 0)


def test_recompute_leaves_a_paused_clock_without_deadline():
    calendar = office()
    services.policy_create(
        name="Standard",
        calendar_id=calendar.pk,
        resolution_minutes=16 * 60,
        pause_when_pending=True,
    )
    ticket = new_ticket(MONDAY_8)
    services.clocks_pause(ticket_id=ticket.pk, at=local(OSLO, 2025, 11, 17, 12, 0))
    services.calendar_update(calendar=calendar, changes={"hours": TEN_TO_FOUR})

    services.clocks_recompute(calendar_id=calendar.pk, now=LATER)

    clock = resolution(ticket)
    assert (clock.state, clock.due_at, clock.business_elapsed_seconds) == ("paused", None, 7200)


def test_a_new_closed_day_moves_the_deadline(django_capture_on_commit_callbacks):
    calendar = office()
    services.policy_create(name="Standard", calendar_id=calendar.pk, resolution_minutes=16 * 60)
    ticket = new_ticket(MONDAY_8)

    with django_capture_on_commit_callbacks(execute=True):
        services.closed_day_add(calendar=calendar, day=date(2025, 11, 18), name="Flytting")

    assert resolution(ticket).due_at == local(OSLO, 2025, 11, 19, 16, 0)


def test_changing_a_policy_target_moves_its_running_clocks(django_capture_on_commit_callbacks):
    calendar = office()
    policy = services.policy_create(
        name="Standard", calendar_id=calendar.pk, resolution_minutes=16 * 60
    )
    tickets = [new_ticket(MONDAY_8, key=f"conv-{n}") for n in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        services.policy_update(policy=policy, changes={"resolution_minutes": 4 * 60})

    for ticket in tickets:
        clock = resolution(ticket)
        assert (clock.target_minutes, clock.due_at) == (240, local(OSLO, 2025, 11, 17, 12, 0))


def test_only_timing_changes_recompute(django_capture_on_commit_callbacks, monkeypatch):
    policy = services.policy_create(name="Standard", resolution_minutes=60)
    calls = []
    monkeypatch.setattr(services, "clocks_recompute", lambda **scope: calls.append(scope))

    with django_capture_on_commit_callbacks(execute=True):
        services.policy_update(policy=policy, changes={"name": "Standard 2"})
        services.policy_update(policy=policy, changes={"resolution_minutes": 60})
    assert calls == []

    with django_capture_on_commit_callbacks(execute=True):
        services.policy_update(policy=policy, changes={"warning_percent": 90})
    assert calls == [{"policy_id": policy.pk}]


def test_recompute_clears_a_warning_that_is_not_due_any_more():
    calendar = office()
    services.policy_create(name="Standard", calendar_id=calendar.pk, resolution_minutes=16 * 60)
    ticket = new_ticket(MONDAY_8)
    services.sla_breaches_mark(local(OSLO, 2025, 11, 18, 13, 0))  # 12 h counted: warned
    assert resolution(ticket).warned_at is not None

    services.calendar_update(calendar=calendar, changes={"hours": TEN_TO_FOUR})
    services.clocks_recompute(calendar_id=calendar.pk, now=local(OSLO, 2025, 11, 18, 13, 0))

    clock = resolution(ticket)
    assert (clock.warned_at, clock.warning_at) == (None, local(OSLO, 2025, 11, 18, 16, 0))


def test_recompute_works_in_batches():
    calendar = office()
    services.policy_create(name="Standard", calendar_id=calendar.pk, resolution_minutes=16 * 60)
    for n in range(5):
        new_ticket(MONDAY_8, key=f"conv-{n}")
    services.calendar_update(calendar=calendar, changes={"hours": TEN_TO_FOUR})

    assert services.clocks_recompute(calendar_id=calendar.pk, batch_size=2, now=LATER) == 5
    assert set(SlaClock.objects.values_list("due_at", flat=True)) == {
        local(OSLO, 2025, 11, 19, 14, 0)
    }
