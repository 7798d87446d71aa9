"""The agent workspace. Views are thin: reads go through selectors scoped by the agent asking,
writes through services; a service's refusal is shown next to the form that asked for it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts import services as account_services
from nordesk.accounts.models import Presence
from nordesk.automation import selectors as automation_selectors
from nordesk.automation import services as automation_services

from . import forms
from .languages import language_cookie_set

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from nordesk.accounts.models import Agent


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """The language the agent chose on their profile wins over the browser's."""
        response = super().form_valid(form)
        agent = account_selectors.agent_for_user(form.get_user())
        if agent is not None and agent.ui_language:
            language_cookie_set(response, agent.ui_language)
        return response


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


def agents_who(
    may: Callable[[Agent], bool], refusal: StrOrPromise
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """An agent_required page for the agents `may` lets in: anyone else gets 404 with the
    `refusal`, as for anything outside their scope (the page's existence is no business of
    theirs)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @agent_required
        @wraps(view)
        def wrapper(request: HttpRequest, agent: Agent, *args: Any, **kwargs: Any) -> HttpResponse:
            if not may(agent):
                raise Http404(refusal)
            return view(request, agent, *args, **kwargs)

        return wrapper

    return decorator


admin_required = agents_who(
    lambda agent: agent.is_admin, gettext_lazy("Only admins see this page.")
)
supervisor_required = agents_who(
    lambda agent: agent.sees_all_tickets,
    gettext_lazy("Only supervisors and admins see this page."),
)
editor_required = agents_who(
    lambda agent: agent.can_reply,
    gettext_lazy("Light agents can read customers but not change them."),
)


def is_htmx_fragment(request: HttpRequest) -> bool:
    # A history restore after a cache miss wants the whole page, not the fragment.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


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
