"""Business calendars and SLA policies for admins (any agent reads them), and a ticket's SLA
clocks and history for anyone who sees the ticket (mounted at /api/v1/sla)."""

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, StrictInt, field_validator

from nordesk.api.auth import acting_admin, acting_agent
from nordesk.api.types import DbId, reject_null
from nordesk.customers import selectors as customer_selectors
from nordesk.tickets import selectors as ticket_selectors

from . import selectors, services
from .errors import CalendarNotFound, ClosedDayNotFound, PolicyNotFound
from .models import BusinessCalendar, SlaPolicy

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

router = Router(tags=["sla"])

# A week of intervals, several a day for lunch: far more is a mistake, not a calendar.
HOURS_LIMIT = 7 * 24


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class HoursIn(StrictSchema):
    """One open interval of one weekday (0 = Monday … 6 = Sunday), such as 08:00-16:00."""

    weekday: StrictInt
    opens: time
    closes: time


class HoursOut(Schema):
    weekday: int
    opens: str
    closes: str


class CalendarOut(Schema):
    id: int
    name: str
    time_zone: str
    country: str
    subdivision: str
    is_default: bool
    hours: list[HoursOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_hours(obj: BusinessCalendar) -> list[dict[str, Any]]:
        return [
            {"weekday": row.weekday, "opens": f"{row.opens:%H:%M}", "closes": f"{row.closes:%H:%M}"}
            for row in obj.hours.all()
        ]


class CalendarIn(StrictSchema):
    name: str = Field(..., max_length=200)
    time_zone: str = Field("Europe/Oslo", max_length=64)
    country: str = Field("", max_length=2)
    subdivision: str = Field("", max_length=10)
    is_default: bool = False
    hours: list[HoursIn] = Field(..., max_length=HOURS_LIMIT)


class CalendarUpdate(StrictSchema):
    """Leave a field out to keep it; `hours` replaces the whole week."""

    name: str | None = Field(None, max_length=200)
    time_zone: str | None = Field(None, max_length=64)
    country: str | None = Field(None, max_length=2)
    subdivision: str | None = Field(None, max_length=10)
    is_default: bool | None = None
    hours: list[HoursIn] | None = Field(None, max_length=HOURS_LIMIT)

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return reject_null(value)


class ClosedDayOut(Schema):
    id: int
    date: date
    name: str


class ClosedDayIn(StrictSchema):
    date: date
    name: str = Field(..., max_length=200)


class CalendarLinkIn(StrictSchema):
    """The calendar's id, or null to fall back (a team to the default calendar, an
    organisation to its team's)."""

    calendar: DbId | None


class TeamCalendarOut(Schema):
    team_id: int
    calendar_id: int | None


class OrganisationCalendarOut(Schema):
    organisation_id: int
    calendar_id: int | None


class PolicyOut(Schema):
    id: int
    name: str
    position: int
    is_active: bool
    conditions: list[dict[str, Any]]
    calendar_id: int | None
    business_hours: bool
    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None
    warning_percent: int
    pause_when_pending: bool
    created_at: datetime
    updated_at: datetime


class PolicyIn(StrictSchema):
    """Conditions: a list of {"field", "operator", "value"} over priority, channel, team_id,
    organisation_id, tags or tier; targets in minutes."""

    name: str = Field(..., max_length=200)
    conditions: list[Any] = Field(default_factory=list, max_length=100)
    calendar: DbId | None = None
    business_hours: bool = True
    first_response_minutes: int | None = None
    next_response_minutes: int | None = None
    resolution_minutes: int | None = None
    warning_percent: int = 75
    pause_when_pending: bool = False
    is_active: bool = True


# Null clears these (no own calendar, no such target); it means nothing for the others.
NULLABLE_POLICY_FIELDS = frozenset(
    {"calendar", "first_response_minutes", "next_response_minutes", "resolution_minutes"}
)


class PolicyUpdate(StrictSchema):
    """Leave a field out to keep it; null clears the calendar or a target."""

    name: str | None = Field(None, max_length=200)
    conditions: list[Any] | None = Field(None, max_length=100)
    calendar: DbId | None = None
    business_hours: bool | None = None
    first_response_minutes: int | None = None
    next_response_minutes: int | None = None
    resolution_minutes: int | None = None
    warning_percent: int | None = None
    pause_when_pending: bool | None = None
    is_active: bool | None = None

    @field_validator(
        "name", "conditions", "business_hours", "warning_percent", "pause_when_pending",
        "is_active", mode="before",
    )  # fmt: skip
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return reject_null(value)


class OrderIn(StrictSchema):
    policy_ids: list[DbId] = Field(..., max_length=10_000)


class ClockOut(Schema):
    """`remaining_seconds`: business time left, negative when overdue, null when met."""

    target: str
    name: str
    policy: str
    state: str
    status: str
    due_at: datetime | None
    warning_at: datetime | None
    target_minutes: int
    elapsed_seconds: int
    remaining_seconds: int | None


class SlaEventOut(Schema):
    target: str
    kind: str
    at: datetime
    policy: str | None


class TicketSlaOut(Schema):
    ticket_id: int
    clocks: list[ClockOut]
    events: list[SlaEventOut]


def _admin(request: HttpRequest) -> "Agent":
    return acting_admin(
        request, writes=True, refusal=_("Only admins manage SLA calendars and policies.")
    )


def _reader(request: HttpRequest) -> None:
    acting_agent(request, "tickets:read")


def _calendar(calendar_id: int) -> BusinessCalendar:
    calendar = selectors.calendar_get(calendar_id=calendar_id)
    if calendar is None:
        raise CalendarNotFound()
    return calendar


def _policy(policy_id: int) -> SlaPolicy:
    policy = selectors.policy_get(policy_id=policy_id)
    if policy is None:
        raise PolicyNotFound()
    return policy


def _hours(rows: list[dict[str, Any]]) -> list[tuple[int, time, time]]:
    return [(row["weekday"], row["opens"], row["closes"]) for row in rows]


def _calendar_fields(payload: Schema) -> dict[str, Any]:
    # A PATCH names only what changes; a POST's defaults count too.
    data = payload.model_dump(exclude_unset=isinstance(payload, CalendarUpdate))
    if "hours" in data:
        data["hours"] = _hours(data["hours"])
    return data


def _policy_fields(payload: Schema) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=isinstance(payload, PolicyUpdate))
    if "calendar" in data:
        data["calendar_id"] = data.pop("calendar")
    return data


