import pytest
from django.core import mail

from nordesk.accounts.errors import RoleForbids
from nordesk.tickets import services
from nordesk.tickets.errors import (
    AssigneeNotAgent,
    AttachmentNotFound,
    IllegalTransition,
    InvalidCustomField,
    MergeNotAllowed,
    TicketClosed,
    UnknownTeam,
)
from nordesk.tickets.models import (
    CustomFieldDefinition,
    EventKind,
    Message,
    Status,
    Ticket,
    TicketEvent,
    Visibility,
)
from tests.factories import inbound, make_ticket

pytestmark = pytest.mark.django_db


def _events(ticket, kind):
    return list(TicketEvent.objects.filter(ticket=ticket, kind=kind).order_by("id"))


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["open", "pending", "open", "on_hold", "solved", "closed"], True),
        (["solved", "open"], True),
        (["closed"], False),
        (["open", "new"], False),
        (["solved", "pending"], False),
    ],
)
def test_ticket_change_status_follows_lifecycle(people, path, allowed):
    ticket = people.ticket
    *steps, last = path
    for step in steps:
        ticket = services.ticket_change_status(ticket=ticket, status=step, actor=people.kari.user)
    if allowed:
        ticket = services.ticket_change_status(ticket=ticket, status=last, actor=people.kari.user)
        assert Ticket.objects.get(pk=ticket.pk).status == last
    else:
        with pytest.raises(IllegalTransition) as exc:
            services.ticket_change_status(ticket=ticket, status=last, actor=people.kari.user)
        assert "cannot go from" in exc.value.message
        assert Ticket.objects.get(pk=ticket.pk).status == steps[-1] if steps else "new"


def test_ticket_change_status_writes_history_with_actor(people):
    services.ticket_change_status(ticket=people.ticket, status="open", actor=people.kari.user)
    (event,) = _events(people.ticket, EventKind.STATUS)
    assert event.data == {"old": "new", "new": "open"}
    assert event.actor_user == people.kari.user
    assert event.actor_kind == "agent"


def test_closed_ticket_is_final(people):
    ticket = services.ticket_change_status(ticket=people.ticket, status="solved", actor=None)
    ticket = services.ticket_change_status(ticket=ticket, status="closed", actor=None)
    with pytest.raises(TicketClosed):
        services.ticket_change_status(ticket=ticket, status="open", actor=people.kari.user)
    with pytest.raises(TicketClosed):
        services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Hei")
    with pytest.raises(TicketClosed):
        services.ticket_set_priority(ticket=ticket, priority="high", actor=people.kari.user)


def test_solved_sets_and_reopen_clears_solved_at(people):
    ticket = services.ticket_change_status(ticket=people.ticket, status="solved", actor=None)
    assert ticket.solved_at is not None
    ticket = services.ticket_change_status(ticket=ticket, status="open", actor=None)
    assert ticket.solved_at is None


