import json
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

TITLES = {
    400: "Bad request",
    401: "Unauthenticated",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    413: "Payload too large",
    422: "Unprocessable entity",
    429: "Too many requests",
}


def problem(
    status: int, code: str, detail: str, *, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    """An RFC 9457 problem document: one shape for every error the API returns."""
    body = {
        "type": f"https://nordesk.dev/problems/{code}",
        "title": _(TITLES.get(status, "Error")),
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
