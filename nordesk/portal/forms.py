"""The portal's forms. They check shape; the pipeline and the services decide the rest, and
their refusals come back onto these forms by field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import ApplicationError
from nordesk.tickets.services.fields import custom_fields_clean
from nordesk.web.forms import AttachmentsField, set_choices

FIELD_PREFIX = "field_"
# Pipeline and service errors name these; the form's own fields are named otherwise. The spam
# checks' refusals (of the form token and the honeypot, which people do not see) go above it.
ERROR_FIELDS = {
    "text": "description",
    "file": "attachments",
}
UNSEEN_FIELDS = ("form_token", "website")


def _attachments_field() -> AttachmentsField:
    return AttachmentsField(
        max_files=settings.PORTAL_MAX_FILES,
        max_bytes=settings.PORTAL_MAX_FILE_BYTES,
        help_text=_(
            "At most %(count)d files, each up to %(size)s. If the form shows an error, choose "
            "the files again: a browser cannot keep them."
        )
        % {
            "count": settings.PORTAL_MAX_FILES,
            "size": filesizeformat(settings.PORTAL_MAX_FILE_BYTES),
        },
    )


class PortalForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_application_error(self, error: ApplicationError) -> None:
        """A service's refusal, by the field it names or above the form."""
        named = error.field or ""
        if named.startswith("custom_fields."):
            named = FIELD_PREFIX + named.removeprefix("custom_fields.")
        candidates = () if named in UNSEEN_FIELDS else (ERROR_FIELDS.get(named, named), named)
        field = next((name for name in candidates if name in self.fields), None)
        self.add_error(field, error.message)


def _custom_field(definition: Any) -> forms.Field:
    common = {"label": definition.label, "required": False}
    if definition.kind == "choice":
        choices = [("", "—"), *((value, value) for value in definition.choices)]
        return forms.ChoiceField(choices=choices, **common)
    if definition.kind == "checkbox":
        return forms.BooleanField(**common)
    if definition.kind == "number":
        return forms.CharField(widget=forms.NumberInput(attrs={"step": "any"}), **common)
    if definition.kind == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(max_length=1000, **common)


class ContactForm(PortalForm):
    """The contact form. `form_token` is the signed time the form was issued; `website` is a
    field people never see (the honeypot) and so never fill in."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email address"), max_length=320)
    subject = forms.CharField(label=_("Subject"), max_length=250)
    category = forms.ChoiceField(label=_("What is it about?"), required=False)
    description = forms.CharField(
        label=_("How can we help?"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 8})
    )
    form_token = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self, *args: Any, categories: list[str], definitions: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definitions = definitions
        self.fields["attachments"] = _attachments_field()
        if categories:
            set_choices(self, "category", [("", _("Choose one")), *((c, c) for c in categories)])
            self.fields["category"].required = True
        else:
            del self.fields["category"]
        for definition in definitions:
            self.fields[FIELD_PREFIX + definition.key] = _custom_field(definition)
        # The honeypot and the token last, after the fields people fill in.
        for name in ("website", "form_token"):
            self.fields[name] = self.fields.pop(name)

    def custom_fields(self) -> list[forms.BoundField]:
        return [self[FIELD_PREFIX + definition.key] for definition in self.definitions]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values = {
            definition.key: cleaned.get(FIELD_PREFIX + definition.key)
            for definition in self.definitions
        }
        try:
            cleaned["custom_fields"] = custom_fields_clean(values)
        except ApplicationError as error:
            self.add_application_error(error)
        return cleaned


class SignInLinkForm(PortalForm):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=320,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordSignInForm(PortalForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=320,
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordSetForm(PortalForm):
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ReplyForm(PortalForm):
    text = forms.CharField(
        label=_("Your reply"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = _attachments_field()
        self.fields["form_token"] = self.fields.pop("form_token")
