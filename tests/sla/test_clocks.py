from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nordesk.sla import selectors, services
from nordesk.sla.models import SlaClock, SlaEvent
from nordesk.tickets import services as ticket_services
from tests.factories import inbound
from tests.sla.schedules import OSLO, local

pytestmark = pytest.mark.django_db

WORKING_WEEK = [(day, time(8), time(16)) for day in range(5)]


def oslo_office():
    return services.calendar_create(
        name="Kundeservice Oslo", time_zone=OSLO, country="NO", hours=WORKING_WEEK
    )


def new_ticket(*, at=None, team=None, **fields):
    message = ticket_services.receive(replace(inbound(received_at=at, team=team), **fields))
    return message.ticket


def clock(ticket, kind):
    return SlaClock.objects.get(ticket=ticket, kind=kind)


def events(ticket):
    return list(SlaEvent.objects.filter(ticket=ticket).values_list("target", "kind", "at"))


def test_ticket_from_intake_gets_clocks_due_in_business_time():
    # given: 8 business hours to answer, 3 business days to solve, 08-16 on weekdays in Oslo
    policy = services.policy_create(
        name="Standard",
        calendar_id=oslo_office().pk,
        first_response_minutes=8 * 60,
        resolution_minutes=24 * 60,
    )
    friday = local(OSLO, 2025, 10, 24, 15, 30)  # summer time ends on Sunday the 26th

    # when
    ticket = new_ticket(at=friday)

    # then: half an hour on Friday, the rest from Monday 08:00 (now UTC+1)
    first_response = clock(ticket, "first_response")
    assert first_response.due_at == datetime(2025, 10, 27, 14, 30, tzinfo=UTC)
    assert first_response.due_at == local(OSLO, 2025, 10, 27, 15, 30)
    assert (first_response.state, first_response.policy, first_response.started_at) == (
        "active",
        policy,
        friday,
    )
    # 0.5 h Friday + 8 h Monday + 8 h Tuesday + 7.5 h Wednesday
    assert clock(ticket, "resolution").due_at == local(OSLO, 2025, 10, 29, 15, 30)
    assert events(ticket) == [
        ("first_response", "applied", friday),
        ("first_response", "activated", friday),
        ("resolution", "applied", friday),
        ("resolution", "activated", friday),
    ]


def test_policy_without_calendar_counts_every_hour():
    services.policy_create(name="Around the clock", first_response_minutes=90)
    friday = local(OSLO, 2025, 10, 24, 23, 0)

    ticket = new_ticket(at=friday)

    assert clock(ticket, "first_response").due_at == friday + timedelta(minutes=90)
    assert not SlaClock.objects.filter(kind="resolution").exists()


def test_the_policy_matching_the_ticket_applies(people):
    services.policy_create(
        name="Billing",
        conditions=[{"field": "team_id", "operator": "is", "value": people.billing.pk}],
        first_response_minutes=30,
    )
    services.policy_create(
        name="Urgent chat",
        conditions=[
            {"field": "channel", "operator": "is", "value": "chat"},
            {"field": "priority", "operator": "in", "value": ["high", "urgent"]},
        ],
        first_response_minutes=5,
    )

    billing = new_ticket(team=people.billing)
    chat = new_ticket(channel="chat", priority="urgent", thread_keys=("chat-1",))
    other = new_ticket(team=people.technical)

    assert clock(billing, "first_response").policy.name == "Billing"
    assert clock(chat, "first_response").policy.name == "Urgent chat"
    assert not other.sla_clocks.exists()
    assert not SlaEvent.objects.filter(ticket=other).exists()


def test_reply_fulfils_the_first_response_clock(people):
    # given
    services.policy_create(name="Standard", first_response_minutes=60, resolution_minutes=600)
    ticket = new_ticket(at=timezone.now() - timedelta(minutes=20), team=people.billing)

    # when
    message = ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Hei!")

    # then
    answered = clock(ticket, "first_response")
    assert (answered.state, answered.fulfilled_at, answered.breached_at) == (
        "fulfilled",
        message.created_at,
        None,
    )
    assert 20 * 60 <= answered.business_elapsed_seconds < 21 * 60
    assert events(ticket)[-1] == ("first_response", "fulfilled", message.created_at)
    assert clock(ticket, "resolution").state == "active"  # pending is not solved
    assert [view.status for view in selectors.clocks_for_ticket(ticket.pk)] == ["met", "ok"]


