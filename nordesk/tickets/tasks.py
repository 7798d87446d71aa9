from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import search, selectors, services

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


# Every minute: tickets changed (their updated_at moved: a message, a note, a merge) since
# they were indexed, so a search finds new text within about a minute while intake pays
# nothing for it. One pass at a time; an overlapping one would index the same tickets twice.
@db_periodic_task(crontab(minute="*"))
def search_index_scan() -> None:
    with HUEY.lock_task("search-index-scan"):
        search.search_index_pending()


@db_periodic_task(crontab(minute="17"))
def uploads_unclaimed_purge() -> None:
    services.uploads_unclaimed_purge()
