"""Handing out a team's queue through the real services and database: strategies, capacity,
skills with relaxation, overflow, queue order, what is recorded, and what sets it off."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from nordesk.accounts import services as account_services
from nordesk.accounts.models import Agent
from nordesk.routing import dispatch
from nordesk.routing.models import DecisionKind, RoutingDecision, SkillRequirement
from nordesk.routing.tasks import routing_tick
from nordesk.tickets import selectors as ticket_selectors
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import EventKind, Status, Ticket
from tests.factories import inbound, make_agent, make_team

pytestmark = pytest.mark.django_db

_addresses = iter(f"kunde{n}@example.no" for n in range(10_000))


def online(agent: Agent, **capacity) -> Agent:
    account_services.agent_set_presence(agent=agent, presence="online")
    if capacity:
        account_services.agent_set_capacity(agent=agent, **capacity)
    return agent


def queued(team, **fields) -> Ticket:
    """A new ticket in `team`'s queue through the real intake; `fields` go on the message."""
    message = replace(inbound(team=team, address=next(_addresses)), **fields)
    return ticket_services.receive(message).ticket


def assignee_of(ticket: Ticket) -> int | None:
    ticket.refresh_from_db()
    return ticket.assignee_id


@pytest.fixture
def team():
    team = make_team("Førstelinje")
    return account_services.team_set_routing(team=team, changes={"strategy": "round_robin"})


def test_round_robin_spreads_the_queue_over_the_online_agents(team):
    kari, ole = online(make_agent("Kari", teams=(team,))), online(make_agent("Ole", teams=(team,)))
    make_agent("Mikkel", teams=(team,))  # offline
    tickets = [queued(team) for _ in range(4)]

    decisions = dispatch.team_dispatch(team_id=team.pk)

    assert len(decisions) == 4
    owners = [assignee_of(ticket) for ticket in tickets]
    assert owners[:2] != [owners[0]] * 2, "round robin alternates"
    assert sorted(owners) == sorted([kari.user_id, ole.user_id] * 2)
    ticket = Ticket.objects.get(pk=tickets[0].pk)
    assert ticket.status == Status.OPEN


def test_a_manual_team_keeps_its_queue(team):
    account_services.team_set_routing(team=team, changes={"strategy": "manual"})
    online(make_agent("Kari", teams=(team,)))
    ticket = queued(team)
    assert dispatch.team_dispatch(team_id=team.pk) == []
    assert assignee_of(ticket) is None


def test_no_agent_goes_over_capacity_and_the_rest_stays_queued(team):
    kari = online(make_agent("Kari", teams=(team,)), capacity=2)
    tickets = [queued(team) for _ in range(3)]
    dispatch.team_dispatch(team_id=team.pk)
    assert [assignee_of(t) for t in tickets] == [kari.user_id, kari.user_id, None]


def test_capacity_is_per_channel_kind(team):
    kari = online(make_agent("Kari", teams=(team,)), capacity=20, channel_capacity={"chat": 1})
    chats = [queued(team, channel="chat", sender_kind="chat") for _ in range(2)]
    mail = queued(team)
    dispatch.team_dispatch(team_id=team.pk)
    assert [assignee_of(t) for t in chats] == [kari.user_id, None]
    assert assignee_of(mail) == kari.user_id


def test_solving_a_ticket_frees_a_place(team, django_capture_on_commit_callbacks):
    kari = online(make_agent("Kari", teams=(team,)), capacity=1)
    first, second = queued(team), queued(team)
    dispatch.team_dispatch(team_id=team.pk)
    assert assignee_of(second) is None
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_change_status(ticket=first, status="solved", actor=kari.user)
    assert assignee_of(second) == kari.user_id


def test_least_loaded_counts_the_work_agents_already_hold(team):
    account_services.team_set_routing(team=team, changes={"strategy": "least_loaded"})
    kari = online(make_agent("Kari", teams=(team,)))
    ole = online(make_agent("Ole", teams=(team,)))
    for _ in range(2):
        ticket_services.ticket_assign(ticket=queued(team), assignee_id=kari.user_id, actor=None)
    ticket = queued(team)
    dispatch.team_dispatch(team_id=team.pk)
    assert assignee_of(ticket) == ole.user_id


@pytest.fixture
def danish_team(team):
    account_services.team_set_routing(
        team=team, changes={"strategy": "skills", "relax_after_minutes": 10}
    )
    return team


def require(attribute: str, value: str, skill: str, level: int) -> None:
    from nordesk.accounts.models import Skill

    SkillRequirement.objects.create(
        attribute=attribute,
        value=value,
        skill=Skill.objects.get_or_create(name=skill)[0],
        level=level,
    )


def test_skills_based_gives_a_danish_ticket_to_the_agent_who_reads_danish(danish_team):
    require("language", "da", "danish", 3)
    novice = online(make_agent("Kari", teams=(danish_team,)))
    account_services.agent_set_skill(agent=novice, skill_name="danish", level=1)
    mikkel = online(make_agent("Mikkel", teams=(danish_team,)))
    account_services.agent_set_skill(agent=mikkel, skill_name="danish", level=5)
    ticket = queued(danish_team, text="Hej, min faktura er forkert.", language="da")

    [decision] = dispatch.team_dispatch(team_id=danish_team.pk)

    assert assignee_of(ticket) == mikkel.user_id
    assert decision.kind == DecisionKind.ASSIGNMENT
    assert decision.trace["requirements"] == [{"skill": "danish", "level": 3}]
    passed = {c["name"]: c.get("passed_over") for c in decision.trace["candidates"]}
    assert passed == {"Kari": "skill", "Mikkel": None}


