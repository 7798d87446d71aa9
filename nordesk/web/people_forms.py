"""Forms of the customer, organisation and profile pages: shape only; the services judge."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nordesk.accounts.models import Presence
from nordesk.automation.models import TriggerEvent
from nordesk.automation.services.timers import TIMER_EVENT

from .forms import Choices, PageForm, set_choices

# What a notification can come from: the event of the trigger, or a time rule.
NOTIFICATION_KINDS: Choices = [*TriggerEvent.choices, (TIMER_EVENT, _("Time rule"))]


class CustomerForm(PageForm):
    id_prefix = "customer"
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only agents see these notes."),
    )

    def __init__(
        self, *args: Any, organisations: Choices, current_language: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organisation", [("", _("None")), *organisations])
        languages: Choices = [("", _("Unknown")), *settings.LANGUAGES]
        if current_language and current_language not in dict(languages):
            languages.append((current_language, current_language))  # kept as the data has it
        set_choices(self, "language", languages)


class OrganisationForm(PageForm):
    id_prefix = "organisation"
    name = forms.CharField(label=_("Name"), max_length=200)
    domain = forms.CharField(
        label=_("Email domain"),
        max_length=200,
        required=False,
        help_text=_("New customers writing from this domain join the organisation."),
    )
    tier = forms.CharField(
        label=_("Customer tier"),
        max_length=32,
        required=False,
        help_text=_("The service level it buys, such as gold; routing and SLAs can use it."),
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=10_000, required=False, widget=forms.Textarea({"rows": 4})
    )


class MergeSearchForm(PageForm):
    id_prefix = "merge"
    q = forms.CharField(
        label=_("Find the customer to merge into"),
        max_length=200,
        required=False,
        help_text=_("Name, email address or phone number."),
    )


class MergeForm(PageForm):
    id_prefix = "merge-confirm"
    into = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ProfileForm(PageForm):
    id_prefix = "profile"
    presence = forms.ChoiceField(label=_("Presence"), choices=Presence.choices)
    ui_language = forms.ChoiceField(
        label=_("Language of the workspace"),
        required=False,
        help_text=_("Used on every page after you log in, on any computer."),
    )
    signature = forms.CharField(
        label=_("Personal signature"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Added under the team's signature on your email replies."),
    )
    muted_notifications = forms.MultipleChoiceField(
        label=_("Do not notify me of"),
        choices=NOTIFICATION_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Automations skip you when they notify about these."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "ui_language", [("", _("The browser's")), *settings.LANGUAGES])
