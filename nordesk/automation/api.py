"""Automation for admins (triggers, time rules, macros, canned replies) and for agents (apply a
macro, fill in a canned reply, see what ran on a ticket, read notifications)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, field_validator

from nordesk.api.auth import acting_admin, acting_agent
from nordesk.api.types import DbId, reject_null
from nordesk.tickets import selectors as ticket_selectors

from . import selectors, services
from .errors import (
    CannedReplyNotFound,
    MacroNotFound,
    NotificationNotFound,
    TimeRuleNotFound,
    TriggerNotFound,
)
from .models import CannedReply, Macro, TimeRule, Trigger
from .placeholders import language_of

router = Router(tags=["automation"])


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class _Patch(StrictSchema):
    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Leaving a field out keeps it; null clears nothing here.
        return reject_null(value)


Name = Field(..., min_length=1, max_length=100)


# --- triggers --------------------------------------------------------------------------------


class TriggerOut(Schema):
    id: int
    name: str
    position: int
    is_active: bool
    events: list[str]
    conditions: dict[str, Any]
    actions: list[dict[str, Any]]
    created_at: datetime
    updated_at: datetime


class TriggerIn(StrictSchema):
    name: str = Name
    events: list[str] = Field(..., max_length=10)
    conditions: dict[str, Any]
    actions: list[Any] = Field(..., max_length=100)
    is_active: bool = True


class TriggerUpdate(_Patch):
    name: str | None = Field(None, min_length=1, max_length=100)
    events: list[str] | None = Field(None, max_length=10)
    conditions: dict[str, Any] | None = None
    actions: list[Any] | None = Field(None, max_length=100)
    is_active: bool | None = None


class OrderIn(StrictSchema):
    trigger_ids: list[DbId] = Field(..., max_length=10_000)


def _admin(request: HttpRequest, *, writes: bool = False):
    return acting_admin(request, writes=writes, refusal=_("Only admins manage automations."))


def _trigger(trigger_id: int) -> Trigger:
    trigger = selectors.trigger_get(trigger_id=trigger_id)
    if trigger is None:
        raise TriggerNotFound()
    return trigger


@router.get("/triggers", response=list[TriggerOut])
def triggers_list(request: HttpRequest):
    """Every trigger in the order they run."""
    _admin(request)
    return list(selectors.trigger_list())


@router.post("/triggers", response={201: TriggerOut})
def triggers_create(request: HttpRequest, payload: TriggerIn):
    """A new trigger, run after the existing ones."""
    _admin(request, writes=True)
    return Status(201, services.trigger_create(**payload.model_dump()))


@router.put("/triggers/order", response=list[TriggerOut])
def triggers_reorder(request: HttpRequest, payload: OrderIn):
    """Names every trigger once, in the order they are to run. Declared before
    /triggers/{trigger_id}: "order" is no id."""
    _admin(request, writes=True)
    return services.triggers_reorder(trigger_ids=payload.trigger_ids)


@router.patch("/triggers/{trigger_id}", response=TriggerOut)
def triggers_update(request: HttpRequest, trigger_id: DbId, payload: TriggerUpdate):
    _admin(request, writes=True)
    return services.trigger_update(
        trigger=_trigger(trigger_id), changes=payload.model_dump(exclude_unset=True)
    )


@router.delete("/triggers/{trigger_id}", response={204: None})
def triggers_delete(request: HttpRequest, trigger_id: DbId):
    _admin(request, writes=True)
    services.trigger_delete(trigger=_trigger(trigger_id))
    return Status(204, None)


# --- time rules ------------------------------------------------------------------------------


class TimeRuleOut(Schema):
    id: int
    name: str
    is_active: bool
    since: str
    after_minutes: int
    business_hours: bool
    calendar_id: int | None
    conditions: dict[str, Any]
    actions: list[dict[str, Any]]
    created_at: datetime
    updated_at: datetime


class TimeRuleIn(StrictSchema):
    name: str = Name
    since: str = Field(..., max_length=20)
    after_minutes: int
    business_hours: bool = False
    calendar: DbId | None = None
    conditions: dict[str, Any]
    actions: list[Any] = Field(..., max_length=100)
    is_active: bool = True


class TimeRuleUpdate(_Patch):
    name: str | None = Field(None, min_length=1, max_length=100)
    since: str | None = Field(None, max_length=20)
    after_minutes: int | None = None
    business_hours: bool | None = None
    calendar: DbId | None = None
    conditions: dict[str, Any] | None = None
    actions: list[Any] | None = Field(None, max_length=100)
    is_active: bool | None = None


def _time_rule(rule_id: int) -> TimeRule:
    rule = selectors.time_rule_get(rule_id=rule_id)
    if rule is None:
        raise TimeRuleNotFound()
    return rule


def _time_rule_fields(payload: Schema) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    if "calendar" in data:
        data["calendar_id"] = data.pop("calendar")
    return data


@router.get("/time-rules", response=list[TimeRuleOut])
def time_rules_list(request: HttpRequest):
    _admin(request)
    return list(selectors.time_rule_list())


@router.post("/time-rules", response={201: TimeRuleOut})
def time_rules_create(request: HttpRequest, payload: TimeRuleIn):
    _admin(request, writes=True)
    return Status(201, services.time_rule_create(**_time_rule_fields(payload)))


@router.patch("/time-rules/{rule_id}", response=TimeRuleOut)
def time_rules_update(request: HttpRequest, rule_id: DbId, payload: TimeRuleUpdate):
    _admin(request, writes=True)
    return services.time_rule_update(rule=_time_rule(rule_id), changes=_time_rule_fields(payload))


@router.delete("/time-rules/{rule_id}", response={204: None})
def time_rules_delete(request: HttpRequest, rule_id: DbId):
    _admin(request, writes=True)
    services.time_rule_delete(rule=_time_rule(rule_id))
    return Status(204, None)


# --- macros and canned replies ---------------------------------------------------------------


class MacroOut(Schema):
    id: int
    name: str
    is_active: bool
    actions: list[dict[str, Any]]
    texts: dict[str, str]


class MacroIn(StrictSchema):
    name: str = Name
    actions: list[Any] = Field(default_factory=list, max_length=100)
    texts: dict[str, Any] = Field(default_factory=dict)
    is_active: bool = True


class MacroUpdate(_Patch):
    name: str | None = Field(None, min_length=1, max_length=100)
    actions: list[Any] | None = Field(None, max_length=100)
    texts: dict[str, Any] | None = None
    is_active: bool | None = None


class CannedOut(Schema):
    id: int
    name: str
    texts: dict[str, str]


class CannedIn(StrictSchema):
    name: str = Name
    texts: dict[str, Any]


class CannedUpdate(_Patch):
    name: str | None = Field(None, min_length=1, max_length=100)
    texts: dict[str, Any] | None = None


def _macro(macro_id: int, *, active_only: bool = False) -> Macro:
    macro = selectors.macro_get(macro_id=macro_id, active_only=active_only)
    if macro is None:
        raise MacroNotFound()
    return macro


def _canned(canned_id: int) -> CannedReply:
    canned = selectors.canned_reply_get(canned_id=canned_id)
    if canned is None:
        raise CannedReplyNotFound()
    return canned


@router.get("/macros", response=list[MacroOut])
def macros_list(request: HttpRequest):
    """For agents the active macros; for admins every one."""
    agent = acting_agent(request, "tickets:read")
    return list(selectors.macro_list(active_only=not agent.is_admin))


@router.post("/macros", response={201: MacroOut})
def macros_create(request: HttpRequest, payload: MacroIn):
    _admin(request, writes=True)
    return Status(201, services.macro_create(**payload.model_dump()))


@router.patch("/macros/{macro_id}", response=MacroOut)
def macros_update(request: HttpRequest, macro_id: DbId, payload: MacroUpdate):
    _admin(request, writes=True)
    return services.macro_update(
        macro=_macro(macro_id), changes=payload.model_dump(exclude_unset=True)
    )


@router.delete("/macros/{macro_id}", response={204: None})
def macros_delete(request: HttpRequest, macro_id: DbId):
    _admin(request, writes=True)
    services.macro_delete(macro=_macro(macro_id))
    return Status(204, None)


@router.get("/canned-replies", response=list[CannedOut])
def canned_list(request: HttpRequest):
    acting_agent(request, "tickets:read")
    return list(selectors.canned_reply_list())


@router.post("/canned-replies", response={201: CannedOut})
def canned_create(request: HttpRequest, payload: CannedIn):
    _admin(request, writes=True)
    return Status(201, services.canned_reply_create(**payload.model_dump()))


@router.patch("/canned-replies/{canned_id}", response=CannedOut)
def canned_update(request: HttpRequest, canned_id: DbId, payload: CannedUpdate):
    _admin(request, writes=True)
    return services.canned_reply_update(
        canned=_canned(canned_id), changes=payload.model_dump(exclude_unset=True)
    )


@router.delete("/canned-replies/{canned_id}", response={204: None})
def canned_delete(request: HttpRequest, canned_id: DbId):
    _admin(request, writes=True)
    services.canned_reply_delete(canned=_canned(canned_id))
    return Status(204, None)


# --- on a ticket -----------------------------------------------------------------------------


class MacroAppliedOut(Schema):
    ticket_id: int
    status: str
    priority: str
    language: str
    reply: str
    actions: list[dict[str, Any]]


class RenderedOut(Schema):
    ticket_id: int
    language: str
    text: str


class RunOut(Schema):
    id: int
    trigger_id: int | None
    time_rule_id: int | None
    name: str
    event: str
    actions: list[dict[str, Any]]
    error: str
    created_at: datetime


@router.post("/tickets/{ticket_id}/macros/{macro_id}", response=MacroAppliedOut)
def ticket_macro_apply(request: HttpRequest, ticket_id: DbId, macro_id: DbId):
    """Applies the macro's actions as the calling agent and returns its reply text, in the
    ticket's language with the placeholders filled, for the agent to send."""
    agent = acting_agent(request, "tickets:write", writes=True)
    ticket = ticket_selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    applied = services.macro_apply(
        macro=_macro(macro_id, active_only=True), ticket=ticket, agent=agent
    )
    ticket = applied.ticket
    return {
        "ticket_id": ticket.pk,
        "status": ticket.status,
        "priority": ticket.priority,
        "language": language_of(ticket),
        "reply": applied.reply,
        "actions": applied.actions,
    }


