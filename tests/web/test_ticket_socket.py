"""The ticket page's socket (/ws/tickets/<id>/): who else has the ticket open or is typing,
and the messages that arrive while it is open. Through the real routing and consumer."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from nordesk.tickets import services
from nordesk.web.routing import websocket_urlpatterns
from tests.factories import inbound, make_personas

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anyio_backend():
    return "asyncio"


def _communicator(user, ticket_id: int, query: str = "") -> WebsocketCommunicator:
    path = f"/ws/tickets/{ticket_id}/" + (f"?{query}" if query else "")
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    communicator.scope["user"] = user
    return communicator


async def _open(user, ticket_id: int, query: str = "") -> WebsocketCommunicator:
    communicator = _communicator(user, ticket_id, query)
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def _received(communicator) -> dict:
    payload = await communicator.receive_json_from(timeout=3)
    assert json.loads(json.dumps(payload)) == payload
    return payload


async def test_agent_outside_the_tickets_scope_is_refused_with_4403():
    people = await database_sync_to_async(make_personas)()
    # Ole works in Technical support; the ticket is Billing's
    ole = _communicator(people.ole.user, people.ticket.pk)
    connected, _ = await ole.connect()
    assert connected  # accepted only to say why it closes
    assert await ole.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


async def test_socket_for_a_ticket_that_does_not_exist_is_refused_with_4403():
    people = await database_sync_to_async(make_personas)()
    kari = _communicator(people.kari.user, 999_999)
    await kari.connect()
    assert await kari.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


async def test_anonymous_socket_is_refused_with_4401():
    from django.contrib.auth.models import AnonymousUser

    people = await database_sync_to_async(make_personas)()
    stranger = _communicator(AnonymousUser(), people.ticket.pk)
    await stranger.connect()
    assert await stranger.receive_output(timeout=3) == {"type": "websocket.close", "code": 4401}


async def test_agents_on_the_same_ticket_see_each_other_join_and_leave():
    people = await database_sync_to_async(make_personas)()
    kari = await _open(people.kari.user, people.ticket.pk)

    # when Lars opens the same ticket
    lars = await _open(people.lars.user, people.ticket.pk)

    # then Kari is told Lars is viewing, and Lars learns that Kari is there
    assert await _received(kari) == {
        "type": "presence",
        "op": "viewing",
        "user_id": people.lars.user_id,
        "name": "Lars",
    }
    assert await _received(lars) == {
        "type": "presence",
        "op": "viewing",
        "user_id": people.kari.user_id,
        "name": "Kari",
    }

    # when Lars leaves, Kari is told
    await lars.disconnect()
    assert await _received(kari) == {
        "type": "presence",
        "op": "left",
        "user_id": people.lars.user_id,
        "name": "Lars",
    }
    await kari.disconnect()


async def test_presence_stays_on_its_own_ticket():
    people = await database_sync_to_async(make_personas)()
    other = await database_sync_to_async(
        lambda: (
            services.receive(
                inbound(address="nils@example.dk", subject="Nyt kort", team=people.billing)
            ).ticket
        )
    )()
    kari = await _open(people.kari.user, people.ticket.pk)
    lars = await _open(people.lars.user, other.pk)

    assert await kari.receive_nothing(timeout=0.3)
    assert await lars.receive_nothing(timeout=0.3)
    await kari.disconnect()
    await lars.disconnect()


async def test_typing_is_announced_to_the_others_once_per_burst():
    people = await database_sync_to_async(make_personas)()
    kari = await _open(people.kari.user, people.ticket.pk)
    lars = await _open(people.lars.user, people.ticket.pk)
    await _received(kari)  # Lars is viewing
    await _received(lars)  # Kari is viewing

    # when Lars types in the note box, a few signals in a row
    for _ in range(3):
        await lars.send_json_to({"type": "typing", "form": "note"})

    # then Kari hears it once; Lars does not hear himself
    assert await _received(kari) == {
        "type": "presence",
        "op": "typing",
        "user_id": people.lars.user_id,
        "name": "Lars",
        "form": "note",
    }
    assert await kari.receive_nothing(timeout=0.3)
    assert await lars.receive_nothing(timeout=0.1)
    await kari.disconnect()
    await lars.disconnect()


@pytest.mark.parametrize(
    "sent",
    [
        {"type": "typing", "form": "<script>"},
        {"type": "typing"},
        {"type": "shout", "text": "hei"},
        ["typing"],
        {"type": "seen", "message_id": "12; drop"},
    ],
)
async def test_malformed_messages_from_a_page_are_ignored(sent):
    people = await database_sync_to_async(make_personas)()
    kari = await _open(people.kari.user, people.ticket.pk)
    lars = await _open(people.lars.user, people.ticket.pk)
    await _received(kari)
    await _received(lars)

    await lars.send_json_to(sent)

    assert await kari.receive_nothing(timeout=0.3)
    # and Lars's socket still works
    await lars.send_json_to({"type": "typing", "form": "reply"})
    assert (await _received(kari))["op"] == "typing"
    await kari.disconnect()
    await lars.disconnect()


async def test_customer_message_arriving_while_the_page_is_open_is_announced():
    people = await database_sync_to_async(make_personas)()
    seen = await database_sync_to_async(lambda: people.ticket.messages.get().pk)()
    kari = await _open(people.kari.user, people.ticket.pk, f"seen={seen}")

    # when Sofie writes again on her ticket
    message = await database_sync_to_async(services.receive)(
        inbound(
            address="sofie@example.no",
            subject=f"Re: [#{people.ticket.number}] Feil på faktura",
            text="Hallo?",
        )
    )
    assert message.ticket_id == people.ticket.pk

    # then Kari's page is told who wrote, and which message is the newest
    payload = await _received(kari)
    assert payload == {
        "type": "ticket",
        "op": "message",
        "id": people.ticket.pk,
        "message_id": message.pk,
        "authors": [{"name": "Sofie Lund", "kind": "wrote"}],
    }
    await kari.disconnect()


async def test_own_reply_and_notes_are_not_announced_but_a_colleagues_reply_is():
    people = await database_sync_to_async(make_personas)()
    seen = await database_sync_to_async(lambda: people.ticket.messages.get().pk)()
    kari = await _open(people.kari.user, people.ticket.pk, f"seen={seen}")

    # Kari's own reply and Astrid's internal note: nothing to warn about
    await database_sync_to_async(services.ticket_reply)(
        ticket=people.ticket, actor=people.kari.user, text="Vi ser på det."
    )
    await database_sync_to_async(services.ticket_add_note)(
        ticket=people.ticket, actor=people.astrid.user, text="Sjekk kreditnota."
    )
    assert await kari.receive_nothing(timeout=0.5)

    # when Astrid answers the customer
    reply = await database_sync_to_async(services.ticket_reply)(
        ticket=people.ticket, actor=people.astrid.user, text="Kreditnota er sendt."
    )

    payload = await _received(kari)
    assert payload["op"] == "message"
    assert payload["message_id"] == reply.pk
    assert payload["authors"] == [{"name": "Astrid", "kind": "replied"}]
    await kari.disconnect()
