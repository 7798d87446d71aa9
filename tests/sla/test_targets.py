"""Next response, reopening, imports, warnings and the ticket's SLA due time."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nordesk.sla import selectors, services
from nordesk.sla.models import SlaClock, SlaEvent
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import Ticket
from tests.factories import inbound

pytestmark = pytest.mark.django_db


def new_ticket(*, at=None, team=None, key="conv-1", **fields):
    message = ticket_services.receive(
        replace(inbound(received_at=at, team=team, thread_keys=(key,)), **fields)
    )
    return message.ticket


def customer_writes(key="conv-1", text="Her er mer informasjon.", at=None):
    return ticket_services.receive(inbound(thread_keys=(key,), text=text, received_at=at))


def clock(ticket, kind):
    return SlaClock.objects.get(ticket=ticket, kind=kind)


def events(ticket, target=None):
    rows = SlaEvent.objects.filter(ticket=ticket)
    if target:
        rows = rows.filter(target=target)
    return list(rows.values_list("target", "kind", "at"))


def due(ticket):
    return Ticket.objects.values_list("sla_due_at", flat=True).get(pk=ticket.pk)


@pytest.fixture
def emitted(monkeypatch):
    """What the scan emits, as (name, payload) in order."""
    calls = []
    monkeypatch.setattr(
        "nordesk.sla.clocks.emit", lambda name, **payload: calls.append((name, payload))
    )
    return calls


# --- next response -------------------------------------------------------------------------


def test_customer_message_after_an_answer_starts_next_response(people):
    # given: a ticket answered once
    services.policy_create(
        name="Standard",
        first_response_minutes=60,
        next_response_minutes=30,
        resolution_minutes=600,
    )
    ticket = new_ticket(team=people.billing)
    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Hvilken faktura?")
    assert not SlaClock.objects.filter(ticket=ticket, kind="next_response").exists()

    # when: the customer writes back
    answer = customer_writes()

    # then: the next answer is due in 30 minutes, and that is the ticket's nearest deadline
    running = clock(ticket, "next_response")
    assert (running.state, running.started_at, running.due_at) == (
        "active",
        answer.created_at,
        answer.created_at + timedelta(minutes=30),
    )
    assert running.warning_at == answer.created_at + timedelta(minutes=22, seconds=30)
    assert events(ticket, "next_response") == [
        ("next_response", "applied", answer.created_at),
        ("next_response", "activated", answer.created_at),
    ]
    assert due(ticket) == running.due_at


def test_next_reply_fulfils_next_response_and_a_later_message_reuses_the_row(people):
    services.policy_create(name="Standard", first_response_minutes=60, next_response_minutes=30)
    ticket = new_ticket(team=people.billing)
    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Hei")
    customer_writes()
    customer_writes(text="Og en ting til")  # one running cycle: no second start

    reply = ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Svar")

    met = clock(ticket, "next_response")
    assert (met.state, met.fulfilled_at) == ("fulfilled", reply.created_at)
    assert due(ticket) is None  # nothing runs any more

    # when: the customer writes a third time, much later in the story
    third = customer_writes(text="Takk, men …")

    # then: the same row counts a new cycle from zero
    again = clock(ticket, "next_response")
    assert again.pk == met.pk
    assert (again.state, again.business_elapsed_seconds, again.fulfilled_at) == (
        "active",
        0,
        None,
    )
    assert again.due_at == third.created_at + timedelta(minutes=30)
    kinds = [kind for _t, kind, _at in events(ticket, "next_response")]
    assert kinds == ["applied", "activated", "fulfilled", "applied", "activated"]
    assert SlaClock.objects.filter(ticket=ticket, kind="next_response").count() == 1


def test_late_next_response_cycle_breaches_and_the_next_cycle_starts_clean(people, emitted):
    services.policy_create(name="Standard", first_response_minutes=60, next_response_minutes=30)
    ticket = new_ticket(team=people.billing, at=timezone.now() - timedelta(hours=3))
    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Hei")
    customer_writes(at=timezone.now() - timedelta(hours=1))
    assert services.sla_breaches_mark(timezone.now()) == 1
    assert clock(ticket, "next_response").state == "breached"
    assert due(ticket) == clock(ticket, "next_response").due_at  # breached still runs

    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Beklager")
    customer_writes(text="Ok")

    fresh = clock(ticket, "next_response")
    assert (fresh.state, fresh.breached_at, fresh.warned_at) == ("active", None, None)


def test_next_response_pauses_on_hold_and_resumes(people):
    services.policy_create(
        name="Standard", first_response_minutes=60, next_response_minutes=30,
        pause_when_pending=True,
    )  # fmt: skip
    ticket = new_ticket(team=people.billing)
    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Hei")
    customer_writes()

    ticket_services.ticket_change_status(ticket=ticket, status="on_hold", actor=people.kari.user)
    paused = clock(ticket, "next_response")
    assert (paused.state, paused.due_at, paused.warning_at) == ("paused", None, None)
    assert due(ticket) is None

    ticket_services.ticket_change_status(ticket=ticket, status="open", actor=people.kari.user)
    resumed = clock(ticket, "next_response")
    assert resumed.state == "active"
    assert due(ticket) == resumed.due_at
    kinds = [kind for _t, kind, _at in events(ticket, "next_response")]
    assert kinds == ["applied", "activated", "paused", "resumed"]


def test_customer_message_before_any_answer_starts_no_next_response(people):
    services.policy_create(name="Standard", first_response_minutes=60, next_response_minutes=30)
    ticket = new_ticket(team=people.billing)

    customer_writes(text="Hallo?")

    assert list(ticket.sla_clocks.values_list("kind", flat=True)) == ["first_response"]


def test_solving_fulfils_a_running_next_response(people):
    services.policy_create(name="Standard", first_response_minutes=60, next_response_minutes=30)
    ticket = new_ticket(team=people.billing)
    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Hei")
    customer_writes()

    ticket_services.ticket_change_status(ticket=ticket, status="solved", actor=people.kari.user)

    assert clock(ticket, "next_response").state == "fulfilled"


# --- reopening -----------------------------------------------------------------------------


def test_reopened_ticket_continues_its_resolution_clock(people):
    # given: solved after about 30 minutes of a 2-hour target
    services.policy_create(name="Standard", resolution_minutes=120)
    ticket = new_ticket(team=people.billing, at=timezone.now() - timedelta(minutes=30))
    ticket_services.ticket_change_status(ticket=ticket, status="solved", actor=people.kari.user)
    solved = clock(ticket, "resolution")
    assert solved.state == "fulfilled"
    assert due(ticket) is None

    # when: the customer writes again
    answer = customer_writes(text="Det virker fortsatt ikke.")

    # then: the clock counts on from where it stopped
    reopened = clock(ticket, "resolution")
    left = timedelta(minutes=120) - timedelta(seconds=solved.business_elapsed_seconds)
    assert (reopened.state, reopened.fulfilled_at) == ("active", None)
    assert reopened.business_elapsed_seconds == solved.business_elapsed_seconds
    assert reopened.due_at == answer.created_at + left
    assert due(ticket) == reopened.due_at
    assert [kind for _t, kind, _at in events(ticket)] == [
        "applied",
        "activated",
        "fulfilled",
        "activated",
    ]


def test_agent_reopening_a_breached_resolution_keeps_it_breached(people):
    services.policy_create(name="Standard", resolution_minutes=60)
    ticket = new_ticket(team=people.billing, at=timezone.now() - timedelta(hours=3))
    services.sla_breaches_mark(timezone.now())
    ticket_services.ticket_change_status(ticket=ticket, status="solved", actor=people.kari.user)
    breached_at = clock(ticket, "resolution").breached_at

    ticket_services.ticket_change_status(ticket=ticket, status="open", actor=people.kari.user)

    reopened = clock(ticket, "resolution")
    assert (reopened.state, reopened.breached_at, reopened.fulfilled_at) == (
        "breached",
        breached_at,
        None,
    )
    assert reopened.due_at is not None
    assert reopened.due_at <= timezone.now()
    assert selectors.clocks_for_ticket(ticket.pk)[0].status == "breached"
    assert [kind for _t, kind, _at in events(ticket)][-2:] == ["fulfilled", "activated"]


# --- the ticket's due time -----------------------------------------------------------------


def test_ticket_sla_due_at_follows_the_running_clocks(people):
    services.policy_create(
        name="Standard", first_response_minutes=60, resolution_minutes=600,
        pause_when_pending=True,
    )  # fmt: skip
    ticket = new_ticket(team=people.billing)
    first, resolution = clock(ticket, "first_response"), clock(ticket, "resolution")
    assert due(ticket) == first.due_at  # the earlier of the two

    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Hei")
    assert due(ticket) is None  # first response met, resolution paused while pending

    customer_writes()
    assert due(ticket) == clock(ticket, "resolution").due_at

    ticket_services.ticket_change_status(ticket=ticket, status="solved", actor=people.kari.user)
    assert due(ticket) is None
    assert resolution.pk == clock(ticket, "resolution").pk


def test_starting_clocks_costs_one_ticket_update(people):
    services.policy_create(name="Standard", first_response_minutes=60, resolution_minutes=600)
    new_ticket(team=people.billing)  # warms the policy cache
    message = inbound(team=people.billing, address="ingrid@example.no")

    with CaptureQueriesContext(connection) as queries:
        ticket_services.receive(message)
    updates = [q["sql"] for q in queries.captured_queries if 'SET "sla_due_at"' in q["sql"]]
    assert len(updates) == 1


# --- history imports -----------------------------------------------------------------------


def test_imported_mail_starts_no_clocks_and_the_scan_breaches_nothing(tmp_path, emitted):
    from email.message import EmailMessage
    from email.utils import make_msgid

    from nordesk.connectors.email import importer
    from nordesk.connectors.email import services as email_services

    # given: a policy, and a mail archive from last year
    services.policy_create(name="Standard", first_response_minutes=60, resolution_minutes=600)
    mailbox = email_services.mailbox_create(
        name="Support", address="support@nordesk.test", inbound="smtp"
    )
    mail = EmailMessage()
    mail["From"] = "Ingrid Berg <ingrid@example.no>"
    mail["To"] = "support@nordesk.test"
    mail["Subject"] = "Gammel sak"
    mail["Date"] = "Thu, 12 Sep 2024 10:20:00 +0200"
    mail["Message-ID"] = make_msgid(domain="example.no")
    mail.set_content("Hei, dette er en gammel sak.")
    (tmp_path / "old.eml").write_bytes(bytes(mail))

    # when
    outcome = importer.mail_import(mailbox=mailbox, path=tmp_path / "old.eml")
    marked = services.sla_breaches_mark(timezone.now())

    # then: the old ticket exists, dated in 2024, with no clocks and no breach
    assert outcome["processed"] == 1
    ticket = Ticket.objects.get(subject="Gammel sak")
    assert ticket.created_at.year == 2024
    assert not SlaClock.objects.filter(ticket=ticket).exists()
    assert not SlaEvent.objects.filter(ticket=ticket).exists()
    assert (marked, emitted, ticket.sla_due_at) == (0, [], None)


def test_imported_message_on_a_live_ticket_moves_no_clock(people):
    services.policy_create(name="Standard", first_response_minutes=60, next_response_minutes=30)
    ticket = new_ticket(team=people.billing)
    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Hei")

    ticket_services.receive(replace(inbound(thread_keys=("conv-1",)), imported=True))

    assert not SlaClock.objects.filter(ticket=ticket, kind="next_response").exists()


# --- warnings ------------------------------------------------------------------------------


def test_scan_warns_at_the_policy_share_and_emits_once(emitted):
    # given: 100 minutes to answer, warn at half; the ticket came an hour ago
    services.policy_create(name="Standard", first_response_minutes=100, warning_percent=50)
    received = timezone.now() - timedelta(hours=1)
    ticket = new_ticket(at=received)
    warning_at = received + timedelta(minutes=50)
    assert clock(ticket, "first_response").warning_at == warning_at

    # when
    breached = services.sla_breaches_mark(timezone.now())
    services.sla_breaches_mark(timezone.now())

    # then: warned once, not breached, no new SlaEvent kind
    warned = clock(ticket, "first_response")
    assert (breached, warned.state, warned.warned_at) == (0, "active", warning_at)
    assert emitted == [
        (
            "sla_warning",
            {"clocks": [{"ticket_id": ticket.pk, "target": "first_response", "at": warning_at}]},
        )
    ]
    assert set(SlaEvent.objects.values_list("kind", flat=True)) == {"applied", "activated"}
    assert selectors.clocks_for_ticket(ticket.pk)[0].status == "warning"


def test_scan_breaches_without_a_warning_when_both_have_passed(emitted):
    services.policy_create(name="Standard", first_response_minutes=60)
    received = timezone.now() - timedelta(hours=2)
    ticket = new_ticket(at=received)

    assert services.sla_breaches_mark(timezone.now()) == 1

    late = clock(ticket, "first_response")
    due_at = received + timedelta(hours=1)
    assert (late.state, late.breached_at, late.warned_at) == (
        "breached",
        due_at,
        received + timedelta(minutes=45),
    )
    assert emitted == [
        (
            "sla_breached",
            {"clocks": [{"ticket_id": ticket.pk, "target": "first_response", "at": due_at}]},
        )
    ]


def test_warning_scan_query_count_does_not_grow(django_assert_num_queries):
    services.policy_create(name="Standard", first_response_minutes=100, warning_percent=10)
    for n in range(12):
        new_ticket(at=timezone.now() - timedelta(minutes=30), key=f"conv-{n}")

    # breaches: savepoint, the batch (none), release; warnings: savepoint, the batch, release;
    # a batch is one statement on PostgreSQL, else SELECT (and UPDATE when there are some)
    warnings = 1 if connection.vendor == "postgresql" else 2
    with django_assert_num_queries(3 + 2 + warnings):
        services.sla_breaches_mark(timezone.now())

    assert SlaClock.objects.filter(warned_at__isnull=False).count() == 12


def test_resume_recomputes_the_warning_time(people):
    services.policy_create(
        name="Standard", resolution_minutes=100, warning_percent=50, pause_when_pending=True
    )
    ticket = new_ticket(team=people.billing, at=timezone.now() - timedelta(minutes=20))
    ticket_services.ticket_change_status(ticket=ticket, status="on_hold", actor=people.kari.user)
    elapsed = clock(ticket, "resolution").business_elapsed_seconds

    ticket_services.ticket_change_status(ticket=ticket, status="open", actor=people.kari.user)

    resumed = clock(ticket, "resolution")
    assert resumed.warning_at == resumed.started_at + timedelta(minutes=50, seconds=-elapsed)
    assert resumed.due_at == resumed.started_at + timedelta(minutes=100, seconds=-elapsed)
