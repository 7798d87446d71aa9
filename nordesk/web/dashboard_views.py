"""The live dashboard for supervisors: the queues per channel, who is online and today's
volumes and satisfaction, polled as a fragment every 15 seconds. Its reads are
analytics.dashboard_figures: a fixed handful of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from nordesk.analytics.dashboard import AT_RISK_MINUTES, dashboard_figures
from nordesk.analytics.spikes import alerts_recent

from .views import is_htmx_fragment, supervisor_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

REFRESH_SECONDS = 15


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
        "spikes": alerts_recent(now=now),
    }
    if is_htmx_fragment(request):
        return render(request, "web/partials/dashboard_figures.html", context)
    return render(request, "web/dashboard.html", context)
