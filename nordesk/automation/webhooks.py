"""Outbound webhooks: where they may go and how they are sent.

Only http(s) URLs, and by default only to public addresses: a trigger must not make Nordesk
a way into the private network it runs in. NORDESK_AUTOMATION_WEBHOOK_ALLOW_PRIVATE (or
DEBUG) lifts that for set-ups whose receivers live beside Nordesk. The address is checked
again when the request is sent, after name resolution, so a name that later points inside
is refused too."""

from __future__ import annotations

import ipaddress
import json
import socket
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 10


class WebhookRefused(ValueError):
    pass


def _private_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "AUTOMATION_WEBHOOK_ALLOW_PRIVATE", False))


def url_check(url: str, *, resolve: bool) -> None:
    """WebhookRefused unless `url` is http(s) with a host that is public (or allowed).
    `resolve`: look the name up (at send time) instead of checking literal addresses only."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookRefused(_("a webhook URL starts with https:// or http:// and names a host."))
    if parts.username or parts.password:
        raise WebhookRefused(_("a webhook URL may not hold a user name or password."))
    if _private_allowed():
        return
    host = parts.hostname
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise WebhookRefused(_("a webhook may not call a private or local address."))
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        if not resolve:
            return
        try:
            infos = socket.getaddrinfo(host, parts.port or None, proto=socket.IPPROTO_TCP)
        except OSError as exc:
            raise WebhookRefused(_("the webhook's host name cannot be resolved.")) from exc
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if any(not address.is_global for address in addresses):
        raise WebhookRefused(_("a webhook may not call a private or local address."))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead inside: it is an error, not followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def webhook_send(url: str, body: dict[str, Any]) -> int:
    """POST `body` as JSON; the response status. Raises on refusal and on network errors."""
    url_check(url, resolve=True)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "Nordesk-Automation/1"},
        method="POST",
    )
    with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
        return int(response.status)
