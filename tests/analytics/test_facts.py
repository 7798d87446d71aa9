"""KPI definitions (docs/kpis.md) against hand-computed timelines: the fact of one ticket as
a pure function of its events."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from nordesk.analytics.facts import FcrRule, bucket_of, bucket_value, fact_compute
from nordesk.csat.selectors import SurveyFacts
from nordesk.sla.business_time import Schedule
from nordesk.tickets.history_selectors import EventRow, TicketRow

OSLO = ZoneInfo("Europe/Oslo")
# Monday to Friday 08:00-16:00 in Oslo.
OFFICE = Schedule.build(
    time_zone="Europe/Oslo", hours=[(weekday, time(8), time(16)) for weekday in range(5)]
)
KARI, OLE = 5, 6


def oslo(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A moment in November 2026, Oslo time (UTC+1)."""
    return datetime(2026, month, day, hour, minute, tzinfo=OSLO).astimezone(UTC)


def ticket(status: str = "solved", *, created: datetime, **overrides) -> TicketRow:
    values = {
        "id": 1,
        "channel": "email",
        "status": status,
        "priority": "normal",
        "team_id": 3,
        "assignee_id": KARI,
        "category": "billing",
        "language": "nb",
        "organisation_id": None,
        "merged_into_id": None,
        "follow_up_of_id": None,
        "created_at": created,
    }
    return TicketRow(**{**values, **overrides})


class Timeline:
    def __init__(self) -> None:
        self.events: list[EventRow] = []

    def add(self, kind: str, at: datetime, actor_kind="agent", actor=None, **data) -> "Timeline":
        self.events.append(EventRow(len(self.events) + 1, kind, actor_kind, actor, data, at))
        return self

    def created(self, at: datetime) -> "Timeline":
        self.add("created", at, actor_kind="customer")
        return self.add("message_in", at, actor_kind="customer")

    def customer(self, at: datetime) -> "Timeline":
        return self.add("message_in", at, actor_kind="customer")

    def reply(self, at: datetime, agent: int = KARI) -> "Timeline":
        return self.add("message_out", at, actor=agent)

    def status(self, at: datetime, old: str, new: str) -> "Timeline":
        return self.add("status", at, actor=KARI, old=old, new=new)


DEFAULT_RULE = FcrRule()


def compute(row: TicketRow, timeline: Timeline, *, schedule=OFFICE, rule=DEFAULT_RULE, **kw):
    return fact_compute(row, timeline.events, schedule=schedule, zone=OSLO, fcr_rule=rule, **kw)


def amounts(fact, name: str) -> list[int]:
    return [part[2] for part in fact.parts if part[1] == name]


def test_fact_business_hours_over_a_weekend():
    # given: a mail on Friday 6 November at 15:00, answered Monday at 09:00 and solved at 10:00
    created = oslo(6, 15)
    timeline = Timeline().created(created).reply(oslo(9, 9)).status(oslo(9, 10), "open", "solved")
    # when
    fact = compute(ticket(created=created), timeline)
    # then: 66 h of calendar time, but only 15-16 Friday + 08-09 Monday of business time
    assert amounts(fact, "fr") == [66 * 3600]
    assert amounts(fact, "frb") == [2 * 3600]
    assert amounts(fact, "res") == [67 * 3600]
    assert amounts(fact, "resb") == [3 * 3600]
    assert fact.created_day == date(2026, 11, 6)
    assert fact.solved_day == fact.first_response_day == date(2026, 11, 9)
    assert fact.fcr
    assert not fact.reopened
    assert amounts(fact, "solved") == [1]
    assert amounts(fact, "replies") == [1]


def test_fact_without_a_calendar_counts_calendar_time_as_business_time():
    created = oslo(6, 15)
    timeline = Timeline().created(created).reply(oslo(9, 9))
    fact = compute(ticket("open", created=created), timeline, schedule=None)
    assert amounts(fact, "fr") == amounts(fact, "frb") == [66 * 3600]
    assert fact.is_open
    assert fact.solved_day is None
    assert amounts(fact, "solved") == []


