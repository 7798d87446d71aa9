"""What every portal page shares: its layout's context (the signed-in account, the brand)."""

from typing import Any

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
    return request.META.get("REMOTE_ADDR", "")
