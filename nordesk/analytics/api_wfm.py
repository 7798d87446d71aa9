"""Workforce management in the API: /api/v1/analytics/wfm/… — Erlang C for one interval, the
arrivals forecast with the agents each hour needs, and recent spike alerts. For supervisors
and admins, with a token of the `analytics:read` scope or a session."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from nordesk.api.auth import acting_agent
from nordesk.core.errors import PermissionDenied

from . import erlang, spikes, staffing

router = Router(tags=["analytics"])


def _reader(request: HttpRequest) -> None:
    agent = acting_agent(request, "analytics:read")
    if not agent.sees_all_tickets:
        raise PermissionDenied(_("Workforce planning is for supervisors and admins."))


class StaffingIn(Schema):
    calls: float = Field(ge=0, le=10_000_000, description="contacts arriving in the interval")
    interval_minutes: float = Field(60, gt=0, le=24 * 60)
    aht_seconds: float = Field(gt=0, le=7 * 24 * 3600, description="average handle time")
    target_seconds: float = Field(ge=0, le=7 * 24 * 3600, description="answer within")
    service_level: float = Field(0.8, gt=0, lt=1, description="share answered within target")
    shrinkage: float = Field(0.0, ge=0, lt=1, description="share of paid time not available")
    max_occupancy: float | None = Field(None, gt=0, le=1)
    concurrency: int = Field(1, ge=1, le=10, description="contacts an agent handles at once")


class StaffingOut(Schema):
    calls: float
    interval_minutes: float
    aht_seconds: float
    concurrency: int
    target_seconds: float
    service_level_target: float
    shrinkage: float
    traffic_erlangs: float
    agents: int = Field(description="available to handle contacts")
    agents_scheduled: int = Field(description="to schedule, shrinkage included")
    probability_waiting: float
    service_level: float
    asa_seconds: float
    occupancy: float


@router.get("/staffing", response=StaffingOut, summary="Erlang C: agents needed for an interval")
def staffing_get(request: HttpRequest, query: Query[StaffingIn]) -> erlang.Staffing:
    _reader(request)
    return erlang.staffing(
        calls=query.calls,
        interval_minutes=query.interval_minutes,
        aht_seconds=query.aht_seconds,
        target_seconds=query.target_seconds,
        service_level_target=query.service_level,
        shrinkage=query.shrinkage,
        max_occupancy=query.max_occupancy,
        concurrency=query.concurrency,
    )


Channel = Literal["chat", "phone", "social", "email", "web", "api"]


class ForecastIn(Schema):
    channel: Channel
    day: datetime.date | None = Field(None, description="default today; up to 13 days ahead")
    target_seconds: int | None = Field(None, ge=0, le=7 * 24 * 3600)
    service_level: float | None = Field(None, gt=0, lt=1)
    shrinkage: float | None = Field(None, ge=0, lt=1)
    aht_seconds: int | None = Field(None, gt=0, le=24 * 3600)
    concurrency: int | None = Field(
        None, ge=1, le=10, description="contacts an agent handles at once; default the agents'"
    )


class HourOut(Schema):
    hour: datetime.datetime
    expected: float
    actual: int | None = Field(description="None while the hour has not begun")
    agents: int
    agents_scheduled: int
    service_level: float
    asa_seconds: float
    occupancy: float


class ForecastOut(Schema):
    channel: str
    day: datetime.date
    aht_seconds: float
    aht_source: Literal["setting", "history", "default"]
    concurrency: int
    concurrency_source: Literal["setting", "agents", "default"]
    target_seconds: int
    service_level_target: float
    shrinkage: float
    backtest_mape: float | None = Field(description="percent, last four weeks")
    backtest_naive_mape: float | None
    agents_online: int
    hours: list[HourOut]


@router.get("/forecast", response=ForecastOut, summary="A day's forecast and staffing")
def forecast_get(request: HttpRequest, query: Query[ForecastIn]) -> dict[str, Any]:
    _reader(request)
    default = staffing.TARGETS[query.channel]
    plan = staffing.staffing_plan(
        channel=query.channel,
        now=timezone.now(),
        day=query.day,
        target=staffing.Target(
            query.target_seconds if query.target_seconds is not None else default.seconds,
            query.service_level or default.service_level,
        ),
        shrinkage=query.shrinkage,
        aht_seconds=query.aht_seconds,
        concurrency=query.concurrency,
    )
    return {
        "channel": plan.channel,
        "day": plan.day,
        "aht_seconds": plan.aht.seconds,
        "aht_source": plan.aht.source,
        "concurrency": plan.concurrency.contacts,
        "concurrency_source": plan.concurrency.source,
        "target_seconds": plan.target.seconds,
        "service_level_target": plan.target.service_level,
        "shrinkage": plan.shrinkage,
        "backtest_mape": plan.backtest.mape,
        "backtest_naive_mape": plan.backtest.naive_mape,
        "agents_online": plan.online_now,
        "hours": [
            {
                "hour": row.hour,
                "expected": round(row.expected, 3),
                "actual": row.actual,
                "agents": row.staffing.agents,
                "agents_scheduled": row.staffing.agents_scheduled,
                "service_level": row.staffing.service_level,
                "asa_seconds": row.staffing.asa_seconds,
                "occupancy": row.staffing.occupancy,
            }
            for row in plan.hours
        ],
    }


class SpikeOut(Schema):
    id: int
    dimension: Literal["channel", "category", "keyword"]
    value: str
    started_at: datetime.datetime
    last_seen_at: datetime.datetime
    ended_at: datetime.datetime | None
    tickets: int = Field(description="in the last hour when last seen")
    peak_tickets: int
    baseline: float = Field(description="median of the same hour in previous weeks")
    score: float


@router.get("/spikes", response=list[SpikeOut], summary="Open spikes and those of the last day")
def spikes_get(request: HttpRequest) -> list[Any]:
    _reader(request)
    return spikes.alerts_recent(now=timezone.now(), limit=50)