def test_ticket_reply_sends_email_sets_first_response_and_pending(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.ticket_reply(
            ticket=people.ticket, actor=people.kari.user, text="Vi ser på saken."
        )
    ticket = Ticket.objects.get(pk=people.ticket.pk)
    assert message.direction == "out"
    assert message.visibility == Visibility.PUBLIC
    assert ticket.status == Status.PENDING
    assert ticket.first_response_at == message.created_at
    (sent,) = mail.outbox
    assert sent.to == ["sofie@example.no"]
    assert f"[#{ticket.number}]" in sent.subject
    assert "Vi ser på saken." in sent.body
    assert _events(ticket, EventKind.MESSAGE_OUT)[0].data["message_id"] == message.pk


def test_ticket_reply_with_status_solved(people):
    services.ticket_reply(
        ticket=people.ticket, actor=people.kari.user, text="Løst!", status="solved"
    )
    assert Ticket.objects.get(pk=people.ticket.pk).status == Status.SOLVED


def test_light_agent_cannot_reply_but_can_note(people):
    with pytest.raises(RoleForbids):
        services.ticket_reply(ticket=people.ticket, actor=people.lars.user, text="Hei")
    note = services.ticket_add_note(ticket=people.ticket, actor=people.lars.user, text="Sjekk")
    assert note.visibility == Visibility.INTERNAL
    assert Message.objects.filter(ticket=people.ticket, direction="out").count() == 1


def test_note_is_never_emailed(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_add_note(ticket=people.ticket, actor=people.kari.user, text="Intern")
    assert mail.outbox == []


def test_reply_with_foreign_upload_rolls_back(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = services.attachment_upload(
        uploaded_by=people.ole.user, file=SimpleUploadedFile("a.txt", b"hello")
    )
    with pytest.raises(AttachmentNotFound):
        services.ticket_reply(
            ticket=people.ticket,
            actor=people.kari.user,
            text="Se vedlegg",
            attachment_ids=[upload.pk],
        )
    assert not Message.objects.filter(ticket=people.ticket, direction="out").exists()
    assert Ticket.objects.get(pk=people.ticket.pk).status == Status.NEW


def test_ticket_assign_opens_new_ticket_and_records_history(people):
    ticket = services.ticket_assign(
        ticket=people.ticket, assignee_id=people.kari.user_id, actor=people.siri.user
    )
    assert ticket.assignee_id == people.kari.user_id
    assert ticket.status == Status.OPEN
    (event,) = _events(ticket, EventKind.ASSIGNMENT)
    assert event.data == {"old": None, "new": people.kari.user_id}


def test_ticket_assign_refuses_light_agent_and_unknown_user(people):
    with pytest.raises(AssigneeNotAgent):
        services.ticket_assign(ticket=people.ticket, assignee_id=people.lars.user_id, actor=None)
    with pytest.raises(AssigneeNotAgent):
        services.ticket_assign(ticket=people.ticket, assignee_id=999999, actor=None)


def test_ticket_set_team_and_unknown_team(people):
    ticket = services.ticket_set_team(
        ticket=people.ticket, team_id=people.technical.pk, actor=people.siri.user
    )
    assert ticket.team_id == people.technical.pk
    with pytest.raises(UnknownTeam):
        services.ticket_set_team(ticket=ticket, team_id=424242, actor=None)


def test_ticket_set_priority(people):
    ticket = services.ticket_set_priority(ticket=people.ticket, priority="urgent", actor=None)
    assert ticket.priority == "urgent"
    assert _events(ticket, EventKind.PRIORITY)[0].data == {"old": "normal", "new": "urgent"}
    with pytest.raises(IllegalTransition):
        services.ticket_set_priority(ticket=ticket, priority="whenever", actor=None)


def test_ticket_tag_adds_and_removes_normalised(people):
    services.ticket_tag(ticket=people.ticket, add=["Faktura", "VIP kunde"], actor=None)
    services.ticket_tag(ticket=people.ticket, remove=["faktura"], actor=None)
    assert list(people.ticket.tags.values_list("name", flat=True)) == ["vip-kunde"]
    added, removed = _events(people.ticket, EventKind.TAGS)
    assert added.data == {"added": ["faktura", "vip-kunde"], "removed": []}
    assert removed.data == {"added": [], "removed": ["faktura"]}


@pytest.fixture
def fields(db):
    CustomFieldDefinition.objects.create(key="order", label="Order number", kind="number")
    CustomFieldDefinition.objects.create(
        key="product", label="Product", kind="choice", choices=["Fiber", "Mobil"]
    )
    CustomFieldDefinition.objects.create(key="due", label="Due", kind="date")
    CustomFieldDefinition.objects.create(key="vip", label="VIP", kind="checkbox")


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"order": "abc"}, "Order number must be a number."),
        ({"product": "TV"}, "Product must be one of Fiber, Mobil."),
        ({"due": "31.12.2026"}, "Due must be a date as YYYY-MM-DD."),
        ({"vip": "yes"}, "VIP must be true or false."),
        ({"colour": "red"}, "Unknown custom field 'colour'."),
    ],
)
def test_ticket_set_fields_validates(people, fields, values, error):
    with pytest.raises(InvalidCustomField) as exc:
        services.ticket_set_fields(ticket=people.ticket, values=values, actor=None)
    assert exc.value.message == error