@router.get("/calendars", response=list[CalendarOut])
def calendars_list(request: HttpRequest):
    _reader(request)
    return list(selectors.calendar_list().prefetch_related("hours"))


@router.post("/calendars", response={201: CalendarOut})
def calendars_create(request: HttpRequest, payload: CalendarIn):
    """A new calendar; `is_default` takes the default flag from whichever calendar held it."""
    _admin(request)
    return Status(201, services.calendar_create(**_calendar_fields(payload)))


@router.get("/calendars/{calendar_id}", response=CalendarOut)
def calendars_get(request: HttpRequest, calendar_id: DbId):
    _reader(request)
    return _calendar(calendar_id)


@router.patch("/calendars/{calendar_id}", response=CalendarOut)
def calendars_update(request: HttpRequest, calendar_id: DbId, payload: CalendarUpdate):
    """A change of hours, time zone or region recomputes the running clocks' deadlines."""
    _admin(request)
    return services.calendar_update(
        calendar=_calendar(calendar_id), changes=_calendar_fields(payload)
    )


@router.delete("/calendars/{calendar_id}", response={204: None})
def calendars_delete(request: HttpRequest, calendar_id: DbId):
    """Refused (409) while a policy names the calendar or a ticket's clock counts in it."""
    _admin(request)
    services.calendar_delete(calendar=_calendar(calendar_id))
    return Status(204, None)


@router.get("/calendars/{calendar_id}/closed-days", response=list[ClosedDayOut])
def closed_days_list(request: HttpRequest, calendar_id: DbId):
    _reader(request)
    return list(selectors.closed_day_list(calendar_id=_calendar(calendar_id).pk))


@router.post("/calendars/{calendar_id}/closed-days", response={201: ClosedDayOut})
def closed_days_add(request: HttpRequest, calendar_id: DbId, payload: ClosedDayIn):
    _admin(request)
    closed_day = services.closed_day_add(
        calendar=_calendar(calendar_id), day=payload.date, name=payload.name
    )
    return Status(201, closed_day)


