from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .problems import problem


def _carries_nul(request: HttpRequest) -> bool:
    if "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.content_type != "application/json":
        return False  # uploads are bytes; form posts go through Django forms, which refuse NUL
    return b"\\u0000" in request.body or b"\x00" in request.body


class RejectNulMiddleware:
    """PostgreSQL text cannot hold a NUL character, and no person types one. Django's form
    fields refuse it; this refuses it for the API, before any handler runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and _carries_nul(request):
            detail = _("Text may not contain NUL characters.")
            return problem(422, "nul_character", detail, errors=[{"field": "", "message": detail}])
        return self.get_response(request)