def test_late_reply_records_the_breach_at_the_due_time_then_fulfils(people):
    services.policy_create(name="Standard", first_response_minutes=60)
    received = timezone.now() - timedelta(hours=2)
    ticket = new_ticket(at=received, team=people.billing)

    message = ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Beklager")

    late = clock(ticket, "first_response")
    due = received + timedelta(hours=1)
    assert (late.state, late.breached_at, late.fulfilled_at) == (
        "fulfilled",
        due,
        message.created_at,
    )
    assert events(ticket)[-2:] == [
        ("first_response", "breached", due),
        ("first_response", "fulfilled", message.created_at),
    ]
    assert selectors.clocks_for_ticket(ticket.pk)[0].status == "breached"


def test_second_reply_and_imported_reply_change_nothing(people):
    services.policy_create(name="Standard", first_response_minutes=60)
    ticket = new_ticket(team=people.billing)
    ticket_services.ticket_reply(
        ticket=ticket, actor=people.kari.user, text="Old", at=timezone.now() - timedelta(days=1)
    )
    assert clock(ticket, "first_response").state == "active"  # imported history

    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Hei")
    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Og en ting til")

    assert [kind for _target, kind, _at in events(ticket)].count("fulfilled") == 1


def test_reply_that_solves_fulfils_resolution(people):
    services.policy_create(name="Standard", first_response_minutes=60, resolution_minutes=120)
    ticket = new_ticket(team=people.billing)

    ticket_services.ticket_reply(
        ticket=ticket, actor=people.kari.user, text="Løst!", status="solved"
    )

    assert set(ticket.sla_clocks.values_list("kind", "state")) == {
        ("first_response", "fulfilled"),
        ("resolution", "fulfilled"),
    }


def test_pending_pauses_resolution_and_the_customer_resumes_it(people):
    # given: the policy stops the resolution clock while the customer has the ball
    services.policy_create(name="Standard", resolution_minutes=120, pause_when_pending=True)
    ticket = new_ticket(
        at=timezone.now() - timedelta(minutes=60), team=people.billing, thread_keys=("conv-7",)
    )

    # when: the agent answers (pending) ...
    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Hvilken faktura?")

    # then
    paused = clock(ticket, "resolution")
    assert (paused.state, paused.due_at) == ("paused", None)
    assert 3600 <= paused.business_elapsed_seconds < 3660
    assert selectors.clocks_for_ticket(ticket.pk)[0].remaining == timedelta(
        minutes=120, seconds=-paused.business_elapsed_seconds
    )

    # when: ... and the customer writes back
    answer = ticket_services.receive(inbound(thread_keys=("conv-7",), text="Den fra mars."))

    # then
    assert answer.ticket == ticket
    resumed = clock(ticket, "resolution")
    assert resumed.state == "active"
    assert resumed.due_at == answer.created_at + timedelta(
        seconds=7200 - paused.business_elapsed_seconds
    )
    assert [kind for _t, kind, _at in events(ticket)] == [
        "applied",
        "activated",
        "paused",
        "resumed",
    ]


def test_status_changes_without_a_reply_move_the_resolution_clock(people):
    # given: a ticket under a policy that pauses while the ticket waits
    services.policy_create(name="Standard", resolution_minutes=120, pause_when_pending=True)
    ticket = new_ticket(team=people.billing)

    # when: an agent puts it on hold, opens it again, then solves it, without replying
    for status in ("on_hold", "open", "solved"):
        ticket_services.ticket_change_status(ticket=ticket, status=status, actor=people.kari.user)

    # then: the clock paused, resumed and was fulfilled on those changes
    assert clock(ticket, "resolution").state == "fulfilled"
    assert [kind for _t, kind, _at in events(ticket)] == [
        "applied",
        "activated",
        "paused",
        "resumed",
        "fulfilled",
    ]


def test_clock_warns_at_75_percent_of_the_target_in_business_time():
    # given: 8 business hours from Friday 14:00: due Monday 14:00
    services.policy_create(
        name="Standard", calendar_id=oslo_office().pk, first_response_minutes=8 * 60
    )
    ticket = new_ticket(at=local(OSLO, 2025, 11, 14, 14, 0))

    def view(*when):
        return selectors.clocks_for_ticket(ticket.pk, now=local(OSLO, *when))[0]

    # then: 2 h on Friday + 3 h 59 min on Monday is under 6 h
    early = view(2025, 11, 17, 11, 59)
    assert (early.status, early.remaining) == ("ok", timedelta(hours=2, minutes=1))
    # the weekend does not count
    assert view(2025, 11, 16, 23, 0).remaining == timedelta(hours=6)
    # 6 of 8 hours: 75 %
    warned = view(2025, 11, 17, 12, 0)
    assert (warned.status, warned.remaining) == ("warning", timedelta(hours=2))
    assert warned.due_at == local(OSLO, 2025, 11, 17, 14, 0)
    late = view(2025, 11, 17, 15, 0)
    assert (late.status, late.remaining) == ("breached", -timedelta(hours=1))


