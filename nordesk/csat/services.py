"""Every write to surveys: scheduled when a ticket is solved, held when it is reopened, sent
by the scan, skipped by automations, answered through the link; and the opt-outs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts.errors import RoleForbids
from nordesk.core.events import emit
from nordesk.tickets import services as ticket_services

from . import selectors
from .errors import AnswerLocked, InvalidScore, InvalidSurveySettings
from .models import OptOut, Scale, Survey, SurveySettings

Actor = User | None
BATCH = 500
MAX_COMMENT = 2000
MAX_DELAY_MINUTES = 7 * 24 * 60
SOLVED = ("solved", "closed")
SETTINGS_FIELDS = frozenset({"enabled", "scale", "delay_minutes", "change_days"})


def survey_settings_update(*, changes: dict[str, Any], actor: Actor) -> SurveySettings:
    current = selectors.survey_settings()
    unknown = set(changes) - SETTINGS_FIELDS
    if unknown:
        raise InvalidSurveySettings(_("Unknown settings: %(names)s.") % {"names": sorted(unknown)})
    if "scale" in changes and changes["scale"] not in Scale.values:
        raise InvalidSurveySettings(_("Choose good or bad, or 1 to 5."), field="scale")
    delay = changes.get("delay_minutes", current.delay_minutes)
    if not 0 <= delay <= MAX_DELAY_MINUTES:
        raise InvalidSurveySettings(
            _("The delay is 0 to %(limit)d minutes (a week).") % {"limit": MAX_DELAY_MINUTES},
            field="delay_minutes",
        )
    days = changes.get("change_days", current.change_days)
    if not 1 <= days <= selectors.LINK_DAYS:
        raise InvalidSurveySettings(
            _("Answers can be changed for 1 to %(limit)d days.") % {"limit": selectors.LINK_DAYS},
            field="change_days",
        )
    for name, value in changes.items():
        setattr(current, name, value)
    current.updated_at = timezone.now()
    current.save()
    return current


# --- scheduling and sending ----------------------------------------------------------------


def survey_schedule(*, ticket: Any, at: datetime) -> Survey | None:
    """The ticket was solved: its survey goes out after the configured delay, unless surveys
    are off, the customer opted out, an automation skipped it or it went out already."""
    current = selectors.survey_settings()
    if not current.enabled or selectors.customer_opted_out(customer_id=ticket.customer_id):
        return None
    survey, _created = Survey.objects.get_or_create(ticket_id=ticket.pk)
    if survey.skipped or survey.sent_at is not None:
        return survey
    survey.due_at = at + timedelta(minutes=current.delay_minutes)
    survey.agent_id = ticket.assignee_id
    survey.save(update_fields=["due_at", "agent"])
    return survey


def survey_hold(*, ticket_id: int) -> None:
    """The ticket was reopened before its survey went out: nothing goes out until it is
    solved again."""
    Survey.objects.filter(ticket_id=ticket_id, sent_at__isnull=True).update(due_at=None)


def survey_skip(*, ticket_id: int, actor: Actor) -> Survey:
    """No survey for this ticket (an automation said so), now or when it is solved later."""
    survey, _created = Survey.objects.get_or_create(ticket_id=ticket_id)
    if not survey.skipped:
        survey.skipped = True
        survey.due_at = None
        survey.save(update_fields=["skipped", "due_at"])
    return survey


def surveys_send_due(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Send the surveys whose time has come, each in its own transaction; returns how many
    went out."""
    now = now or timezone.now()
    due = Survey.objects.filter(due_at__lte=now, sent_at__isnull=True).order_by("due_at")
    return sum(
        survey_send(survey_id=survey_id, now=now)
        for survey_id in due.values_list("pk", flat=True)[:limit]
    )


def _language(ticket: Any) -> str:
    known = {code for code, _name in django_settings.LANGUAGES}
    for language in (ticket.customer.language, ticket.language):
        if language in known:
            return language
    return django_settings.LANGUAGE_CODE


@transaction.atomic
def survey_send(*, survey_id: int, now: datetime) -> bool:
    """Claim one due survey and, if it may still go out, emit `csat_survey_due` for the
    channels to deliver. The claim is one conditional UPDATE, so two scans running at once
    (PostgreSQL) or one after the other (SQLite) send it once."""
    claimed = Survey.objects.filter(pk=survey_id, due_at__lte=now, sent_at__isnull=True).update(
        due_at=None
    )
    if not claimed:
        return False
    survey = Survey.objects.select_related("ticket__customer").get(pk=survey_id)
    ticket = survey.ticket
    current = selectors.survey_settings()
    if (
        not current.enabled
        or survey.skipped
        or ticket.status not in SOLVED
        or selectors.customer_opted_out(customer_id=ticket.customer_id)
    ):
        return False
    survey.customer_id = ticket.customer_id
    survey.language = _language(ticket)
    survey.scale = current.scale
    survey.sent_at = now
    survey.save(update_fields=["customer", "language", "scale", "sent_at"])
    link = selectors.survey_link(survey)
    with translation.override(survey.language):
        choices = [
            {"score": score, "label": label, "url": f"{link}?score={score}"}
            for score, label in selectors.score_choices(survey.scale)
        ]
    emit(
        "csat_survey_due",
        survey_id=survey.pk,
        ticket_id=ticket.pk,
        customer_id=ticket.customer_id,
        language=survey.language,
        link=link,
        choices=choices,
    )
    return True


