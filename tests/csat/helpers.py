"""Solving tickets and sending their surveys as production does: the status change through
the tickets services, the scan after the delay, the mail after commit."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from nordesk.csat import services as csat_services
from nordesk.tickets import services as ticket_services

LINK = re.compile(r"https?://\S+/survey/[^/\s]+/\?score=\d")


def solve(ticket, actor):
    return ticket_services.ticket_change_status(ticket=ticket, status="solved", actor=actor)


def send_due(capture, *, after_minutes: int = 61) -> int:
    """Run the sending scan `after_minutes` from now, its mails sent after commit."""
    with capture(execute=True):
        return csat_services.surveys_send_due(now=timezone.now() + timedelta(minutes=after_minutes))


def links_in(mail) -> list[str]:
    return LINK.findall(mail.body)


def path_of(link: str) -> str:
    """The link without scheme and host, for the test client."""
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def answered(ticket, agent, capture, *, score: int, comment: str = ""):
    """The ticket, assigned to `agent`, solved, surveyed and answered through the services."""
    from nordesk.csat.models import Survey

    ticket_services.ticket_assign(ticket=ticket, assignee_id=agent.user_id, actor=agent.user)
    solve(ticket, agent.user)
    send_due(capture)
    survey = Survey.objects.get(ticket_id=ticket.pk)
    return csat_services.survey_answer(survey=survey, score=score, comment=comment)
