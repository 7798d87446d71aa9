"""Facts and rollups kept by the incremental job from real ticket history, equal to a
rebuild, and the KPI selectors reading them."""

import importlib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import timezone

from nordesk.analytics import kpis, rollups, services
from nordesk.analytics.facts import Fact, bucket_of, bucket_value
from nordesk.analytics.kpis import Slice
from nordesk.analytics.models import ArrivalHour, DailyRollup, MonthlyRollup, TicketFact
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import EventKind, TicketEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


ROW = ("dimension", "value", "data", "histograms")


def snapshot() -> tuple:
    rollups = sorted(DailyRollup.objects.values_list("day", *ROW))
    rollups += sorted(MonthlyRollup.objects.values_list("day", *ROW))
    arrivals = sorted(ArrivalHour.objects.values_list("hour", "channel", "category", "tickets"))
    facts = sorted(TicketFact.objects.values_list("ticket_id", "parts", "agents", "is_open"))
    return rollups, arrivals, facts


def today_slice(**filters) -> Slice:
    today = timezone.localdate(timezone.now(), timezone=services.reporting_zone())
    return Slice(start=today - timedelta(days=1), end=today + timedelta(days=1), **filters)


def test_refresh_then_rebuild_give_the_same_rows(people):
    # given: a ticket answered and solved, one merged away, one open and transferred
    now = timezone.now()
    ticket_services.ticket_assign(
        ticket=people.ticket, assignee_id=people.kari.user_id, actor=people.kari.user
    )
    ticket_services.ticket_reply(
        ticket=people.ticket, actor=people.kari.user, text="Fikset.", status="solved"
    )
    duplicate = make_ticket(team=people.billing, address="per@example.no", subject="Igjen")
    target = make_ticket(team=people.billing, address="per@example.no", subject="Faktura")
    ticket_services.ticket_merge(source=duplicate, target=target, actor=people.kari.user)
    ticket_services.ticket_transfer(
        ticket=target, actor=people.kari.user, reason="specialist", team_id=people.technical.pk
    )
    # when
    services.analytics_refresh(now=now)
    incremental = snapshot()
    services.analytics_rebuild()
    # then
    assert snapshot() == incremental
    figures = kpis.kpis_for(today_slice())
    assert figures.created == 3
    assert figures.solved == 1
    assert figures.fcr_rate == 1.0
    assert figures.first_response.count == 1
    assert figures.transfers_per_ticket == 0  # the transferred ticket is not solved yet
    assert sum(ArrivalHour.objects.values_list("tickets", flat=True)) == 3


def test_refresh_applies_a_reopen_as_a_difference(people):
    ticket = people.ticket
    ticket_services.ticket_reply(ticket=ticket, actor=people.kari.user, text="Ok", status="solved")
    services.analytics_refresh()
    assert kpis.kpis_for(today_slice()).fcr_rate == 1.0
    # when: it is reopened, answered again and solved again
    ticket = ticket_services.ticket_change_status(
        ticket=ticket, status="open", actor=people.kari.user
    )
    ticket_services.ticket_reply(ticket=ticket, actor=people.ole.user, text="Nå", status="solved")
    services.analytics_refresh()
    # then: still one solved ticket, now reopened and not resolved at first contact
    figures = kpis.kpis_for(today_slice())
    assert (figures.solved, figures.reopen_rate, figures.fcr_rate) == (1, 1.0, 0.0)
    incremental = snapshot()
    services.analytics_rebuild()
    assert snapshot() == incremental


