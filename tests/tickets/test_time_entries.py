from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from nordesk.core.errors import Invalid, NotFound, PermissionDenied
from nordesk.tickets import services, time_selectors
from nordesk.tickets.models import EventKind, TicketEvent, TimeEntry

pytestmark = pytest.mark.django_db


def _time_events(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket, kind=EventKind.TIME_SPENT).order_by("id"))


def _history_total(ticket) -> int:
    return sum(event.data["seconds"] for event in _time_events(ticket))


def _entries_total(ticket) -> int:
    return TimeEntry.objects.filter(ticket=ticket).aggregate(s=Sum("seconds"))["s"] or 0


def test_time_entry_add_writes_the_event_of_the_contract(people):
    # when
    entry = services.time_entry_add(
        ticket=people.ticket, actor=people.kari.user, seconds=900, note=" Called the customer "
    )
    # then
    assert entry.note == "Called the customer"
    [event] = _time_events(people.ticket)
    assert event.actor_user_id == people.kari.user_id
    assert event.data == {
        "seconds": 900,
        "agent": people.kari.user_id,
        "source": "manual",
        "entry": entry.pk,
    }


def test_time_entry_update_and_delete_write_the_difference(people):
    entry = services.time_entry_add(ticket=people.ticket, actor=people.kari.user, seconds=600)
    # when a supervisor corrects it, then the agent removes it
    services.time_entry_update(entry=entry, actor=people.siri.user, seconds=420, note="fixed")
    assert _history_total(people.ticket) == _entries_total(people.ticket) == 420
    services.time_entry_delete(entry=entry, actor=people.kari.user)
    # then
    events = _time_events(people.ticket)
    assert [e.data["seconds"] for e in events] == [600, -180, -420]
    # handle time stays with who spent it, whoever corrected it
    assert {e.data["agent"] for e in events} == {people.kari.user_id}
    assert {e.actor_user_id for e in events} == {people.kari.user_id}
    assert _history_total(people.ticket) == _entries_total(people.ticket) == 0


def test_time_entry_update_without_a_change_of_time_writes_no_event(people):
    entry = services.time_entry_add(ticket=people.ticket, actor=people.kari.user, seconds=600)
    services.time_entry_update(entry=entry, actor=people.kari.user, seconds=600, note="just a note")
    assert len(_time_events(people.ticket)) == 1
    entry.refresh_from_db()
    assert entry.note == "just a note"


def test_time_entry_of_another_agent_cannot_be_changed_by_an_agent(people):
    entry = services.time_entry_add(ticket=people.ticket, actor=people.kari.user, seconds=600)
    with pytest.raises(PermissionDenied):
        services.time_entry_update(entry=entry, actor=people.ole.user, seconds=60, note="")
    with pytest.raises(PermissionDenied):
        services.time_entry_delete(entry=entry, actor=people.lars.user)
    # an admin may
    services.time_entry_delete(entry=entry, actor=people.astrid.user)
    assert not TimeEntry.objects.exists()


def test_time_entry_add_by_a_light_agent(people):
    services.time_entry_add(ticket=people.ticket, actor=people.lars.user, seconds=120)
    assert _history_total(people.ticket) == 120


@pytest.mark.parametrize(
    ("seconds", "started_in", "note"),
    [
        (0, timedelta(0), ""),
        (-60, timedelta(0), ""),
        (24 * 3600 + 1, timedelta(0), ""),
        (60, timedelta(hours=1), ""),
        (60, timedelta(0), "x" * 201),
    ],
)
def test_time_entry_add_refuses_absurd_values(people, seconds, started_in, note):
    with pytest.raises(Invalid):
        services.time_entry_add(
            ticket=people.ticket,
            actor=people.kari.user,
            seconds=seconds,
            started_at=timezone.now() + started_in,
            note=note,
        )
    assert not _time_events(people.ticket)


def test_time_entry_tracked_cannot_be_edited_by_hand(people):
    entry = services.time_entry_track(
        ticket=people.ticket,
        actor=people.kari.user,
        session="page-1",
        seconds=30,
        opened_at=timezone.now() - timedelta(minutes=1),
    )
    with pytest.raises(Invalid):
        services.time_entry_update(entry=entry, actor=people.kari.user, seconds=3000, note="")
    with pytest.raises(Invalid):
        services.time_entry_delete(entry=entry, actor=people.siri.user)


def test_time_entry_track_grows_one_entry_per_visit_and_ignores_stale_reports(people):
    opened = timezone.now() - timedelta(minutes=20)
    track = lambda seconds, session="visit-a": services.time_entry_track(  # noqa: E731
        ticket=people.ticket,
        actor=people.kari.user,
        session=session,
        seconds=seconds,
        opened_at=opened,
    )
    # when: reports every few minutes, one repeated, one overtaken, then a second visit
    track(300)
    track(600)
    assert track(600) is None
    assert track(450) is None
    track(90, "visit-b")
    # then
    assert TimeEntry.objects.filter(source="tracked").count() == 2
    assert [e.data["seconds"] for e in _time_events(people.ticket)] == [300, 300, 90]
    assert _history_total(people.ticket) == _entries_total(people.ticket) == 690


def test_time_entry_track_caps_time_at_how_long_the_page_was_open(people):
    entry = services.time_entry_track(
        ticket=people.ticket,
        actor=people.kari.user,
        session="visit",
        seconds=10 * 3600,
        opened_at=timezone.now() - timedelta(minutes=10),
    )
    assert entry is not None
    # ten minutes open, plus the slack for clocks that disagree
    assert 600 <= entry.seconds <= 600 + 125


@pytest.mark.parametrize(
    ("session", "opened_in"),
    [("", -60), ("x" * 65, -60), ("visit", 3600), ("visit", -3 * 86400)],
)
def test_time_entry_track_refuses_bad_reports(people, session, opened_in):
    with pytest.raises(Invalid):
        services.time_entry_track(
            ticket=people.ticket,
            actor=people.kari.user,
            session=session,
            seconds=60,
            opened_at=timezone.now() + timedelta(seconds=opened_in),
        )


def test_handle_time_for_ticket_sums_per_agent(people, django_assert_num_queries):
    services.time_entry_add(ticket=people.ticket, actor=people.kari.user, seconds=600)
    services.time_entry_add(ticket=people.ticket, actor=people.lars.user, seconds=60)
    services.time_entry_add(ticket=people.ticket, actor=people.kari.user, seconds=300)
    with django_assert_num_queries(1):
        handle = time_selectors.handle_time_for_ticket(ticket=people.ticket)
    assert handle.total == 960 == _history_total(people.ticket)
    assert [(row.agent.pk, row.seconds) for row in handle.per_agent] == [
        (people.kari.user_id, 900),
        (people.lars.user_id, 60),
    ]
    assert len(handle.entries) == 3


def test_time_entry_get_for_agent_is_scoped_by_the_ticket(people):
    entry = services.time_entry_add(ticket=people.ticket, actor=people.kari.user, seconds=600)
    found = time_selectors.time_entry_get_for_agent(
        agent=people.kari, ticket_id=people.ticket.pk, entry_id=entry.pk
    )
    assert found == entry
    # Ole (Technical support) cannot see Billing's ticket
    with pytest.raises(NotFound):
        time_selectors.time_entry_get_for_agent(
            agent=people.ole, ticket_id=people.ticket.pk, entry_id=entry.pk
        )
