"""Shape checks for the agent workspace. Forms only validate what was typed; every rule about
tickets lives in the services, whose errors the views attach back onto these forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import ApplicationError
from nordesk.tickets.selectors import TicketFilters

Choices = list[tuple[Any, Any]]

# Statuses an agent may leave a ticket in after replying ("new" and "closed" make no sense).
REPLY_STATUSES = ("pending", "open", "on_hold", "solved")
UNSOLVED = "unsolved"


def _set_choices(form: forms.Form, name: str, choices: Choices) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["username"].widget.attrs["autocomplete"] = "email"


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Subject or #number")}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    assignee = forms.ChoiceField(
        label=_("Assignee"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody"))],
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)

    def __init__(
        self, *args: Any, teams: Iterable[Any], vocabulary: dict[str, Choices], **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "filter-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.unsolved = tuple(value for value, _label in vocabulary["unsolved"])
        _set_choices(
            self,
            "status",
            [
                ("", _("Any status")),
                (UNSOLVED, _("Unsolved")),
                *vocabulary["status"],
            ],
        )
        _set_choices(self, "team", [("", _("Any team")), *((t.pk, t.name) for t in teams)])
        _set_choices(self, "channel", [("", _("Any channel")), *vocabulary["channel"]])

    def filters(self) -> TicketFilters:
        """The selector's filters from whatever was valid; an invalid field is simply ignored
        (its error is shown next to it)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        status = data.get("status") or ""
        statuses = self.unsolved if status == UNSOLVED else ((status,) if status else ())
        return TicketFilters(
            status=statuses,
            team_id=data.get("team"),
            assignee=data.get("assignee") or None,
            channel=data.get("channel") or None,
            text=data.get("q") or "",
        )


class TicketForm(forms.Form):
    """Base of the ticket page forms: each has its own id prefix so several share a page."""

    id_prefix = "ticket"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_application_error(self, error: ApplicationError) -> None:
        """A service's refusal, shown next to the field it names or above the form."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class ReplyForm(TicketForm):
    id_prefix = "reply"
    text = forms.CharField(
        label=_("Reply to the customer"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    status = forms.ChoiceField(label=_("Status after sending"), initial="pending")

    def __init__(self, *args: Any, vocabulary: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(vocabulary["status"])
        _set_choices(self, "status", [(value, labels[value]) for value in REPLY_STATUSES])


class NoteForm(TicketForm):
    id_prefix = "note"
    text = forms.CharField(
        label=_("Internal note (only agents see it)"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AssignForm(TicketForm):
    id_prefix = "assign"
    assignee = forms.TypedChoiceField(
        label=_("Assignee"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, agents: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self,
            "assignee",
            [
                ("", _("Nobody")),
                *((a.user_id, str(a)) for a in agents if a.can_reply),
            ],
        )


class TeamForm(TicketForm):
    id_prefix = "team"
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, teams: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "team", [("", _("No team")), *((t.pk, t.name) for t in teams)])


class StatusForm(TicketForm):
    id_prefix = "status"
    status = forms.ChoiceField(label=_("Status"))

    def __init__(self, *args: Any, vocabulary: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "status", vocabulary["status"])


class PriorityForm(TicketForm):
    id_prefix = "priority"
    priority = forms.ChoiceField(label=_("Priority"))

    def __init__(self, *args: Any, vocabulary: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "priority", vocabulary["priority"])


class TagsForm(TicketForm):
    id_prefix = "tags"
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separate tags with commas."),
    )

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        return [name.strip() for name in raw.split(",") if name.strip()]