def test_fact_reopened_ticket_counts_on_its_last_solve_with_a_next_response():
    # given: solved Monday, the customer writes again Tuesday 12:00 (the ticket reopens),
    # answered Tuesday 13:30 and solved again Wednesday 09:00
    created = oslo(9, 8)
    timeline = (
        Timeline()
        .created(created)
        .reply(oslo(9, 8, 30))
        .status(oslo(9, 8, 31), "open", "solved")
        .customer(oslo(10, 12))
        .status(oslo(10, 12), "solved", "open")
        .reply(oslo(10, 13, 30), agent=OLE)
        .status(oslo(11, 9), "open", "solved")
    )
    fact = compute(ticket(created=created), timeline)
    assert fact.reopened
    assert not fact.fcr
    assert fact.solved_day == date(2026, 11, 11)
    assert amounts(fact, "solved") == amounts(fact, "reopened") == [1]
    assert amounts(fact, "fr") == [30 * 60]
    assert amounts(fact, "nr") == amounts(fact, "nrb") == [90 * 60]
    assert amounts(fact, "res") == [49 * 3600]
    assert amounts(fact, "resb") == [(8 + 8 + 1) * 3600]
    # each reply counts for the agent who sent it
    assert [part[3] for part in fact.parts if part[1] == "replies"] == [KARI, OLE]


def test_fact_reopen_after_the_window_keeps_first_contact_resolution():
    created = oslo(2, 9)
    timeline = (
        Timeline()
        .created(created)
        .reply(oslo(2, 10))
        .status(oslo(2, 10), "open", "solved")
        .customer(oslo(10, 9))
        .status(oslo(10, 9), "solved", "open")
        .status(oslo(10, 10), "open", "solved")
    )
    fact = compute(ticket(created=created), timeline)
    assert fact.fcr
    assert fact.reopened


def test_fact_first_contact_resolution_rule_is_configurable():
    created = oslo(2, 9)
    timeline = (
        Timeline()
        .created(created)
        .reply(oslo(2, 10))
        .reply(oslo(2, 11))
        .status(oslo(2, 11), "open", "solved")
    )
    assert not compute(ticket(created=created), timeline).fcr
    assert compute(ticket(created=created), timeline, rule=FcrRule(max_replies=2)).fcr


def test_fact_solved_without_any_reply_is_not_first_contact_resolution():
    created = oslo(2, 9)
    timeline = Timeline().created(created).status(oslo(2, 11), "open", "solved")
    fact = compute(ticket(created=created), timeline)
    assert not fact.fcr
    assert amounts(fact, "fr") == []


def test_fact_follow_up_within_the_window_breaks_first_contact_resolution():
    created = oslo(2, 9)
    timeline = (
        Timeline()
        .created(created)
        .reply(oslo(2, 10))
        .status(oslo(2, 10), "open", "solved")
        .status(oslo(3, 10), "solved", "closed")
        .add("follow_up", oslo(5, 10), actor_kind="customer", follow_up=2)
    )
    fact = compute(ticket("closed", created=created), timeline)
    assert not fact.fcr
    assert not fact.reopened
    assert fact.solved_day == date(2026, 11, 2)


def test_fact_transfers_and_handle_time_per_agent():
    created = oslo(2, 9)
    timeline = (
        Timeline()
        .created(created)
        .add("transferred", oslo(2, 9, 5), team=4, reason="")
        .add("escalated", oslo(2, 9, 10), team=5, reason="legal", note="")
        .add("time_spent", oslo(2, 9, 20), actor=KARI, seconds=300, agent=KARI, source="tracked")
        .add("time_spent", oslo(2, 9, 30), actor=OLE, seconds=120, agent=OLE, source="manual")
        .add("time_spent", oslo(2, 9, 40), actor=OLE, seconds=-20, agent=OLE, source="manual")
        .reply(oslo(2, 10))
        .status(oslo(2, 10), "open", "solved")
    )
    fact = compute(ticket(created=created), timeline)
    assert amounts(fact, "transfers") == [2]
    assert [(part[2], part[3]) for part in fact.parts if part[1] == "handle"] == [
        (300, KARI),
        (100, OLE),
    ]
    assert fact.agents == f",{KARI},{OLE},"


