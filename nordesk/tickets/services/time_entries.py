"""Handle time: the time agents spend on a ticket, measured by the ticket page (tracked) or
logged by hand (manual). Each change writes a time_spent event carrying the difference it
made, so a ticket's history always sums to its entries."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors
from nordesk.core.errors import Invalid, NotFound, PermissionDenied

from .. import history
from ..models import Ticket, TimeEntry, TimeSource
from .common import ticket_lock

# A page visit counts at most this much active time; a manual entry at most a working day.
TRACKED_MAX = timedelta(hours=12)
MANUAL_MAX = timedelta(hours=24)
# The page's clock and ours may disagree a little, and a beacon travels.
CLOCK_SLACK = timedelta(minutes=2)
NOTE_MAX = 200


def _check_manual(*, seconds: int, started_at: datetime, note: str, now: datetime) -> str:
    if seconds <= 0:
        raise Invalid(_("Enter a time greater than zero."), field="minutes")
    if seconds > MANUAL_MAX.total_seconds():
        raise Invalid(
            _("A time entry can be at most %(hours)d hours.")
            % {"hours": MANUAL_MAX.total_seconds() // 3600},
            field="minutes",
        )
    if started_at > now + CLOCK_SLACK:
        raise Invalid(_("A time entry cannot start in the future."), field="started_at")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise Invalid(
            _("Keep the note under %(limit)d characters.") % {"limit": NOTE_MAX}, field="note"
        )
    return note


def time_entry_may_change(*, actor: User, entry: TimeEntry) -> bool:
    """Agents change their own entries; supervisors and admins anyone's."""
    if entry.agent_id == actor.pk:
        return True
    agent = account_selectors.agent_by_user_id(actor.pk)
    return agent is not None and agent.sees_all_tickets


def _ensure_manual_changeable(*, actor: User, entry: TimeEntry) -> None:
    if entry.source != TimeSource.MANUAL:
        raise Invalid(_("Tracked time cannot be changed; add a manual entry to correct it."))
    if not time_entry_may_change(actor=actor, entry=entry):
        raise PermissionDenied(_("Only its agent or a supervisor may change this time entry."))


@transaction.atomic
def time_entry_track(
    *, ticket: Ticket, actor: User, session: str, seconds: int, opened_at: datetime
) -> TimeEntry | None:
    """The ticket page reports the active time of one visit (`session`) so far: the visit's
    entry grows to `seconds` and its event carries the growth. A report that is not more than
    the one before (a beacon repeated or overtaken) changes nothing and returns None. The time
    is capped by how long ago the page was opened and by TRACKED_MAX."""
    now = timezone.now()
    if not session or len(session) > 64:
        raise Invalid(_("The page's session key is missing or too long."), field="session")
    if opened_at > now + CLOCK_SLACK:
        raise Invalid(_("The page cannot have been opened in the future."), field="opened_at")
    if now - opened_at > TRACKED_MAX + timedelta(days=1):
        raise Invalid(_("The page was opened too long ago."), field="opened_at")
    if seconds <= 0:
        return None
    bound = min(now - opened_at + CLOCK_SLACK, TRACKED_MAX)
    seconds = min(seconds, int(bound.total_seconds()))
    ticket_lock(ticket)  # one report at a time per ticket: the entry is created once
    entry = TimeEntry.objects.filter(ticket=ticket, agent=actor, session=session).first()
    if entry is None:
        entry = TimeEntry.objects.create(
            ticket=ticket,
            agent=actor,
            seconds=seconds,
            source=TimeSource.TRACKED,
            started_at=opened_at,
            session=session,
            created_at=now,
            updated_at=now,
        )
        grown = seconds
    elif seconds > entry.seconds:
        grown = seconds - entry.seconds
        entry.seconds, entry.updated_at = seconds, now
        entry.save(update_fields=["seconds", "updated_at"])
    else:
        return None
    history.history_record(
        history.time_spent(
            ticket=ticket,
            agent=actor,
            seconds=grown,
            source=TimeSource.TRACKED,
            entry_id=entry.pk,
            at=now,
        )
    )
    return entry


@transaction.atomic
def time_entry_add(
    *,
    ticket: Ticket,
    actor: User,
    seconds: int,
    started_at: datetime | None = None,
    note: str = "",
) -> TimeEntry:
    """A manual entry by `actor` for themselves. Light agents may log their time too."""
    now = timezone.now()
    started_at = started_at or now
    note = _check_manual(seconds=seconds, started_at=started_at, note=note, now=now)
    entry = TimeEntry.objects.create(
        ticket=ticket,
        agent=actor,
        seconds=seconds,
        source=TimeSource.MANUAL,
        started_at=started_at,
        note=note,
        created_at=now,
        updated_at=now,
    )
    history.history_record(
        history.time_spent(
            ticket=ticket,
            agent=actor,
            seconds=seconds,
            source=TimeSource.MANUAL,
            entry_id=entry.pk,
            at=now,
        )
    )
    return entry


def _locked(entry: TimeEntry) -> TimeEntry:
    locked = TimeEntry.objects.select_for_update().filter(pk=entry.pk).first()
    if locked is None:
        raise NotFound(_("Time entry not found."))
    return locked


@transaction.atomic
def time_entry_update(
    *,
    entry: TimeEntry,
    actor: User,
    seconds: int,
    note: str,
    started_at: datetime | None = None,
) -> TimeEntry:
    """The event is the entry's agent's time (`data.agent`), whoever corrected it (actor
    column): handle time stays with who spent it."""
    _ensure_manual_changeable(actor=actor, entry=entry)
    now = timezone.now()
    entry = _locked(entry)
    started_at = started_at or entry.started_at
    note = _check_manual(seconds=seconds, started_at=started_at, note=note, now=now)
    difference = seconds - entry.seconds
    entry.seconds, entry.note, entry.started_at, entry.updated_at = seconds, note, started_at, now
    entry.save(update_fields=["seconds", "note", "started_at", "updated_at"])
    if difference:
        _record_difference(entry, seconds=difference, at=now)
    return entry


@transaction.atomic
def time_entry_delete(*, entry: TimeEntry, actor: User) -> None:
    _ensure_manual_changeable(actor=actor, entry=entry)
    entry = _locked(entry)
    _record_difference(entry, seconds=-entry.seconds, at=timezone.now())
    entry.delete()


def _record_difference(entry: TimeEntry, *, seconds: int, at: datetime) -> None:
    history.history_record(
        history.time_spent(
            ticket=entry.ticket,
            agent=entry.agent,
            seconds=seconds,
            source=entry.source,
            entry_id=entry.pk,
            at=at,
        )
    )
