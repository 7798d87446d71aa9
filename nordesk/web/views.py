"""The agent workspace. Views are thin: reads go through selectors scoped by the agent asking,
writes through services; a service's refusal is shown next to the form that asked for it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
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
from django.views.decorators.http import require_GET, require_POST

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts import services as account_services
from nordesk.accounts.models import Presence
from nordesk.automation import selectors as automation_selectors
from nordesk.automation import services as automation_services
from nordesk.core.errors import ApplicationError
from nordesk.tickets import listing
from nordesk.tickets import selectors as ticket_selectors

from . import forms

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

INBOX_PAGE_SIZE = 50


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
        tickets, next_cursor = listing.ticket_list_for_agent(
            agent=agent, filters=filters, cursor=cursor, limit=INBOX_PAGE_SIZE, sort=sort
        )
    except ApplicationError as error:  # a cursor that was tampered with or has gone stale
        list_error = error.message
        cursor = None
        tickets, next_cursor = listing.ticket_list_for_agent(
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
