"""Early warning: a channel, category or subject keyword far above its usual count for the
hour. Every few minutes the job counts new tickets into ten-minute slots (by the tickets'
primary key, so intake pays nothing), scores the last hour against the same hour in the
previous weeks, and opens one alert per spike (notifying supervisors once), keeps it updated
while it lasts and ends it when the count falls back.

The score is robust: (count − median) / scale over the previous weeks' counts, where scale is
1.4826 × MAD (the standard deviation of normal data) but never less than √(median + 1), the
Poisson noise of a count that size — otherwise a keyword seen 0 or 1 times every week
would alert on its second ticket.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors
from nordesk.automation.services import running as automation_running
from nordesk.tickets import figures as ticket_figures

from . import forecast
from .models import ArrivalSlot, SpikeAlert, SpikeDimension, SpikeScan

SLOT = timedelta(minutes=10)
WINDOW = timedelta(hours=1)
BASELINE_WEEKS = 8
MIN_BASELINE_WEEKS = 2
KEEP = timedelta(weeks=BASELINE_WEEKS + 1)
MIN_TICKETS = 5  # fewer tickets in an hour is never a spike
SCORE = 4.0
# A spike that ended this recently and comes back is the same spike: no second notification.
REOPEN_WITHIN = timedelta(hours=1)
RECENT = timedelta(hours=24)
BATCH = 2000
MAX_KEYWORDS = 8  # per subject

# Words of four letters or more that say nothing about the topic (nb, nn, da, sv, en).
_STOPWORDS = """
    about after again also angående been being dear dere deres eller ette fikk fordi from fråga
    från hallo have hello help hilsen hjelp hjælp ikke inte kjære kunne kære mine more need
    noen noget något ogsa også please question regarding sagen saken sent siden some spørgsmål
    spørsmål tack takk thanks that their there this till vedr vedrørende ville with would your
"""
STOPWORDS = frozenset(_STOPWORDS.split())
_WORD = re.compile(r"[^\W\d_]{4,}")


def keywords(subject: str) -> list[str]:
    """The distinct topic words of a subject, lower-cased, in order."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(subject.lower()):
        if word not in STOPWORDS and len(seen) < MAX_KEYWORDS:
            seen.setdefault(word[:64], None)
    return list(seen)


def slot_start(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute - moment.minute % 10, second=0, microsecond=0)


def _values(channel: str, category: str, subject: str) -> Iterable[tuple[str, str]]:
    yield SpikeDimension.CHANNEL, channel
    if category:
        yield SpikeDimension.CATEGORY, category[:64]
    for word in keywords(subject):
        yield SpikeDimension.KEYWORD, word


def _slots_add(counts: Counter[tuple[datetime, str, str]]) -> None:
    if not counts:
        return
    existing = {
        (row.start, row.dimension, row.value): row
        for row in ArrivalSlot.objects.filter(
            start__in={start for start, _, _ in counts},
            value__in={value for _, _, value in counts},
        )
    }
    changed, created = [], []
    for key, tickets in counts.items():
        row = existing.get(key)
        if row is not None:
            row.tickets += tickets
            changed.append(row)
        else:
            created.append(
                ArrivalSlot(start=key[0], dimension=key[1], value=key[2], tickets=tickets)
            )
    ArrivalSlot.objects.bulk_update(changed, ["tickets"], batch_size=500)
    ArrivalSlot.objects.bulk_create(created, batch_size=500)


def slots_count(*, now: datetime) -> int:
    """Count the tickets created since the last run into slots; on the first run, the
    tickets of the last nine weeks. Returns how many tickets were counted."""
    scan = SpikeScan.objects.select_for_update().first()
    if scan is None:
        since = now - KEEP
        scan = SpikeScan.objects.create(
            last_ticket_id=ticket_figures.ticket_id_created_before(since), history_start=since
        )
    counted = 0
    while True:
        rows = ticket_figures.tickets_arrived_after(after_id=scan.last_ticket_id, limit=BATCH)
        if not rows:
            break
        counts: Counter[tuple[datetime, str, str]] = Counter()
        for _id, created_at, channel, category, subject in rows:
            if created_at >= now - KEEP:
                start = slot_start(created_at)
                counts.update(
                    (start, dimension, value)
                    for dimension, value in _values(channel, category, subject)
                )
        _slots_add(counts)
        scan.last_ticket_id = rows[-1][0]
        counted += len(rows)
    scan.save(update_fields=["last_ticket_id"])
    ArrivalSlot.objects.filter(start__lt=now - KEEP).delete()
    return counted


@dataclass(frozen=True)
class Score:
    dimension: str
    value: str
    tickets: int
    baseline: float  # the median of the same hour in previous weeks
    score: float

    @property
    def is_spike(self) -> bool:
        return self.tickets >= MIN_TICKETS and self.score >= SCORE


def robust_score(tickets: int, history: list[int]) -> tuple[float, float]:
    """(median, score) of `tickets` against the counts of the same hour in earlier weeks."""
    median = statistics.median(history)
    mad = statistics.median(abs(count - median) for count in history)
    scale = max(1.4826 * mad, math.sqrt(median + 1))
    return median, (tickets - median) / scale


def _weeks_back(moment: datetime, weeks: int, zone: ZoneInfo) -> datetime:
    """The same wall-clock time `weeks` earlier in `zone` (across a change of summer time
    that is not the same UTC offset)."""
    return (moment.astimezone(zone) - timedelta(weeks=weeks)).astimezone(UTC)


