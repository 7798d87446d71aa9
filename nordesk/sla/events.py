"""What the SLA app listens to: clocks start with the ticket and stop with the answer.

Status changes come as `ticket_status_changed` from every path that makes them (an agent's
change, a reply that solves or waits, a customer's message that reopens)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from nordesk.core.config_cache import config_changed
from nordesk.core.events import DomainEvent, subscribe

from . import services
from .models import SlaPolicy
from .policies import ACTIVE_POLICIES

SOLVED = "solved"
WAITING = ("pending", "on_hold")


@subscribe("ticket_created")
def on_ticket_created(event: DomainEvent) -> None:
    ticket = event.payload["ticket"]
    services.clocks_start(ticket=ticket, at=ticket.created_at)


@subscribe("reply_created")
def on_reply_created(event: DomainEvent) -> None:
    """The first answer fulfils first response (history imports are not followed)."""
    if event.payload["imported"]:
        return
    ticket, message = event.payload["ticket"], event.payload["message"]
    services.clocks_fulfil(ticket_id=ticket.pk, kinds=("first_response",), at=message.created_at)


@subscribe("ticket_status_changed")
def on_status_changed(event: DomainEvent) -> None:
    """Solved stops the resolution clock; waiting on the customer pauses it (if the policy
    says so); the ticket opening again resumes it — whoever or whatever changed the status."""
    if event.payload["imported"]:
        return
    ticket_id, at = event.payload["ticket"].pk, event.payload["at"]
    old, new = event.payload["old"], event.payload["new"]
    if new == SOLVED:
        services.clocks_fulfil(ticket_id=ticket_id, kinds=("resolution",), at=at)
    elif new in WAITING:
        services.clocks_pause(ticket_id=ticket_id, at=at)
    elif old in WAITING:
        services.clocks_resume(ticket_id=ticket_id, at=at)


@receiver([post_save, post_delete], sender=SlaPolicy)
def on_policy_changed(**_kwargs) -> None:
    """Every change, by the services or the admin, is seen by the next ticket."""
    config_changed(ACTIVE_POLICIES)
