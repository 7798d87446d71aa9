"""Which business calendar a clock counts in.

A policy that names a calendar uses it. A policy that counts every hour (`business_hours`
off) uses none. Otherwise the ticket's organisation's calendar applies, else its team's,
else the default calendar, else calendar time. The links are read through the
configuration cache, so starting a clock pays no query for them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from nordesk.accounts import selectors as account_selectors
from nordesk.core.config_cache import config_cached, config_changed
from nordesk.core.errors import NotFound

from .errors import CalendarNotFound
from .models import BusinessCalendar, OrganisationCalendar, SlaPolicy, TeamCalendar

CALENDAR_LINKS = "sla:calendar-links"


@dataclass(frozen=True)
class CalendarLinks:
    default: int | None = None
    teams: dict[int, int] = field(default_factory=dict)
    organisations: dict[int, int] = field(default_factory=dict)


def _links_load() -> CalendarLinks:
    default = BusinessCalendar.objects.filter(is_default=True).values_list("pk", flat=True)
    return CalendarLinks(
        default=next(iter(default), None),
        teams=dict(TeamCalendar.objects.values_list("team_id", "calendar_id")),
        organisations=dict(
            OrganisationCalendar.objects.values_list("organisation_id", "calendar_id")
        ),
    )


def calendar_links() -> CalendarLinks:
    return config_cached(CALENDAR_LINKS, _links_load)


def calendar_links_changed() -> None:
    config_changed(CALENDAR_LINKS)


def calendar_for(
    policy: SlaPolicy, *, team_id: int | None, organisation_id: int | None
) -> int | None:
    """The id of the calendar a clock of `policy` on this ticket counts in (None: every
    hour counts)."""
    if policy.calendar_id is not None:
        return policy.calendar_id
    if not policy.business_hours:
        return None
    links = calendar_links()
    if organisation_id is not None and organisation_id in links.organisations:
        return links.organisations[organisation_id]
    if team_id is not None and team_id in links.teams:
        return links.teams[team_id]
    return links.default


def _calendar_check(calendar_id: int | None) -> None:
    if calendar_id is not None and not BusinessCalendar.objects.filter(pk=calendar_id).exists():
        raise CalendarNotFound(field="calendar")


@transaction.atomic
def team_calendar_set(*, team_id: int, calendar_id: int | None) -> None:
    """The team works by this calendar from now on (None: by the default). Running clocks
    keep the calendar they started with."""
    if not account_selectors.team_exists(team_id):
        raise NotFound(field="team")
    _calendar_check(calendar_id)
    if calendar_id is None:
        TeamCalendar.objects.filter(team_id=team_id).delete()
    else:
        TeamCalendar.objects.update_or_create(
            team_id=team_id, defaults={"calendar_id": calendar_id}
        )
    calendar_links_changed()


@transaction.atomic
def organisation_calendar_set(*, organisation_id: int, calendar_id: int | None) -> None:
    """The organisation is served by this calendar from now on (None: by its team's)."""
    _calendar_check(calendar_id)
    if calendar_id is None:
        OrganisationCalendar.objects.filter(organisation_id=organisation_id).delete()
    else:
        OrganisationCalendar.objects.update_or_create(
            organisation_id=organisation_id, defaults={"calendar_id": calendar_id}
        )
    calendar_links_changed()
