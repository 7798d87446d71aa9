"""The agent workspace. Views are thin: reads go through selectors scoped by the agent asking,
writes through services; a service's refusal is shown next to the form that asked for it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts import services as account_services
from nordesk.accounts.models import Presence
from nordesk.automation import selectors as automation_selectors
from nordesk.automation import services as automation_services
from nordesk.core.errors import ApplicationError, NotFound
from nordesk.customers import selectors as customer_selectors
from nordesk.sla import selectors as sla_selectors
from nordesk.tickets import selectors as ticket_selectors
from nordesk.tickets import services as ticket_services

from . import forms
from .message_frames import request_origin, thread_items
from .presenters import Names, history_lines, history_with_sla, sla_breach_lines
from .reply_tools import draft_forms, reply_tools
from .routing_panel import routing_panel
from .sla_panel import sla_rows

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent, Team
    from nordesk.tickets.models import Ticket

INBOX_PAGE_SIZE = 50
CLOSED = "closed"


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link or prefetch cannot log anyone out."""


def agent_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in, and an agent: the view receives the Agent as its second argument. A user
    without an Agent row (say, a bare superuser) gets 403, never a crash."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        agent = account_selectors.agent_for_user(request.user)
        if agent is None:
            raise PermissionDenied(_("This account is not an agent."))
        _seen(agent)
        return view(request, agent, *args, **kwargs)

    return wrapper


def _seen(agent: Agent) -> None:
    """Note that the agent is at work, at most once a minute: agents who go quiet become away
    (`agents_auto_away`) and get no new tickets."""
    now = timezone.now()
    if agent.last_seen_at is None or now - agent.last_seen_at >= account_services.SEEN_EVERY:
        account_services.agent_seen(user_id=agent.user_id, at=now)
        agent.last_seen_at = now


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An agent_required page for admins only: anyone else gets 404, as for anything outside
    their scope (the page's existence is no business of theirs)."""

    @agent_required
    @wraps(view)
    def wrapper(request: HttpRequest, agent: Agent, *args: Any, **kwargs: Any) -> HttpResponse:
        if not agent.is_admin:
            raise Http404(_("Only admins see this page."))
        return view(request, agent, *args, **kwargs)

    return wrapper


def _is_htmx_fragment(request: HttpRequest) -> bool:
    # A history restore after a cache miss wants the whole page, not the fragment.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


# --- inbox ----------------------------------------------------------------------------------


@require_GET
@agent_required
def inbox(request: HttpRequest, agent: Agent) -> HttpResponse:
    vocabulary = ticket_selectors.ticket_vocabulary()
    form = forms.InboxFilterForm(
        request.GET or None, teams=account_selectors.team_list(), vocabulary=vocabulary
    )
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    sort = form.sort_order()
    cursor = request.GET.get("cursor") or None
    list_error = None
    try:
        tickets, next_cursor = ticket_selectors.ticket_list_for_agent(
            agent=agent, filters=filters, cursor=cursor, limit=INBOX_PAGE_SIZE, sort=sort
        )
    except ApplicationError as error:  # a cursor that was tampered with or has gone stale
        list_error = error.message
        cursor = None
        tickets, next_cursor = ticket_selectors.ticket_list_for_agent(
            agent=agent, filters=filters, limit=INBOX_PAGE_SIZE, sort=sort
        )
    counts = ticket_selectors.ticket_status_counts(agent=agent)
    chosen = form.cleaned_data.get("status") if form.is_bound else ""
    context: dict[str, Any] = {
        "nav": "inbox",
        "agent": agent,
        "form": form,
        "tickets": tickets,
        "cursor": cursor,
        "next_cursor": next_cursor,
        "list_error": list_error,
        "sort": sort,
        "now": timezone.now(),  # due badges show "overdue" against it
        "status_counts": [
            {"value": value, "label": label, "count": counts.get(value, 0), "current": chosen}
            for value, label in vocabulary["unsolved"]
        ],
        "fragment": _is_htmx_fragment(request),
    }
    template = "web/partials/inbox_list.html" if context["fragment"] else "web/inbox.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- ticket page ----------------------------------------------------------------------------


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


FormFactory = Callable[[Any, Any, _Options], forms.TicketForm]

_FORMS: dict[str, FormFactory] = {
    "reply": lambda data, ticket, o: forms.ReplyForm(data, vocabulary=o.vocabulary),
    "note": lambda data, ticket, o: forms.NoteForm(data),
    "assign": lambda data, ticket, o: forms.AssignForm(
        data, agents=o.agents, initial={"assignee": ticket.assignee_id}
    ),
    "team": lambda data, ticket, o: forms.TeamForm(
        data, teams=o.teams, initial={"team": ticket.team_id}
    ),
    "status": lambda data, ticket, o: forms.StatusForm(
        data, vocabulary=o.vocabulary, initial={"status": ticket.status}
    ),
    "priority": lambda data, ticket, o: forms.PriorityForm(
        data, vocabulary=o.vocabulary, initial={"priority": ticket.priority}
    ),
    "tags": lambda data, ticket, o: forms.TagsForm(
        data, initial={"tags": ", ".join(tag.name for tag in ticket.tags.all())}
    ),
    "transfer": lambda data, ticket, o: forms.TransferForm(data, teams=o.teams, agents=o.agents),
    "escalate": lambda data, ticket, o: forms.EscalateForm(data, teams=o.teams),
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
) -> HttpResponse:
    options = options or _Options()
    bound = bound or {}
    visible = _visible_forms(agent, ticket)
    ticket_forms = {key: bound.get(key) or _FORMS[key](None, ticket, options) for key in visible}
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
        "thread": thread_items(
            ticket_selectors.message_list_for_ticket(ticket=ticket), origin=request_origin(request)
        ),
        "history": history_with_sla(
            history_lines(events, names),
            sla_breach_lines(sla_selectors.events_for_ticket(ticket.pk)),
        ),
        "ticket_forms": ticket_forms,
        "refusals": refusals,
        "closed": ticket.status == CLOSED,
        "page_url": reverse("web:ticket", args=[ticket.number]),
        "sla": sla_rows(ticket.pk),
        "routing": routing_panel(agent, ticket, names),
        "reply_tools": reply_tools() if "reply" in visible else None,
    }
    return render(request, "web/ticket.html", context)


