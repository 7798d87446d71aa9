"""What the email channel listens to."""

from nordesk.core.events import DomainEvent, subscribe

from . import outbound


@subscribe("reply_created")
def on_reply_created(event: DomainEvent) -> None:
    """A public reply on an email or web form ticket goes out by email (history imports do
    not): the web form asked for the customer's address to answer them there."""
    ticket = event.payload["ticket"]
    if ticket.channel in ("email", "web") and not event.payload.get("imported"):
        outbound.reply_queue(message=event.payload["message"])


@subscribe("csat_survey_due")
def on_survey_due(event: DomainEvent) -> None:
    """A satisfaction survey goes to the customer's email address, if they have one."""
    payload = event.payload
    outbound.survey_queue(
        survey_id=payload["survey_id"],
        ticket_id=payload["ticket_id"],
        customer_id=payload["customer_id"],
        language=payload["language"],
        choices=payload["choices"],
    )
