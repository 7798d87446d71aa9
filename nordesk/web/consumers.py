from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from nordesk.accounts import selectors as account_selectors
from nordesk.automation.tasks import agent_group
from nordesk.tickets import selectors as ticket_selectors
from nordesk.tickets.tasks import INBOX_GROUP, ticket_group

from .collision import messages_missed, missed_authors

NOT_AN_AGENT = 4401
NOT_IN_SCOPE = 4403
TYPING_FORMS = ("reply", "note")
# A page sends "typing" every few seconds while its agent types; more often is passed on once.
TYPING_EVERY_S = 2.0


@dataclass(frozen=True)
class AgentScope:
    user_id: int
    name: str
    sees_all: bool
    team_ids: frozenset[int]

    def sees(self, payload: dict[str, Any]) -> bool:
        """Whether a ticket in a live payload is in this agent's scope (ticket_scope_q)."""
        team_id = payload["team_id"]
        return (
            self.sees_all
            or team_id is None
            or team_id in self.team_ids
            or payload["assignee_id"] == self.user_id
        )


def scope_of(agent: Any) -> AgentScope:
    return AgentScope(
        user_id=agent.user_id,
        name=agent.user.first_name or str(agent),
        sees_all=agent.sees_all_tickets,
        team_ids=frozenset(account_selectors.agent_team_ids(agent)),
    )


def agent_scope(user: Any) -> AgentScope | None:
    agent = account_selectors.agent_for_user(user)
    return None if agent is None else scope_of(agent)


def _query_int(query_string: bytes, name: str) -> int:
    values = parse_qs(query_string.decode("latin-1")).get(name, [""])
    return int(values[0]) if values[0].isdigit() and len(values[0]) < 12 else 0


class InboxConsumer(AsyncJsonWebsocketConsumer):
    """Pushes `{"type": "ticket", "op": "update", ...}` for tickets the agent may see, and
    the agent's own notifications."""

    async def connect(self) -> None:
        scope = await database_sync_to_async(agent_scope)(self.scope["user"])
        if scope is None:
            await self.close(code=NOT_AN_AGENT)
            return
        self.agent = scope
        await self.channel_layer.group_add(INBOX_GROUP, self.channel_name)
        await self.channel_layer.group_add(agent_group(scope.user_id), self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(INBOX_GROUP, self.channel_name)
        if hasattr(self, "agent"):
            await self.channel_layer.group_discard(
                agent_group(self.agent.user_id), self.channel_name
            )

    async def notification_created(self, message: dict) -> None:
        """Sent to this agent's group only: `{"type": "notification", "text", "ticket_id"}`."""
        await self.send_json(message["payload"])

    async def ticket_changed(self, message: dict) -> None:
        if self.agent.sees(message["payload"]):
            await self.send_json(message["payload"])


class TicketConsumer(AsyncJsonWebsocketConsumer):
    """One open ticket page (/ws/tickets/<id>/): who else has the ticket open or is typing on
    it, and messages that arrive while it is open. The pages of one ticket share a group; no
    state is kept outside the sockets, so a newcomer learns who is there from their answers.

    To the page: `{"type": "presence", "op": "viewing" | "typing" | "left", "user_id", "name"}`
    (typing adds `"form": "reply" | "note"`) and `{"type": "ticket", "op": "message", "id",
    "message_id", "authors": [{"name", "kind": "replied" | "wrote"}]}` for public messages
    newer than the page's by someone else. From the page: `{"type": "typing", "form"}` and
    `{"type": "seen", "message_id"}` (the newest message it shows)."""

    async def connect(self) -> None:
        self.ticket_id = int(self.scope["url_route"]["kwargs"]["ticket_id"])
        scope, visible = await database_sync_to_async(self._access)()
        # Accepted first, so the page gets the reason and does not retry.
        await self.accept()
        if scope is None or not visible:
            await self.close(code=NOT_AN_AGENT if scope is None else NOT_IN_SCOPE)
            return
        self.agent = scope
        self.group = ticket_group(self.ticket_id)
        self.seen_id = _query_int(self.scope.get("query_string", b""), "seen")
        self.typing_at = 0.0
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self._to_group("presence.joined")

    def _access(self) -> tuple[AgentScope | None, bool]:
        agent = account_selectors.agent_for_user(self.scope["user"])
        if agent is None:
            return None, False
        return scope_of(agent), ticket_selectors.ticket_is_visible(
            agent=agent, ticket_id=self.ticket_id
        )

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "agent"):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self._to_group("presence.left")

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            return
        if content.get("type") == "typing" and content.get("form") in TYPING_FORMS:
            now = time.monotonic()
            if now - self.typing_at >= TYPING_EVERY_S:
                self.typing_at = now
                await self._to_group("presence.typing", form=content["form"])
        elif content.get("type") == "seen":
            message_id = content.get("message_id")
            if isinstance(message_id, int) and not isinstance(message_id, bool):
                self.seen_id = max(self.seen_id, message_id)

    async def _to_group(self, kind: str, **extra: str) -> None:
        await self.channel_layer.group_send(
            self.group,
            {
                "type": kind,
                "sender": self.channel_name,
                "user_id": self.agent.user_id,
                "name": self.agent.name,
                **extra,
            },
        )

    def _presence(self, op: str, event: dict, **extra: str) -> dict[str, Any]:
        return {
            "type": "presence",
            "op": op,
            "user_id": event["user_id"],
            "name": event["name"],
            **extra,
        }

    def _other_agent(self, event: dict) -> bool:
        return event["user_id"] != self.agent.user_id

    async def presence_joined(self, event: dict) -> None:
        if not self._other_agent(event):
            return
        await self.send_json(self._presence("viewing", event))
        # Tell the newcomer that this agent is here too.
        await self.channel_layer.send(
            event["sender"],
            {"type": "presence.here", "user_id": self.agent.user_id, "name": self.agent.name},
        )

    async def presence_here(self, event: dict) -> None:
        await self.send_json(self._presence("viewing", event))

    async def presence_typing(self, event: dict) -> None:
        if self._other_agent(event):
            await self.send_json(self._presence("typing", event, form=event["form"]))

    async def presence_left(self, event: dict) -> None:
        if self._other_agent(event):
            await self.send_json(self._presence("left", event))
        elif event["sender"] != self.channel_name:
            # The agent closed another tab on this ticket; this one is still open.
            await self._to_group("presence.joined")

    async def ticket_changed(self, message: dict) -> None:
        if not self.agent.sees(message["payload"]):
            return
        missed = await database_sync_to_async(self._missed)()
        if missed:
            await self.send_json(missed)

    def _missed(self) -> dict[str, Any] | None:
        messages = messages_missed(
            ticket_id=self.ticket_id, seen_id=self.seen_id, user_id=self.agent.user_id
        )
        if not messages:
            return None
        self.seen_id = messages[-1].pk
        return {
            "type": "ticket",
            "op": "message",
            "id": self.ticket_id,
            "message_id": self.seen_id,
            "authors": missed_authors(messages),
        }
