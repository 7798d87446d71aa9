"""The report pages' filter bar (what a report is sliced by) and the scheduled report form."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from html import escape  # the standard library's: Django's wraps it at a cost per option
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from nordesk.analytics import reports
from nordesk.analytics.kpis import Slice
from nordesk.customers import selectors as customer_selectors

from .forms import Choices, PageForm, set_choices

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

DEFAULT_DAYS = 30
MAX_DAYS = 366  # a year, leap or not
MAX_HOUR_DAYS = 31  # hour by hour, a month is already 744 rows
ORGANISATION_CHOICES = 500


def options_html(choices: Iterable[tuple[Any, Any]], chosen: Collection[str] = ()) -> str:
    """<option>s of `choices`, escaped, the `chosen` keys selected."""
    return "".join(
        f'<option value="{escape(str(key))}"'
        f"{' selected' if str(key) in chosen else ''}>{escape(str(label))}</option>"
        for key, label in choices
    )


class QuickSelect(forms.Select):
    """A <select> written here rather than option by option through Django's templates,
    which for 500 organisations and 100 agents cost more than a report's figures."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        options = options_html(self.choices, {str(v) for v in self.format_value(value)})
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')  # noqa: S308 — escaped above


def organisation_choices(agent: Agent, chosen: Any) -> tuple[list[tuple[int, str]], bool]:
    """The organisation filter's list: the first ORGANISATION_CHOICES the agent sees, by
    name, and the chosen one wherever it comes; and whether there are more (the filter then
    offers a search that fills the list)."""
    visible = customer_selectors.organisation_list_for_agent(agent=agent)
    choices = list(visible.values_list("pk", "name")[: ORGANISATION_CHOICES + 1])
    more = len(choices) > ORGANISATION_CHOICES
    del choices[ORGANISATION_CHOICES:]
    wanted = str(chosen or "")
    if wanted.isdigit() and len(wanted) < 19 and int(wanted) not in {pk for pk, _n in choices}:
        choices += visible.filter(pk=int(wanted)).values_list("pk", "name")
    return choices, more


def _set_organisations(form: forms.Form, organisations: tuple[list[tuple[int, str]], bool]) -> bool:
    """Give the form's organisation filter the list of `organisation_choices`; whether there
    are more organisations than it holds."""
    listed, more = organisations
    set_choices(form, "organisation_id", [("", _("Any organisation")), *listed])
    return more


def _optional_id(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None, widget=QuickSelect
    )


class _SliceForm(PageForm):
    """Dates are days in the reporting zone, both included; empty dates are the last 30 days
    to `today`."""

    id_prefix = "report"
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.CharField(label=_("Category"), required=False, max_length=64)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = data.get("end") or self.today
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise ValidationError(_("The first day comes after the last."))
        limit = MAX_HOUR_DAYS if data.get("by") == "hour" else MAX_DAYS
        if (end - start).days + 1 > limit:
            raise ValidationError(
                _("Choose at most %(days)d days for this report.") % {"days": limit}
            )
        data["start"], data["end"] = start, end
        return data

    def report_slice(self) -> Slice:
        data = self.cleaned_data
        return reports.slice_make(
            start=data["start"],
            end=data["end"],
            filters={name: data.get(name) for name in reports.FILTER_FIELDS},
        )

    def grouping(self, report: str) -> str:
        data = getattr(self, "cleaned_data", {})
        return data.get("by") or reports.default_by(report, self.report_slice())

    def active_filters(self) -> int:
        """How many filters besides the dates are set (the bar opens when any is)."""
        data = getattr(self, "cleaned_data", {})
        return sum(1 for name in reports.FILTER_FIELDS if data.get(name) not in (None, ""))


