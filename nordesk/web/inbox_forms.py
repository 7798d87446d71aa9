"""The inbox's forms: its filters (also what a saved view stores), saving a view, and the bulk
actions on selected tickets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nordesk.tickets.listing import SORT_ORDERS, SORT_UPDATED, TicketFilters

from .forms import Choices, PageForm, set_choices

UNSOLVED = "unsolved"
BULK_LIMIT = 100

# The inbox table's optional columns, in display order; number and subject always show.
COLUMNS: dict[str, Any] = {
    "customer": _("Customer"),
    "channel": _("Channel"),
    "status": _("Status"),
    "priority": _("Priority"),
    "team": _("Team"),
    "assignee": _("Assignee"),
    "language": _("Language"),
    "sla": _("SLA due"),
    "created": _("Created"),
    "updated": _("Updated"),
}
DEFAULT_COLUMNS = ("customer", "channel", "status", "priority", "team", "assignee", "updated")


def _optional_id() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(required=False, coerce=int, empty_value=None)


class InboxFilterForm(PageForm):
    id_prefix = "filter"
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Subject or #number")}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    priority = forms.ChoiceField(label=_("Priority"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=64)
    created_from = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label=_("Created to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # Set by links from a customer's or an organisation's page, shown as a removable chip.
    customer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    organisation = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(
        self,
        *args: Any,
        teams: Iterable[Any],
        agents: Iterable[Any],
        vocabulary: dict[str, Choices],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unsolved = tuple(value for value, _label in vocabulary["unsolved"])
        statuses = [("", _("Any status")), (UNSOLVED, _("Unsolved")), *vocabulary["status"]]
        set_choices(self, "status", statuses)
        set_choices(self, "team", [("", _("Any team")), *((t.pk, t.name) for t in teams)])
        set_choices(
            self,
            "assignee",
            [
                ("", _("Anyone")),
                ("me", _("Me")),
                ("none", _("Nobody")),
                *((str(a.user_id), str(a)) for a in agents if a.can_reply),
            ],
        )
        set_choices(self, "channel", [("", _("Any channel")), *vocabulary["channel"]])
        set_choices(self, "priority", [("", _("Any priority")), *vocabulary["priority"]])
        set_choices(self, "language", [("", _("Any language")), *settings.LANGUAGES])
        set_choices(self, "sort", [("", _("The view's order")), *_sort_choices()])

    def data_of(self, name: str) -> Any:
        """A field's valid value; an invalid field counts as not set (its error shows by it)."""
        return getattr(self, "cleaned_data", {}).get(name)

    def filters(self) -> TicketFilters:
        status = self.data_of("status") or ""
        statuses = self.unsolved if status == UNSOLVED else ((status,) if status else ())
        return TicketFilters(
            status=statuses,
            team_id=self.data_of("team"),
            assignee=self.data_of("assignee") or None,
            customer_id=self.data_of("customer"),
            organisation_id=self.data_of("organisation"),
            channel=self.data_of("channel") or None,
            priority=self.data_of("priority") or None,
            language=self.data_of("language") or None,
            tag=self.data_of("tag") or None,
            created_from=self.data_of("created_from"),
            created_to=self.data_of("created_to"),
            text=self.data_of("q") or "",
        )

    def stored(self) -> dict[str, str]:
        """What a saved view keeps: the fields that are set, as typed."""
        return {
            name: self.data[name]
            for name in self.fields
            if name != "sort" and self.data_of(name) not in (None, "")
        }


def _sort_choices() -> list[tuple[str, Any]]:
    return [(order.key, order.label) for order in SORT_ORDERS.values()]


class SavedViewForm(PageForm):
    id_prefix = "view"
    name = forms.CharField(label=_("Name of the view"), max_length=80)
    team = forms.TypedChoiceField(
        label=_("Share with"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(label=_("Sort by"), initial=SORT_UPDATED)
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=list(COLUMNS.items()),
        initial=list(DEFAULT_COLUMNS),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, teams: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", [("", _("Only me")), *((t.pk, t.name) for t in teams)])
        set_choices(self, "sort", _sort_choices())


class TicketIdsField(forms.Field):
    """Ticked tickets' ids. Any id passes here: the view looks each up in the agent's scope and
    reports the ones it cannot act on."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        try:
            ids = [int(item) for item in value or ()]
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("Choose tickets from the list.")) from exc
        if not all(0 < ticket_id < 2**63 for ticket_id in ids):
            raise forms.ValidationError(_("Choose tickets from the list."))
        return ids


class BulkForm(PageForm):
    """What to do with the tickets ticked in the inbox; each action names the field it uses."""

    id_prefix = "bulk"
    tickets = TicketIdsField(error_messages={"required": _("Tick at least one ticket.")})
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("assign", _("Assign to")),
            ("status", _("Set status")),
            ("priority", _("Set priority")),
            ("tag", _("Add tag")),
            ("merge", _("Merge into ticket")),
            ("macro", _("Apply macro")),
        ],
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    priority = forms.ChoiceField(label=_("Priority"), required=False)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=64)
    merge_into = forms.IntegerField(label=_("Ticket number"), required=False, min_value=1)
    macro = forms.TypedChoiceField(label=_("Macro"), required=False, coerce=int, empty_value=None)

    def __init__(
        self,
        *args: Any,
        agents: Iterable[Any],
        macros: Iterable[Any],
        vocabulary: dict[str, Choices],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "assignee",
            [
                ("me", _("Me")),
                ("none", _("Nobody")),
                *((str(a.user_id), str(a)) for a in agents if a.can_reply),
            ],
        )
        set_choices(self, "status", vocabulary["status"])
        set_choices(self, "priority", vocabulary["priority"])
        set_choices(self, "macro", [("", "—"), *((m.pk, m.name) for m in macros)])

    def clean_tickets(self) -> list[int]:
        ids = self.cleaned_data["tickets"]
        if len(ids) > BULK_LIMIT:
            raise forms.ValidationError(
                _("Choose at most %(limit)d tickets at a time.") % {"limit": BULK_LIMIT}
            )
        return list(dict.fromkeys(ids))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needs = {"assign": "assignee", "status": "status", "priority": "priority"}
        needs |= {"tag": "tag", "merge": "merge_into", "macro": "macro"}
        action = data.get("action")
        if action and data.get(needs[action]) in (None, ""):
            self.add_error(needs[action], _("Choose what to apply."))
        return data