def _window_counts(start: datetime, end: datetime, weeks: list[int], zone: ZoneInfo) -> dict:
    """(dimension, value) → counts in [start, end) (week 0) and in the same window `week`
    weeks earlier, for each of `weeks`."""
    ranges = Q(start__gte=start, start__lt=end)
    for week in weeks:
        ranges |= Q(
            start__gte=_weeks_back(start, week, zone), start__lt=_weeks_back(end, week, zone)
        )
    counts: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    rows = (
        ArrivalSlot.objects.filter(ranges)
        .values("start", "dimension", "value")
        .annotate(n=Sum("tickets"))
        .values_list("start", "dimension", "value", "n")
    )
    for slot, dimension, value, tickets in rows:
        # An hour off (summer time) still rounds to its week.
        week = 0 if slot >= start else round((start - slot) / timedelta(weeks=1))
        counts[(dimension, value)][week] += tickets
    return counts


def scores(*, now: datetime) -> list[Score]:
    """The last hour (to the end of the current ten minutes) of every channel, category and
    keyword with at least MIN_TICKETS tickets, scored against the previous weeks."""
    scan = SpikeScan.objects.first()
    if scan is None:
        return []
    end = slot_start(now) + SLOT
    start = end - WINDOW
    weeks = [
        week
        for week in range(1, BASELINE_WEEKS + 1)
        if start - timedelta(weeks=week) >= slot_start(scan.history_start)
    ]
    if len(weeks) < MIN_BASELINE_WEEKS:
        return []
    result = []
    zone = forecast.reporting_zone()
    for (dimension, value), counts in _window_counts(start, end, weeks, zone).items():
        if counts[0] < MIN_TICKETS:
            continue
        median, score = robust_score(counts[0], [counts[week] for week in weeks])
        result.append(Score(dimension, value, counts[0], median, score))
    return result


def _sentence(alert: SpikeAlert) -> str:
    figures = {
        "value": alert.value_label,
        "tickets": alert.tickets,
        "baseline": f"{alert.baseline:g}",
    }
    if alert.dimension == SpikeDimension.KEYWORD:
        text = _(
            "Spike: %(tickets)d tickets with “%(value)s” in the subject in the last hour "
            "(usually %(baseline)s)."
        )
    elif alert.dimension == SpikeDimension.CATEGORY:
        text = _(
            "Spike: %(tickets)d tickets in category %(value)s in the last hour "
            "(usually %(baseline)s)."
        )
    else:
        text = _("Spike: %(tickets)d tickets on %(value)s in the last hour (usually %(baseline)s).")
    return text % figures


def _notify(alerts: list[SpikeAlert]) -> None:
    """One notification per run to each supervisor and admin, naming every spike it opened:
    a wave about one thing often lifts several words of its subjects at once."""
    if not alerts:
        return
    supervisors = account_selectors.agents_by_name().filter(role__in=("supervisor", "admin"))
    user_ids = list(supervisors.values_list("user_id", flat=True))
    with translation.override(settings.LANGUAGE_CODE):
        text = " ".join(_sentence(alert) for alert in alerts)
    automation_running.notifications_create(user_ids=user_ids, ticket_id=None, text=text)


def alerts_update(*, now: datetime) -> list[SpikeAlert]:
    """Open, update and end alerts from the current scores. Returns the alerts opened."""
    current = {(s.dimension, s.value): s for s in scores(now=now)}
    recent = {
        (alert.dimension, alert.value): alert
        for alert in SpikeAlert.objects.filter(
            Q(ended_at__isnull=True) | Q(ended_at__gte=now - REOPEN_WITHIN)
        ).order_by("started_at")
    }
    opened = []
    for key, alert in recent.items():
        score = current.get(key)
        if score is not None and score.is_spike:
            alert.ended_at = None
            alert.last_seen_at = now
            alert.tickets = score.tickets
            alert.peak_tickets = max(alert.peak_tickets, score.tickets)
            alert.score = max(alert.score, score.score)
            alert.save(
                update_fields=["ended_at", "last_seen_at", "tickets", "peak_tickets", "score"]
            )
        elif alert.ended_at is None:
            alert.ended_at = now
            alert.save(update_fields=["ended_at"])
    for key, score in current.items():
        if key in recent or not score.is_spike:
            continue
        alert = SpikeAlert.objects.create(
            dimension=score.dimension,
            value=score.value,
            started_at=now,
            last_seen_at=now,
            tickets=score.tickets,
            peak_tickets=score.tickets,
            baseline=score.baseline,
            score=score.score,
        )
        opened.append(alert)
    _notify(opened)
    return opened


def spikes_detect(*, now: datetime) -> list[SpikeAlert]:
    """The periodic job's work: count new tickets, then update the alerts."""
    with transaction.atomic():
        slots_count(now=now)
        return alerts_update(now=now)


def alerts_recent(*, now: datetime, limit: int = 10) -> list[SpikeAlert]:
    """Open spikes first, then those seen in the last 24 hours, newest first."""
    rows = SpikeAlert.objects.filter(Q(ended_at__isnull=True) | Q(last_seen_at__gte=now - RECENT))
    return sorted(rows.order_by("-last_seen_at")[:limit], key=lambda alert: (not alert.is_open,))