class ReportFilterForm(_SliceForm):
    """The filter bar: each filter a list to choose from."""

    channel = forms.ChoiceField(label=_("Channel"), required=False)
    team_id = _optional_id(_("Team"))
    agent_id = _optional_id(_("Agent"))
    language = forms.ChoiceField(label=_("Language"), required=False)
    organisation_id = _optional_id(_("Organisation"))
    priority = forms.ChoiceField(label=_("Priority"), required=False)
    by = forms.ChoiceField(label=_("Grouped by"), required=False)
    field_order = (
        "start",
        "end",
        "by",
        "channel",
        "team_id",
        "agent_id",
        "category",
        "language",
        "organisation_id",
        "priority",
    )

    def __init__(
        self,
        *args: Any,
        by_choices: Choices,
        teams: Iterable[Any],
        agents: Iterable[tuple[int, str]],
        organisations: tuple[list[tuple[int, str]], bool],
        vocabulary: dict[str, Choices],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations_more = _set_organisations(self, organisations)
        set_choices(self, "channel", [("", _("Any channel")), *vocabulary["channel"]])
        set_choices(self, "team_id", [("", _("Any team")), *((t.pk, t.name) for t in teams)])
        set_choices(self, "agent_id", [("", _("Any agent")), *agents])
        set_choices(self, "language", [("", _("Any language")), *settings.LANGUAGES])
        set_choices(self, "priority", [("", _("Any priority")), *vocabulary["priority"]])
        if by_choices:
            set_choices(self, "by", by_choices)
        else:
            del self.fields["by"]


class DrillFilterForm(_SliceForm):
    """The drill-down page's slice, from a figure's link: the same names, checked for shape
    only (the page shows no lists to choose from, so it reads none)."""

    channel = forms.CharField(required=False, max_length=10)
    team_id = forms.IntegerField(required=False, min_value=1)
    agent_id = forms.IntegerField(required=False, min_value=1)
    language = forms.CharField(required=False, max_length=8)
    organisation_id = forms.IntegerField(required=False, min_value=1)
    priority = forms.CharField(required=False, max_length=10)


class ReportScheduleForm(PageForm):
    id_prefix = "schedule"
    name = forms.CharField(label=_("Name"), max_length=200)
    report = forms.ChoiceField(label=_("Report"))
    by = forms.ChoiceField(
        label=_("Grouped by"),
        required=False,
        help_text=_("For the reports by dimension and over time."),
    )
    frequency = forms.ChoiceField(label=_("How often"))
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    team_id = _optional_id(_("Team"))
    agent_id = _optional_id(_("Agent"))
    category = forms.CharField(label=_("Category"), required=False, max_length=64)
    language = forms.ChoiceField(label=_("Language"), required=False)
    organisation_id = _optional_id(_("Organisation"))
    priority = forms.ChoiceField(label=_("Priority"), required=False)
    recipients = forms.TypedMultipleChoiceField(
        label=_("Agents who get it"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    extra_addresses = forms.CharField(
        label=_("Other addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One email address a line."),
    )

    def __init__(
        self,
        *args: Any,
        frequencies: Choices,
        teams: Iterable[Any],
        agents: Iterable[Any],
        organisations: tuple[list[tuple[int, str]], bool],
        vocabulary: dict[str, Choices],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations_more = _set_organisations(self, organisations)
        agents = list(agents)
        set_choices(self, "report", list(reports.REPORTS.items()))
        set_choices(
            self,
            "by",
            [
                ("", _("The report's default")),
                *((key, label) for key, label in reports.DIMENSION_LABELS.items()),
                *((key, label) for key, label in reports.PERIOD_LABELS.items() if key != "hour"),
            ],
        )
        set_choices(self, "frequency", frequencies)
        set_choices(self, "channel", [("", _("Any channel")), *vocabulary["channel"]])
        set_choices(self, "team_id", [("", _("Any team")), *((t.pk, t.name) for t in teams)])
        set_choices(
            self, "agent_id", [("", _("Any agent")), *((a.user_id, str(a)) for a in agents)]
        )
        set_choices(self, "language", [("", _("Any language")), *settings.LANGUAGES])
        set_choices(self, "priority", [("", _("Any priority")), *vocabulary["priority"]])
        set_choices(self, "recipients", [(a.user_id, str(a)) for a in agents])

    @staticmethod
    def initial_from(schedule: Any) -> dict[str, Any]:
        return {
            "name": schedule.name,
            "report": schedule.report,
            "by": schedule.by,
            "frequency": schedule.frequency,
            "recipients": [user.pk for user in schedule.recipients.all()],
            "extra_addresses": "\n".join(schedule.extra_addresses),
            **schedule.filters,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "report": data["report"],
            "by": data.get("by") or "",
            "frequency": data["frequency"],
            "filters": {
                name: data[name]
                for name in reports.FILTER_FIELDS
                if data.get(name) not in (None, "")
            },
            "recipient_ids": tuple(data.get("recipients") or ()),
            "extra_addresses": tuple(
                line.strip()
                for line in data.get("extra_addresses", "").splitlines()
                if line.strip()
            ),
        }
