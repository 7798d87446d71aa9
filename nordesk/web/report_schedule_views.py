"""Scheduled reports, for supervisors and admins: the list (with when each last went out or
why it failed), create, edit and delete. The analytics app's schedule services validate and
write; a refusal shows by the field it names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nordesk.accounts import selectors as account_selectors
from nordesk.analytics import reports, schedules
from nordesk.core.errors import ApplicationError
from nordesk.tickets import selectors as ticket_selectors

from .report_forms import ReportScheduleForm, organisation_choices
from .views import supervisor_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent
    from nordesk.analytics.models import ReportSchedule


def _form(agent: Agent, data: Any = None, initial: Any = None) -> ReportScheduleForm:
    return ReportScheduleForm(
        data,
        initial=initial,
        frequencies=list(schedules.Frequency.choices),
        teams=account_selectors.team_list(),
        agents=account_selectors.agents_by_name(),
        organisations=organisation_choices(
            agent, (data or {}).get("organisation_id") or (initial or {}).get("organisation_id")
        ),
        vocabulary=ticket_selectors.ticket_vocabulary(),
    )


def _schedule_or_404(schedule_id: int) -> ReportSchedule:
    schedule = schedules.schedule_get(schedule_id=schedule_id)
    if schedule is None:
        raise Http404(_("No such scheduled report."))
    return schedule


@require_GET
@supervisor_required
def schedule_list(request: HttpRequest, agent: Agent) -> HttpResponse:
    context = {
        "nav": "reports",
        "agent": agent,
        "schedules": schedules.schedule_list(),
        "reports": reports.REPORTS,
    }
    return render(request, "web/reports/schedules.html", context)


def _save(request: HttpRequest, agent: Agent, schedule: ReportSchedule | None) -> HttpResponse:
    initial = ReportScheduleForm.initial_from(schedule) if schedule is not None else None
    form = _form(agent, request.POST if request.method == "POST" else None, initial)
    if form.is_bound and form.is_valid():
        values = schedules.ScheduleValues(**form.values())
        try:
            if schedule is None:
                saved = schedules.schedule_create(values=values, actor=request.user)  # type: ignore[arg-type]
                messages.success(request, _("Report “%(name)s” scheduled.") % {"name": saved.name})
            else:
                saved = schedules.schedule_update(
                    schedule=schedule,
                    values=values,
                    actor=request.user,  # type: ignore[arg-type]
                )
                messages.success(request, _("Report “%(name)s” saved.") % {"name": saved.name})
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            return redirect("web:report_schedules")
    context = {"nav": "reports", "agent": agent, "form": form, "schedule": schedule}
    return render(request, "web/reports/schedule_form.html", context)


@require_http_methods(["GET", "POST"])
@supervisor_required
def schedule_create(request: HttpRequest, agent: Agent) -> HttpResponse:
    return _save(request, agent, None)


@require_http_methods(["GET", "POST"])
@supervisor_required
def schedule_edit(request: HttpRequest, agent: Agent, schedule_id: int) -> HttpResponse:
    return _save(request, agent, _schedule_or_404(schedule_id))


@require_POST
@supervisor_required
def schedule_delete(request: HttpRequest, agent: Agent, schedule_id: int) -> HttpResponse:
    schedule = _schedule_or_404(schedule_id)
    schedules.schedule_delete(schedule=schedule, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Report “%(name)s” no longer goes out.") % {"name": schedule.name})
    return redirect("web:report_schedules")
