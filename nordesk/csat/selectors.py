"""Reads of surveys: by signed link (the customer's only key), for the portal, and for agents
always through the tickets they may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings as django_settings
from django.db.models import Case, Count, F, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nordesk.tickets import selectors as ticket_selectors

from .errors import SurveyLinkInvalid
from .models import BAD, GOOD, GOOD_FROM, OptOut, Scale, Survey, SurveySettings
from .tokens import survey_token_make, survey_token_read

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

# A link older than this is refused as expired, whatever the answer window says.
LINK_DAYS = 90
FIGURES_DAYS = 30

_FIVE_LABELS = {
    5: gettext_lazy("5 – Very satisfied"),
    4: gettext_lazy("4 – Satisfied"),
    3: gettext_lazy("3 – Neither"),
    2: gettext_lazy("2 – Dissatisfied"),
    1: gettext_lazy("1 – Very dissatisfied"),
}


def survey_settings() -> SurveySettings:
    """The saved settings, or the defaults until an admin saves them."""
    return SurveySettings.objects.filter(pk=1).first() or SurveySettings(pk=1)


def scores_for(scale: str) -> tuple[int, ...]:
    return (GOOD, BAD) if scale == Scale.GOOD_BAD else (5, 4, 3, 2, 1)


def score_label(*, score: int, scale: str) -> str:
    if scale == Scale.GOOD_BAD:
        return _("Good") if score >= GOOD_FROM else _("Bad")
    return _("%(score)s of 5") % {"score": score}


def score_choices(scale: str) -> list[tuple[int, str]]:
    """What the customer picks from, best first, labelled in the active language."""
    if scale == Scale.GOOD_BAD:
        return [(GOOD, _("Good, I'm satisfied")), (BAD, _("Bad, I'm not satisfied"))]
    return [(score, str(_FIVE_LABELS[score])) for score in scores_for(scale)]


def survey_link(survey: Survey) -> str:
    """The survey page's address, absolute (it goes out by email)."""
    token = survey_token_make(
        survey_id=survey.pk, ticket_id=survey.ticket_id, customer_id=survey.customer_id or 0
    )
    return django_settings.PUBLIC_URL.rstrip("/") + reverse("csat:survey", args=[token])


def survey_from_token(token: str) -> Survey:
    """The survey a link names, if the link is ours, unexpired and still names its ticket and
    the customer who was asked; SurveyLinkInvalid or SurveyLinkExpired otherwise."""
    survey_id, ticket_id, customer_id = survey_token_read(token, max_age_days=LINK_DAYS)
    survey = (
        Survey.objects.select_related("ticket")
        .filter(pk=survey_id, ticket_id=ticket_id, customer_id=customer_id)
        .exclude(sent_at=None)
        .first()
    )
    if survey is None:
        raise SurveyLinkInvalid()
    return survey


def answer_open_until(survey: Survey, change_days: int) -> datetime | None:
    """Until when the customer may answer, or change their answer."""
    if survey.sent_at is None:
        return None
    return survey.sent_at + timedelta(days=change_days)


def survey_pending_for_ticket(*, ticket_id: int, customer_id: int) -> str | None:
    """For the portal: the link of the ticket's survey when it went to this customer and is
    still open for an answer; None otherwise."""
    survey = Survey.objects.filter(
        ticket_id=ticket_id, customer_id=customer_id, sent_at__isnull=False
    ).first()
    if survey is None:
        return None
    until = answer_open_until(survey, survey_settings().change_days)
    if until is None or timezone.now() > until:
        return None
    return survey_link(survey)


def customer_opted_out(*, customer_id: int) -> bool:
    return OptOut.objects.filter(customer_id=customer_id).exists()