@require_GET
@agent_required
def ticket_detail(request: HttpRequest, agent: Agent, number: int) -> HttpResponse:
    ticket = ticket_or_404(agent, number)
    # A macro's text, left for the agent to review in the reply box (reply_tools).
    return render_ticket(request, agent, ticket, bound=draft_forms(request, ticket_id=ticket.pk))


Apply = Callable[[Any, Any, dict[str, Any]], Any]

# What each ticket form does — the service it calls — and what the agent is told afterwards.
# The services themselves refuse what the agent's role does not allow.
TICKET_ACTIONS: dict[str, tuple[Apply, Any]] = {
    "reply": (
        lambda ticket, actor, data: ticket_services.ticket_reply(
            ticket=ticket, actor=actor, text=data["text"], status=data["status"]
        ),
        gettext_lazy("Reply sent."),
    ),
    "note": (
        lambda ticket, actor, data: ticket_services.ticket_add_note(
            ticket=ticket, actor=actor, text=data["text"]
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
    form = _FORMS[action](request.POST, ticket, options)
    if form.is_valid():
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


PRESENCES = frozenset(Presence.values)


@require_POST
@agent_required
def presence_set(request: HttpRequest, agent: Agent) -> HttpResponse:
    """Online, away or offline, from the header; back to the page the agent was on."""
    presence = request.POST.get("presence", "")
    if presence in PRESENCES:
        account_services.agent_set_presence(agent=agent, presence=presence)
    else:
        messages.error(request, _("Choose online, away or offline."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("web:inbox")
    return redirect(target)


@require_GET
@agent_required
def notifications(request: HttpRequest, agent: Agent) -> HttpResponse:
    """What automations told the agent (escalations, waiting tickets), newest first."""
    context = {
        "agent": agent,
        "nav": "notifications",
        "notifications": automation_selectors.notifications_for_user(user_id=agent.user_id),
    }
    return render(request, "web/notifications.html", context)


@require_POST
@agent_required
def notifications_read(request: HttpRequest, agent: Agent) -> HttpResponse:
    automation_services.notifications_mark_all_read(user_id=agent.user_id)
    return redirect("web:notifications")


# --- customer page --------------------------------------------------------------------------


@require_GET
@agent_required
def customer_detail(request: HttpRequest, agent: Agent, customer_id: int) -> HttpResponse:
    try:
        customer = customer_selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)
    except NotFound as error:
        raise Http404(error.message) from error
    context = {
        "agent": agent,
        "customer": customer,
        "tickets": ticket_selectors.tickets_for_customer(agent=agent, customer_id=customer.pk),
        "recent_messages": ticket_selectors.messages_for_customer(
            agent=agent, customer_id=customer.pk, limit=50
        ),
    }
    return render(request, "web/customer.html", context)
