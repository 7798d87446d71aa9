"""Choosing an agent: the strategies, presence, capacity per channel kind and skills, as pure
functions (no database)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from nordesk.routing.assignment import Requirement, agent_choose

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Agent:
    user_id: int
    name: str = ""
    presence: str = "online"
    capacity: int = 10
    channel_capacity: dict[str, int] = field(default_factory=dict)
    skills: dict[str, int] = field(default_factory=dict)
    last_assigned_at: datetime | None = None

    def capacity_for(self, kind: str) -> int:
        return self.channel_capacity.get(kind, self.capacity)


def choose(strategy, agents, *, load=None, kind="email", requirements=(), relaxed=False):
    return agent_choose(
        strategy=strategy,
        candidates=agents,
        kind=kind,
        load=load or {},
        requirements=requirements,
        relaxed=relaxed,
    )


def test_round_robin_gives_the_ticket_to_whoever_waited_longest():
    agents = [
        Agent(1, last_assigned_at=T0),
        Agent(2, last_assigned_at=T0 - timedelta(minutes=5)),
        Agent(3, last_assigned_at=T0 - timedelta(minutes=1)),
    ]
    assert choose("round_robin", agents).winner == 2


def test_an_agent_who_never_had_a_ticket_goes_first():
    agents = [Agent(1, last_assigned_at=T0 - timedelta(days=1)), Agent(2)]
    assert choose("round_robin", agents).winner == 2


def test_least_loaded_compares_the_share_of_capacity_in_use():
    # 4 of 20 (20 %) beats 1 of 3 (33 %) although it is more tickets
    agents = [Agent(1, capacity=3), Agent(2, capacity=20)]
    assert choose("least_loaded", agents, load={1: 1, 2: 4}).winner == 2


def test_least_loaded_ties_go_to_the_longest_wait():
    agents = [Agent(1, last_assigned_at=T0), Agent(2, last_assigned_at=T0 - timedelta(hours=1))]
    assert choose("least_loaded", agents, load={1: 2, 2: 2}).winner == 2


@pytest.mark.parametrize("presence", ["away", "offline"])
def test_only_online_agents_get_work(presence):
    agents = [Agent(1, presence=presence), Agent(2, last_assigned_at=T0)]
    choice = choose("round_robin", agents)
    assert choice.winner == 2
    assert choice.candidates[0]["passed_over"] == presence


def test_nobody_gets_a_ticket_when_everyone_is_full():
    agents = [Agent(1, capacity=2), Agent(2, capacity=1)]
    choice = choose("least_loaded", agents, load={1: 2, 2: 1})
    assert choice.winner is None
    assert [c["passed_over"] for c in choice.candidates] == ["full", "full"]


def test_capacity_is_counted_per_channel_kind():
    """Three chats fill Kari's chat capacity, but she still takes email."""
    kari = Agent(1, capacity=20, channel_capacity={"chat": 3})
    assert choose("least_loaded", [kari], kind="chat", load={1: 3}).winner is None
    assert choose("least_loaded", [kari], kind="email", load={1: 3}).winner == 1


DANISH = [Requirement("danish", 3)]


def test_skills_based_requires_every_skill_at_the_level_asked():
    agents = [Agent(1, skills={"danish": 2}), Agent(2, skills={"danish": 4, "billing": 5})]
    choice = choose("skills", agents, requirements=DANISH)
    assert choice.winner == 2
    assert choice.candidates[0] | {"name": ""} == {
        "agent": 1,
        "name": "",
        "load": 0,
        "capacity": 10,
        "passed_over": "skill",
        "skill": "danish",
        "level": 2,
        "needed": 3,
    }


def test_skills_based_prefers_the_higher_level_then_the_lighter_load():
    agents = [
        Agent(1, skills={"danish": 3}),
        Agent(2, skills={"danish": 5}),
        Agent(3, skills={"danish": 5}),
    ]
    choice = choose("skills", agents, requirements=DANISH, load={2: 6, 3: 1})
    assert choice.winner == 3
    assert [c.get("score") for c in choice.candidates] == [3, 5, 5]


def test_skills_based_ties_on_level_and_load_go_to_the_longest_wait():
    agents = [
        Agent(1, skills={"danish": 4}, last_assigned_at=T0),
        Agent(2, skills={"danish": 4}, last_assigned_at=T0 - timedelta(minutes=9)),
    ]
    assert choose("skills", agents, requirements=DANISH).winner == 2


def test_relaxed_requirements_accept_level_one_but_not_a_missing_skill():
    agents = [Agent(1, skills={"danish": 1}), Agent(2, skills={"swedish": 5})]
    assert choose("skills", agents, requirements=DANISH).winner is None
    choice = choose("skills", agents, requirements=DANISH, relaxed=True)
    assert choice.winner == 1
    assert choice.candidates[1]["passed_over"] == "skill"


def test_the_record_marks_the_winner_and_keeps_every_candidate():
    agents = [Agent(1, name="Kari"), Agent(2, name="Ole", presence="away")]
    choice = choose("round_robin", agents, load={1: 4})
    assert choice.candidates == [
        {"agent": 1, "name": "Kari", "load": 4, "capacity": 10, "chosen": True},
        {"agent": 2, "name": "Ole", "load": 0, "capacity": 10, "passed_over": "away"},
    ]
