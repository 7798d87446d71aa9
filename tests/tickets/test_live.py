"""After commit, ticket changes reach the live inbox of the agents who may see them."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from nordesk.tickets import services
from nordesk.web.consumers import InboxConsumer
from tests.factories import make_personas

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anyio_backend():
    return "asyncio"


async def _connect(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(InboxConsumer.as_asgi(), "/ws/inbox/")
    communicator.scope["user"] = user
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def test_ticket_change_is_pushed_to_agents_in_scope_only():
    people = await database_sync_to_async(make_personas)()
    kari = await _connect(people.kari.user)
    ole = await _connect(people.ole.user)

    await database_sync_to_async(services.ticket_set_priority)(
        ticket=people.ticket, priority="high", actor=people.kari.user
    )

    payload = await kari.receive_json_from(timeout=3)
    assert payload["type"] == "ticket"
    assert payload["op"] == "update"
    assert payload["id"] == people.ticket.pk
    assert payload["number"] == people.ticket.number
    assert json.loads(json.dumps(payload)) == payload
    assert await ole.receive_nothing(timeout=0.3)
    await kari.disconnect()
    await ole.disconnect()


async def test_anonymous_socket_is_refused():
    from django.contrib.auth.models import AnonymousUser

    communicator = WebsocketCommunicator(InboxConsumer.as_asgi(), "/ws/inbox/")
    communicator.scope["user"] = AnonymousUser()
    connected, _code = await communicator.connect()
    assert not connected


async def test_a_notification_reaches_only_its_agent_live():
    from nordesk.automation import services as automation_services

    people = await database_sync_to_async(make_personas)()
    kari = await _connect(people.kari.user)
    ole = await _connect(people.ole.user)

    await database_sync_to_async(automation_services.notifications_create)(
        user_ids=[people.kari.user_id], ticket_id=people.ticket.pk, text="Sak #1 har brutt SLA"
    )

    payload = await kari.receive_json_from(timeout=3)
    assert payload == {
        "type": "notification",
        "ticket_id": people.ticket.pk,
        "text": "Sak #1 har brutt SLA",
    }
    assert await ole.receive_nothing(timeout=0.3)
    await kari.disconnect()
    await ole.disconnect()