# --- answers -------------------------------------------------------------------------------


@transaction.atomic
def survey_answer(
    *,
    survey: Survey,
    score: int,
    comment: str = "",
    opt_out: bool = False,
    now: datetime | None = None,
) -> Survey:
    """The customer's answer, or a change to it within the answer window; written to the
    ticket's history and emitted as `csat_received` for triggers."""
    now = now or timezone.now()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    until = selectors.answer_open_until(survey, selectors.survey_settings().change_days)
    if until is None or now > until:
        raise AnswerLocked()
    if score not in selectors.scores_for(survey.scale):
        raise InvalidScore(field="score")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidScore(
            _("Keep the comment within %(limit)d characters.") % {"limit": MAX_COMMENT},
            field="comment",
        )
    if opt_out and survey.customer_id is not None:
        customer_opt_out(customer_id=survey.customer_id, source=OptOut.Source.CUSTOMER, actor=None)
    changed = survey.answered_at is not None
    if changed and (survey.score, survey.comment) == (score, comment):
        return survey
    previous_score = survey.score
    survey.score, survey.comment, survey.changed_at = score, comment, now
    survey.answered_at = survey.answered_at or now
    survey.save(update_fields=["score", "comment", "changed_at", "answered_at"])
    ticket_services.ticket_csat_record(
        ticket_id=survey.ticket_id,
        score=score,
        scale=survey.scale,
        comment=comment,
        changed=changed,
        at=now,
    )
    emit(
        "csat_received",
        ticket_id=survey.ticket_id,
        score=score,
        previous_score=previous_score,
        comment=comment,
    )
    return survey


@transaction.atomic
def survey_import(
    *,
    ticket: Any,
    score: int,
    comment: str,
    language: str,
    scale: str,
    sent_at: datetime,
    answered_at: datetime,
) -> Survey:
    """An answer from history (a migration from another helpdesk, the demo): stored and in
    the ticket's history with its own time; no trigger runs on it."""
    if score not in selectors.scores_for(scale):
        raise InvalidScore(field="score")
    survey = Survey.objects.create(
        ticket_id=ticket.pk,
        customer_id=ticket.customer_id,
        agent_id=ticket.assignee_id,
        sent_at=sent_at,
        language=language,
        scale=scale,
        score=score,
        comment=comment,
        answered_at=answered_at,
        changed_at=answered_at,
    )
    ticket_services.ticket_csat_record(
        ticket_id=ticket.pk,
        score=score,
        scale=scale,
        comment=comment,
        changed=False,
        at=answered_at,
    )
    return survey


# --- opt-outs ------------------------------------------------------------------------------


def _ensure_agent_may_change(actor: Actor) -> None:
    if not account_selectors.actor_may_change(actor):
        raise RoleForbids(_("Light agents can read customers but not change them."))


def customer_opt_out(*, customer_id: int, source: str, actor: Actor) -> OptOut:
    """No more surveys for the customer (`actor` None: the customer asked on a survey page);
    surveys waiting to go out to them are held."""
    _ensure_agent_may_change(actor)
    opt_out, _created = OptOut.objects.get_or_create(
        customer_id=customer_id, defaults={"source": source, "actor_user": actor}
    )
    Survey.objects.filter(ticket__customer_id=customer_id, sent_at__isnull=True).update(due_at=None)
    return opt_out


def customer_opt_in(*, customer_id: int, actor: Actor) -> None:
    """Surveys again for the customer, from their next solved ticket."""
    _ensure_agent_may_change(actor)
    OptOut.objects.filter(customer_id=customer_id).delete()


def opt_outs_move(*, source_customer_id: int, target_customer_id: int) -> None:
    """Two profiles merged: the merged one's wish not to be surveyed follows it."""
    moved = OptOut.objects.filter(customer_id=source_customer_id).first()
    if moved is not None and not selectors.customer_opted_out(customer_id=target_customer_id):
        OptOut.objects.create(
            customer_id=target_customer_id, source=moved.source, actor_user=moved.actor_user
        )
