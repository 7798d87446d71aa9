"""What the CSAT app listens to, and what it emits:

- `csat_survey_due` (survey_id, ticket_id, customer_id, language, link, choices: [{score,
  label, url}] labelled in the language): a survey is to go out now; the channels deliver it
  (email: the ticket's mailbox, threaded on the ticket; customers without an email address
  see it in the portal through `selectors.survey_pending_for_ticket`).
- `csat_received` (ticket_id, score 1–5, previous_score: None for a first answer, comment):
  an answer or a change to it, for triggers.
"""

from nordesk.core.events import DomainEvent, subscribe

from . import services


@subscribe("ticket_status_changed")
def on_status_changed(event: DomainEvent) -> None:
    """Solving schedules the survey, reopening before it went out holds it; closing a solved
    ticket changes nothing. History imports send no surveys."""
    if event.payload["imported"]:
        return
    ticket, old, new = event.payload["ticket"], event.payload["old"], event.payload["new"]
    if new == "solved":
        services.survey_schedule(ticket=ticket, at=event.payload["at"])
    elif old == "solved" and new != "closed":
        services.survey_hold(ticket_id=ticket.pk)


@subscribe("customer_merged")
def on_customer_merged(event: DomainEvent) -> None:
    services.opt_outs_move(
        source_customer_id=event.payload["source_id"],
        target_customer_id=event.payload["target_id"],
    )