def test_fact_handle_time_counts_only_once_solved():
    created = oslo(2, 9)
    timeline = (
        Timeline()
        .created(created)
        .add("time_spent", oslo(2, 9, 20), actor=KARI, seconds=300, agent=KARI, source="tracked")
    )
    fact = compute(ticket("open", created=created), timeline)
    assert amounts(fact, "handle") == []


def test_fact_merged_ticket_counts_as_created_only():
    # given: a duplicate answered, then merged into another ticket
    created = oslo(2, 9)
    timeline = (
        Timeline()
        .created(created)
        .reply(oslo(2, 9, 30))
        .add("merged", oslo(2, 10), actor=KARI, into=2, into_number=1002)
    )
    fact = compute(ticket("closed", created=created, merged_into_id=2), timeline)
    assert fact.merged
    assert not fact.is_open
    assert fact.solved_day is None
    assert amounts(fact, "created") == [1]
    assert amounts(fact, "solved") == []
    assert amounts(fact, "fr") == [30 * 60]  # the answer the customer got still counts


def test_fact_merge_into_a_solved_ticket_is_not_a_reopen():
    created = oslo(2, 9)
    timeline = (
        Timeline()
        .created(created)
        .reply(oslo(2, 9, 30))
        .status(oslo(2, 9, 31), "open", "solved")
        .add("merged", oslo(2, 10), actor=KARI, **{"from": 9, "from_number": 1009})
    )
    fact = compute(ticket("open", created=created), timeline)
    assert not fact.reopened
    assert fact.is_open
    assert fact.solved_day is None


def test_fact_agent_created_ticket_has_no_first_response():
    created = oslo(2, 9)
    timeline = (
        Timeline()
        .add("created", created, actor=KARI)
        .reply(oslo(2, 9))
        .customer(oslo(2, 11))
        .reply(oslo(2, 12))
    )
    fact = compute(ticket("open", created=created), timeline)
    assert amounts(fact, "fr") == []
    assert amounts(fact, "nr") == [3600]


def test_fact_sla_outcomes_per_cycle():
    created = oslo(2, 9)
    sla = [
        ("first_response", "applied", oslo(2, 9)),
        ("first_response", "breached", oslo(2, 10)),
        ("first_response", "fulfilled", oslo(2, 11)),
        ("next_response", "fulfilled", oslo(2, 12)),
        ("next_response", "activated", oslo(2, 13)),
        ("next_response", "fulfilled", oslo(3, 9)),
    ]
    fact = compute(ticket("open", created=created), Timeline().created(created), sla_events=sla)
    assert amounts(fact, "sla_fr_breached") == [1]
    assert amounts(fact, "sla_fr_met") == []
    assert amounts(fact, "sla_nr_met") == [1, 1]
    assert fact.sla_breach_day == date(2026, 11, 2)


def test_fact_csat_counts_on_the_day_the_survey_went_out():
    created = oslo(2, 9)
    survey = SurveyFacts(sent_at=oslo(3, 9), answered_at=oslo(5, 9), score=1, agent_id=OLE)
    fact = compute(ticket(created=created), Timeline().created(created), survey=survey)
    assert fact.csat_day == date(2026, 11, 3)
    assert fact.csat_score == 1
    assert [(p[1], p[3]) for p in fact.parts if p[1].startswith("csat")] == [
        ("csat_sent", OLE),
        ("csat_answered", OLE),
    ]


def test_fact_day_is_the_reporting_zones_day():
    # 23:30 UTC on 1 November is 00:30 on 2 November in Oslo
    created = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)
    fact = compute(ticket("new", created=created), Timeline().created(created))
    assert fact.created_day == date(2026, 11, 2)
    assert fact.arrival_key()[0] == datetime(2026, 11, 1, 23, tzinfo=UTC)


@pytest.mark.parametrize("seconds", [1, 59, 600, 7200, 86400 * 3, 86400 * 200])
def test_bucket_value_is_within_nine_point_one_percent(seconds):
    assert abs(bucket_value(bucket_of(seconds)) - seconds) <= 0.091 * seconds
    assert bucket_value(bucket_of(0.4)) == 0