def test_ticket_set_fields_stores_clean_values(people, fields):
    ticket = services.ticket_set_fields(
        ticket=people.ticket,
        values={"order": "1042", "product": "Fiber", "due": "2026-12-31", "vip": True},
        actor=None,
    )
    assert ticket.custom_fields == {
        "order": 1042,
        "product": "Fiber",
        "due": "2026-12-31",
        "vip": True,
    }
    assert _events(ticket, EventKind.FIELDS)[0].data["order"] == {"old": None, "new": 1042}


def test_ticket_update_is_all_or_nothing(people):
    with pytest.raises(IllegalTransition):
        services.ticket_update(
            ticket=people.ticket,
            changes={"priority": "high", "status": "closed"},
            actor=people.kari.user,
        )
    ticket = Ticket.objects.get(pk=people.ticket.pk)
    assert ticket.priority == "normal"
    assert not TicketEvent.objects.filter(ticket=ticket, kind=EventKind.PRIORITY).exists()


def test_ticket_merge_moves_messages_and_threading(people):
    source = services.receive(inbound(external_id="<src@m>", subject="Dobbel")).ticket
    target = people.ticket
    services.ticket_tag(ticket=source, add=["dobbel"], actor=None)

    services.ticket_merge(source=source, target=target, actor=people.kari.user)

    source = Ticket.objects.get(pk=source.pk)
    assert source.status == Status.CLOSED
    assert source.merged_into_id == target.pk
    assert Message.objects.filter(ticket=target).count() == 2
    assert list(target.tags.values_list("name", flat=True)) == ["dobbel"]
    later = services.receive(inbound(external_id="<later@m>", thread_keys=("<src@m>",)))
    assert later.ticket_id == target.pk
    assert _events(source, EventKind.MERGED)[0].data["into"] == target.pk
    assert _events(target, EventKind.MERGED)[0].data["from"] == source.pk


def test_ticket_merge_refuses_self_and_closed(people):
    with pytest.raises(MergeNotAllowed):
        services.ticket_merge(source=people.ticket, target=people.ticket, actor=None)
    other = make_ticket(address="other@example.no")
    services.ticket_change_status(ticket=other, status="solved", actor=None)
    services.ticket_change_status(ticket=other, status="closed", actor=None)
    with pytest.raises(MergeNotAllowed):
        services.ticket_merge(source=people.ticket, target=other, actor=None)


@pytest.mark.parametrize(
    "change",
    [
        lambda t, a: services.ticket_change_status(ticket=t, status="open", actor=a),
        lambda t, a: services.ticket_set_priority(ticket=t, priority="high", actor=a),
        lambda t, a: services.ticket_assign(ticket=t, assignee_id=None, actor=a),
        lambda t, a: services.ticket_set_team(ticket=t, team_id=None, actor=a),
        lambda t, a: services.ticket_tag(ticket=t, add=["x"], actor=a),
        lambda t, a: services.ticket_set_fields(ticket=t, values={}, actor=a),
        lambda t, a: services.ticket_merge(source=t, target=make_ticket(), actor=a),
    ],
)
def test_light_agent_changes_are_refused_by_the_services(people, change):
    with pytest.raises(RoleForbids):
        change(people.ticket, people.lars.user)
    ticket = Ticket.objects.get(pk=people.ticket.pk)
    assert (ticket.status, ticket.priority, ticket.team_id) == ("new", "normal", people.billing.pk)


def test_reply_on_solved_ticket_keeps_it_solved(people):
    ticket = services.ticket_change_status(ticket=people.ticket, status="solved", actor=None)
    services.ticket_reply(ticket=ticket, actor=people.kari.user, text="PS: kvittering vedlagt")
    assert Ticket.objects.get(pk=ticket.pk).status == Status.SOLVED


def test_remote_images_are_stored_with_inline_images():
    """Kept in what is stored; the ticket page does not load them until asked
    (tests/web/test_message_frames.py, tests/web/test_browser_messages.py)."""
    from nordesk.tickets.services.html import html_sanitise

    clean = html_sanitise(
        '<img src="https://tracker.example/pixel.gif"><img src="cid:logo@mail" alt="logo">'
        '<img src="javascript:alert(1)">'
    )
    assert 'src="https://tracker.example/pixel.gif"' in clean
    assert 'src="cid:logo@mail"' in clean
    assert "javascript:" not in clean