def tickets_with_clocks(count, *, at):
    services.policy_create(name="Standard", first_response_minutes=60, resolution_minutes=120)
    return [new_ticket(at=at) for _ in range(count)]


def test_scan_marks_overdue_clocks_breached_exactly_once():
    # given: 3 tickets, each with a first response overdue and a resolution not yet due
    received = timezone.now() - timedelta(minutes=90)
    tickets = tickets_with_clocks(3, at=received)
    due = received + timedelta(minutes=60)

    # when
    first = services.sla_breaches_mark(timezone.now())
    second = services.sla_breaches_mark(timezone.now())

    # then
    assert (first, second) == (3, 0)
    for ticket in tickets:
        breached = clock(ticket, "first_response")
        assert (breached.state, breached.breached_at) == ("breached", due)
        assert clock(ticket, "resolution").state == "active"
        assert events(ticket)[-1] == ("first_response", "breached", due)
    assert SlaEvent.objects.filter(kind="breached").count() == 3


def test_reply_after_the_scan_adds_no_second_breach(people):
    services.policy_create(name="Standard", first_response_minutes=60)
    ticket = new_ticket(at=timezone.now() - timedelta(hours=2), team=people.billing)
    services.sla_breaches_mark(timezone.now())

    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Beklager")

    assert [kind for _t, kind, _at in events(ticket)] == [
        "applied",
        "activated",
        "breached",
        "fulfilled",
    ]
    assert clock(ticket, "first_response").state == "fulfilled"


def test_scan_works_in_batches():
    received = timezone.now() - timedelta(hours=3)
    tickets_with_clocks(5, at=received)

    with CaptureQueriesContext(connection) as queries:
        marked = services.sla_breaches_mark(timezone.now(), batch_size=4)

    assert marked == 10
    assert SlaClock.objects.filter(state="breached").count() == 10
    assert SlaEvent.objects.filter(kind="breached").count() == 10
    # 4 + 4 + 2: one breaching UPDATE each (on PostgreSQL inside the batch's one statement)
    updates = [q for q in queries.captured_queries if "SET state" in q["sql"].replace('"', "")]
    assert len(updates) == 3


@pytest.mark.parametrize("clocks", [10, 100])
def test_scan_query_count_does_not_grow_with_the_clocks(clocks, django_assert_num_queries):
    tickets_with_clocks(clocks // 2, at=timezone.now() - timedelta(hours=3))

    # breaches: savepoint, the batch, release savepoint; the batch is one statement on
    # PostgreSQL, else SELECT ids, INSERT events, UPDATE. Warnings: savepoint, the batch (none
    # left: the breach recorded the warning time), release.
    batch = 1 if connection.vendor == "postgresql" else 3
    with django_assert_num_queries(2 + batch + 3):
        assert services.sla_breaches_mark(timezone.now()) == clocks

    assert SlaEvent.objects.filter(kind="breached").count() == clocks


def test_the_scans_own_sql_names_the_models_tables_and_columns():
    """PostgreSQL runs the scan as hand-written statements: they must name what the models
    declare."""
    from nordesk.sla.clocks import BREACH_BATCH_SQL, BREACH_EVENTS_SQL, WARNING_BATCH_SQL
    from nordesk.sla.models import SlaClock, SlaEvent

    for model, columns in (
        (SlaClock, ("id", "state", "due_at", "warned_at", "warning_at", "breached_at", "kind")),
        (SlaClock, ("ticket_id", "policy_id")),
        (SlaEvent, ("ticket_id", "policy_id", "target", "kind", "at")),
    ):
        declared = {field.column for field in model._meta.concrete_fields}
        assert set(columns) <= declared
        assert model._meta.db_table in BREACH_BATCH_SQL
        assert model._meta.db_table in BREACH_EVENTS_SQL
    assert SlaClock._meta.db_table in WARNING_BATCH_SQL
