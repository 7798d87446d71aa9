"""Constructors of SlaEvent rows, unsaved: the service that changes a clock saves them in
its transaction, in bulk."""

from __future__ import annotations

from datetime import datetime

from .models import SlaClock, SlaEvent, SlaEventKind


def sla_event(*, clock: SlaClock, kind: SlaEventKind, at: datetime) -> SlaEvent:
    return SlaEvent(
        ticket_id=clock.ticket_id, policy_id=clock.policy_id, target=clock.kind, kind=kind, at=at
    )


def sla_applied(*, clock: SlaClock, at: datetime) -> SlaEvent:
    return sla_event(clock=clock, kind=SlaEventKind.APPLIED, at=at)


def sla_activated(*, clock: SlaClock, at: datetime) -> SlaEvent:
    return sla_event(clock=clock, kind=SlaEventKind.ACTIVATED, at=at)


def sla_paused(*, clock: SlaClock, at: datetime) -> SlaEvent:
    return sla_event(clock=clock, kind=SlaEventKind.PAUSED, at=at)


def sla_resumed(*, clock: SlaClock, at: datetime) -> SlaEvent:
    return sla_event(clock=clock, kind=SlaEventKind.RESUMED, at=at)


def sla_fulfilled(*, clock: SlaClock, at: datetime) -> SlaEvent:
    return sla_event(clock=clock, kind=SlaEventKind.FULFILLED, at=at)


def sla_breached(*, clock: SlaClock, at: datetime) -> SlaEvent:
    return sla_event(clock=clock, kind=SlaEventKind.BREACHED, at=at)
