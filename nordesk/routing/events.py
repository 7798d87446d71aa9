"""What routing listens to."""

from nordesk.core.events import DomainEvent, subscribe

from . import services


@subscribe("ticket_created")
def on_ticket_created(event: DomainEvent) -> None:
    """A new ticket without a team gets one from the routing rules."""
    services.ticket_route(ticket=event.payload["ticket"], message=event.payload["message"])