def test_an_event_committed_late_behind_the_cursor_is_counted_once(people):
    # given: the solve's event took an id, but its transaction had not committed when the
    # job ran (simulated: the row is away during the first run)
    ticket_services.ticket_reply(
        ticket=people.ticket, actor=people.kari.user, text="Ok", status="solved"
    )
    solve = TicketEvent.objects.filter(ticket=people.ticket, kind=EventKind.STATUS).latest("id")
    late = {f.attname: getattr(solve, f.attname) for f in TicketEvent._meta.concrete_fields}
    solve.delete()
    services.analytics_refresh()
    assert kpis.kpis_for(today_slice()).solved == 0
    # when: it commits, and the job runs twice
    TicketEvent.objects.create(**late)
    first = services.analytics_refresh()
    again = services.analytics_refresh()
    # then: the second run found nothing new to recompute
    assert (first, again) == (1, 0)
    assert kpis.kpis_for(today_slice()).solved == 1
    incremental = snapshot()
    services.analytics_rebuild()
    assert snapshot() == incremental


def test_kpis_by_team_and_agent_label_their_groups(people):
    ticket_services.ticket_assign(
        ticket=people.ticket, assignee_id=people.kari.user_id, actor=people.kari.user
    )
    ticket_services.ticket_reply(
        ticket=people.ticket, actor=people.kari.user, text="Fikset.", status="solved"
    )
    make_ticket(team=people.technical, address="per@example.no", channel="chat", kind="chat")
    services.analytics_refresh()

    by_team = dict(kpis.kpis_by(today_slice(), "team"))
    labels = {group.label: figures.created for group, figures in by_team.items()}
    assert labels == {"Billing": 1, "Technical support": 1}
    productivity = kpis.agent_productivity(today_slice())
    assert [(row.agent.label, row.solved, row.replies) for row in productivity] == [
        ("Kari Nordmann", 1, 1)
    ]
    # a slice filtered by team and grouped by channel reads the facts: the same figures
    by_channel = kpis.kpis_by(today_slice(team_id=people.technical.pk), "channel")
    assert [(group.key, figures.created) for group, figures in by_channel] == [("chat", 1)]
    matrix = kpis.topic_channel_matrix(today_slice())
    assert sum(sum(row) for row in matrix.counts) == 2


def test_kpis_by_day_lists_every_day_of_the_range(people):
    services.analytics_refresh()
    slice = today_slice()
    days = kpis.kpis_by(slice, "day")
    assert len(days) == 3
    assert sum(figures.created for _group, figures in days) == 1
    assert [group.key for group, _ in kpis.kpis_by(slice, "month")][0] == slice.start.strftime(
        "%Y-%m"
    )
    hours = kpis.kpis_by(slice, "hour")
    assert sum(figures.created for _group, figures in hours) == 1


def test_ticket_ids_behind_a_figure(people):
    ticket_services.ticket_reply(
        ticket=people.ticket, actor=people.kari.user, text="Fikset.", status="solved"
    )
    other = make_ticket(address="per@example.no")
    services.analytics_refresh()
    slice = today_slice()
    assert kpis.ticket_ids_behind(slice, "created") == sorted([people.ticket.pk, other.pk])
    assert kpis.ticket_ids_behind(slice, "solved") == [people.ticket.pk]
    assert kpis.ticket_ids_behind(slice, "fcr") == [people.ticket.pk]
    assert kpis.ticket_ids_behind(slice, "open") == [other.pk]
    assert kpis.ticket_ids_behind(slice, "created", after_id=people.ticket.pk) == [other.pk]
    assert kpis.ticket_ids_behind(slice, "created", group=("channel", "chat")) == []
    day = timezone.localdate(timezone.now(), timezone=services.reporting_zone()).isoformat()
    assert len(kpis.ticket_ids_behind(slice, "created", group=("day", day))) == 2


