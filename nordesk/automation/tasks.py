"""Jobs: time rules fire every minute; webhooks and emails go out after the commit."""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task, task

from . import services
from .webhooks import WebhookRefused, webhook_send

logger = logging.getLogger(__name__)


# Every minute: time rules have minute precision. Workers claim timers with SKIP LOCKED, so
# overlapping runs are safe; the lock only spares a second worker a scan that finds nothing.
@db_periodic_task(crontab(minute="*"))
def automation_timers_fire() -> None:
    with HUEY.lock_task("automation-timers-fire"):
        services.timers_fire(now=timezone.now())


@task(retries=2, retry_delay=30)
def webhook_post(url: str, body: dict[str, Any]) -> None:
    """A refused address is not retried; a network error or a 5xx is, twice."""
    try:
        webhook_send(url, body)
    except WebhookRefused as exc:
        logger.warning("automation: webhook to %s refused: %s", url, exc)


@db_task(retries=2, retry_delay=60)
def email_send(addresses: list[str], subject: str, text: str) -> None:
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, addresses)


def agent_group(user_id: int) -> str:
    """The channel-layer group of one agent's open workspace pages."""
    return f"agent.{user_id}"


@db_task(retries=2, retry_delay=5)
def notifications_publish(user_ids: list[int], ticket_id: int | None, text: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    payload = {"type": "notification", "ticket_id": ticket_id, "text": text}
    for user_id in user_ids:
        async_to_sync(layer.group_send)(
            agent_group(user_id), {"type": "notification.created", "payload": payload}
        )
