"""What the email channel listens to."""

from nordesk.core.events import DomainEvent, subscribe

from . import outbound


@subscribe("reply_created")
def on_reply_created(event: DomainEvent) -> None:
    """A public reply on an email ticket goes out by email (history imports do not)."""
    ticket = event.payload["ticket"]
    if ticket.channel == "email" and not event.payload.get("imported"):
        outbound.reply_queue(message=event.payload["message"])
