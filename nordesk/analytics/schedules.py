"""Scheduled reports: supervisors create, change and delete them; a job mails each one once
per week or month with the report's XLSX attached. Every figure comes from the report tables
(`reports`), so the mail says what the report page says for the same period and filters."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors

from . import exports, reports
from .errors import InvalidSchedule, SchedulesForbidden
from .models import ReportSchedule
from .services import reporting_zone

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

Frequency = ReportSchedule.Frequency
MAX_ADDRESSES = 20
MAX_NAME = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ScheduleValues:
    """What a supervisor sets on a schedule (the form's cleaned values)."""

    name: str
    report: str
    frequency: str
    by: str = ""
    filters: dict[str, Any] | None = None
    recipient_ids: tuple[int, ...] = ()
    extra_addresses: tuple[str, ...] = ()


# --- periods -------------------------------------------------------------------------------


def period_covered(frequency: str, today: date) -> tuple[date, date]:
    """The last full period before `today`: the week Monday to Sunday, or the calendar
    month."""
    if frequency == Frequency.WEEKLY:
        this_monday = today - timedelta(days=today.weekday())
        return this_monday - timedelta(days=7), this_monday - timedelta(days=1)
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    return last_month_end.replace(day=1), last_month_end


def _today(now: datetime) -> date:
    return now.astimezone(reporting_zone()).date()


# --- reads ---------------------------------------------------------------------------------


def schedule_list() -> QuerySet[ReportSchedule]:
    return ReportSchedule.objects.prefetch_related("recipients").order_by("name", "id")


def schedule_get(*, schedule_id: int) -> ReportSchedule | None:
    return schedule_list().filter(pk=schedule_id).first()


# --- writes --------------------------------------------------------------------------------


def _require_supervisor(actor: User) -> None:
    agent = account_selectors.agent_for_user(actor)
    if agent is None or not agent.sees_all_tickets:
        raise SchedulesForbidden()


def _clean(values: ScheduleValues) -> tuple[ScheduleValues, list[int]]:
    name = values.name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidSchedule(
            _("Give the schedule a name of at most %(limit)d characters.") % {"limit": MAX_NAME},
            field="name",
        )
    if values.report not in reports.REPORTS:
        raise InvalidSchedule(_("Choose one of the reports."), field="report")
    # A grouping chosen for a report that has none (agents, matrix …) is simply not used.
    groupings = reports.by_choices(values.report)
    by = (values.by or reports.default_by(values.report)) if groupings else ""
    if groupings and by not in groupings:
        raise InvalidSchedule(_("Choose how the report is grouped."), field="by")
    if values.frequency not in Frequency.values:
        raise InvalidSchedule(_("Choose weekly or monthly."), field="frequency")
    filters = values.filters or {}
    unknown = set(filters) - set(reports.FILTER_FIELDS)
    if unknown:
        raise InvalidSchedule(_("Unknown filters: %(names)s.") % {"names": sorted(unknown)})
    try:
        cut = reports.slice_make(start=date.min, end=date.min, filters=filters)
    except (TypeError, ValueError) as exc:
        raise InvalidSchedule(_("A filter has a value it cannot take.")) from exc
    addresses: list[str] = []
    for address in values.extra_addresses:
        address = address.strip()
        try:
            validate_email(address)
        except ValidationError as exc:
            raise InvalidSchedule(
                _("%(address)s is not an email address.") % {"address": address},
                field="extra_addresses",
            ) from exc
        if address.lower() not in {known.lower() for known in addresses}:
            addresses.append(address)
    if len(addresses) > MAX_ADDRESSES:
        raise InvalidSchedule(
            _("At most %(limit)d other addresses.") % {"limit": MAX_ADDRESSES},
            field="extra_addresses",
        )
    wanted = set(values.recipient_ids)
    agents = set(
        account_selectors.agents_by_name()
        .filter(user_id__in=wanted)
        .values_list("user_id", flat=True)
    )
    if wanted - agents:
        raise InvalidSchedule(_("Recipients must be active agents."), field="recipients")
    if not agents and not addresses:
        raise InvalidSchedule(_("Choose at least one agent or add an address."), field="recipients")
    clean = ScheduleValues(
        name=name,
        report=values.report,
        frequency=values.frequency,
        by=by,
        filters=reports.slice_filters(cut),
        recipient_ids=tuple(sorted(agents)),
        extra_addresses=tuple(addresses),
    )
    return clean, sorted(agents)


def _apply(schedule: ReportSchedule, values: ScheduleValues) -> None:
    schedule.name = values.name
    schedule.report = values.report
    schedule.by = values.by
    schedule.filters = values.filters or {}
    schedule.frequency = values.frequency
    schedule.extra_addresses = list(values.extra_addresses)


def schedule_create(
    *, values: ScheduleValues, actor: User, now: datetime | None = None
) -> ReportSchedule:
    """A new schedule mails its first report at the start of the next period (the period
    just ended counts as handled: nobody asked for it)."""
    _require_supervisor(actor)
    clean, recipient_ids = _clean(values)
    now = now or timezone.now()
    schedule = ReportSchedule(
        created_by=actor,
        created_at=now,
        updated_at=now,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        sent_period=period_covered(clean.frequency, _today(now))[0],
    )
    _apply(schedule, clean)
    schedule.save()
    schedule.recipients.set(recipient_ids)
    return schedule


def schedule_update(
    *,
    schedule: ReportSchedule,
    values: ScheduleValues,
    actor: User,
    now: datetime | None = None,
) -> ReportSchedule:
    _require_supervisor(actor)
    clean, recipient_ids = _clean(values)
    old_frequency = schedule.frequency
    _apply(schedule, clean)
    schedule.updated_at = now or timezone.now()
    fields = ["name", "report", "by", "filters", "frequency", "extra_addresses", "updated_at"]
    if clean.frequency != old_frequency:
        # A weekly schedule made monthly waits for the next month rather than mailing the
        # month just ended at once.
        schedule.sent_period = period_covered(clean.frequency, _today(schedule.updated_at))[0]
        fields.append("sent_period")
    schedule.save(update_fields=fields)
    schedule.recipients.set(recipient_ids)
    return schedule


def schedule_delete(*, schedule: ReportSchedule, actor: User) -> None:
    _require_supervisor(actor)
    schedule.delete()


# --- sending -------------------------------------------------------------------------------


def schedules_send_due(*, now: datetime | None = None) -> int:
    """Mail every schedule whose last full period has not been mailed; returns how many
    went out."""
    now = now or timezone.now()
    today = _today(now)
    sent = 0
    for schedule in ReportSchedule.objects.only("pk", "frequency", "sent_period"):
        start, _end = period_covered(schedule.frequency, today)
        if schedule.sent_period is None or schedule.sent_period < start:
            sent += schedule_send(schedule_id=schedule.pk, now=now)
    return sent


def schedule_send(*, schedule_id: int, now: datetime) -> bool:
    """Claim the schedule's period with one conditional UPDATE (two jobs at once, or one
    after the other, mail it once), then build and send the mail. A failure gives the claim
    back, so the next run tries again, and is kept on the schedule for the page to show."""
    schedule = ReportSchedule.objects.filter(pk=schedule_id).first()
    if schedule is None:
        return False
    start, end = period_covered(schedule.frequency, _today(now))
    previous = schedule.sent_period
    claimed = (
        ReportSchedule.objects.filter(pk=schedule_id)
        .filter(Q(sent_period__isnull=True) | Q(sent_period__lt=start))
        .update(sent_period=start)
    )
    if not claimed:
        return False
    try:
        messages = report_mails(schedule=schedule, start=start, end=end, now=now)
        if messages:
            get_connection().send_messages(messages)
    except Exception as exc:
        logger.exception("analytics: scheduled report %s failed", schedule_id)
        ReportSchedule.objects.filter(pk=schedule_id, sent_period=start).update(
            sent_period=previous, last_error=str(exc)[:1000]
        )
        return False
    ReportSchedule.objects.filter(pk=schedule_id).update(sent_at=now, last_error="")
    return True


def recipient_addresses(schedule: ReportSchedule) -> list[str]:
    """The agents' addresses (those still active agents) and the other addresses, once each."""
    agents = account_selectors.agents_by_name().filter(
        user_id__in=[user.pk for user in schedule.recipients.all()]
    )
    found: dict[str, str] = {}
    for address in [agent.user.email for agent in agents] + list(schedule.extra_addresses):
        if address:
            found.setdefault(address.lower(), address)
    return list(found.values())


def attachment_name(schedule: ReportSchedule, start: date, end: date) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in schedule.name).strip("-")
    return f"{safe or 'report'}-{start.isoformat()}-{end.isoformat()}.xlsx"


