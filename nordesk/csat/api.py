"""CSAT in the API: a ticket's survey and a customer's answers for agents who may see them,
a customer's opt-out, and the survey settings for admins."""

import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from nordesk.api.auth import acting_admin, acting_agent
from nordesk.api.types import DbId
from nordesk.core.errors import NotFound
from nordesk.customers import selectors as customer_selectors

from . import selectors, services
from .models import OptOut

router = Router(tags=["csat"])


SurveyStatus = Literal["skipped", "scheduled", "held", "sent", "answered"]


class SurveyOut(Schema):
    ticket_id: int
    status: SurveyStatus
    due_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    language: str
    scale: str
    score: int | None = Field(description="1 to 5; on the good/bad scale good is 5, bad 1")
    comment: str
    answered_at: datetime.datetime | None
    changed_at: datetime.datetime | None


def _status(survey) -> SurveyStatus:
    if survey.score is not None:
        return "answered"
    if survey.sent_at is not None:
        return "sent"
    if survey.skipped:
        return "skipped"
    return "scheduled" if survey.due_at is not None else "held"


def _survey_out(survey) -> SurveyOut:
    return SurveyOut(
        ticket_id=survey.ticket_id,
        status=_status(survey),
        due_at=survey.due_at,
        sent_at=survey.sent_at,
        language=survey.language,
        scale=survey.scale,
        score=survey.score,
        comment=survey.comment,
        answered_at=survey.answered_at,
        changed_at=survey.changed_at,
    )


class CustomerCsatOut(Schema):
    opted_out: bool
    answers: list[SurveyOut]


class OptOutIn(Schema):
    opted_out: bool


class SettingsOut(Schema):
    enabled: bool
    scale: Literal["good_bad", "five"]
    delay_minutes: int
    change_days: int


class SettingsIn(Schema):
    enabled: bool | None = None
    scale: Literal["good_bad", "five"] | None = None
    delay_minutes: int | None = Field(None, ge=0)
    change_days: int | None = Field(None, ge=1)


@router.get("/tickets/{int:ticket_id}", response=SurveyOut, summary="A ticket's survey")
def ticket_survey(request: HttpRequest, ticket_id: DbId):
    agent = acting_agent(request, "tickets:read")
    survey = selectors.survey_for_ticket_for_agent(agent=agent, ticket_id=ticket_id)
    if survey is None:
        raise NotFound(_("This ticket has no survey."))
    return _survey_out(survey)


def _customer(request: HttpRequest, customer_id: int, *, writes: bool = False):
    agent = acting_agent(request, "customers:write" if writes else "customers:read", writes=writes)
    return agent, customer_selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)


@router.get(
    "/customers/{int:customer_id}",
    response=CustomerCsatOut,
    summary="A customer's answers on the tickets you may see, and whether they opted out",
)
def customer_csat(request: HttpRequest, customer_id: DbId):
    agent, customer = _customer(request, customer_id)
    return _customer_csat_out(agent, customer.pk)


def _customer_csat_out(agent, customer_id: int) -> CustomerCsatOut:
    return CustomerCsatOut(
        opted_out=selectors.customer_opted_out(customer_id=customer_id),
        answers=[
            _survey_out(survey)
            for survey in selectors.answers_for_customer(agent=agent, customer_id=customer_id)
        ],
    )


@router.put(
    "/customers/{int:customer_id}/opt-out",
    response=CustomerCsatOut,
    summary="Stop or resume surveys for a customer",
)
def customer_opt_out_set(request: HttpRequest, customer_id: DbId, payload: OptOutIn):
    agent, customer = _customer(request, customer_id, writes=True)
    if payload.opted_out:
        services.customer_opt_out(
            customer_id=customer.pk, source=OptOut.Source.AGENT, actor=agent.user
        )
    else:
        services.customer_opt_in(customer_id=customer.pk, actor=agent.user)
    return _customer_csat_out(agent, customer.pk)


def _settings_out() -> SettingsOut:
    current = selectors.survey_settings()
    return SettingsOut(
        enabled=current.enabled,
        scale=current.scale,  # type: ignore[arg-type]
        delay_minutes=current.delay_minutes,
        change_days=current.change_days,
    )


@router.get("/settings", response=SettingsOut, summary="How surveys go out")
def settings_get(request: HttpRequest):
    acting_agent(request, "tickets:read")
    return _settings_out()


@router.patch("/settings", response=SettingsOut, summary="Change how surveys go out (admins)")
def settings_update(request: HttpRequest, payload: SettingsIn):
    agent = acting_admin(request, writes=True, refusal=_("Only admins change the survey settings."))
    services.survey_settings_update(changes=payload.model_dump(exclude_none=True), actor=agent.user)
    return _settings_out()
