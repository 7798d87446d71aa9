"""Workforce management in the API: /api/v1/analytics/wfm/… — Erlang C for one interval, the
arrivals forecast with the agents each hour needs, and recent spike alerts. For supervisors
and admins, with a token of the `analytics:read` scope or a session."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from nordesk.api.auth import acting_agent
from nordesk.core.errors import PermissionDenied

from . import erlang

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


class StaffingOut(Schema):
    calls: float
    interval_minutes: float
    aht_seconds: float
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
    )