def test_skill_levels_relax_after_the_teams_wait(danish_team):
    require("language", "da", "danish", 3)
    novice = online(make_agent("Kari", teams=(danish_team,)))
    account_services.agent_set_skill(agent=novice, skill_name="danish", level=1)
    ticket = queued(danish_team, language="da")

    assert dispatch.team_dispatch(team_id=danish_team.pk) == []
    later = timezone.now() + timedelta(minutes=11)
    [decision] = dispatch.team_dispatch(team_id=danish_team.pk, now=later)

    assert assignee_of(ticket) == novice.user_id
    assert decision.trace["relaxed"] is True


def test_a_ticket_nobody_can_take_overflows_to_the_backup_team(danish_team):
    backup = make_team("Andrelinje")
    account_services.team_set_routing(
        team=danish_team, changes={"overflow_after_minutes": 20, "backup_team_id": backup.pk}
    )
    ticket = queued(danish_team)  # nobody online

    assert (
        dispatch.team_dispatch(team_id=danish_team.pk, now=timezone.now() + timedelta(minutes=29))
        == []
    )
    [decision] = dispatch.team_dispatch(
        team_id=danish_team.pk, now=timezone.now() + timedelta(minutes=31)
    )

    ticket.refresh_from_db()
    assert ticket.team_id == backup.pk
    assert decision.kind == DecisionKind.OVERFLOW
    assert decision.trace["from_team"] == danish_team.pk
    assert ticket.events.filter(kind=EventKind.TEAM).exists()


def test_the_queue_puts_the_nearest_sla_deadline_first_then_priority_then_the_wait(team):
    now = timezone.now()
    oldest = queued(team)
    urgent = queued(team, priority="urgent")
    due_later = queued(team)
    due_soon = queued(team)
    ticket_services.ticket_sla_due_set(ticket_id=due_later.pk, due_at=now + timedelta(hours=2))
    ticket_services.ticket_sla_due_set(ticket_id=due_soon.pk, due_at=now + timedelta(hours=1))

    order = [row["id"] for row in ticket_selectors.team_queue(team_id=team.pk)]

    assert order == [due_soon.pk, due_later.pk, urgent.pk, oldest.pk]
    assert ticket_selectors.queue_position(ticket=Ticket.objects.get(pk=urgent.pk)) == 2


def test_a_new_ticket_in_a_routed_team_is_assigned_when_intake_commits(
    team, django_capture_on_commit_callbacks
):
    kari = online(make_agent("Kari", teams=(team,)))
    with django_capture_on_commit_callbacks(execute=True):
        ticket = queued(team)
    assert assignee_of(ticket) == kari.user_id
    assert RoutingDecision.objects.filter(ticket_id=ticket.pk, assignee=kari.user).exists()


def test_an_agent_coming_online_gets_the_waiting_tickets(team, django_capture_on_commit_callbacks):
    kari = make_agent("Kari", teams=(team,))
    ticket = queued(team)
    with django_capture_on_commit_callbacks(execute=True):
        account_services.agent_set_presence(agent=kari, presence="online")
    assert assignee_of(ticket) == kari.user_id


def test_the_minute_tick_sends_idle_agents_away_and_hands_out_queues(team, settings):
    settings.AUTO_AWAY_MINUTES = 15
    idle = online(make_agent("Kari", teams=(team,)))
    active = online(make_agent("Ole", teams=(team,)))
    Agent.objects.filter(pk=idle.pk).update(last_seen_at=timezone.now() - timedelta(minutes=16))
    ticket = queued(team)

    routing_tick.call_local()

    idle.refresh_from_db()
    assert idle.presence == "away"
    assert assignee_of(ticket) == active.user_id


def test_an_assignment_costs_a_known_number_of_queries(team, django_assert_max_num_queries):
    online(make_agent("Kari", teams=(team,)))
    online(make_agent("Ole", teams=(team,)))
    queued(team)
    # team, queue, candidates with their loads, skills, then per ticket: claim, agent lock +
    # recount (with savepoint), assignment (lock, agent check, update, history), last assigned,
    # decision
    with django_assert_max_num_queries(19):
        assert len(dispatch.team_dispatch(team_id=team.pk)) == 1


def test_the_hand_written_reads_name_the_models_tables_and_columns():
    """Routing's hot reads are SQL written by hand: they must name what the models declare."""
    from nordesk.accounts.models import Agent as AgentModel
    from nordesk.customers.models import Organisation
    from nordesk.routing.selectors import CANDIDATES_SQL
    from nordesk.tickets.selectors import QUEUE_SQL

    def columns(model) -> set[str]:
        return {field.column for field in model._meta.concrete_fields}

    assert {"team_id", "assignee_id", "status", "queued_at", "sla_due_at", "organisation_id"} <= (
        columns(Ticket)
    )
    assert Ticket._meta.db_table in QUEUE_SQL
    assert Ticket._meta.db_table in CANDIDATES_SQL
    assert Organisation._meta.db_table in QUEUE_SQL
    assert "tier" in columns(Organisation)
    assert AgentModel._meta.db_table in CANDIDATES_SQL
    assert AgentModel.teams.through._meta.db_table in CANDIDATES_SQL
    assert {"presence", "capacity", "channel_capacity", "last_assigned_at", "role"} <= columns(
        AgentModel
    )
