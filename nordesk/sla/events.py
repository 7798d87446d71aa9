"""What the SLA app listens to: clocks start with the ticket and stop with the answer.

Status changes come as `ticket_status_changed` from every path that makes them (an agent's
change, a reply that solves or waits, a customer's message that reopens). History imports
(`imported`) start, stop and move no clock.

What it emits, from the periodic scan, once per batch in the batch's transaction:
`sla_warning` and `sla_breached`, each with `clocks`, a list of {ticket_id, target (the clock
kind), at (the warning or due time)}: thousands of overdue clocks after an outage are a few
events, not thousands."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from nordesk.core.config_cache import config_changed
from nordesk.core.events import DomainEvent, subscribe

from . import services
from .calendar_links import calendar_links_changed
from .models import BusinessCalendar, OrganisationCalendar, SlaPolicy, TeamCalendar
from .policies import ACTIVE_POLICIES

SOLVED = "solved"
CLOSED = "closed"
WAITING = ("pending", "on_hold")
ANSWERS = ("first_response", "next_response")


@subscribe("ticket_created")
def on_ticket_created(event: DomainEvent) -> None:
    if event.payload.get("imported", False):
        return
    ticket = event.payload["ticket"]
    services.clocks_start(ticket=ticket, at=ticket.created_at)


@subscribe("message_received")
def on_message_received(event: DomainEvent) -> None:
    """A customer message after an answer starts the next-response clock (the ticket's first
    message is covered by first response)."""
    if event.payload.get("imported", False):
        return
    ticket, message = event.payload["ticket"], event.payload["message"]
    if ticket.first_response_at is None:
        return
    services.clocks_next_response_start(ticket=ticket, at=message.created_at)


@subscribe("reply_created")
def on_reply_created(event: DomainEvent) -> None:
    """A person's public answer fulfils first response and the running next response (history
    imports are not followed; an automation's reply is nobody's answer)."""
    if event.payload["imported"] or event.payload["automated"]:
        return
    ticket, message = event.payload["ticket"], event.payload["message"]
    services.clocks_fulfil(ticket_id=ticket.pk, kinds=ANSWERS, at=message.created_at)


@subscribe("ticket_status_changed")
def on_status_changed(event: DomainEvent) -> None:
    """Solved stops the resolution and next-response clocks; waiting on the customer pauses
    them (if the policy says so); the ticket opening again resumes them, and a solved ticket
    reopened re-activates its resolution clock — whoever or whatever changed the status."""
    if event.payload["imported"]:
        return
    ticket_id, at = event.payload["ticket"].pk, event.payload["at"]
    old, new = event.payload["old"], event.payload["new"]
    if new == SOLVED:
        services.clocks_fulfil(ticket_id=ticket_id, kinds=("resolution", "next_response"), at=at)
    elif new in WAITING:
        services.clocks_pause(ticket_id=ticket_id, at=at)
    elif old in WAITING:
        services.clocks_resume(ticket_id=ticket_id, at=at)
    elif old == SOLVED and new != CLOSED:
        services.clocks_reopen(ticket_id=ticket_id, at=at)


@receiver([post_save, post_delete], sender=SlaPolicy)
def on_policy_changed(**_kwargs) -> None:
    """Every change, by the services or the admin, is seen by the next ticket."""
    config_changed(ACTIVE_POLICIES)


@receiver([post_save, post_delete], sender=TeamCalendar)
@receiver([post_save, post_delete], sender=OrganisationCalendar)
@receiver([post_save, post_delete], sender=BusinessCalendar)
def on_calendar_link_changed(**_kwargs) -> None:
    """Which calendar is the default, a team's or an organisation's: seen by the next clock."""
    calendar_links_changed()
