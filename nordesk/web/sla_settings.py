"""The SLA sections of the settings pages: business calendars and SLA policies, written
through the SLA services (which check hours, time zones, regions, targets and conditions) and
read through its selectors."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from nordesk.sla import selectors as sla_selectors
from nordesk.sla import services as sla_services
from nordesk.sla.models import Country

from . import sla_settings_forms as forms
from .settings_base import Row, Section, done


def _hours_text(calendar: Any) -> str:
    week = sla_selectors.schedule_for_calendar(calendar.pk).week
    return forms.format_opening_hours(
        (weekday, opens, closes)
        for weekday, intervals in enumerate(week)
        for opens, closes in intervals
    )


def _calendar_form(data: Any, calendar: Any) -> forms.CalendarForm:
    return forms.CalendarForm(
        data,
        instance=calendar,
        countries=list(Country.choices),
        hours=_hours_text(calendar) if calendar is not None and data is None else "",
    )


COUNTRY_NAMES = dict(Country.choices)

CALENDARS = Section(
    key="calendars",
    path="business-calendars",
    title=_("Business calendars"),
    new_title=_("New business calendar"),
    intro=_(
        "Weekly opening hours in a time zone, closed on a country's public holidays: SLA "
        "clocks and business-time rules count only these hours."
    ),
    columns=(_("Name"), _("Time zone"), _("Public holidays of"), _("Default")),
    row_template="web/settings/rows/calendar.html",
    rows=lambda: [
        Row(c, {"country": COUNTRY_NAMES.get(c.country, c.country)})
        for c in sla_selectors.calendar_list()
    ],
    get=lambda pk: sla_selectors.calendar_get(calendar_id=pk),
    form=_calendar_form,
    done=done(_("Business calendar %(name)s created."), _("Business calendar %(name)s saved.")),
    create=lambda values: sla_services.calendar_create(**values),
    update=lambda calendar, values: sla_services.calendar_update(calendar=calendar, changes=values),
)


def _policy_rows() -> list[Row]:
    calendars = {c.pk: c.name for c in sla_selectors.calendar_list()}
    return [
        Row(p, {"calendar": calendars.get(p.calendar_id or 0, "")})
        for p in sla_selectors.policy_list()
    ]


POLICIES = Section(
    key="sla_policies",
    path="sla-policies",
    title=_("SLA policies"),
    new_title=_("New SLA policy"),
    intro=_(
        "Targets for first response, next response and resolution. Policies are tried from "
        "the top; the first active one whose conditions hold applies."
    ),
    columns=(
        _("Order"),
        _("Name"),
        _("First response"),
        _("Next response"),
        _("Resolution"),
        _("Calendar"),
        _("Active"),
    ),
    row_template="web/settings/rows/sla_policy.html",
    rows=_policy_rows,
    get=lambda pk: sla_selectors.policy_get(policy_id=pk),
    form=lambda data, policy: forms.PolicyForm(
        data, instance=policy, calendars=sla_selectors.calendar_list()
    ),
    done=done(_("SLA policy %(name)s created."), _("SLA policy %(name)s saved.")),
    create=lambda values: sla_services.policy_create(**values),
    update=lambda policy, values: sla_services.policy_update(policy=policy, changes=values),
)

SLA_SECTIONS: tuple[Section, ...] = (POLICIES, CALENDARS)
