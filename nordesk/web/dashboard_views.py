"""The live dashboard for supervisors: the queues per channel, who is online and today's
volumes and satisfaction, polled as a fragment every 15 seconds. Its reads are
analytics.dashboard_figures: a fixed handful of queries."""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.views.decorators.http import require_GET

from nordesk.analytics.dashboard import AT_RISK_MINUTES, dashboard_figures

from .views import is_htmx_fragment, supervisor_required

if TYPE_CHECKING:
    from datetime import datetime

    from nordesk.accounts.models import Agent

SPIKES_TEMPLATE = "web/analytics/_spikes.html"
REFRESH_SECONDS = 15


@cache
def spikes_shown() -> bool:
    """Whether the spike alerts' partial exists (issue 7's workforce part adds it): the
    dashboard leaves it a place and shows it once it is there."""
    try:
        get_template(SPIKES_TEMPLATE)
    except TemplateDoesNotExist:
        return False
    return True


def _spikes(now: datetime) -> list[Any]:
    """The recent spike alerts for the partial, read by the workforce part's selector
    (`analytics.spikes.alerts_recent`). Looked up by name so this page works on a branch that
    lacks it; once both are merged a plain import can replace this."""
    try:
        spikes = importlib.import_module("nordesk.analytics.spikes")
    except ImportError:
        return []
    return list(spikes.alerts_recent(now=now))


@require_GET
@supervisor_required
def dashboard(request: HttpRequest, agent: Agent) -> HttpResponse:
    now = timezone.now()
    context = {
        "nav": "dashboard",
        "agent": agent,
        "now": now,
        "figures": dashboard_figures(now),
        "at_risk_minutes": AT_RISK_MINUTES,
        "refresh_seconds": REFRESH_SECONDS,
        "spikes_template": SPIKES_TEMPLATE if spikes_shown() else "",
    }
    if context["spikes_template"]:
        context["spikes"] = _spikes(now)
    if is_htmx_fragment(request):
        return render(request, "web/partials/dashboard_figures.html", context)
    return render(request, "web/dashboard.html", context)
