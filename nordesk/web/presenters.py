"""Turns history rows into sentences an agent reads. Names come from lists the page has already
loaded (agents, teams, choices), so describing the history costs no extra queries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nordesk.csat import selectors as csat_selectors


@dataclass(frozen=True)
class HistoryLine:
    id: int | str
    kind: str
    actor: str
    text: str
    at: datetime


@dataclass(frozen=True)
class Names:
    users: Mapping[int, str]
    teams: Mapping[int, str]
    statuses: Mapping[str, str]
    priorities: Mapping[str, str]
    channels: Mapping[str, str]

    def user(self, user_id: int | None) -> str:
        if user_id is None:
            return _("nobody")
        return self.users.get(user_id) or _("agent #%(id)s") % {"id": user_id}

    def team(self, team_id: int | None) -> str:
        if team_id is None:
            return _("no team")
        return self.teams.get(team_id) or _("team #%(id)s") % {"id": team_id}


def _change(template: str, old: str, new: str) -> str:
    return template % {"old": old, "new": new}


def _describe(kind: str, data: dict[str, Any], names: Names) -> str:
    old: Any = data.get("old")
    new: Any = data.get("new")
    if kind == "created":
        channel = names.channels.get(data.get("channel", ""), data.get("channel", ""))
        return _("Ticket created (%(channel)s)") % {"channel": channel}
    if kind == "message_in":
        return _("Message received from the customer")
    if kind == "message_out":
        return _("Reply sent")
    if kind == "note":
        return _("Internal note added")
    if kind == "status":
        return _change(
            _("Status changed from %(old)s to %(new)s"),
            names.statuses.get(old, old),
            names.statuses.get(new, new),
        )
    if kind == "priority":
        return _change(
            _("Priority changed from %(old)s to %(new)s"),
            names.priorities.get(old, old),
            names.priorities.get(new, new),
        )
    if kind == "assignment":
        return _change(
            _("Assignee changed from %(old)s to %(new)s"), names.user(old), names.user(new)
        )
    if kind == "team":
        return _change(_("Team changed from %(old)s to %(new)s"), names.team(old), names.team(new))
    if kind == "tags":
        parts = []
        if data.get("added"):
            parts.append(_("added %(tags)s") % {"tags": ", ".join(data["added"])})
        if data.get("removed"):
            parts.append(_("removed %(tags)s") % {"tags": ", ".join(data["removed"])})
        return _("Tags changed: %(changes)s") % {"changes": "; ".join(parts)}
    if kind == "fields":
        return _("Fields changed: %(fields)s") % {"fields": ", ".join(sorted(data))}
    if kind == "merged":
        if "into_number" in data:
            return _("Merged into #%(number)s") % {"number": data["into_number"]}
        return _("Ticket #%(number)s merged into this one") % {"number": data.get("from_number")}
    if kind == "customer":
        return _("Customer changed")
    if kind in ("transferred", "escalated"):
        return _transfer_text(kind, data, names)
    if kind == "csat":
        return _csat_text(data)
    if kind == "time_spent":
        return _time_spent_text(data, names)
    if kind == "follow_up":
        return _("Follow-up #%(number)s opened") % {"number": data.get("follow_up_number")}
    return kind


def duration_text(seconds: int) -> str:
    """ "1 h 05 min", "12 min", "40 s": how long, as an agent reads it."""
    if seconds < 60:
        return _("%(seconds)d s") % {"seconds": seconds}
    hours, minutes = divmod(seconds // 60, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


def _time_spent_text(data: dict[str, Any], names: Names) -> str:
    seconds = int(data.get("seconds", 0))
    values = {"duration": duration_text(abs(seconds)), "agent": names.user(data.get("agent"))}
    if seconds < 0:
        return _("Time of %(agent)s lowered by %(duration)s") % values
    if data.get("source") == "tracked":
        return _("%(duration)s of active time tracked for %(agent)s") % values
    return _("%(duration)s logged for %(agent)s") % values


def _csat_text(data: dict[str, Any]) -> str:
    rating = csat_selectors.score_label(score=data.get("score", 0), scale=data.get("scale", ""))
    template = (
        _("CSAT changed: %(rating)s") if data.get("changed") else _("CSAT received: %(rating)s")
    )
    return template % {"rating": rating}


ESCALATION_REASONS = {
    "specialist": gettext_lazy("needs a specialist"),
    "angry_customer": gettext_lazy("angry customer"),
    "legal": gettext_lazy("legal"),
    "other": gettext_lazy("other"),
}


def _transfer_text(kind: str, data: dict[str, Any], names: Names) -> str:
    where = names.team(data.get("to_team"))
    if data.get("to_assignee") is not None:
        where = _("%(agent)s in %(team)s") % {
            "agent": names.user(data["to_assignee"]),
            "team": where,
        }
    if kind == "escalated":
        text = _("Escalated to %(where)s: %(reason)s") % {
            "where": where,
            "reason": ESCALATION_REASONS.get(data.get("reason", ""), data.get("reason", "")),
        }
        return f"{text} — {data['note']}" if data.get("note") else text
    return _("Transferred to %(where)s: %(reason)s") % {
        "where": where,
        "reason": data.get("reason", ""),
    }


def history_lines(events: Iterable[Any], names: Names) -> list[HistoryLine]:
    lines = []
    for event in events:
        if event.actor_user is not None:
            actor = event.actor_user.get_full_name() or event.actor_user.get_username()
        else:
            actor = str(event.get_actor_kind_display())
        lines.append(
            HistoryLine(
                id=event.pk,
                kind=event.kind,
                actor=actor,
                text=_describe(event.kind, event.data or {}, names),
                at=event.created_at,
            )
        )
    return lines


SLA_TARGETS = {
    "first_response": gettext_lazy("first response"),
    "next_response": gettext_lazy("next response"),
    "resolution": gettext_lazy("resolution"),
}


def sla_breach_lines(events: Iterable[Any]) -> list[HistoryLine]:
    """The SLA app's breaches (its own history) as lines of the ticket's history."""
    return [
        HistoryLine(
            id=f"sla-{n}",
            kind="sla_breached",
            actor=str(_("SLA")),
            text=_("SLA target %(target)s breached")
            % {"target": SLA_TARGETS.get(event.target, event.target)},
            at=event.at,
        )
        for n, event in enumerate(events)
        if event.kind == "breached"
    ]


def history_with_sla(lines: list[HistoryLine], breaches: list[HistoryLine]) -> list[HistoryLine]:
    return sorted([*lines, *breaches], key=lambda line: line.at)
