from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from huey.contrib.djhuey import db_task

from . import selectors

INBOX_GROUP = "inbox"


def ticket_group(ticket_id: int) -> str:
    """The channel-layer group of the pages open on one ticket (presence, new messages)."""
    return f"ticket.{ticket_id}"


@db_task(retries=2, retry_delay=5)
def ticket_changed_publish(ticket_id: int) -> None:
    payload = selectors.ticket_live_payload(ticket_id=ticket_id)
    if payload is None:
        return
    layer = get_channel_layer()
    if layer is not None:
        message = {"type": "ticket.changed", "payload": payload}
        async_to_sync(layer.group_send)(INBOX_GROUP, message)
        async_to_sync(layer.group_send)(ticket_group(ticket_id), message)
