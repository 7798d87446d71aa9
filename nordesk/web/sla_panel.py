"""What the ticket page's SLA panel shows: each target with its due time, the business time
left (or how late it is), and its state. The panel reads through the SLA selectors only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from nordesk.sla import selectors as sla_selectors

STATUS_LABELS = {
    "ok": pgettext_lazy("SLA state", "On track"),
    "warning": pgettext_lazy("SLA state", "Warning"),
    "breached": pgettext_lazy("SLA state", "Breached"),
    "met": pgettext_lazy("SLA state", "Met"),
}


@dataclass(frozen=True)
class SlaRow:
    kind: str
    name: str
    status: str
    status_label: str
    due_at: datetime | None
    remaining_text: str


def duration_text(duration: timedelta) -> str:
    """Whole minutes as "2 h 15 min" or "40 min"."""
    minutes = int(abs(duration).total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


def remaining_text(view: sla_selectors.ClockView) -> str:
    if view.state == "fulfilled":
        return _("met")
    if view.state == "paused":
        return _("paused")
    if view.remaining is None:
        return ""
    if view.remaining > timedelta(0):
        return _("%(duration)s left") % {"duration": duration_text(view.remaining)}
    return _("overdue by %(duration)s") % {"duration": duration_text(view.remaining)}


def sla_rows(ticket_id: int, *, now: datetime | None = None) -> list[SlaRow]:
    return [
        SlaRow(
            kind=view.kind,
            name=view.name,
            status=view.status,
            status_label=str(STATUS_LABELS[view.status]),
            due_at=view.due_at,
            remaining_text=remaining_text(view),
        )
        for view in sla_selectors.clocks_for_ticket(ticket_id, now=now)
    ]
