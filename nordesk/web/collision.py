"""Collision detection on the ticket page: a reply carries the id of the last message its
author saw; when the customer wrote or someone else replied since, the reply is held back with
a warning until the agent has looked (or sends it anyway). The ticket socket uses the same
reading to warn while the agent is still typing (consumers.TicketConsumer)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms as django_forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nordesk.tickets import selectors as ticket_selectors

from . import forms
from .message_frames import author_display_name

if TYPE_CHECKING:
    from django.http import QueryDict

    from nordesk.tickets.models import Message

REPLIED = "replied"
WROTE = "wrote"


class CollisionReplyForm(forms.ReplyForm):
    """The reply form with the id of the newest message on the page it was typed on. Without
    that id (a form from an older page) nothing is checked."""

    seen = django_forms.CharField(required=False, widget=django_forms.HiddenInput)

    def clean_seen(self) -> int | None:
        raw = self.cleaned_data["seen"]
        if not raw:
            return None
        if not raw.isdigit() or len(raw) > 12:
            raise django_forms.ValidationError(
                gettext_lazy("The page was out of date: check the conversation, then send again.")
            )
        return int(raw)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        # A hidden field's error would not show next to anything: show it above the form.
        for error in self.errors.pop("seen", []):
            self.add_error(None, error)
        return data

    def mark_seen(self, seen_id: int) -> None:
        """Carry `seen_id` from now on, keeping what was typed and any errors found."""
        data = cast("QueryDict", self.data).copy()
        data["seen"] = str(seen_id)
        self.data = data


def messages_missed(*, ticket_id: int, seen_id: int, user_id: int) -> list[Message]:
    """Public messages newer than `seen_id` that this user did not write."""
    return [
        message
        for message in ticket_selectors.messages_public_after(ticket_id=ticket_id, after_id=seen_id)
        if message.author_user_id != user_id
    ]


def author_name(message: Message) -> str:
    """Short: an agent by first name, anyone else as the thread names them."""
    user = message.author_user
    if user is not None and user.first_name:
        return user.first_name
    return author_display_name(message)


def missed_authors(messages: list[Message]) -> list[dict[str, str]]:
    """Who wrote the missed messages, once each: `{"name", "kind": "replied" | "wrote"}`."""
    authors = {
        (author_name(message), REPLIED if message.direction == "out" else WROTE): None
        for message in messages
    }
    return [{"name": name, "kind": kind} for name, kind in authors]


def collision_warnings(messages: list[Message]) -> list[str]:
    return [
        (
            _("%(name)s replied while you were writing.")
            if author["kind"] == REPLIED
            else _("%(name)s wrote while you were writing.")
        )
        % {"name": author["name"]}
        for author in missed_authors(messages)
    ]
