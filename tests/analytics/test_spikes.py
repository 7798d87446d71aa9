"""Spike detection: generated weeks of ordinary traffic, then a burst of complaints about one
thing. The burst is alerted on the first run after it crosses the threshold (within the
hour), supervisors are notified once, the alert ends when the wave passes, and ordinary
traffic alerts nothing."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from nordesk.analytics import spikes
from nordesk.analytics.models import ArrivalSlot, SpikeAlert, SpikeScan
from nordesk.automation.models import Notification
from nordesk.tickets.models import Ticket
from tests.factories import make_ticket, token_client

from .seasonal import poisson

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 13, 8, 47, tzinfo=UTC)  # Monday 10:47 in Oslo
# Per ten minutes on a Monday morning: email and web traffic, a few invoices, a category.
USUAL = {
    ("channel", "email"): 3.0,
    ("channel", "web"): 1.0,
    ("category", "billing"): 1.0,
    ("keyword", "faktura"): 0.4,
    ("keyword", "passord"): 0.3,
}


def test_keywords_of_a_subject():
    subject = "SV: Dobbelt trukket for faktura 2026-04 — faktura nr 123, takk"
    assert spikes.keywords(subject) == ["dobbelt", "trukket", "faktura"]


def test_robust_score_by_hand():
    # median 2.5, MAD 0.5 → 1.4826 × 0.5 = 0.74 is below the Poisson floor √3.5 = 1.87
    median, score = spikes.robust_score(12, [2, 3, 2, 4, 3, 2, 3, 2])
    assert median == 2.5
    assert score == pytest.approx((12 - 2.5) / 3.5**0.5)
    # a count that swings a lot week to week needs a bigger jump
    _, volatile = spikes.robust_score(12, [0, 8, 1, 9, 0, 10, 2, 7])
    assert volatile < 4 <= score


def _generated_history(*, now: datetime, seed: int = 11, current_hour: bool = True) -> None:
    """Nine weeks of ten-minute slots around this time of day (± 2 hours), every week."""
    rng = random.Random(seed)
    rows = []
    for week in range(0 if current_hour else 1, 10):
        middle = spikes.slot_start(now) - timedelta(weeks=week)
        for step in range(-12, 13):
            start = middle + step * spikes.SLOT
            if week == 0 and start > spikes.slot_start(now):
                continue
            for (dimension, value), mean in USUAL.items():
                tickets = poisson(rng, mean)
                if tickets:
                    rows.append(
                        ArrivalSlot(start=start, dimension=dimension, value=value, tickets=tickets)
                    )
    ArrivalSlot.objects.bulk_create(rows)
    SpikeScan.objects.create(
        last_ticket_id=Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        history_start=now - timedelta(weeks=9),
    )


def _burst(count: int, subject: str = "Dobbelt trukket på kortet") -> None:
    for index in range(count):
        make_ticket(address=f"kunde{index}-{subject[:3]}@example.no", subject=subject)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_ordinary_traffic_alerts_nothing(people, seed):
    _generated_history(now=NOW, seed=seed)
    assert [s for s in spikes.scores(now=NOW) if s.is_spike] == []
    assert spikes.spikes_detect(now=NOW) == []
    assert not Notification.objects.exists()


def test_a_wave_of_complaints_is_alerted_once_and_ends(people, monkeypatch):
    # given: ordinary weeks, and in the last forty minutes 12 customers write about being
    # charged twice (on top of the ordinary traffic of the hour)
    _generated_history(now=NOW)
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW - timedelta(minutes=5))
    _burst(12)
    # when: the job runs
    opened = spikes.spikes_detect(now=NOW)
    # then: the words of the complaint are spikes, the ordinary channels and topics are not
    assert {(alert.dimension, alert.value) for alert in opened} >= {
        ("keyword", "dobbelt"),
        ("keyword", "trukket"),
        ("keyword", "kortet"),
    }
    assert ("channel", "web") not in {(a.dimension, a.value) for a in opened}
    trukket = SpikeAlert.objects.get(value="trukket")
    assert (trukket.tickets, trukket.baseline, trukket.ended_at) == (12, 0, None)
    # supervisors and admins are told, once, of every word of the wave; agents are not
    told = Notification.objects.all()
    assert sorted(n.recipient_id for n in told) == sorted(
        [people.siri.user_id, people.astrid.user_id]
    )
    assert (
        "Spike: 12 tickets with “trukket” in the subject in the last hour (usually 0)."
        in told.first().text
    )
    assert "“kortet”" in told.first().text
    notifications = Notification.objects.count()

    # when: five minutes later three more arrive and the job runs again
    later = NOW + timedelta(minutes=5)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later - timedelta(minutes=1))
    _burst(3)
    assert spikes.spikes_detect(now=later) == []
    # then: the same alert, updated; nobody is notified again
    assert SpikeAlert.objects.filter(value="trukket").count() == 1
    trukket.refresh_from_db()
    assert (trukket.tickets, trukket.peak_tickets) == (15, 15)
    assert Notification.objects.count() == notifications

    # when: two hours later the wave has passed
    spikes.spikes_detect(now=NOW + timedelta(hours=2))
    trukket.refresh_from_db()
    assert trukket.ended_at == NOW + timedelta(hours=2)
    assert [alert.value for alert in spikes.alerts_recent(now=NOW + timedelta(hours=3))][:1] in (
        ["dobbelt"],
        ["trukket"],
        ["kortet"],
    )


def test_a_channel_flooded_is_a_spike(people, monkeypatch):
    _generated_history(now=NOW)
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW - timedelta(minutes=20))
    for index in range(15):
        make_ticket(address=f"c{index}@example.no", subject=f"Spørsmål {index}", channel="web")
    opened = spikes.spikes_detect(now=NOW)
    web = next(alert for alert in opened if alert.dimension == "channel")
    assert web.value == "web"
    assert "Spike: " in Notification.objects.filter(text__contains="Web form").first().text


def test_no_alerts_without_two_weeks_of_history(people, monkeypatch):
    SpikeScan.objects.create(last_ticket_id=0, history_start=NOW - timedelta(days=8))
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW - timedelta(minutes=5))
    _burst(12)
    assert spikes.spikes_detect(now=NOW) == []


def test_first_run_counts_the_last_nine_weeks_and_then_only_new_tickets(people, monkeypatch):
    # given: tickets from ten weeks ago, last week and now (people.ticket is one of them)
    old = make_ticket(address="old@example.no", subject="Gammel sak")
    week_ago = make_ticket(address="week@example.no", subject="Passord virker ikke")
    Ticket.objects.filter(pk__lte=old.pk).update(created_at=NOW - timedelta(weeks=10))
    Ticket.objects.filter(pk=week_ago.pk).update(created_at=NOW - timedelta(weeks=1))
    # when
    counted = spikes.slots_count(now=NOW)
    # then: the old tickets are skipped, last week's counted into its slot
    assert counted == 1
    assert ArrivalSlot.objects.get(dimension="keyword", value="passord").start == (
        spikes.slot_start(NOW - timedelta(weeks=1))
    )
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    make_ticket(address="new@example.no", subject="Passord igjen")
    assert spikes.slots_count(now=NOW + timedelta(minutes=1)) == 1
    assert ArrivalSlot.objects.filter(value="passord").count() == 2


def test_staffing_page_and_api_list_spikes(people, monkeypatch):
    from django.test import Client

    from tests.factories import PASSWORD

    _generated_history(now=NOW)
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW - timedelta(minutes=5))
    _burst(12)
    spikes.spikes_detect(now=NOW)
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW + timedelta(minutes=1))
    client = Client()
    assert client.login(username=people.siri.user.email, password=PASSWORD)
    page = client.get("/staffing/").content.decode()
    assert "“trukket” in subjects" in page
    assert "12 tickets in an hour, usually 0" in page
    api = token_client(people.siri, scopes=("analytics:read",))
    body = api.get("/api/v1/analytics/wfm/spikes").json()
    assert {"dimension": "keyword", "value": "trukket"}.items() <= next(
        row for row in body if row["value"] == "trukket"
    ).items()


def test_the_same_hour_is_wall_clock_time_across_summer_time(people, settings):
    # given: every Monday 10-11 in Oslo brings 8 tickets about a weekly report — in winter
    # that is 09-10 UTC, on 30 March (summer time since the 29th) 08-09 UTC
    settings.TIME_ZONE = "Europe/Oslo"
    now = datetime(2026, 3, 30, 8, 55, tzinfo=UTC)
    per_slot = (2, 1, 1, 2, 1, 1)
    rows = [
        ArrivalSlot(
            start=now.replace(minute=0) + index * spikes.SLOT,
            dimension="keyword",
            value="rapport",
            tickets=tickets,
        )
        for index, tickets in enumerate(per_slot)
    ]
    for week in range(1, 9):
        winter_hour = datetime(2026, 3, 30, 9, tzinfo=UTC) - timedelta(weeks=week)
        rows += [
            ArrivalSlot(
                start=winter_hour + index * spikes.SLOT,
                dimension="keyword",
                value="rapport",
                tickets=tickets,
            )
            for index, tickets in enumerate(per_slot)
        ]
    ArrivalSlot.objects.bulk_create(rows)
    SpikeScan.objects.create(last_ticket_id=10**9, history_start=now - timedelta(weeks=9))
    # then: the usual Monday report is no spike
    (score,) = spikes.scores(now=now)
    assert (score.value, score.tickets, score.baseline) == ("rapport", 8, 8)
    assert not score.is_spike