def report_link(schedule: ReportSchedule, start: date, end: date) -> str:
    query = {"start": start.isoformat(), "end": end.isoformat(), **schedule.filters}
    if schedule.by:
        query["by"] = schedule.by
    path = reverse("web:reports", args=[schedule.report])
    return f"{settings.PUBLIC_URL.rstrip('/')}{path}?{urlencode(query)}"


def report_mails(
    *, schedule: ReportSchedule, start: date, end: date, now: datetime
) -> list[EmailMessage]:
    """One mail per recipient (nobody sees who else gets it), in the schedule's language,
    each with the same XLSX."""
    addresses = recipient_addresses(schedule)
    if not addresses:
        return []
    cut = reports.slice_make(start=start, end=end, filters=schedule.filters)
    with translation.override(schedule.language):
        tables = reports.report_tables(
            reports.ReportRequest(schedule.report, cut, schedule.by), now=now
        )
        output = io.BytesIO()
        exports.xlsx_write(tables, output)
        period = _("%(start)s to %(end)s") % {
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
        }
        subject = _("Report: %(name)s, %(period)s") % {"name": schedule.name, "period": period}
        body = _(
            "The report %(name)s (%(report)s) for %(period)s is attached as a spreadsheet.\n\n"
            "Open it in Nordesk: %(link)s\n\n"
            "You get this mail because a supervisor scheduled the report for you."
        ) % {
            "name": schedule.name,
            "report": reports.REPORTS[schedule.report],
            "period": period,
            "link": report_link(schedule, start, end),
        }
    data = output.getvalue()
    filename = attachment_name(schedule, start, end)
    messages = []
    for address in addresses:
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
        )
        message.attach(filename, data, XLSX_TYPE)
        messages.append(message)
    return messages
