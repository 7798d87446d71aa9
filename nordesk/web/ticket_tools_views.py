"""The reply box's tools on the ticket page: apply a macro (its actions run as the agent, its
text lands in the reply box), insert a canned reply (its text, in the ticket's language, lands
in the reply box). Nothing is sent: the agent reviews the text and sends it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from nordesk.automation import selectors as automation_selectors
from nordesk.automation import services as automation_services
from nordesk.core.errors import ApplicationError
from nordesk.tickets import selectors as ticket_selectors

from .reply_tools import draft_join, draft_keep, reply_form_with
from .ticket_views import render_ticket, ticket_or_404
from .views import agent_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

MAX_DRAFT = 50_000


def _chosen_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _typed(request: HttpRequest, data: dict[str, str] | None = None) -> str:
    """What the agent had in the reply box (sent along by htmx), within the reply's limit."""
    return (data if data is not None else request.POST).get("text", "")[:MAX_DRAFT]


@require_POST
@agent_required
def macro_apply(request: HttpRequest, agent: Agent, number: int) -> HttpResponse:
    """Apply the chosen macro, then back to the ticket (POST/redirect/GET) with its text after
    what the agent had typed in the reply box. The service runs the actions as the agent, all
    or none, and refuses what the agent's role does not allow."""
    ticket = ticket_or_404(agent, number)
    typed = _typed(request)
    macro_id = _chosen_id(request.POST.get("macro"))
    macro = (
        None
        if macro_id is None
        else automation_selectors.macro_get(macro_id=macro_id, active_only=True)
    )
    draft = typed
    if macro is None:
        messages.error(request, _("Choose a macro to apply."))
    else:
        try:
            applied = automation_services.macro_apply(macro=macro, ticket=ticket, agent=agent)
        except ApplicationError as error:
            messages.error(
                request,
                _("The macro %(name)s was not applied: %(reason)s")
                % {"name": macro.name, "reason": error.message},
            )
        else:
            draft = draft_join(typed, applied.reply)
            if applied.reply:
                messages.success(
                    request,
                    _("Macro %(name)s applied. Its text is in the reply box: review it, then send.")
                    % {"name": macro.name},
                )
            else:
                messages.success(request, _("Macro %(name)s applied.") % {"name": macro.name})
            if not ticket_selectors.ticket_is_visible(agent=agent, ticket_id=ticket.pk):
                return redirect("web:inbox")  # the macro handed it to a team outside the agent's
    draft_keep(request, ticket_id=ticket.pk, text=draft)
    return redirect(reverse("web:ticket", args=[ticket.number]) + "#reply-form")


@require_GET
@agent_required
def canned_reply_insert(request: HttpRequest, agent: Agent, number: int) -> HttpResponse:
    """The ticket page with the canned reply, filled in for this ticket, after what the agent
    had typed. Changes nothing, so a GET; htmx swaps in only the reply box."""
    ticket = ticket_or_404(agent, number)
    typed = _typed(request, request.GET)
    canned_id = _chosen_id(request.GET.get("canned"))
    canned = (
        None if canned_id is None else automation_selectors.canned_reply_get(canned_id=canned_id)
    )
    text = typed
    if canned is None:
        messages.error(request, _("Choose a canned reply to insert."))
    else:
        rendered = automation_services.canned_reply_render(
            canned=canned, ticket=ticket, agent=agent
        )
        text = draft_join(typed, rendered)
    return render_ticket(request, agent, ticket, bound={"reply": reply_form_with(text)})
