"""The admins' page for satisfaction surveys: on or off, the scale, the delay after solving
and how long an answer can be changed. The form parses; `csat.services` validates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from nordesk.core.errors import ApplicationError
from nordesk.csat import selectors as csat_selectors
from nordesk.csat import services as csat_services
from nordesk.csat.models import Scale

from .forms import PageForm
from .views import admin_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent


class SurveySettingsForm(PageForm):
    id_prefix = "csat"
    enabled = forms.BooleanField(
        label=gettext_lazy("Send a survey when a ticket is solved"), required=False
    )
    scale = forms.ChoiceField(
        label=gettext_lazy("The customer answers"), choices=Scale.choices, widget=forms.RadioSelect
    )
    delay_minutes = forms.IntegerField(
        label=gettext_lazy("Minutes after solving"),
        help_text=gettext_lazy("If the ticket is reopened before then, no survey goes out."),
    )
    change_days = forms.IntegerField(
        label=gettext_lazy("Days to answer or change the answer"),
        help_text=gettext_lazy("Counted from when the survey went out."),
    )


@require_http_methods(["GET", "POST"])
@admin_required
def csat_settings(request: HttpRequest, agent: Agent) -> HttpResponse:
    current = csat_selectors.survey_settings()
    form = SurveySettingsForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(current, name) for name in SurveySettingsForm.base_fields},
    )
    if form.is_bound and form.is_valid():
        try:
            csat_services.survey_settings_update(changes=form.cleaned_data, actor=agent.user)
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Survey settings saved."))
            return redirect("web:csat_settings")
    context = {"nav": "settings", "agent": agent, "form": form}
    return render(request, "web/csat_settings.html", context, status=400 if form.errors else 200)