@router.get("/tickets/{ticket_id}/canned-replies/{canned_id}", response=RenderedOut)
def ticket_canned_render(request: HttpRequest, ticket_id: DbId, canned_id: DbId):
    """The canned reply for this ticket: its language, placeholders filled."""
    agent = acting_agent(request, "tickets:read")
    ticket = ticket_selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    text = services.canned_reply_render(canned=_canned(canned_id), ticket=ticket, agent=agent)
    return {"ticket_id": ticket.pk, "language": language_of(ticket), "text": text}


@router.get("/tickets/{ticket_id}/runs", response=list[RunOut])
def ticket_runs(request: HttpRequest, ticket_id: DbId):
    """What triggers and time rules did on the ticket, newest first: for every agent who can
    see the ticket."""
    agent = acting_agent(request, "tickets:read")
    ticket = ticket_selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    return selectors.runs_for_ticket(ticket_id=ticket.pk)


# --- notifications ---------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    ticket_id: int | None
    text: str
    created_at: datetime
    read_at: datetime | None


@router.get("/notifications", response=list[NotificationOut])
def notifications_list(request: HttpRequest, unread: bool = False):
    """The calling agent's notifications, newest first."""
    agent = acting_agent(request, "tickets:read")
    return selectors.notifications_for_user(user_id=agent.user_id, unread_only=unread)


@router.post("/notifications/read", response={204: None})
def notifications_read_all(request: HttpRequest):
    agent = acting_agent(request, "tickets:read")
    services.notifications_mark_all_read(user_id=agent.user_id)
    return Status(204, None)


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def notification_read(request: HttpRequest, notification_id: DbId):
    agent = acting_agent(request, "tickets:read")
    notification = selectors.notification_get_for_user(
        user_id=agent.user_id, notification_id=notification_id
    )
    if notification is None:
        raise NotificationNotFound()
    return services.notification_mark_read(notification=notification)
