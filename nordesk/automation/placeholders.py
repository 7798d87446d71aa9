"""Texts with placeholders, and the language a text is chosen in.

A placeholder is `{{ name }}` with a name from a fixed list; nothing else is read or run.
Anything that is not a known placeholder (`{{ ticket.__class__ }}`, `{% if %}`) stays in the
text as it was written."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]{1,30}\.[a-z_]{1,30})\s*\}\}")
FALLBACK_LANGUAGE = "en"


def _first_name(name: str) -> str:
    return name.split()[0] if name.strip() else ""


def _agent_name(agent: Any) -> str:
    if agent is None:
        return ""
    user = agent.user
    return user.get_full_name() or user.get_username()


def placeholder_values(*, ticket: Any, agent: Any = None) -> dict[str, Callable[[], str]]:
    """Every placeholder, each read only when a text uses it. `ticket` and `agent` are the
    tickets' and accounts' rows, read by attribute."""
    return {
        "ticket.number": lambda: str(ticket.number),
        "ticket.subject": lambda: ticket.subject,
        "ticket.status": lambda: str(ticket.get_status_display()),
        "ticket.priority": lambda: str(ticket.get_priority_display()),
        "customer.name": lambda: ticket.customer.name,
        "customer.first_name": lambda: _first_name(ticket.customer.name),
        "agent.name": lambda: _agent_name(agent),
        "agent.first_name": lambda: _first_name(_agent_name(agent)),
    }


PLACEHOLDERS = tuple(placeholder_values(ticket=None))


def placeholders_render(text: str, values: Mapping[str, Callable[[], str]]) -> str:
    """`text` with every known placeholder replaced by its value; the rest stays literal.
    Values are inserted as they are: never read as placeholders themselves."""
    cache: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        if name not in cache:
            cache[name] = values[name]() or ""
        return cache[name]

    return PLACEHOLDER.sub(replace, text)


def text_for_language(texts: str | Mapping[str, str], language: str) -> str:
    """The text in `language`, else in English, else in the first language that has one (in
    the order of settings.LANGUAGES). A plain string is every language's text."""
    if isinstance(texts, str):
        return texts
    for code in (language, FALLBACK_LANGUAGE):
        if texts.get(code, "").strip():
            return texts[code]
    order = [code for code, _name in settings.LANGUAGES]
    for code in sorted(texts, key=lambda c: order.index(c) if c in order else len(order)):
        if texts[code].strip():
            return texts[code]
    return ""


def language_of(ticket: Any) -> str:
    """The ticket's language; a customer's language when the ticket has none."""
    return ticket.language or getattr(ticket.customer, "language", "") or FALLBACK_LANGUAGE