def surveys_for_ticket_panel(
    *, agent: Agent, ticket_id: int, customer_id: int, limit: int = 5
) -> tuple[Survey | None, list[Survey]]:
    """The ticket's survey and up to `limit` of the customer's answers on their other tickets
    the agent may see, newest first, in one query."""
    rows = list(
        Survey.objects.filter(ticket__in=ticket_selectors.ticket_visible_qs(agent))
        .filter(Q(ticket_id=ticket_id) | Q(ticket__customer_id=customer_id, score__isnull=False))
        .select_related("ticket")
        .order_by(
            Case(When(ticket_id=ticket_id, then=0), default=1),
            F("answered_at").desc(),
            "-id",
        )[: limit + 1]
    )
    this = next((survey for survey in rows if survey.ticket_id == ticket_id), None)
    return this, [survey for survey in rows if survey.ticket_id != ticket_id][:limit]


def survey_for_ticket_for_agent(*, agent: Agent, ticket_id: int) -> Survey | None:
    """The ticket's survey, when the agent may see the ticket."""
    return Survey.objects.filter(
        ticket_id=ticket_id, ticket__in=ticket_selectors.ticket_visible_qs(agent)
    ).first()


def answers_for_customer(*, agent: Agent, customer_id: int, limit: int = 50) -> list[Survey]:
    """The customer's answers, newest first, on the tickets the agent may see."""
    visible = ticket_selectors.ticket_visible_qs(agent).filter(customer_id=customer_id)
    return list(
        Survey.objects.filter(ticket__in=visible, score__isnull=False)
        .select_related("ticket")
        .order_by("-answered_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class AgentCsat:
    answers: int
    good: int

    @property
    def good_percent(self) -> int:
        return round(100 * self.good / self.answers) if self.answers else 0


def agent_csat_figures(*, now: datetime, days: int = FIGURES_DAYS) -> dict[int, AgentCsat]:
    """Each agent's answers over the last `days` (by the agent who had the ticket when it
    was solved) and how many were good, by user id, in one query."""
    rows = (
        Survey.objects.filter(
            score__isnull=False, agent__isnull=False, answered_at__gte=now - timedelta(days=days)
        )
        .values("agent_id")
        .annotate(answers=Count("id"), good=Count("id", filter=Q(score__gte=GOOD_FROM)))
        .order_by()
    )
    return {row["agent_id"]: AgentCsat(row["answers"], row["good"]) for row in rows}


@dataclass(frozen=True)
class CsatFigures:
    """Answers given since a moment, and how many of them were good."""

    answers: int
    good: int

    @property
    def good_percent(self) -> int | None:
        return round(100 * self.good / self.answers) if self.answers else None


def csat_figures_since(*, since: datetime) -> CsatFigures:
    """Answers given since `since` and the good ones among them, in one query."""
    counts = Survey.objects.filter(score__isnull=False, answered_at__gte=since).aggregate(
        answers=Count("id"), good=Count("id", filter=Q(score__gte=GOOD_FROM))
    )
    return CsatFigures(counts["answers"], counts["good"])


@dataclass(frozen=True)
class SurveyFacts:
    sent_at: datetime | None
    answered_at: datetime | None
    score: int | None
    agent_id: int | None

    @property
    def good(self) -> bool:
        return self.score is not None and self.score >= GOOD_FROM


def survey_facts_for_tickets(
    ticket_ids: list[int], *, between: tuple[int, int] | None = None
) -> dict[int, SurveyFacts]:
    """Each ticket's survey as the analytics app counts it, in one query (`between`: the
    tickets with ids in that range instead)."""
    surveys = (
        Survey.objects.filter(ticket_id__gte=between[0], ticket_id__lte=between[1])
        if between
        else Survey.objects.filter(ticket_id__in=ticket_ids)
    )
    rows = surveys.values_list("ticket_id", "sent_at", "answered_at", "score", "agent_id")
    return {
        ticket_id: SurveyFacts(sent_at, answered_at, score, agent_id)
        for ticket_id, sent_at, answered_at, score, agent_id in rows
    }


def survey_ticket_ids_sent_since(since: datetime) -> list[int]:
    """Tickets whose survey went out at or after `since`: sending writes no ticket event."""
    return list(Survey.objects.filter(sent_at__gte=since).values_list("ticket_id", flat=True))
