"""The admins' page for the customer portal: what the contact form asks (categories, custom
fields) and the widget snippet for the company's own site."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from nordesk.core.errors import ApplicationError
from nordesk.portal import selectors as portal_selectors
from nordesk.portal import services as portal_services
from nordesk.tickets import selectors as ticket_selectors

from .forms import PageForm, set_choices
from .views import admin_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent


class ContactFormSettingsForm(PageForm):
    id_prefix = "portal"
    categories = forms.CharField(
        label=gettext_lazy("Categories"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One per line. The customer must choose one; with none, the form asks no category."
        ),
    )
    field_keys = forms.MultipleChoiceField(
        label=gettext_lazy("Custom fields on the form"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, definitions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "field_keys", [(d.key, f"{d.label} ({d.key})") for d in definitions])


@require_http_methods(["GET", "POST"])
@admin_required
def portal_settings(request: HttpRequest, agent: Agent) -> HttpResponse:
    definitions = ticket_selectors.custom_field_definitions()
    current = portal_selectors.contact_form_settings()
    initial = {"categories": "\n".join(current.categories), "field_keys": current.field_keys}
    form = ContactFormSettingsForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        definitions=definitions,
    )
    if form.is_bound and form.is_valid():
        try:
            portal_services.contact_form_settings_update(
                categories=form.cleaned_data["categories"].splitlines(),
                field_keys=form.cleaned_data["field_keys"],
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("The contact form is saved."))
            return redirect("web:portal_settings")
    widget_url = request.build_absolute_uri(reverse("portal:widget_js"))
    context = {
        "nav": "settings",
        "agent": agent,
        "form": form,
        "snippet": f'<script src="{widget_url}" defer></script>',
        "embed_origins": settings.PORTAL_EMBED_ORIGINS,
        "portal_url": request.build_absolute_uri(reverse("portal:home")),
    }
    return render(request, "web/settings/portal.html", context, status=400 if form.errors else 200)
