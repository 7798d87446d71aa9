"""The agent's own profile: presence, the workspace's language, a personal signature and the
notifications they do not want."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nordesk.accounts import services as account_services
from nordesk.core.errors import ApplicationError

from .languages import language_cookie_set
from .people_forms import ProfileForm
from .views import agent_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent


def _save(agent: Agent, data: dict) -> None:
    with transaction.atomic():
        if data["presence"] != agent.presence:
            account_services.agent_set_presence(agent=agent, presence=data["presence"])
        account_services.agent_preferences_update(
            agent=agent,
            ui_language=data["ui_language"],
            signature=data["signature"],
            muted_notifications=data["muted_notifications"],
        )


@require_http_methods(["GET", "POST"])
@agent_required
def profile(request: HttpRequest, agent: Agent) -> HttpResponse:
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={
            "presence": agent.presence,
            "ui_language": agent.ui_language,
            "signature": agent.signature,
            "muted_notifications": agent.muted_notifications,
        },
    )
    if form.is_bound and form.is_valid():
        try:
            _save(agent, form.cleaned_data)
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            # Said in the language just chosen, which the next page is in.
            with translation.override(agent.ui_language or translation.get_language()):
                messages.success(request, _("Your profile is saved."))
            response = redirect("web:profile")
            language_cookie_set(response, agent.ui_language)
            return response
        agent.refresh_from_db()
    context = {"nav": "profile", "agent": agent, "form": form}
    return render(request, "web/profile.html", context, status=400 if form.errors else 200)
