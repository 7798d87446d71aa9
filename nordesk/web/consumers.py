from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from nordesk.accounts import selectors as account_selectors
from nordesk.automation.tasks import agent_group
from nordesk.tickets.tasks import INBOX_GROUP


class InboxConsumer(AsyncJsonWebsocketConsumer):
    """Pushes `{"type": "ticket", "op": "update", ...}` for tickets the agent may see, and
    the agent's own notifications."""

    async def connect(self) -> None:
        scope = await database_sync_to_async(self._agent_scope)()
        if scope is None:
            await self.close(code=4401)
            return
        self.sees_all, self.team_ids, self.user_id = scope
        await self.channel_layer.group_add(INBOX_GROUP, self.channel_name)
        await self.channel_layer.group_add(agent_group(self.user_id), self.channel_name)
        await self.accept()

    def _agent_scope(self) -> tuple[bool, set[int], int] | None:
        agent = account_selectors.agent_for_user(self.scope["user"])
        if agent is None:
            return None
        return agent.sees_all_tickets, set(account_selectors.agent_team_ids(agent)), agent.user_id

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(INBOX_GROUP, self.channel_name)
        if hasattr(self, "user_id"):
            await self.channel_layer.group_discard(agent_group(self.user_id), self.channel_name)

    async def notification_created(self, message: dict) -> None:
        """Sent to this agent's group only: `{"type": "notification", "text", "ticket_id"}`."""
        await self.send_json(message["payload"])

    async def ticket_changed(self, message: dict) -> None:
        payload = message["payload"]
        team_id = payload["team_id"]
        if (
            self.sees_all
            or team_id is None
            or team_id in self.team_ids
            or payload["assignee_id"] == self.user_id
        ):
            await self.send_json(payload)
