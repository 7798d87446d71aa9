"""Handle time on the ticket page: the page's own report of the agent's active time (sent by
ticket-time.js with navigator.sendBeacon), and the manual entries agents log, correct and
remove. Reads and writes go through the tickets app's selectors and services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nordesk.core.errors import ApplicationError, NotFound
from nordesk.tickets import services as ticket_services
from nordesk.tickets import time_selectors

from .ticket_views import render_ticket, ticket_or_404
from .time_forms import TimeEntryForm, TimeTrackForm
from .time_panel import time_panel
from .views import agent_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent
    from nordesk.tickets.models import Ticket, TimeEntry


@require_POST
@agent_required
def time_track(request: HttpRequest, agent: Agent, number: int) -> HttpResponse:
    """204 when taken (or when it adds nothing new); 400 with the fields' errors for a report
    that does not parse, 422 for one the service refuses. Nobody reads a beacon's answer: the
    codes are for the logs and the tests."""
    ticket = ticket_or_404(agent, number)
    form = TimeTrackForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    try:
        ticket_services.time_entry_track(
            ticket=ticket,
            actor=agent.user,
            session=form.cleaned_data["session"],
            seconds=form.cleaned_data["seconds"],
            opened_at=form.cleaned_data["opened_at"],
        )
    except ApplicationError as error:
        return JsonResponse(
            {"code": error.code, "detail": error.message, "field": error.field},
            status=error.status,
        )
    return HttpResponse(status=204)


def _back(ticket: Ticket) -> HttpResponse:
    return redirect(reverse("web:ticket", args=[ticket.number]) + "#time-panel")


def _again(
    request: HttpRequest, agent: Agent, ticket: Ticket, form: TimeEntryForm, entry_id: int = 0
) -> HttpResponse:
    panel = time_panel(agent, ticket, bound=form, bound_id=entry_id)
    return render_ticket(request, agent, ticket, extra={"time": panel})


@require_POST
@agent_required
def time_entry_add(request: HttpRequest, agent: Agent, number: int) -> HttpResponse:
    ticket = ticket_or_404(agent, number)
    form = TimeEntryForm(request.POST)
    if form.is_valid():
        try:
            ticket_services.time_entry_add(
                ticket=ticket,
                actor=agent.user,
                seconds=form.cleaned_data["minutes"] * 60,
                note=form.cleaned_data["note"],
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Time logged."))
            return _back(ticket)
    return _again(request, agent, ticket, form)


def _entry_or_404(agent: Agent, ticket: Ticket, entry_id: int) -> TimeEntry:
    try:
        return time_selectors.time_entry_get_for_agent(
            agent=agent, ticket_id=ticket.pk, entry_id=entry_id
        )
    except NotFound as error:
        raise Http404(error.message) from error


@require_POST
@agent_required
def time_entry_edit(request: HttpRequest, agent: Agent, number: int, entry_id: int) -> HttpResponse:
    ticket = ticket_or_404(agent, number)
    entry = _entry_or_404(agent, ticket, entry_id)
    form = TimeEntryForm(request.POST, entry_id=entry.pk)
    if form.is_valid():
        try:
            ticket_services.time_entry_update(
                entry=entry,
                actor=agent.user,
                seconds=form.cleaned_data["minutes"] * 60,
                note=form.cleaned_data["note"],
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Time entry saved."))
            return _back(ticket)
    return _again(request, agent, ticket, form, entry.pk)


@require_POST
@agent_required
def time_entry_delete(
    request: HttpRequest, agent: Agent, number: int, entry_id: int
) -> HttpResponse:
    ticket = ticket_or_404(agent, number)
    entry = _entry_or_404(agent, ticket, entry_id)
    try:
        ticket_services.time_entry_delete(entry=entry, actor=agent.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Time entry deleted."))
    return _back(ticket)
