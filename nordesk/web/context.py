"""What every workspace page's header needs: presence choices and the unread notifications."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from nordesk.accounts.models import Presence
from nordesk.automation import selectors as automation_selectors


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The unread count is only read when a page shows it (workspace pages, for agents)."""
    user_id = request.user.pk if request.user.is_authenticated else None
    return {
        "presence_choices": Presence.choices,
        "unread_notifications": SimpleLazyObject(
            lambda: (
                automation_selectors.notifications_unread_count(user_id=user_id)
                if user_id is not None
                else 0
            )
        ),
    }
