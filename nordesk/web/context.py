"""What every workspace page's header needs."""

from typing import Any

from django.http import HttpRequest

from nordesk.accounts.models import Presence


def workspace(_request: HttpRequest) -> dict[str, Any]:
    return {"presence_choices": Presence.choices}
