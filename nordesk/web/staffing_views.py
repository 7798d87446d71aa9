"""The staffing page for supervisors: a channel's forecast against what arrived, hour by hour,
the agents each hour needs by Erlang C against the agents online now, and recent spikes.
The chart is a small server-side SVG with the hourly table as its text equivalent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from nordesk.analytics import forecast, spikes, staffing
from nordesk.tickets.models import Channel

from .views import supervisor_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

CHANNEL_CHOICES = [(value, label) for value, label in Channel.choices if value in staffing.CHANNELS]


class StaffingForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNEL_CHOICES, initial="chat")
    day = forms.DateField(label=_("Day"), required=False, widget=forms.Select)
    target_minutes = forms.DecimalField(
        label=_("Answer within (minutes)"), min_value=0, max_value=7 * 24 * 60, required=False
    )
    service_level = forms.IntegerField(
        label=_("Service level (%)"), min_value=1, max_value=99, required=False
    )
    shrinkage = forms.IntegerField(
        label=_("Shrinkage (%)"), min_value=0, max_value=90, required=False
    )
    aht_seconds = forms.IntegerField(
        label=_("Handle time (seconds)"), min_value=1, max_value=24 * 3600, required=False
    )
    concurrency = forms.IntegerField(
        label=_("Contacts at once per agent"), min_value=1, max_value=10, required=False
    )


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    height: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    """Coordinates for the template's SVG: actual arrivals as bars, the forecast as a line."""

    width: int
    height: int
    bars: list[Bar]
    forecast_points: str
    peak: float
    ticks: list[tuple[float, str]]  # x, hour label


CHART_WIDTH, CHART_HEIGHT, CHART_TOP = 720, 180, 10


def _chart(plan: staffing.StaffingPlan, zone) -> Chart:
    hours = plan.hours
    peak = max([h.expected for h in hours] + [h.actual or 0 for h in hours] + [1.0])
    slot = CHART_WIDTH / max(len(hours), 1)
    scale = (CHART_HEIGHT - CHART_TOP) / peak
    bars, points, ticks = [], [], []
    for index, hour in enumerate(hours):
        label = f"{hour.hour.astimezone(zone):%H}"
        x = index * slot
        if hour.actual is not None:
            height = hour.actual * scale
            bars.append(Bar(x + slot * 0.15, slot * 0.7, height, CHART_HEIGHT - height, label))
        points.append(f"{x + slot / 2:.1f},{CHART_HEIGHT - hour.expected * scale:.1f}")
        if index % 3 == 0:
            ticks.append((x + slot / 2, label))
    return Chart(CHART_WIDTH, CHART_HEIGHT, bars, " ".join(points), peak, ticks)


def _overrides(form: StaffingForm, channel: str) -> dict:
    data = form.cleaned_data
    default = staffing.TARGETS.get(channel, staffing.TARGETS["email"])
    target = staffing.Target(
        int(data["target_minutes"] * 60)
        if data.get("target_minutes") is not None
        else default.seconds,
        data["service_level"] / 100 if data.get("service_level") else default.service_level,
    )
    shrinkage = data.get("shrinkage")
    return {
        "target": target,
        "shrinkage": None if shrinkage is None else shrinkage / 100,
        "aht_seconds": data.get("aht_seconds"),
        "concurrency": data.get("concurrency"),
    }


@require_GET
@supervisor_required
def staffing_page(request: HttpRequest, agent: Agent) -> HttpResponse:
    now = timezone.now()
    form = StaffingForm(request.GET or None)
    valid = form.is_valid() if request.GET else False
    channel = form.cleaned_data["channel"] if valid else "chat"
    overrides = _overrides(form, channel) if valid else {}
    day: date | None = form.cleaned_data.get("day") if valid else None
    plan = staffing.staffing_plan(channel=channel, now=now, day=day, **overrides)
    zone = forecast.reporting_zone()
    form.fields["day"].widget.choices = [(d.isoformat(), d.isoformat()) for d in plan.days]
    if not request.GET:
        form = StaffingForm(initial={"channel": channel, "day": plan.day.isoformat()})
        form.fields["day"].widget.choices = [(d.isoformat(), d.isoformat()) for d in plan.days]
    # Empty fields take the channel's defaults; show them.
    for name, default in (
        ("target_minutes", f"{plan.target.seconds / 60:g}"),
        ("service_level", f"{plan.target.service_level * 100:g}"),
        ("shrinkage", f"{plan.shrinkage * 100:g}"),
        ("aht_seconds", f"{plan.aht.seconds:.0f}"),
        ("concurrency", f"{plan.concurrency.contacts}"),
    ):
        form.fields[name].widget.attrs["placeholder"] = default
    context = {
        "nav": "staffing",
        "agent": agent,
        "now": now,
        "form": form,
        "plan": plan,
        "zone": zone,
        "channel_label": dict(CHANNEL_CHOICES)[channel],
        "chart": _chart(plan, zone),
        "target_minutes": plan.target.seconds / 60,
        "target_hours": plan.target.seconds / 3600,
        "service_level_percent": round(plan.target.service_level * 100),
        "shrinkage_percent": round(plan.shrinkage * 100),
        "spikes": spikes.alerts_recent(now=now),
    }
    return render(request, "web/staffing.html", context)
