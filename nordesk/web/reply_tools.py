"""Macros and canned replies on the ticket page: what the reply box's tools offer, and the
reply draft a macro leaves for the agent to review (kept in the session across the redirect
after the macro's POST, read once by the ticket page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nordesk.automation import selectors as automation_selectors
from nordesk.tickets import selectors as ticket_selectors

from . import forms
from .collision import CollisionReplyForm

if TYPE_CHECKING:
    from django.http import HttpRequest


@dataclass(frozen=True)
class ReplyTools:
    macros: list[Any]
    canned_replies: list[Any]


def reply_tools() -> ReplyTools:
    """The active macros and every canned reply, by name: two queries."""
    return ReplyTools(
        macros=list(automation_selectors.macro_list(active_only=True)),
        canned_replies=list(automation_selectors.canned_reply_list()),
    )


def draft_join(current: str, addition: str) -> str:
    """What the agent had typed, then the inserted text after a blank line."""
    return "\n\n".join(part for part in (current.rstrip(), addition) if part.strip())


def _draft_key(ticket_id: int) -> str:
    return f"reply-draft:{ticket_id}"


def draft_keep(request: HttpRequest, *, ticket_id: int, text: str) -> None:
    if text.strip():
        request.session[_draft_key(ticket_id)] = text


def reply_form_with(text: str) -> CollisionReplyForm:
    """An unsent reply form holding `text`, for the agent to review."""
    return CollisionReplyForm(
        None, vocabulary=ticket_selectors.ticket_vocabulary(), initial={"text": text}
    )


def draft_forms(request: HttpRequest, *, ticket_id: int) -> dict[str, forms.TicketForm]:
    """The reply form holding the draft a macro left, once; nothing when there is none."""
    text = request.session.pop(_draft_key(ticket_id), None)
    if not isinstance(text, str):
        return {}
    return {"reply": reply_form_with(text)}
