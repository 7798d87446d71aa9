"""The ticket page: the conversation, the side panels and the forms that act on the ticket."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from nordesk.accounts import selectors as account_selectors
from nordesk.core.errors import ApplicationError, NotFound
from nordesk.sla import selectors as sla_selectors
from nordesk.tickets import selectors as ticket_selectors
from nordesk.tickets import services as ticket_services

from . import forms
from .collision import CollisionReplyForm, collision_warnings, messages_missed
from .csat_panel import csat_panel
from .message_frames import avatar, request_origin, thread_items
from .presenters import Names, history_lines, history_with_sla, sla_breach_lines
from .reply_tools import draft_forms, reply_tools
from .routing_panel import routing_panel
from .sla_panel import sla_rows
from .time_panel import time_panel
from .views import agent_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent, Team
    from nordesk.tickets.models import Message, Ticket

CLOSED = "closed"
OTHER_TICKETS = 5  # the customer's other tickets in the side panel; the profile has them all


class _Options:
    """What the ticket forms choose from, loaded only when a form needs it."""

    @cached_property
    def vocabulary(self) -> dict[str, list[tuple[str, str]]]:
        return ticket_selectors.ticket_vocabulary()

    @cached_property
    def agents(self) -> list[Agent]:
        return list(account_selectors.agent_list())

    @cached_property
    def teams(self) -> list[Team]:
        return list(account_selectors.team_list())


FormFactory = Callable[[Any, Any, Any, _Options], forms.TicketForm]

_FORMS: dict[str, FormFactory] = {
    "reply": lambda data, files, ticket, o: CollisionReplyForm(
        data, files, vocabulary=o.vocabulary
    ),
    "note": lambda data, files, ticket, o: forms.NoteForm(data, files),
    "assign": lambda data, files, ticket, o: forms.AssignForm(
        data, agents=o.agents, initial={"assignee": ticket.assignee_id}
    ),
    "team": lambda data, files, ticket, o: forms.TeamForm(
        data, teams=o.teams, initial={"team": ticket.team_id}
    ),
    "status": lambda data, files, ticket, o: forms.StatusForm(
        data, vocabulary=o.vocabulary, initial={"status": ticket.status}
    ),
    "priority": lambda data, files, ticket, o: forms.PriorityForm(
        data, vocabulary=o.vocabulary, initial={"priority": ticket.priority}
    ),
    "tags": lambda data, files, ticket, o: forms.TagsForm(
        data, initial={"tags": ", ".join(tag.name for tag in ticket.tags.all())}
    ),
    "transfer": lambda data, files, ticket, o: forms.TransferForm(
        data, teams=o.teams, agents=o.agents
    ),
    "escalate": lambda data, files, ticket, o: forms.EscalateForm(data, teams=o.teams),
}


def ticket_or_404(agent: Agent, number: int) -> Ticket:
    try:
        return ticket_selectors.ticket_get_by_number_for_agent(agent=agent, number=number)
    except NotFound as error:
        raise Http404(error.message) from error


def _visible_forms(agent: Agent, ticket: Ticket) -> tuple[str, ...]:
    if agent.can_reply and ticket.status != CLOSED:
        return tuple(_FORMS)
    return ("note",)


def render_ticket(
    request: HttpRequest,
    agent: Agent,
    ticket: Ticket,
    *,
    options: _Options | None = None,
    bound: dict[str, forms.TicketForm] | None = None,
    missed: list[Message] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    options = options or _Options()
    bound = bound or {}
    missed = missed or []
    visible = _visible_forms(agent, ticket)
    ticket_forms = {
        key: bound.get(key) or _FORMS[key](None, None, ticket, options) for key in visible
    }
    thread_messages = ticket_selectors.message_list_for_ticket(ticket=ticket)
    seen_id = max((message.pk for message in thread_messages), default=0)
    if "reply" in ticket_forms:
        ticket_forms["reply"] = _marked_seen(ticket_forms["reply"], seen_id)
    # A refusal for a form this agent is not shown (a light agent's forced reply) still shows.
    refusals = [
        str(error)
        for key, form in bound.items()
        if key not in visible
        for errors in form.errors.values()
        for error in errors
    ]
    vocabulary = options.vocabulary
    names = Names(
        users={a.user_id: str(a) for a in options.agents},
        teams={t.pk: t.name for t in options.teams},
        statuses=dict(vocabulary["status"]),
        priorities=dict(vocabulary["priority"]),
        channels=dict(vocabulary["channel"]),
    )
    events = ticket_selectors.event_list_for_ticket(ticket=ticket)
    context = {
        "nav": "inbox",
        "agent": agent,
        "ticket": ticket,
        "thread": thread_items(thread_messages, origin=request_origin(request)),
        "seen_id": seen_id,
        "collision": collision_warnings(missed),
        "new_ids": [message.pk for message in missed],
        "history": history_with_sla(
            history_lines(events, names),
            sla_breach_lines(sla_selectors.events_for_ticket(ticket.pk)),
        ),
        "ticket_forms": ticket_forms,
        "refusals": refusals,
        "closed": ticket.status == CLOSED,
        "page_url": reverse("web:ticket", args=[ticket.number]),
        "sla": sla_rows(ticket.pk),
        "csat": csat_panel(agent, ticket),
        "routing": routing_panel(agent, ticket, names),
        "reply_tools": reply_tools() if "reply" in visible else None,
        "other_tickets": [
            other
            for other in ticket_selectors.tickets_for_customer(
                agent=agent, customer_id=ticket.customer_id, limit=OTHER_TICKETS + 1
            )
            if other.pk != ticket.pk
        ][:OTHER_TICKETS],
        "related": ticket_selectors.tickets_related(agent=agent, ticket=ticket),
        "customer_avatar": avatar(ticket.customer.name),
        "time": (extra or {}).get("time") or time_panel(agent, ticket),
        "time_opened_at": timezone.now(),
        **(extra or {}),
    }
    return render(request, "web/ticket.html", context)


def _marked_seen(form: Any, seen_id: int) -> Any:
    """The reply form carrying the newest message the page shows (collision detection): the
    agent sees the whole thread again, so a resent reply is checked from there."""
    if form.is_bound:
        form.mark_seen(seen_id)
    else:
        form.initial["seen"] = seen_id
    return form


@require_GET
@agent_required
def ticket_detail(request: HttpRequest, agent: Agent, number: int) -> HttpResponse:
    ticket = ticket_or_404(agent, number)
    # A macro's text, left for the agent to review in the reply box (reply_tools).
    return render_ticket(request, agent, ticket, bound=draft_forms(request, ticket_id=ticket.pk))


Apply = Callable[[Any, Any, dict[str, Any]], Any]


# What each ticket form does — the service it calls — and what the agent is told afterwards.
# The services themselves refuse what the agent's role does not allow. A reply's or note's
# files are stored before (`_files_stored`): "kept" names them all.
TICKET_ACTIONS: dict[str, tuple[Apply, Any]] = {
    "reply": (
        lambda ticket, actor, data: ticket_services.ticket_reply(
            ticket=ticket,
            actor=actor,
            text=data["text"],
            attachment_ids=data["kept"],
            status=data["status"],
        ),
        gettext_lazy("Reply sent."),
    ),
    "note": (
        lambda ticket, actor, data: ticket_services.ticket_add_note(
            ticket=ticket, actor=actor, text=data["text"], attachment_ids=data["kept"]
        ),
        gettext_lazy("Internal note added."),
    ),
    "assign": (
        lambda ticket, actor, data: ticket_services.ticket_assign(
            ticket=ticket, assignee_id=data["assignee"], actor=actor
        ),
        gettext_lazy("Assignee saved."),
    ),
    "team": (
        lambda ticket, actor, data: ticket_services.ticket_set_team(
            ticket=ticket, team_id=data["team"], actor=actor
        ),
        gettext_lazy("Team saved."),
    ),
    "status": (
        lambda ticket, actor, data: ticket_services.ticket_change_status(
            ticket=ticket, status=data["status"], actor=actor
        ),
        gettext_lazy("Status saved."),
    ),
    "priority": (
        lambda ticket, actor, data: ticket_services.ticket_set_priority(
            ticket=ticket, priority=data["priority"], actor=actor
        ),
        gettext_lazy("Priority saved."),
    ),
    "tags": (
        lambda ticket, actor, data: ticket_services.ticket_update(
            ticket=ticket, changes={"tags": data["tags"]}, actor=actor
        ),
        gettext_lazy("Tags saved."),
    ),
    "transfer": (
        lambda ticket, actor, data: ticket_services.ticket_transfer(
            ticket=ticket,
            actor=actor,
            reason=data["reason"],
            team_id=data["team"],
            assignee_id=data["assignee"],
        ),
        gettext_lazy("Ticket transferred."),
    ),
    "escalate": (
        lambda ticket, actor, data: ticket_services.ticket_escalate(
            ticket=ticket,
            actor=actor,
            team_id=data["team"],
            reason=data["reason"],
            note=data["note"],
        ),
        gettext_lazy("Ticket escalated."),
    ),
}


@require_POST
@agent_required
def ticket_action(request: HttpRequest, agent: Agent, number: int, action: str) -> HttpResponse:
    """Validate the form, call the service, then redirect back (POST/redirect/GET). On a shape
    error or a service's refusal the page is shown again with the error by the form, as 200
    like any Django form: a 4xx would be logged by Chrome as a console error and by Django as
    a warning for every typo, and htmx would need telling to swap it."""
    apply, done = TICKET_ACTIONS[action]
    ticket = ticket_or_404(agent, number)
    options = _Options()
    form = _FORMS[action](request.POST, request.FILES, ticket, options)
    if _valid(form, request.user):
        missed = _missed_since_seen(request, agent, ticket, form)
        if missed:
            return render_ticket(
                request, agent, ticket, options=options, bound={action: form}, missed=missed
            )
        try:
            result = apply(ticket, request.user, form.cleaned_data)
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, done)
            if not ticket_selectors.ticket_is_visible(agent=agent, ticket_id=ticket.pk):
                return redirect("web:inbox")  # handed to a team outside the agent's own
            url = reverse("web:ticket", args=[ticket.number])
            if action in ("reply", "note"):
                url += f"#message-{result.pk}"
            return redirect(url)
    return render_ticket(request, agent, ticket, options=options, bound={action: form})


def _valid(form: forms.TicketForm, user: Any) -> bool:
    if isinstance(form, forms.MessageForm):
        return _files_stored(form, user)
    return form.is_valid()


def _files_stored(form: forms.MessageForm, user: Any) -> bool:
    """Validate a reply or note and store its new files as the agent's uploads at once, in
    their own transaction: whatever happens next (held back, refused, another field invalid),
    the form comes back with them kept, and the message is written with all of them."""
    posted = form.kept_ids_posted()
    if posted:
        form.offer_kept(ticket_selectors.uploads_waiting(user_id=user.pk, ids=posted))
    valid = form.is_valid()
    offered = cast(forms.KeptFilesField, form.fields["kept"]).uploads
    kept = [upload for upload in offered if upload.pk in form.cleaned_data.get("kept", ())]
    added = [
        ticket_services.attachment_upload(uploaded_by=user, file=file)
        for file in form.cleaned_data.get("attachments", ())
    ]
    form.keep(kept + added)
    return valid


def _missed_since_seen(
    request: HttpRequest, agent: Agent, ticket: Ticket, form: forms.TicketForm
) -> list[Message]:
    """Public messages by others since the page the reply was typed on, unless the agent has
    chosen to send anyway. Only replies are checked: a note does not talk over anyone."""
    seen_id = form.cleaned_data.get("seen") if isinstance(form, CollisionReplyForm) else None
    if seen_id is None or request.POST.get("confirm") == "1":
        return []
    return messages_missed(ticket_id=ticket.pk, seen_id=seen_id, user_id=agent.user_id)
