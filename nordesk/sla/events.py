"""What the SLA app listens to: clocks start with the ticket and stop with the answer.

The tickets app emits no event for a status change made on its own (ticket_change_status,
ticket_update), so only the changes that come with a reply or a customer message move the
clocks: a reply that solves fulfils resolution, one that leaves the ticket pending pauses it
(when the policy says so), and the customer's next message resumes it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from nordesk.core.config_cache import config_changed
from nordesk.core.events import DomainEvent, subscribe

from . import services
from .models import SlaPolicy
from .policies import ACTIVE_POLICIES

SOLVED = "solved"
PENDING = "pending"


@subscribe("ticket_created")
def on_ticket_created(event: DomainEvent) -> None:
    ticket = event.payload["ticket"]
    services.clocks_start(ticket=ticket, at=ticket.created_at)


@subscribe("reply_created")
def on_reply_created(event: DomainEvent) -> None:
    if event.payload["imported"]:
        return
    ticket, message = event.payload["ticket"], event.payload["message"]
    kinds = ["first_response"]
    if ticket.status == SOLVED:
        kinds.append("resolution")
    services.clocks_fulfil(ticket_id=ticket.pk, kinds=tuple(kinds), at=message.created_at)
    if ticket.status == PENDING:
        services.clocks_pause(ticket_id=ticket.pk, at=message.created_at)


@subscribe("message_received")
def on_message_received(event: DomainEvent) -> None:
    # Only a message that reopened its ticket can end a pause: the others cost no query.
    if event.payload.get("reopened"):
        ticket, message = event.payload["ticket"], event.payload["message"]
        services.clocks_resume(ticket_id=ticket.pk, at=message.created_at)


@receiver([post_save, post_delete], sender=SlaPolicy)
def on_policy_changed(**_kwargs) -> None:
    """Every change, by the services or the admin, is seen by the next ticket."""
    config_changed(ACTIVE_POLICIES)
