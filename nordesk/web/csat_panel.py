"""What the workspace shows of satisfaction surveys: a ticket's answer (or where its survey
stands) in the side panel, and a customer's answers on the profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from nordesk.csat import selectors as csat_selectors

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent
    from nordesk.csat.models import Survey
    from nordesk.tickets.models import Ticket


@dataclass(frozen=True)
class CsatAnswer:
    ticket_number: int
    ticket_subject: str
    rating: str
    good: bool
    comment: str
    at: datetime | None
    changed: bool


def answer_of(survey: Survey, ticket: Ticket) -> CsatAnswer:
    return CsatAnswer(
        ticket_number=ticket.number,
        ticket_subject=ticket.subject,
        rating=csat_selectors.score_label(score=survey.score or 0, scale=survey.scale),
        good=survey.is_good,
        comment=survey.comment,
        at=survey.changed_at,
        changed=survey.changed_at != survey.answered_at,
    )


PAST_ANSWERS = 5  # the customer's other answers on the ticket page; the profile has them all


@dataclass(frozen=True)
class CsatPanel:
    answer: CsatAnswer | None
    state: str  # what became of the survey when there is no answer yet; "" for none
    at: datetime | None
    past: list[CsatAnswer]  # the customer's answers on their other tickets


def _state(survey: Survey | None) -> tuple[str, datetime | None]:
    if survey is None:
        return "", None
    if survey.sent_at is not None:
        return _("Survey sent, no answer yet"), survey.sent_at
    if survey.skipped:
        return _("No survey: an automation skipped it"), None
    if survey.due_at is not None:
        return _("Survey goes out"), survey.due_at
    return _("Survey held: the ticket was reopened"), None


def csat_panel(agent: Agent, ticket: Ticket) -> CsatPanel | None:
    """The ticket's survey and the customer's past answers; None when there is neither."""
    survey, past = csat_selectors.surveys_for_ticket_panel(
        agent=agent, ticket_id=ticket.pk, customer_id=ticket.customer_id, limit=PAST_ANSWERS
    )
    if survey is None and not past:
        return None
    past_answers = [answer_of(other, other.ticket) for other in past]
    if survey is not None and survey.score is not None:
        return CsatPanel(answer_of(survey, ticket), "", survey.changed_at, past_answers)
    state, at = _state(survey)
    return CsatPanel(None, state, at, past_answers)


def customer_answers(agent: Agent, customer_id: int) -> list[CsatAnswer]:
    return [
        answer_of(survey, survey.ticket)
        for survey in csat_selectors.answers_for_customer(agent=agent, customer_id=customer_id)
    ]
