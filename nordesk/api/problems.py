import json
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

TITLES = {
    400: _("Bad request"),
    401: _("Unauthenticated"),
    403: _("Forbidden"),
    404: _("Not found"),
    409: _("Conflict"),
    413: _("Payload too large"),
    422: _("Unprocessable entity"),
    429: _("Too many requests"),
}


def problem(
    status: int, code: str, detail: str, *, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    """An RFC 9457 problem document: one shape for every error the API returns."""
    body = {
        "type": f"https://nordesk.dev/problems/{code}",
        "title": str(TITLES.get(status, _("Error"))),
        "status": status,
        "code": code,
        "detail": str(detail),
        "errors": errors or [],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/problem+json",
    )
