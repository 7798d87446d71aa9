"""Rollups kept incrementally equal a full rebuild, whatever the history and however the
job's runs split it (hypothesis: random event streams in random batches)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nordesk.analytics import kpis, services
from nordesk.analytics.models import (
    ArrivalHour,
    Cursor,
    DailyRollup,
    MonthlyRollup,
    TicketFact,
)
from nordesk.customers.models import Organisation
from nordesk.tickets.models import TRANSITIONS, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

BASE = datetime(2026, 3, 27, 20, 0, tzinfo=UTC)  # the clocks change in Oslo that weekend
KINDS = ("in", "out", "status", "transfer", "time", "assign", "priority", "merge")
STATUSES = ("open", "pending", "on_hold", "solved", "closed")

operation = st.tuples(
    st.integers(0, 3),  # which ticket
    st.sampled_from(KINDS),
    st.integers(0, 60 * 24 * 9),  # minutes after BASE
    st.integers(0, 4),  # a choice: status, agent, seconds…
    st.booleans(),  # run the job after this one
)


def snapshot() -> tuple:
    return (
        sorted(DailyRollup.objects.values_list("day", "dimension", "value", "data", "histograms")),
        sorted(
            MonthlyRollup.objects.values_list("day", "dimension", "value", "data", "histograms")
        ),
        sorted(ArrivalHour.objects.values_list("hour", "channel", "category", "tickets")),
        sorted(TicketFact.objects.values_list("ticket_id", "parts", "agents", "is_open")),
    )


class Stream:
    def __init__(self, people) -> None:
        self.people = people
        self.agents = [None, people.kari.user, people.ole.user]
        self.organisation = Organisation.objects.get_or_create(name="Fjordkraft")[0]
        self.tickets: dict[int, Ticket] = {}

    def ticket(self, index: int, at: datetime) -> Ticket:
        if index not in self.tickets:
            ticket = Ticket.objects.create(
                number=900000 + index,
                subject="x",
                channel=("email", "chat", "phone")[index % 3],
                category=("billing|vip", "")[index % 2],  # a pair's second value may hold "|"
                language=("nb", "sv", "nb", "da")[index % 4],
                customer=self.people.sofie,
                team=self.people.billing if index % 2 else None,
                organisation=self.organisation if index % 3 != 1 else None,
                created_at=at,
            )
            TicketEvent.objects.create(
                ticket=ticket, kind="created", actor_kind="customer", data={}, created_at=at
            )
            self.tickets[index] = ticket
        return self.tickets[index]

    def event(self, ticket: Ticket, kind: str, at: datetime, actor=None, **data) -> None:
        TicketEvent.objects.create(
            ticket=ticket,
            kind=kind,
            actor_kind="customer" if kind == "message_in" else "agent",
            actor_user=actor,
            data=data,
            created_at=at,
        )

    def apply(self, index: int, kind: str, at: datetime, choice: int) -> None:
        # Opened before anything happens to it, as tickets are: a slice's facts are those
        # created by its end.
        ticket = self.ticket(index, BASE)
        agent = self.agents[choice % 3]
        if ticket.status == "closed":
            return
        if kind == "in":
            self.event(ticket, "message_in", at)
        elif kind == "out":
            self.event(ticket, "message_out", at, actor=agent or self.people.kari.user)
        elif kind == "status":
            new = STATUSES[choice]
            if new in TRANSITIONS[ticket.status]:
                self.event(ticket, "status", at, actor=agent, old=ticket.status, new=new)
                ticket.status = new
                ticket.save(update_fields=["status"])
        elif kind == "transfer":
            self.event(ticket, "transferred", at, actor=agent, reason="other")
        elif kind == "time":
            seconds = (choice - 1) * 150
            user_id = agent.pk if agent else None
            self.event(ticket, "time_spent", at, actor=agent, seconds=seconds, agent=user_id)
        elif kind == "assign":
            ticket.assignee = agent
            ticket.save(update_fields=["assignee"])
            self.event(ticket, "assignment", at, actor=agent, new=agent.pk if agent else None)
        elif kind == "priority":
            new = ("low", "normal", "high", "urgent", "normal")[choice]
            self.event(ticket, "priority", at, old=ticket.priority, new=new)
            ticket.priority = new
            ticket.save(update_fields=["priority"])
        elif kind == "merge" and choice == 0:
            target = next((t for i, t in self.tickets.items() if i != index), None)
            if target is not None and target.status != "closed":
                ticket.status, ticket.merged_into = "closed", target
                ticket.save(update_fields=["status", "merged_into"])
                self.event(ticket, "merged", at, into=target.pk)
                self.event(target, "merged", at, **{"from": ticket.pk})


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operations=st.lists(operation, max_size=25),
    batch=st.integers(1, 4),
    reread=st.integers(0, 3),
)
def test_incremental_rollups_equal_a_rebuild(people, operations, batch, reread):
    # given: no history of earlier examples
    Ticket.objects.filter(number__gte=900000).delete()
    for model in (TicketFact, DailyRollup, MonthlyRollup, ArrivalHour, Cursor):
        model.objects.all().delete()
    stream = Stream(people)
    # when: the events arrive, the job running after some of them
    with override_settings(ANALYTICS_REREAD_EVENTS=reread):
        for index, kind, minutes, choice, run_job in operations:
            stream.apply(index, kind, BASE + timedelta(minutes=minutes), choice)
            if run_job:
                services.analytics_refresh(batch=batch)
        services.analytics_refresh(batch=batch)
    incremental = snapshot()
    services.analytics_rebuild(batch=batch)
    # then
    assert snapshot() == incremental
    # and a range of whole months read from the monthly rows equals the sum of its days
    summed: dict[str, int] = {}
    days = DailyRollup.objects.filter(
        dimension="all", day__range=(date(2026, 3, 1), date(2026, 4, 30))
    )
    for counters, buckets in days.values_list("data", "histograms"):
        for name, amount in [*counters.items(), *buckets.items()]:
            summed[name] = summed.get(name, 0) + amount
    months_range = (date(2026, 3, 1), date(2026, 4, 30))
    months = kpis.Slice(start=months_range[0], end=months_range[1])
    assert kpis.kpis_for(months) == kpis.kpis_from(summed)
    # and slices within channel, priority and language read from the combined rows, by a
    # pair from its monthly rows and the facts of the other days, and by any one dimension or
    # period (a week is its Monday's, in Python and in SQL), or for one agent, from its rows,
    # equal the sums of the facts: over whole and part months, parts read as a month less
    # its other days
    ranges = ((date(2026, 2, 20), date(2026, 4, 10)), (date(2026, 4, 3), date(2026, 4, 30)))
    team, kari, ole = people.billing.pk, people.kari.user_id, people.ole.user_id
    organisation = stream.organisation.pk
    for first, last in (*ranges, (date(2026, 3, 1), date(2026, 3, 28)), months_range):
        for filters, key_of in (
            ({"organisation_id": organisation}, ""),
            ({"organisation_id": organisation}, "day"),
            ({"organisation_id": organisation}, "month"),
            ({"organisation_id": organisation}, "week"),
            ({"team_id": team, "channel": "email"}, "week"),
            ({"channel": "email", "language": "nb"}, "week"),
            ({"team_id": team}, "agent"),
            ({"agent_id": kari}, "team"),
            ({"channel": "email"}, "category"),
            ({"category": "billing|vip"}, "channel"),
            ({"team_id": team, "category": "billing|vip"}, "month"),
            ({"team_id": team, "agent_id": ole}, ""),
            ({"language": "sv"}, "category"),
            ({"team_id": team}, "priority"),
            ({"team_id": team, "priority": "normal"}, "channel"),
            ({"channel": "email", "category": "billing|vip"}, "language"),
            ({"team_id": team, "channel": "chat", "category": "billing|vip"}, ""),
            ({"channel": "email", "priority": "normal"}, ""),
            ({"channel": "email"}, "priority"),
            ({"priority": "high"}, "language"),
            ({"channel": "email", "language": "nb"}, "day"),
            ({"priority": "normal", "language": "nb"}, "month"),
            ({"agent_id": people.kari.user_id}, ""),
            ({"organisation_id": organisation}, "channel"),
            ({"language": "sv"}, "organisation"),
            ({"team_id": team}, "organisation"),
            ({"priority": "high"}, "agent"),
            ({"agent_id": ole}, "language"),
            ({"category": "billing|vip"}, "agent"),
            ({"category": "billing|vip"}, "organisation"),
            ({"organisation_id": organisation}, "category"),
            ({"agent_id": kari}, "organisation"),
            *(({}, key_of) for key_of in (*kpis.DIMENSIONS, "day", "week", "month", "")),
        ):
            cut = kpis.Slice(start=first, end=last, **filters)
            assert kpis._sums(cut, key_of)[0] == kpis._without_zeros(kpis._fact_sums(cut, key_of))
