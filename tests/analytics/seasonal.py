"""Generated arrivals with a known weekly and daily rhythm, Poisson noise and holidays that
look like Sundays: the ground truth the forecast and spike tests measure against."""

import math
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
# Arrivals on a day of each weekday (Monday first): busy Mondays, quiet weekends.
DAY_TOTALS = (260, 230, 220, 215, 200, 80, 40)
# Share of a day's arrivals per local hour: a morning peak at 9-10 and a smaller one at 13-14.
_WEIGHTS = [0.2] * 7 + [1, 3, 6, 6, 5, 4, 5, 5, 4, 3, 2, 1.5, 1.2, 1, 0.8, 0.5, 0.3]
SHARES = [weight / sum(_WEIGHTS) for weight in _WEIGHTS]


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; enough for the means of an hour."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def expected(day: date, hour: int, holidays: frozenset[date] = frozenset()) -> float:
    total = DAY_TOTALS[6] if day in holidays else DAY_TOTALS[day.weekday()]
    return total * SHARES[hour]


def utc_hours(day: date, zone: ZoneInfo = OSLO):
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    hour = start
    while hour < end:
        yield hour
        hour += timedelta(hours=1)


def generate(
    first: date, last: date, *, seed: int = 7, holidays: frozenset[date] = frozenset()
) -> dict[datetime, int]:
    """UTC hour → arrivals for the local days first..last (inclusive)."""
    rng = random.Random(seed)
    arrivals: dict[datetime, int] = {}
    day = first
    while day <= last:
        for hour in utc_hours(day):
            count = poisson(rng, expected(day, hour.astimezone(OSLO).hour, holidays))
            if count:
                arrivals[hour] = count
        day += timedelta(days=1)
    return arrivals
