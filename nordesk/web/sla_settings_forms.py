"""Shape checks for the SLA settings pages: business calendars, with their opening hours typed
as "Mon 08:00-11:30, 12:00-16:00" lines, and SLA policies. What the values may be (hours
that overlap, unknown time zones, targets out of range, conditions) is the SLA services' to
say; the views attach their refusals to these forms."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import time
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .forms import Choices
from .settings_forms import DefinitionJsonField, SettingsForm, set_choices

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def _clock(hours: str, minutes: str) -> time:
    hour, minute = int(hours), int(minutes)
    if hour == 24 and minute == 0:
        return time(23, 59, 59, 999999)  # the end of the day
    return time(hour, minute)


def parse_opening_hours(text: str) -> list[tuple[int, time, time]]:
    """ "Mon 08:00-11:30, 12:00-16:00" per line → (weekday, opens, closes) rows. Whether the
    rows make sense (order, overlaps) is the calendar service's to say."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        day, _space, intervals = line.strip().partition(" ")
        if day[:3].lower() not in WEEKDAYS:
            raise ValidationError(
                gettext("Line %(number)d: start with a day, Mon to Sun.") % {"number": number}
            )
        weekday = WEEKDAYS.index(day[:3].lower())
        for interval in intervals.split(","):
            match = _INTERVAL.match(interval)
            if match is None:
                raise ValidationError(
                    gettext("Line %(number)d: write each interval as 08:00-16:00.")
                    % {"number": number}
                )
            try:
                opens, closes = _clock(*match.groups()[:2]), _clock(*match.groups()[2:])
            except ValueError:
                raise ValidationError(
                    gettext("Line %(number)d: %(interval)s is not a time of day.")
                    % {"number": number, "interval": interval.strip()}
                ) from None
            rows.append((weekday, opens, closes))
    return rows


def format_opening_hours(rows: Iterable[tuple[int, time, time]]) -> str:
    by_day: dict[int, list[str]] = {}
    for weekday, opens, closes in rows:
        end = "24:00" if closes == time(23, 59, 59, 999999) else closes.strftime("%H:%M")
        by_day.setdefault(weekday, []).append(f"{opens.strftime('%H:%M')}-{end}")
    return "\n".join(
        f"{WEEKDAYS[day].capitalize()} {', '.join(by_day[day])}" for day in sorted(by_day)
    )


class CalendarForm(SettingsForm):
    id_prefix = "calendar"
    LEGEND = _("Business calendar")
    name = forms.CharField(label=_("Name"), max_length=100)
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        initial="Europe/Oslo",
        help_text=_("An IANA name such as Europe/Oslo, Europe/Stockholm or Europe/Copenhagen."),
    )
    country = forms.ChoiceField(label=_("Public holidays of"), required=False)
    subdivision = forms.CharField(
        label=_("Region"),
        required=False,
        max_length=10,
        help_text=_("A region code of the country, for regional public holidays."),
    )
    hours = forms.CharField(
        label=_("Opening hours"),
        widget=forms.Textarea(attrs={"rows": 7, "spellcheck": "false", "class": "code-input"}),
        initial="Mon 08:00-16:00\nTue 08:00-16:00\nWed 08:00-16:00\nThu 08:00-16:00\n"
        "Fri 08:00-16:00",
        help_text=_(
            "One line per open day: the day, then its intervals, e.g. "
            "“Mon 08:00-11:30, 12:00-16:00”. Days without a line are closed."
        ),
    )
    is_default = forms.BooleanField(
        label=_("Default calendar"),
        required=False,
        help_text=_("For tickets whose organisation, team and policy name no calendar."),
    )

    def __init__(self, *args: Any, countries: Choices, hours: str = "", **kwargs: Any) -> None:
        self._hours = hours
        super().__init__(*args, **kwargs)
        set_choices(self, "country", countries)

    def initial_from(self, instance: Any) -> dict[str, Any]:
        initial = {name: getattr(instance, name) for name in self.base_fields if name != "hours"}
        initial["hours"] = self._hours
        return initial

    def clean_hours(self) -> list[tuple[int, time, time]]:
        return parse_opening_hours(self.cleaned_data.get("hours") or "")


def _optional_minutes(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, help_text=help_text)


class PolicyForm(SettingsForm):
    id_prefix = "policy"
    LEGEND = _("SLA policy")
    name = forms.CharField(label=_("Name"), max_length=100)
    conditions = DefinitionJsonField(
        label=_("Conditions (JSON)"),
        initial=[],
        rows=6,
        help_text=_(
            'A list of {"field": …, "operator": "is" or "in", "value": …} over priority, '
            "channel, team_id, organisation_id or tags, all of which must hold. [] matches "
            "every ticket."
        ),
    )
    first_response_minutes = _optional_minutes(_("First response within (minutes)"))
    next_response_minutes = _optional_minutes(
        _("Next response within (minutes)"),
        _("After each customer message that follows an answer."),
    )
    resolution_minutes = _optional_minutes(_("Resolution within (minutes)"))
    warning_percent = forms.IntegerField(
        label=_("Warning at this share of the target (per cent)"), initial=75
    )
    business_hours = forms.BooleanField(
        label=_("Count business hours only"),
        required=False,
        initial=True,
        help_text=_("Off: every hour counts (24/7)."),
    )
    calendar = forms.TypedChoiceField(
        label=_("Business calendar"), required=False, coerce=int, empty_value=None
    )
    pause_when_pending = forms.BooleanField(
        label=_("Pause while waiting for the customer"), required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"calendar_id": "calendar"}

    def __init__(self, *args: Any, calendars: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "calendar",
            [
                ("", _("The organisation's, else the team's, else the default")),
                *((c.pk, c.name) for c in calendars),
            ],
        )

    def initial_from(self, instance: Any) -> dict[str, Any]:
        initial = {name: getattr(instance, name) for name in self.base_fields if name != "calendar"}
        initial["calendar"] = instance.calendar_id
        return initial

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["calendar_id"] = data.pop("calendar")
        return data