def test_ticket_ids_behind_next_responses_transfers_the_backlog_and_an_hour(people):
    # given: Kari answers Sofie twice (a first and a next response); a transferred ticket
    # is solved; a third stays open
    answered_twice = people.ticket
    ticket_services.ticket_reply(ticket=answered_twice, actor=people.kari.user, text="Svar")
    TicketEvent.objects.create(
        ticket=answered_twice,
        kind=EventKind.MESSAGE_IN,
        actor_kind="customer",
        data={},
        created_at=timezone.now(),
    )
    ticket_services.ticket_reply(ticket=answered_twice, actor=people.kari.user, text="Igjen")
    transferred = make_ticket(team=people.billing, address="per@example.no", subject="Ruter")
    ticket_services.ticket_transfer(
        ticket=transferred, actor=people.kari.user, reason="specialist", team_id=people.technical.pk
    )
    ticket_services.ticket_reply(
        ticket=transferred, actor=people.kari.user, text="Løst.", status="solved"
    )
    waiting = make_ticket(address="eva@example.no", subject="Faktura")
    services.analytics_refresh()
    slice = today_slice()
    now = timezone.now()
    # then
    assert kpis.ticket_ids_behind(slice, "next_response") == [answered_twice.pk]
    assert kpis.ticket_ids_behind(slice, "transfers") == [transferred.pk]
    unsolved = sorted([answered_twice.pk, waiting.pk])
    assert kpis.ticket_ids_behind(slice, "backlog", group=("age", "under_1d")) == unsolved
    assert kpis.ticket_ids_behind(slice, "backlog", group=("age", "1_3d"), now=now) == []
    in_two_days = now + timedelta(days=2)
    assert kpis.ticket_ids_behind(slice, "backlog", group=("age", "1_3d"), now=in_two_days) == (
        unsolved
    )
    created = timezone.localtime(transferred.created_at, services.reporting_zone())
    hour, hour_before = (
        moment.strftime("%Y-%m-%d %H:00") for moment in (created, created - timedelta(hours=1))
    )
    assert transferred.pk in kpis.ticket_ids_behind(slice, "created", group=("hour", hour))
    assert transferred.pk not in kpis.ticket_ids_behind(
        slice, "created", group=("hour", hour_before)
    )
    with pytest.raises(ValueError, match="forever"):
        kpis.ticket_ids_behind(slice, "backlog", group=("age", "forever"))


def test_backlog_by_age(people):
    services.analytics_refresh()
    now = timezone.now()
    buckets = kpis.backlog_by_age(today_slice(), now=now + timedelta(days=2))
    assert [count for _bucket, count in buckets] == [0, 1, 0, 0, 0]
    assert [bucket.key for bucket, _count in buckets][:2] == ["under_1d", "1_3d"]


def test_durations_report_the_bucket_of_the_median(people):
    ticket_services.ticket_reply(ticket=people.ticket, actor=people.kari.user, text="Svar")
    services.analytics_refresh()
    fact = TicketFact.objects.get(ticket_id=people.ticket.pk)
    seconds = next(part[2] for part in fact.parts if part[1] == "fr")
    figures = kpis.kpis_for(today_slice())
    assert figures.first_response.median == bucket_value(bucket_of(seconds))
    assert figures.first_response.p90 == figures.first_response.median


def test_kpis_for_reads_rollups_in_few_queries(people, django_assert_max_num_queries):
    services.analytics_refresh()
    with django_assert_max_num_queries(2):
        kpis.kpis_for(today_slice())
    with django_assert_max_num_queries(2):
        kpis.kpis_for(today_slice(channel="email"))
    with django_assert_max_num_queries(3):
        kpis.kpis_by(today_slice(), "team")


def test_a_pair_slice_reads_a_months_rows_and_the_facts_of_the_days_around(
    people, django_assert_num_queries
):
    # given: a slice of a team by agent over most of March and two days of April
    from datetime import date

    cut = Slice(start=date(2026, 3, 3), end=date(2026, 4, 2), team_id=people.billing.pk)
    # then: March's rows, less the facts of March 1-2, and the facts of April 1-2 (on
    # PostgreSQL each facts read sets its plan in a transaction of its own: within the
    # test's, a savepoint, the setting and the release)
    with django_assert_num_queries(3 if connection.vendor == "sqlite" else 3 + 2 * 3):
        kpis._sums(cut, "agent")


