"""KPIs for BI tools: /api/v1/analytics/… — for supervisors and admins, with a token of the
`analytics:read` scope or a session. JSON of the dataclasses in analytics.kpis."""

import datetime
from dataclasses import asdict
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from nordesk.api.auth import acting_agent
from nordesk.core.errors import Invalid, PermissionDenied

from . import kpis

router = Router(tags=["analytics"])

MAX_DAYS = 366 * 2


class SliceIn(Schema):
    start: datetime.date
    end: datetime.date
    channel: str = ""
    team: int | None = None
    agent: int | None = None
    category: str = ""
    language: str = ""
    organisation: int | None = None
    priority: str = ""


class DurationsOut(Schema):
    count: int
    median: float | None
    p90: float | None
    business_median: float | None
    business_p90: float | None


class KpisOut(Schema):
    created: int
    solved: int
    first_response: DurationsOut
    next_response: DurationsOut
    resolution: DurationsOut
    handle_time_avg: float | None
    fcr_rate: float | None
    reopen_rate: float | None
    transfers_per_ticket: float | None
    csat_good_share: float | None
    csat_response_rate: float | None
    sla_compliance: dict[str, float | None]
    deflection_rate: float | None
    replies: int


class GroupOut(Schema):
    key: str
    label: str


class GroupKpisOut(Schema):
    group: GroupOut
    kpis: KpisOut


class MatrixOut(Schema):
    rows: list[GroupOut]
    columns: list[GroupOut]
    counts: list[list[int]]
    row_totals: list[int]
    column_totals: list[int]


class BacklogOut(Schema):
    key: str
    label: str
    tickets: int


def _reader(request: HttpRequest) -> None:
    agent = acting_agent(request, "analytics:read")
    if not agent.sees_all_tickets:
        raise PermissionDenied(_("Reports are for supervisors and admins."))


def _slice(query: SliceIn) -> kpis.Slice:
    if query.end < query.start:
        raise Invalid(_("The end date is before the start date."), field="end")
    if (query.end - query.start).days >= MAX_DAYS:
        raise Invalid(_("A report covers at most two years."), field="end")
    return kpis.Slice(
        start=query.start,
        end=query.end,
        channel=query.channel,
        team_id=query.team,
        agent_id=query.agent,
        category=query.category,
        language=query.language,
        organisation_id=query.organisation,
        priority=query.priority,
    )


def _kpis(figures: kpis.Kpis) -> dict[str, Any]:
    return asdict(figures)


@router.get("/kpis", response=KpisOut, summary="KPIs of a slice")
def kpis_get(request: HttpRequest, query: Query[SliceIn]) -> dict[str, Any]:
    _reader(request)
    return _kpis(kpis.kpis_for(_slice(query)))


By = Literal["channel", "team", "agent", "category", "language", "organisation", "priority"]
Period = Literal["hour", "day", "week", "month"]


@router.get("/kpis/by/{by}", response=list[GroupKpisOut], summary="KPIs per group")
def kpis_by_get(request: HttpRequest, by: By | Period, query: Query[SliceIn]) -> list[Any]:
    _reader(request)
    return [
        {"group": asdict(group), "kpis": _kpis(figures)}
        for group, figures in kpis.kpis_by(_slice(query), by)
    ]


@router.get("/matrix", response=MatrixOut, summary="Tickets created per category and channel")
def matrix_get(request: HttpRequest, query: Query[SliceIn]) -> dict[str, Any]:
    _reader(request)
    return asdict(kpis.topic_channel_matrix(_slice(query)))


@router.get("/backlog", response=list[BacklogOut], summary="Unsolved tickets by age")
def backlog_get(request: HttpRequest, query: Query[SliceIn]) -> list[dict[str, Any]]:
    _reader(request)
    rows = kpis.backlog_by_age(_slice(query), now=timezone.now())
    return [{"key": bucket.key, "label": bucket.label, "tickets": count} for bucket, count in rows]
