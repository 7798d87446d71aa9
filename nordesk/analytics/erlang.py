"""Erlang C: how many agents an interval needs so that a share of contacts is answered within
a target time. Pure arithmetic on plain numbers; no database.

The model (M/M/N): contacts arrive at random (Poisson) at `calls` per interval, each takes an
agent `aht_seconds` on average (exponentially distributed), nobody abandons, and the queue is
first come first served. The traffic A = calls × AHT / interval is measured in Erlangs; with N
agents the probability that a contact waits is Erlang C, computed through the Erlang B
recursion (no factorials, stable for thousands of agents):

    B(0) = 1,  B(k) = A·B(k−1) / (k + A·B(k−1))
    C(N, A) = N·B(N) / (N − A·(1 − B(N)))                      (N > A, else 1)
    service level = 1 − C · exp(−(N − A) · target / AHT)
    ASA = C · AHT / (N − A)
    occupancy = A / N

Shrinkage (breaks, meetings, absence) is the share of paid time an agent is not available:
agents to schedule = ceil(N / (1 − shrinkage)).

Concurrency (chat): an agent who holds k conversations at once gives each about 1/k of their
time, so a contact occupies AHT / k of an agent and the model above runs on that (the usual
approximation; it assumes the handle time measured is per conversation, alongside the others).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

# Rounding before a ceiling: 14 / (1 − 0.3) is 20.000000000000004 in floating point.
_CEILING_DIGITS = 9


def traffic_erlangs(*, calls: float, interval_seconds: float, aht_seconds: float) -> float:
    """The offered load: how many agents would be busy on average with no queue at all."""
    if interval_seconds <= 0:
        raise ValueError("the interval must be longer than zero")
    if aht_seconds <= 0:
        raise ValueError("the average handle time must be longer than zero")
    if calls < 0:
        raise ValueError("the number of calls cannot be negative")
    return calls * aht_seconds / interval_seconds


def erlang_b(agents: int, traffic: float) -> float:
    """Probability that all `agents` are busy in a loss system (Erlang B)."""
    if agents < 0 or traffic < 0:
        raise ValueError("agents and traffic cannot be negative")
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return blocking


def _erlang_c_from_b(agents: int, traffic: float, blocking: float) -> float:
    if agents <= traffic:
        return 1.0  # the queue grows without end: every contact waits
    return agents * blocking / (agents - traffic * (1 - blocking))


def probability_waiting(agents: int, traffic: float) -> float:
    """Erlang C: the probability that a contact is not answered at once."""
    if traffic == 0:
        return 0.0
    return _erlang_c_from_b(agents, traffic, erlang_b(agents, traffic))


def _service_level(
    agents: int, traffic: float, waiting: float, aht_seconds: float, target_seconds: float
) -> float:
    if traffic == 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    return 1 - waiting * math.exp(-(agents - traffic) * target_seconds / aht_seconds)


def service_level(
    agents: int, traffic: float, *, aht_seconds: float, target_seconds: float
) -> float:
    """Share of contacts answered within `target_seconds`."""
    waiting = probability_waiting(agents, traffic)
    return _service_level(agents, traffic, waiting, aht_seconds, target_seconds)


def asa_seconds(agents: int, traffic: float, *, aht_seconds: float) -> float:
    """Average speed of answer: the mean wait over all contacts, those answered at once
    included. Infinite when the agents cannot keep up."""
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return probability_waiting(agents, traffic) * aht_seconds / (agents - traffic)


def occupancy(agents: int, traffic: float) -> float:
    """Share of the agents' available time spent handling contacts (at most 1)."""
    if agents <= 0:
        return 1.0 if traffic > 0 else 0.0
    return min(1.0, traffic / agents)


def agents_required(
    traffic: float,
    *,
    aht_seconds: float,
    target_seconds: float,
    service_level_target: float,
    max_occupancy: float | None = None,
) -> int:
    """The fewest agents that answer `service_level_target` of contacts within
    `target_seconds` (and keep occupancy at or under `max_occupancy` when given)."""
    _check_share(service_level_target, "service level")
    if max_occupancy is not None:
        _check_share(max_occupancy, "maximum occupancy", allow_one=True)
    if target_seconds < 0:
        raise ValueError("the target answer time cannot be negative")
    if traffic == 0:
        return 0
    agents = math.floor(traffic) + 1
    if max_occupancy is not None:
        agents = max(agents, math.ceil(round(traffic / max_occupancy, _CEILING_DIGITS)))
    blocking = erlang_b(agents, traffic)
    while True:
        waiting = _erlang_c_from_b(agents, traffic, blocking)
        reached = _service_level(agents, traffic, waiting, aht_seconds, target_seconds)
        if reached >= service_level_target:
            return agents
        agents += 1
        blocking = traffic * blocking / (agents + traffic * blocking)


def with_shrinkage(agents: int, shrinkage: float) -> int:
    """Agents to schedule so that `agents` are available after shrinkage."""
    _check_share(shrinkage, "shrinkage", allow_zero=True)
    return math.ceil(round(agents / (1 - shrinkage), _CEILING_DIGITS))


def _check_share(value: float, name: str, *, allow_zero: bool = False, allow_one: bool = False):
    low_ok = value >= 0 if allow_zero else value > 0
    high_ok = value <= 1 if allow_one else value < 1
    if not (low_ok and high_ok):
        raise ValueError(f"the {name} must be a share between 0 and 1")


@dataclass(frozen=True)
class Staffing:
    """One interval's requirement and what that many agents achieve."""

    calls: float
    interval_minutes: float
    aht_seconds: float
    concurrency: int  # contacts an agent handles at once
    target_seconds: float
    service_level_target: float
    shrinkage: float
    traffic_erlangs: float
    agents: int  # available to handle contacts
    agents_scheduled: int  # to put on the schedule, shrinkage included
    probability_waiting: float
    service_level: float
    asa_seconds: float
    occupancy: float

    def as_json(self) -> dict[str, Any]:
        return {
            key: round(value, 6) if isinstance(value, float) else value
            for key, value in asdict(self).items()
        }


def staffing(
    *,
    calls: float,
    interval_minutes: float,
    aht_seconds: float,
    target_seconds: float,
    service_level_target: float,
    shrinkage: float = 0.0,
    max_occupancy: float | None = None,
    concurrency: int = 1,
) -> Staffing:
    if concurrency < 1:
        raise ValueError("an agent handles at least one contact at a time")
    agent_seconds = aht_seconds / concurrency  # of an agent's time, per contact
    traffic = traffic_erlangs(
        calls=calls, interval_seconds=interval_minutes * 60, aht_seconds=agent_seconds
    )
    agents = agents_required(
        traffic,
        aht_seconds=agent_seconds,
        target_seconds=target_seconds,
        service_level_target=service_level_target,
        max_occupancy=max_occupancy,
    )
    return Staffing(
        calls=calls,
        interval_minutes=interval_minutes,
        aht_seconds=aht_seconds,
        concurrency=concurrency,
        target_seconds=target_seconds,
        service_level_target=service_level_target,
        shrinkage=shrinkage,
        traffic_erlangs=traffic,
        agents=agents,
        agents_scheduled=with_shrinkage(agents, shrinkage),
        probability_waiting=probability_waiting(agents, traffic),
        service_level=service_level(
            agents, traffic, aht_seconds=agent_seconds, target_seconds=target_seconds
        ),
        asa_seconds=asa_seconds(agents, traffic, aht_seconds=agent_seconds),
        occupancy=occupancy(agents, traffic),
    )