@router.delete("/calendars/{calendar_id}/closed-days/{day_id}", response={204: None})
def closed_days_remove(request: HttpRequest, calendar_id: DbId, day_id: DbId):
    _admin(request)
    calendar = _calendar(calendar_id)
    closed_day = selectors.closed_day_get(calendar_id=calendar.pk, closed_day_id=day_id)
    if closed_day is None:
        raise ClosedDayNotFound()
    services.closed_day_remove(closed_day=closed_day)
    return Status(204, None)


@router.put("/teams/{team_id}/calendar", response=TeamCalendarOut)
def team_calendar_set(request: HttpRequest, team_id: DbId, payload: CalendarLinkIn):
    """New clocks of the team's tickets count in this calendar; running ones keep theirs."""
    _admin(request)
    services.team_calendar_set(team_id=team_id, calendar_id=payload.calendar)
    return {"team_id": team_id, "calendar_id": payload.calendar}


@router.put("/organisations/{organisation_id}/calendar", response=OrganisationCalendarOut)
def organisation_calendar_set(request: HttpRequest, organisation_id: DbId, payload: CalendarLinkIn):
    """The organisation's calendar wins over its tickets' team's, for new clocks."""
    agent = _admin(request)
    organisation = customer_selectors.organisation_get_for_agent(
        agent=agent, organisation_id=organisation_id
    )
    services.organisation_calendar_set(
        organisation_id=organisation.pk, calendar_id=payload.calendar
    )
    return {"organisation_id": organisation.pk, "calendar_id": payload.calendar}


@router.get("/policies", response=list[PolicyOut])
def policies_list(request: HttpRequest):
    """Every policy in the order they are tried."""
    _reader(request)
    return list(selectors.policy_list())


@router.post("/policies", response={201: PolicyOut})
def policies_create(request: HttpRequest, payload: PolicyIn):
    """A new policy, tried after the existing ones."""
    _admin(request)
    return Status(201, services.policy_create(**_policy_fields(payload)))


@router.put("/policies/order", response=list[PolicyOut])
def policies_reorder(request: HttpRequest, payload: OrderIn):
    """Names every policy once, in the order they are to be tried. Declared before
    /policies/{policy_id}: "order" is no id."""
    _admin(request)
    return services.policies_reorder(policy_ids=payload.policy_ids)


@router.get("/policies/{policy_id}", response=PolicyOut)
def policies_get(request: HttpRequest, policy_id: DbId):
    _reader(request)
    return _policy(policy_id)


@router.patch("/policies/{policy_id}", response=PolicyOut)
def policies_update(request: HttpRequest, policy_id: DbId, payload: PolicyUpdate):
    """A change of targets, warning share or calendar recomputes the running clocks."""
    _admin(request)
    return services.policy_update(policy=_policy(policy_id), changes=_policy_fields(payload))


@router.delete("/policies/{policy_id}", response={204: None})
def policies_delete(request: HttpRequest, policy_id: DbId):
    """Only a policy that never started a clock; deactivate one that did (409)."""
    _admin(request)
    services.policy_delete(policy=_policy(policy_id))
    return Status(204, None)


@router.get("/tickets/{ticket_id}", response=TicketSlaOut)
def ticket_sla(request: HttpRequest, ticket_id: DbId):
    """The ticket's clocks (first response, next response, resolution) with their time left,
    and its SLA history oldest first: for every agent who can see the ticket."""
    agent = acting_agent(request, "tickets:read")
    ticket = ticket_selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    clocks = [
        {
            "target": clock.kind,
            "name": clock.name,
            "policy": clock.policy,
            "state": clock.state,
            "status": clock.status,
            "due_at": clock.due_at,
            "warning_at": clock.warning_at,
            "target_minutes": int(clock.target.total_seconds() // 60),
            "elapsed_seconds": int(clock.elapsed.total_seconds()),
            "remaining_seconds": (
                None if clock.remaining is None else int(clock.remaining.total_seconds())
            ),
        }
        for clock in selectors.clocks_for_ticket(ticket.pk)
    ]
    return {
        "ticket_id": ticket.pk,
        "clocks": clocks,
        "events": selectors.events_for_ticket(ticket.pk),
    }
