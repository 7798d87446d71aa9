"""What every portal page shares: its layout's context (the signed-in account, the brand)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from . import selectors
from .session import portal_account


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context.setdefault("account", portal_account(request))
    context.setdefault("brand", SimpleLazyObject(selectors.brand_name))
    return render(request, template, context, status=status)


def client_ip(request: HttpRequest) -> str:
    """The visitor's address, for per-IP limits: from the header the reverse proxy sets when
    NORDESK_CLIENT_IP_HEADER names one (the last of a list: the address the proxy saw)."""
    if settings.CLIENT_IP_HEADER:
        forwarded = request.headers.get(settings.CLIENT_IP_HEADER, "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR", "")