def test_a_month_in_progress_counts_its_days_so_far(monkeypatch):
    from datetime import UTC, date, datetime

    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 3, 5, 12, tzinfo=UTC))
    # March 1-5, and the 6th somewhere on earth, so far: its row, less the days to come
    assert kpis._spans(date(2026, 3, 1), date(2026, 3, 5)) == [
        (MonthlyRollup, date(2026, 3, 1), date(2026, 3, 1), 1),
        (DailyRollup, date(2026, 3, 6), date(2026, 3, 31), -1),
    ]
    # four of them, more than half of those so far: the row less the first one as well
    assert kpis._spans(date(2026, 3, 2), date(2026, 3, 5)) == [
        (MonthlyRollup, date(2026, 3, 1), date(2026, 3, 1), 1),
        (DailyRollup, date(2026, 3, 1), date(2026, 3, 1), -1),
        (DailyRollup, date(2026, 3, 6), date(2026, 3, 31), -1),
    ]
    # three, not more than half: their own days
    assert kpis._spans(date(2026, 3, 3), date(2026, 3, 5)) == [
        (DailyRollup, date(2026, 3, 3), date(2026, 3, 5), 1)
    ]
    # a past month is weighed by all its days
    assert kpis._spans(date(2026, 2, 1), date(2026, 2, 10)) == [
        (DailyRollup, date(2026, 2, 1), date(2026, 2, 10), 1)
    ]


def test_a_slice_of_this_month_so_far_equals_the_sums_of_its_facts(people):
    # given: this month's tickets, one answered, of a team
    ticket_services.ticket_reply(ticket=people.ticket, actor=people.kari.user, text="Svar")
    make_ticket(address="nina@example.se", team=people.billing)
    services.analytics_refresh()
    today = timezone.localdate(timezone=services.reporting_zone())
    first = today.replace(day=1)
    # then: slices of this month so far (its row less the days to come, see the test
    # above, past its first day) equal the sums of the facts
    for cut, key_of in (
        (Slice(start=first, end=today, team_id=people.billing.pk), "agent"),
        (Slice(start=first, end=today, channel="email", team_id=people.billing.pk), "month"),
        (Slice(start=first, end=today), "channel"),
    ):
        assert kpis._sums(cut, key_of)[0] == kpis._without_zeros(kpis._fact_sums(cut, key_of))
        assert kpis._sums(cut, key_of)[0]


def test_a_delta_adds_to_the_stored_counters_and_what_comes_to_zero_goes():
    # given: a day's row for email with two counters and a histogram's bucket
    day = date(2026, 3, 2).toordinal()
    rollups.rollups_apply({(day, "channel", "email"): {"created": 3, "solved": 1, "fr:9": 2}})
    # when: one counter rises, one comes to zero, and a new one starts
    rollups.rollups_apply({(day, "channel", "email"): {"created": 2, "solved": -1, "reopened": 1}})
    # then: the bucket, in its own column, is as it was
    row = DailyRollup.objects.get(dimension="channel", value="email")
    assert (row.data, row.histograms) == ({"created": 5, "reopened": 1}, {"fr:9": 2})
    month = MonthlyRollup.objects.get(dimension="channel", value="email")
    assert (month.data, month.histograms) == (row.data, row.histograms)
    # when: the bucket changes alone, and then the counters come to zero
    rollups.rollups_apply({(day, "channel", "email"): {"fr:9": -1, "fr:12": 1}})
    rollups.rollups_apply({(day, "channel", "email"): {"created": -5, "reopened": -1}})
    # then: the row stands while a bucket holds anything
    row = DailyRollup.objects.get(dimension="channel", value="email")
    assert (row.data, row.histograms) == ({}, {"fr:9": 1, "fr:12": 1})
    # and a row whose every counter and bucket comes to zero is gone, with its month
    rollups.rollups_apply({(day, "channel", "email"): {"fr:9": -1, "fr:12": -1}})
    assert not DailyRollup.objects.exists()
    assert not MonthlyRollup.objects.exists()


