"""Satisfaction answers on about half of the demo's solved tickets, mostly good, some bad
with a reason, in the customer's language, answered an hour or two after the survey went out
(an hour after solving)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from nordesk.csat import services as csat_services
from nordesk.tickets import selectors as ticket_selectors

if TYPE_CHECKING:
    from .conversations import Conversation

ANSWERED_SHARE = 0.5
BAD_SHARE = 0.2

GOOD_COMMENTS = {
    "nb": ["Rask og hyggelig hjelp, takk!", "Veldig fornøyd.", ""],
    "nn": ["Snøgg og god hjelp, takk!", "Svært nøgd.", ""],
    "da": ["Hurtig og venlig hjælp, tak!", "Meget tilfreds.", ""],
    "sv": ["Snabb och trevlig hjälp, tack!", "Mycket nöjd.", ""],
    "en": ["Quick and friendly help, thanks!", "Very happy.", ""],
}
BAD_COMMENTS = {
    "nb": ["Det tok altfor lang tid å få svar.", "Problemet er ikke løst."],
    "nn": ["Det tok altfor lang tid å få svar.", "Problemet er ikkje løyst."],
    "da": ["Det tog alt for lang tid at få svar.", "Problemet er ikke løst."],
    "sv": ["Det tog alldeles för lång tid att få svar.", "Problemet är inte löst."],
    "en": ["It took far too long to get an answer.", "The problem is not solved."],
}


def _solved_at(ticket: Any) -> datetime | None:
    """When the ticket was last solved (closing clears `solved_at`, the history keeps it)."""
    solved = [
        event.created_at
        for event in ticket_selectors.event_list_for_ticket(ticket=ticket)
        if event.kind == "status" and event.data.get("new") == "solved"
    ]
    return solved[-1] if solved else None


def answers_create(rng: random.Random, conversations: list[Conversation], now: datetime) -> int:
    """Returns how many answers were stored."""
    stored = 0
    for conv in conversations:
        ticket = conv.ticket
        ticket.refresh_from_db(fields=["status", "assignee", "customer"])
        if ticket.status not in ("solved", "closed") or rng.random() >= ANSWERED_SHARE:
            continue
        solved_at = _solved_at(ticket)
        if solved_at is None:
            continue
        sent_at = solved_at + timedelta(hours=1)
        answered_at = sent_at + timedelta(minutes=rng.randint(5, 180))
        if answered_at > now:
            continue
        bad = rng.random() < BAD_SHARE
        language = conv.plan.language
        comments = (BAD_COMMENTS if bad else GOOD_COMMENTS)[language]
        csat_services.survey_import(
            ticket=ticket,
            score=1 if bad else 5,
            comment=rng.choice(comments),
            language=language,
            scale="good_bad",
            sent_at=sent_at,
            answered_at=answered_at,
        )
        stored += 1
    return stored
