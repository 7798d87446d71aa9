"""Time rules: timers written when a ticket enters what a rule watches, fired once when due,
conditions re-checked at firing, due times in business hours."""

import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from django.utils import timezone

from nordesk.automation import services
from nordesk.automation.models import AutomationRun, AutomationTimer, Notification
from nordesk.sla import services as sla_services
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import Message, Ticket
from tests.factories import make_personas, make_ticket
from tests.markers import postgresql_only

DAY = 24 * 60
PENDING = {"all": [{"field": "status", "operator": "is", "value": "pending"}]}
OSLO = ZoneInfo("Europe/Oslo")


def rule(name, *, since="status_changed", minutes, conditions=PENDING, actions, **fields):
    return services.time_rule_create(
        name=name,
        since=since,
        after_minutes=minutes,
        conditions=conditions,
        actions=actions,
        **fields,
    )


def status(ticket) -> str:
    return Ticket.objects.get(pk=ticket.pk).status


def later(**delta) -> datetime:
    return timezone.now() + timedelta(**delta)


@pytest.mark.django_db
class TestTimers:
    def test_pending_seven_days_solves_once(self, people):
        made = rule("Løs", minutes=7 * DAY, actions=[{"type": "set_status", "value": "solved"}])
        ticket_services.ticket_change_status(ticket=people.ticket, status="pending", actor=None)
        timer = AutomationTimer.objects.get()
        assert (timer.rule_id, timer.ticket_id, timer.kind) == (
            made.pk,
            people.ticket.pk,
            "status_changed",
        )

        # not yet after six days
        assert services.timers_fire(now=later(days=6)) == 0
        assert status(people.ticket) == "pending"

        # after seven it is solved, once
        assert services.timers_fire(now=later(days=7, minutes=1)) == 1
        assert status(people.ticket) == "solved"
        assert services.timers_fire(now=later(days=8)) == 0
        run = AutomationRun.objects.get()
        assert (run.time_rule_id, run.name, run.event, run.error) == (made.pk, "Løs", "timer", "")
        assert AutomationTimer.objects.get().outcome == "fired"

    def test_pending_three_business_days_reminds_the_customer(self, people):
        rule(
            "Påminnelse",
            minutes=3 * DAY,
            actions=[
                {
                    "type": "send_reply",
                    "text": "Hei {{ customer.first_name }}, trenger du mer hjelp?",
                }
            ],
        )
        ticket_services.ticket_change_status(ticket=people.ticket, status="pending", actor=None)
        services.timers_fire(now=later(days=3, minutes=1))
        reply = Message.objects.filter(ticket=people.ticket, direction="out").get()
        assert reply.text == "Hei Sofie, trenger du mer hjelp?"
        assert status(people.ticket) == "pending"  # the reminder does not change the status

    def test_a_ticket_no_longer_pending_is_not_solved(self, people):
        rule("Løs", minutes=7 * DAY, actions=[{"type": "set_status", "value": "solved"}])
        ticket_services.ticket_change_status(ticket=people.ticket, status="pending", actor=None)
        ticket_services.ticket_change_status(ticket=people.ticket, status="open", actor=None)

        services.timers_fire(now=later(days=8))

        assert status(people.ticket) == "open"
        assert AutomationTimer.objects.get().outcome == "superseded"
        assert not AutomationRun.objects.exists()

    def test_conditions_are_checked_again_when_the_timer_fires(self, people):
        conditions = {
            "all": [
                {"field": "status", "operator": "is", "value": "pending"},
                {"field": "priority", "operator": "is_not", "value": "urgent"},
            ]
        }
        rule(
            "Løs",
            minutes=60,
            conditions=conditions,
            actions=[{"type": "set_status", "value": "solved"}],
        )
        ticket_services.ticket_change_status(ticket=people.ticket, status="pending", actor=None)
        # a change the rule does not count from: the timer stays, its conditions no longer hold
        ticket_services.ticket_set_priority(ticket=people.ticket, priority="urgent", actor=None)

        assert services.timers_fire(now=later(minutes=61)) == 1

        assert status(people.ticket) == "pending"
        assert AutomationTimer.objects.get().outcome == "skipped"

    def test_entering_pending_again_is_a_new_occurrence(self, people):
        rule("Løs", minutes=60, actions=[{"type": "set_status", "value": "solved"}])
        ticket = people.ticket
        start = timezone.now()
        services.timers_start(
            ticket=_with_status(ticket, "pending"), kinds=("status_changed",), at=start
        )
        # the same moment seen twice is one occurrence
        services.timers_start(
            ticket=_with_status(ticket, "pending"), kinds=("status_changed",), at=start
        )
        services.timers_start(
            ticket=_with_status(ticket, "pending"),
            kinds=("status_changed",),
            at=start + timedelta(minutes=30),
        )
        timers = list(AutomationTimer.objects.order_by("id"))
        assert len(timers) == 2
        assert timers[0].outcome == "superseded"
        assert timers[1].due_at == start + timedelta(minutes=90)
        assert timers[1].fired_at is None

    def test_solved_four_days_closes(self, people):
        rule(
            "Lukk",
            minutes=4 * DAY,
            conditions={"all": [{"field": "status", "operator": "is", "value": "solved"}]},
            actions=[{"type": "set_status", "value": "closed"}],
        )
        ticket_services.ticket_change_status(ticket=people.ticket, status="solved", actor=None)
        services.timers_fire(now=later(days=4, minutes=1))
        assert status(people.ticket) == "closed"

    def test_unassigned_thirty_minutes_notifies_the_supervisors(self, people):
        rule(
            "Ingen eier",
            since="created",
            minutes=30,
            conditions={"all": [{"field": "assignee", "operator": "is", "value": None}]},
            actions=[
                {"type": "notify", "to": ["supervisors"], "text": "#{{ ticket.number }} venter"}
            ],
        )
        waiting = make_ticket(team=people.billing, address="a@example.no")
        taken = make_ticket(team=people.billing, address="b@example.no")
        ticket_services.ticket_assign(ticket=taken, assignee_id=people.kari.user_id, actor=None)

        assert services.timers_fire(now=later(minutes=31)) == 2

        notification = Notification.objects.get()
        assert (notification.recipient_id, notification.ticket_id) == (
            people.siri.user_id,
            waiting.pk,
        )
        assert notification.text == f"#{waiting.number} venter"

    def test_business_hours_count_across_the_weekend(self, people):
        calendar = sla_services.calendar_create(
            name="Oslo",
            time_zone="Europe/Oslo",
            country="NO",
            hours=[(day, time(8), time(16)) for day in range(5)],
            is_default=True,
        )
        rule(
            "Påminn",
            minutes=3 * 8 * 60,  # three business days of eight hours
            business_hours=True,
            actions=[{"type": "add_tags", "value": ["påminnet"]}],
        )
        # Friday 17 September 2027, 15:00 in Oslo: 1 h on Friday, 8 h Mon and Tue, 7 h Wed
        friday = datetime(2027, 9, 17, 15, 0, tzinfo=OSLO)
        services.timers_start(
            ticket=_with_status(people.ticket, "pending"), kinds=("status_changed",), at=friday
        )
        timer = AutomationTimer.objects.get()
        assert timer.due_at == datetime(2027, 9, 22, 15, 0, tzinfo=OSLO)
        # an explicit calendar too, and calendar time without business hours
        assert services.timer_due_at(
            start=friday, after_minutes=120, business_hours=True, calendar_id=calendar.pk
        ) == datetime(2027, 9, 20, 9, 0, tzinfo=OSLO)
        assert services.timer_due_at(
            start=friday, after_minutes=120, business_hours=False, calendar_id=None
        ) == datetime(2027, 9, 17, 17, 0, tzinfo=OSLO)

    def test_history_far_in_the_past_writes_no_timer(self, people):
        rule("Løs", minutes=60, actions=[{"type": "set_status", "value": "solved"}])
        long_ago = datetime(2020, 1, 1, tzinfo=UTC)
        services.timers_start(
            ticket=_with_status(people.ticket, "pending"), kinds=("status_changed",), at=long_ago
        )
        assert not AutomationTimer.objects.exists()

    def test_no_time_rules_cost_no_query(self, people, django_assert_num_queries):
        services.timers_start(ticket=people.ticket, kinds=("status_changed",), at=timezone.now())
        with django_assert_num_queries(0):
            services.timers_start(
                ticket=people.ticket, kinds=("status_changed",), at=timezone.now()
            )


def _with_status(ticket: Ticket, value: str) -> Ticket:
    """The ticket as a status change presents it to handlers (the row itself unchanged)."""
    ticket = Ticket.objects.get(pk=ticket.pk)
    ticket.status = value
    return ticket


@pytest.mark.django_db(transaction=True)
@postgresql_only("needs concurrent connections")
def test_two_workers_fire_each_timer_exactly_once():
    people = make_personas()
    rule("Tag", minutes=1, actions=[{"type": "add_tags", "value": ["fired"]}])
    tickets = [make_ticket(team=people.billing, address=f"c{i}@example.no") for i in range(20)]
    for ticket in tickets:
        ticket_services.ticket_change_status(ticket=ticket, status="pending", actor=None)
    assert AutomationTimer.objects.count() == 20

    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[Exception] = []

    def work() -> None:
        try:
            barrier.wait()
            counts.append(services.timers_fire(now=later(minutes=5), limit=3))
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(counts) == 20
    assert AutomationRun.objects.count() == 20
    assert set(AutomationTimer.objects.values_list("outcome", flat=True)) == {"fired"}
