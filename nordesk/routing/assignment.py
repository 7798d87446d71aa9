"""Which agent gets a queued ticket: pure functions over plain values, no database.

Only agents who are online and under their capacity for the ticket's channel kind are
eligible. Then the team's strategy orders them:

- round robin: whoever has waited longest since their last ticket;
- least loaded: the smallest share of capacity in use, then the longest wait;
- skills-based: agents holding every skill the ticket calls for at the level asked (any level
  once the ticket has waited past the team's relaxation time); the highest sum of those
  levels wins, ties go to the least loaded, then to the longest wait.

`agent_choose` returns the winner and, for the record, every candidate with their load and
capacity, their score, and why they were passed over: "away", "offline", "full" or "skill"
(with the skill, the level held and the level needed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

ONLINE = "online"
NEVER = float("-inf")  # an agent who never had a ticket has waited longest


class Candidate(Protocol):
    @property
    def user_id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def presence(self) -> str: ...
    @property
    def skills(self) -> Mapping[str, int]: ...
    @property
    def last_assigned_at(self) -> datetime | None: ...
    def capacity_for(self, kind: str) -> int: ...


@dataclass(frozen=True, slots=True)
class Requirement:
    skill: str
    level: int


@dataclass(frozen=True, slots=True)
class Choice:
    winner: int | None
    candidates: list[dict[str, Any]]


def _waited(candidate: Candidate) -> float:
    last = candidate.last_assigned_at
    return last.timestamp() if last is not None else NEVER


def _missing_skill(
    candidate: Candidate, requirements: Sequence[Requirement], relaxed: bool
) -> dict[str, Any] | None:
    for requirement in requirements:
        held = candidate.skills.get(requirement.skill, 0)
        needed = 1 if relaxed else requirement.level
        if held < needed:
            return {
                "passed_over": "skill",
                "skill": requirement.skill,
                "level": held,
                "needed": needed,
            }
    return None


def agent_choose(
    *,
    strategy: str,
    candidates: Sequence[Candidate],
    kind: str,
    load: Mapping[int, int],
    requirements: Sequence[Requirement] = (),
    relaxed: bool = False,
) -> Choice:
    """`load` is each agent's active tickets of channel kind `kind`; `requirements` count
    only for the skills strategy."""
    records: list[dict[str, Any]] = []
    ranked: list[tuple[tuple, int]] = []
    for candidate in candidates:
        held, capacity = load.get(candidate.user_id, 0), candidate.capacity_for(kind)
        record: dict[str, Any] = {
            "agent": candidate.user_id,
            "name": candidate.name,
            "load": held,
            "capacity": capacity,
        }
        records.append(record)
        if candidate.presence != ONLINE:
            record["passed_over"] = candidate.presence
            continue
        if held >= capacity:
            record["passed_over"] = "full"
            continue
        share = held / capacity
        if strategy == "skills":
            missing = _missing_skill(candidate, requirements, relaxed)
            if missing is not None:
                record.update(missing)
                continue
            score = sum(candidate.skills.get(r.skill, 0) for r in requirements)
            record["score"] = score
            key: tuple = (-score, share, _waited(candidate), candidate.user_id)
        elif strategy == "least_loaded":
            key = (share, _waited(candidate), candidate.user_id)
        else:
            key = (_waited(candidate), candidate.user_id)
        ranked.append((key, candidate.user_id))
    if not ranked:
        return Choice(winner=None, candidates=records)
    winner = min(ranked)[1]
    for record in records:
        if record["agent"] == winner:
            record["chosen"] = True
    return Choice(winner=winner, candidates=records)