def _fact(**changes):
    fact = Fact(
        ticket_id=1,
        channel="email",
        team_id=3,
        agent_id=7,
        category="billing",
        language="nb",
        organisation_id=None,
        priority="normal",
        created_at=datetime(2025, 3, 2, 9, tzinfo=UTC),
        created_day=date(2025, 3, 2),
        parts=[
            [date(2025, 3, 2).toordinal(), "created", 1],
            [date(2025, 3, 3).toordinal(), "fr", 600],
        ],
    )
    return replace(fact, **changes)


def _change(old, new):
    deltas: rollups.Deltas = {}
    rollups.fact_change(deltas, old, new)
    return rollups._clean(deltas)


def test_a_changed_fact_adds_only_the_parts_that_differ():
    old = _fact()
    today = date(2026, 3, 2).toordinal()
    answered = _fact(parts=[*old.parts, [today, "replies", 1, 9], [today, "nr", 30]])
    deltas = _change(old, answered)
    # only today's rows change, and the reply counts for agent 9, not the assignee
    assert {key[0] for key in deltas} == {today, rollups.month_of(today)}
    assert deltas[(today, "agent", "9")] == {"replies": 1}
    assert deltas[(today, "agent", "7")] == {f"nr:{bucket_of(30)}": 1}
    assert deltas[(today, "team", "3")] == {"replies": 1, f"nr:{bucket_of(30)}": 1}
    # the same as taking the old fact away whole and adding the new
    whole: rollups.Deltas = {}
    rollups.fact_add(whole, old, -1)
    rollups.fact_add(whole, answered)
    assert deltas == rollups._clean(whole)
    # a fact moved to another team moves every part, the year-old ones too
    moved = _change(old, _fact(team_id=4))
    assert moved[(old.parts[0][0], "team", "3")] == {"created": -1}
    assert moved[(old.parts[0][0], "team", "4")] == {"created": 1}
    assert _change(old, None)[(old.parts[0][0], "all", "")] == {"created": -1}
    assert _change(old, old) == {}


def test_the_upgrade_fills_the_combined_and_pair_rollups_from_history(people):
    # given: an installation whose rollups were kept before they had combined or pair rows,
    # or their histograms apart
    ticket_services.ticket_reply(ticket=people.ticket, actor=people.kari.user, text="Hei!")
    services.analytics_refresh()
    combined = today_slice(channel=people.ticket.channel, priority=people.ticket.priority)
    before = kpis.kpis_for(combined)
    pair = {"dimension__in": ["combined", *rollups.PAIRS]}
    pair_rows = sorted(MonthlyRollup.objects.filter(**pair).values_list(*ROW))
    DailyRollup.objects.filter(dimension="combined").delete()
    MonthlyRollup.objects.filter(**pair).delete()
    email = DailyRollup.objects.get(dimension="channel", value=people.ticket.channel)
    DailyRollup.objects.filter(pk=email.pk).update(
        data={**email.data, **email.histograms}, histograms={}
    )
    assert kpis.kpis_for(combined).created == 0
    # when
    migration = importlib.import_module("nordesk.analytics.migrations.0010_rollup_histograms")
    migration.rollups_rebuild(django_apps, None)
    # then
    assert kpis.kpis_for(combined) == before
    assert before.created == 1
    assert before.first_response.count == 1
    rows = sorted(MonthlyRollup.objects.filter(**pair).values_list(*ROW))
    assert rows == pair_rows
    assert {row[0] for row in rows} == {"combined", *rollups.PAIRS}
    rebuilt = DailyRollup.objects.get(dimension="channel", value=people.ticket.channel)
    assert (rebuilt.data, rebuilt.histograms) == (email.data, email.histograms)
    assert {key.split(":")[0] for key in rebuilt.histograms} >= {"fr", "frb"}
    assert not [key for key in rebuilt.data if ":" in key]
