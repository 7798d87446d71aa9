"""What agents do with automation: apply a macro, fill in a canned reply, read notifications."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import CannedReply, Macro, Notification
from .running import actions_run, render


@dataclass(frozen=True)
class MacroApplied:
    ticket: Any
    reply: str  # the macro's reply text for the agent to send, "" when it has none
    actions: list[dict[str, Any]]
    errors: list[str]


@transaction.atomic
def macro_apply(*, macro: Macro, ticket: Any, agent: Any) -> MacroApplied:
    """Carry out the macro's actions on `ticket` as `agent` (whose role the tickets services
    check), and give back its reply text in the ticket's language with the placeholders
    filled. All the actions happen or, when the ticket refuses one, none does. Callers check
    that the agent sees the ticket."""
    outcome = actions_run(
        actions=macro.actions,
        ticket=ticket,
        actor=agent.user,
        event="macro",
        agent=agent,
        strict=True,
    )
    reply = render(macro.texts, outcome.ticket, agent) if macro.texts else ""
    return MacroApplied(
        ticket=outcome.ticket, reply=reply, actions=outcome.done, errors=outcome.errors
    )


def canned_reply_render(*, canned: CannedReply, ticket: Any, agent: Any) -> str:
    """The canned reply in the ticket's language (else English, else any), filled in."""
    return render(canned.texts, ticket, agent)


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
