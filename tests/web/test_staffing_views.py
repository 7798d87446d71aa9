"""The staffing page: a channel's forecast against what arrived, the agents each hour needs
against the agents online now, for supervisors and admins only."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client

from nordesk.accounts import services as account_services
from nordesk.analytics import erlang, staffing
from nordesk.analytics.models import ArrivalHour
from tests.analytics.seasonal import generate
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/staffing/"
NOW = datetime(2026, 4, 13, 8, 30, tzinfo=UTC)  # Monday 10:30 in Oslo


@pytest.fixture
def history(settings):
    settings.STAFFING_AHT_SECONDS = 0
    settings.STAFFING_SHRINKAGE_PERCENT = 30
    generated = generate(date(2026, 2, 16), date(2026, 4, 13))
    ArrivalHour.objects.bulk_create(
        ArrivalHour(hour=hour, channel="chat", category="", tickets=n)
        for hour, n in generated.items()
        if hour < NOW
    )
    return generated


def _client(agent) -> Client:
    client = Client()
    assert client.login(username=agent.user.email, password=PASSWORD)
    return client


def _row(page: str, hour: datetime) -> str:
    start = page.index(f'id="hour-{int(hour.timestamp())}"')
    return page[start : page.index("</tr>", start)]


def test_staffing_page_shows_forecast_actual_and_agents_needed(people, history, monkeypatch):
    # given: a Monday morning; Kari is online, Ole away
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    account_services.agent_set_presence(agent=people.kari, presence="online")
    account_services.agent_set_presence(agent=people.ole, presence="away")
    # when
    page = _client(people.siri).get(URL, {"channel": "chat"}).content.decode()
    # then: the hour 09:00-10:00 Oslo has both figures, and the current hour is marked
    nine = datetime(2026, 4, 13, 7, tzinfo=UTC)
    row = _row(page, nine)
    assert f'data-figure="actual">{history[nine]}</td>' in row
    assert 'data-figure="forecast">' in row
    current = _row(page, datetime(2026, 4, 13, 8, tzinfo=UTC))
    assert 'aria-current="time"' in current
    assert '<dd id="online-now">1</dd>' in page
    # chat with 480 s per chat and ~40 chats an hour at 10:00 needs more than one agent
    assert 'id="required-now" class="figure--alert"' in page
    assert "MAPE" in page
    assert "<svg" in page
    assert "<title" in page
    # later hours of the day have a forecast but nothing arrived yet
    evening = _row(page, datetime(2026, 4, 13, 18, tzinfo=UTC))
    assert 'data-figure="actual">—</td>' in evening


def test_staffing_page_with_targets_of_the_supervisors_choice(people, history, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    client = _client(people.astrid)
    strict = client.get(
        URL,
        {
            "channel": "chat",
            "day": "2026-04-14",
            "target_minutes": "0.1",
            "service_level": "95",
            "shrinkage": "0",
            "aht_seconds": "600",
        },
    )
    loose = client.get(
        URL,
        {
            "channel": "chat",
            "day": "2026-04-14",
            "target_minutes": "5",
            "service_level": "50",
            "shrinkage": "0",
            "aht_seconds": "600",
        },
    )
    assert strict.context["plan"].day == date(2026, 4, 14)
    assert strict.context["plan"].peak_scheduled > loose.context["plan"].peak_scheduled
    assert strict.context["plan"].aht.source == "setting"


def test_staffing_page_for_agents_who_hold_several_chats_at_once(people, history, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    client = _client(people.siri)
    plan = {"channel": "chat", "day": "2026-04-14", "shrinkage": "0", "aht_seconds": "600"}
    one = client.get(URL, plan)
    three = client.get(URL, {**plan, "concurrency": "3"})
    # the busiest hour needs as many agents as chats of a third of the time, one at a time
    busiest = max(three.context["plan"].hours, key=lambda hour: hour.expected)
    assert busiest.staffing.agents == (
        erlang.staffing(
            calls=busiest.expected,
            interval_minutes=60,
            aht_seconds=200,
            target_seconds=20,
            service_level_target=0.8,
        ).agents
    )
    assert three.context["plan"].peak_scheduled < one.context["plan"].peak_scheduled
    assert '<dd id="concurrency">3\n' in three.content.decode()
    assert 'name="concurrency" min="1" max="10" placeholder="1"' in one.content.decode()
    # more than ten at once is refused, and the page falls back to the defaults
    refused = client.get(URL, {**plan, "concurrency": "11"})
    assert refused.status_code == 200
    assert '<dd id="concurrency">1\n' in refused.content.decode()
    assert refused.context["form"].errors["concurrency"]


def test_staffing_page_takes_chats_at_once_from_the_agents_chat_capacity(
    people, history, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    client = _client(people.siri)
    assert client.get(URL, {"channel": "chat"}).context["plan"].concurrency == (
        staffing.Concurrency(1, "default")  # nobody has a chat capacity of their own yet
    )
    # Lars is a light agent: he takes no chats, whatever his settings say (with him: 2)
    for agent, chats in ((people.kari, 2), (people.ole, 4), (people.siri, 4), (people.lars, 1)):
        account_services.agent_set_capacity(agent=agent, channel_capacity={"chat": chats})
    page = client.get(URL, {"channel": "chat"})
    assert page.context["plan"].concurrency == staffing.Concurrency(4, "agents")  # the median
    html = page.content.decode()
    assert 'name="concurrency" min="1" max="10" placeholder="4"' in html
    assert "(the chat capacity set on the agents)" in html
    # what the supervisor asks for wins
    asked = client.get(URL, {"channel": "chat", "concurrency": "1"}).context["plan"]
    assert asked.concurrency == staffing.Concurrency(1, "setting")
    # an email capacity caps a queue; the answers are still written one at a time
    account_services.agent_set_capacity(agent=people.kari, channel_capacity={"email": 30})
    email = client.get(URL, {"channel": "email"}).context["plan"]
    assert email.concurrency == staffing.Concurrency(1, "default")
    # a capacity set high is no reason to plan for more than ten chats at once
    for agent in (people.kari, people.ole, people.siri):
        account_services.agent_set_capacity(agent=agent, channel_capacity={"chat": 25})
    assert client.get(URL, {"channel": "chat"}).context["plan"].concurrency.contacts == 10


def test_staffing_page_takes_handle_time_from_history(people, history, monkeypatch):
    from nordesk.tickets.models import TicketEvent

    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    TicketEvent.objects.filter(ticket=people.ticket).update(created_at=NOW - timedelta(days=1))
    people.ticket.__class__.objects.filter(pk=people.ticket.pk).update(channel="chat")
    for seconds in (300, 200, -100):
        TicketEvent.objects.create(
            ticket=people.ticket,
            kind="time_spent",
            actor_kind="agent",
            actor_user=people.kari.user,
            created_at=NOW - timedelta(hours=2),
            data={"seconds": seconds, "agent": people.kari.user_id, "source": "manual", "entry": 1},
        )
    page = _client(people.siri).get(URL, {"channel": "chat"})
    assert page.context["plan"].aht.seconds == 400  # one ticket, 300 + 200 − 100 seconds
    assert page.context["plan"].aht.source == "history"


def test_staffing_page_is_for_supervisors_and_admins(people):
    assert _client(people.kari).get(URL).status_code == 404
    assert _client(people.siri).get(URL).status_code == 200


def test_staffing_page_query_budget(people, history, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    client = _client(people.siri)
    with django_assert_max_num_queries(16):
        page = client.get(URL, {"channel": "chat"}).content.decode()
    assert '<time datetime="2026-04-13T09:00:00+02:00">09:00</time>' in page  # Oslo time


def test_hourly_job_computes_handle_time_so_the_page_does_not(
    people, history, monkeypatch, django_assert_max_num_queries
):
    from nordesk.analytics import tasks
    from nordesk.tickets.models import TicketEvent

    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    people.ticket.__class__.objects.filter(pk=people.ticket.pk).update(channel="chat")
    TicketEvent.objects.create(
        ticket=people.ticket,
        kind="time_spent",
        actor_kind="agent",
        actor_user=people.kari.user,
        created_at=NOW - timedelta(hours=2),
        data={"seconds": 90, "agent": people.kari.user_id, "source": "tracked", "entry": 1},
    )
    tasks.staffing_aht_refresh_job.call_local()
    # recorded after the job ran: the page shows it after the next run, not before
    TicketEvent.objects.create(
        ticket=people.ticket,
        kind="time_spent",
        actor_kind="agent",
        actor_user=people.kari.user,
        created_at=NOW - timedelta(hours=1),
        data={"seconds": 500, "agent": people.kari.user_id, "source": "tracked", "entry": 2},
    )
    client = _client(people.siri)
    with django_assert_max_num_queries(16):
        plan = client.get(URL, {"channel": "chat"}).context["plan"]
    assert (plan.aht.seconds, plan.aht.source) == (90, "history")
    tasks.staffing_aht_refresh_job.call_local()
    assert client.get(URL, {"channel": "chat"}).context["plan"].aht.seconds == 590
