"""Erlang C against published worked examples, the CLI and the API endpoint.

Sources (numbers as published, compared at the precision they were printed with):
- Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example"
  (callcentrehelper.com): 100 calls in 30 minutes, AHT 180 s, 80 % within 20 s, shrinkage 30 %.
  Traffic 10 Erlangs; with 11 agents the probability a call waits is 68.21 %, the service
  level 39.0 %, the average speed of answer 122.8 s and the occupancy 90.9 %; 14 agents are
  the fewest reaching 80 % (88.8 %), 20 agents to schedule after 30 % shrinkage.
- Westbay Engineers, "The Erlang-C Formula" (erlang.com): 360 calls per half hour, 4 minutes
  each, 55 agents, target 15 s. Traffic 48 Erlangs, occupancy 87.3 %, probability of waiting
  23.9 %, average speed of answer 8.2 s, service level 84.6 %.
"""

import json
import math

import pytest

from nordesk import cli
from nordesk.analytics import erlang
from tests.factories import token_client

CCH = {"calls": 100, "interval_minutes": 30, "aht_seconds": 180, "target_seconds": 20}


def test_traffic_of_the_call_centre_helper_example_is_ten_erlangs():
    assert erlang.traffic_erlangs(calls=100, interval_seconds=1800, aht_seconds=180) == 10


def test_call_centre_helper_example_with_eleven_agents():
    assert erlang.probability_waiting(11, 10) == pytest.approx(0.6821, abs=5e-5)
    assert erlang.service_level(11, 10, aht_seconds=180, target_seconds=20) == pytest.approx(
        0.390, abs=5e-4
    )
    assert erlang.asa_seconds(11, 10, aht_seconds=180) == pytest.approx(122.8, abs=0.05)
    assert erlang.occupancy(11, 10) == pytest.approx(0.909, abs=5e-4)


def test_call_centre_helper_example_needs_fourteen_agents_and_twenty_scheduled():
    result = erlang.staffing(**CCH, service_level_target=0.8, shrinkage=0.3)
    assert (result.agents, result.agents_scheduled) == (14, 20)
    assert result.service_level == pytest.approx(0.888, abs=5e-4)
    # 13 agents fall just short of 80 %: the requirement is the fewest that reach it.
    assert erlang.service_level(13, 10, aht_seconds=180, target_seconds=20) < 0.8


def test_westbay_example_with_fifty_five_agents():
    traffic = erlang.traffic_erlangs(calls=360, interval_seconds=1800, aht_seconds=240)
    assert traffic == 48
    assert erlang.occupancy(55, traffic) == pytest.approx(0.873, abs=5e-4)
    assert erlang.probability_waiting(55, traffic) == pytest.approx(0.239, abs=5e-4)
    assert erlang.asa_seconds(55, traffic, aht_seconds=240) == pytest.approx(8.2, abs=0.05)
    assert erlang.service_level(55, traffic, aht_seconds=240, target_seconds=15) == (
        pytest.approx(0.846, abs=5e-4)
    )


def test_erlang_c_equals_the_textbook_factorial_formula():
    for agents, traffic in [(1, 0.5), (3, 2.0), (11, 10.0), (30, 25.5)]:
        x = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
        y = sum(traffic**k / math.factorial(k) for k in range(agents))
        assert erlang.probability_waiting(agents, traffic) == pytest.approx(x / (y + x))


def test_overloaded_interval_waits_forever_and_is_never_within_target():
    assert erlang.probability_waiting(10, 10) == 1
    assert erlang.service_level(9, 10, aht_seconds=180, target_seconds=20) == 0
    assert erlang.asa_seconds(10, 10, aht_seconds=180) == math.inf
    assert erlang.occupancy(9, 10) == 1


def test_no_contacts_need_no_agents():
    result = erlang.staffing(**{**CCH, "calls": 0}, service_level_target=0.8, shrinkage=0.3)
    assert (result.agents, result.agents_scheduled, result.service_level) == (0, 0, 1.0)


def test_large_traffic_is_stable_and_needs_more_than_its_erlangs():
    # 5,000 Erlangs: factorials would overflow; the recursion does not.
    agents = erlang.agents_required(
        5000, aht_seconds=300, target_seconds=20, service_level_target=0.8
    )
    assert 5000 < agents < 5100


def test_email_target_in_hours_needs_barely_more_than_the_workload():
    # 30 emails an hour at 10 minutes each is 5 Erlangs; answering 80 % within 4 hours
    # needs only the sixth agent that keeps the queue finite.
    result = erlang.staffing(
        calls=30,
        interval_minutes=60,
        aht_seconds=600,
        target_seconds=4 * 3600,
        service_level_target=0.8,
    )
    assert result.agents == 6


def test_maximum_occupancy_adds_agents():
    result = erlang.staffing(**CCH, service_level_target=0.8, max_occupancy=0.65)
    assert result.agents == 16  # 10 / 0.65 = 15.4
    assert result.occupancy <= 0.65


def test_agents_holding_two_chats_at_once_are_as_many_as_for_half_the_handle_time():
    # 100 chats in half an hour of 6 minutes each, an agent holding two at once: each takes
    # 3 minutes of an agent, the Call Centre Helper example
    chats = {**CCH, "aht_seconds": 360}
    result = erlang.staffing(**chats, service_level_target=0.8, shrinkage=0.3, concurrency=2)
    assert (result.agents, result.agents_scheduled) == (14, 20)
    assert result.traffic_erlangs == 10
    assert result.asa_seconds == pytest.approx(7.84, abs=0.01)
    assert (result.aht_seconds, result.concurrency) == (360, 2)
    # one at a time, the same chats need twice the agents and then some
    assert erlang.staffing(**chats, service_level_target=0.8).agents == 25


def test_fewer_than_one_contact_at_a_time_is_refused():
    with pytest.raises(ValueError, match="at least one contact at a time"):
        erlang.staffing(**CCH, service_level_target=0.8, concurrency=0)


@pytest.mark.parametrize(
    ("keyword", "value"),
    [("service_level_target", 1.0), ("service_level_target", 0), ("shrinkage", 1.0)],
)
def test_impossible_shares_are_refused(keyword, value):
    arguments = {**CCH, "service_level_target": 0.8, "shrinkage": 0.0, keyword: value}
    with pytest.raises(ValueError, match="share between 0 and 1"):
        erlang.staffing(**arguments)


def test_cli_staffing_prints_one_line_of_json(capsys):
    code = cli.main(
        [
            "staffing",
            "--calls",
            "100",
            "--interval-minutes",
            "30",
            "--aht-seconds",
            "180",
            "--target-seconds",
            "20",
            "--service-level",
            "0.8",
            "--shrinkage",
            "0.3",
            "--json",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("\n") == 1
    result = json.loads(out)
    assert (result["agents"], result["agents_scheduled"]) == (14, 20)
    assert result["traffic_erlangs"] == 10
    assert result["asa_seconds"] == pytest.approx(7.84, abs=0.01)


def test_cli_staffing_for_people(capsys):
    code = cli.main(
        [
            "staffing",
            "--calls",
            "100",
            "--interval-minutes",
            "30",
            "--aht-seconds",
            "180",
            "--target-seconds",
            "20",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Agents required:         14\n" in out
    assert "Service level:           88.8% answered within 20 s (target 80%)\n" in out
    assert "Average speed of answer: 7.8 s\n" in out
    assert "Contacts at once" not in out  # one at a time goes without saying


def test_cli_staffing_for_chats_held_two_at_once(capsys):
    arguments = ["staffing", "--calls", "100", "--interval-minutes", "30", "--aht-seconds"]
    code = cli.main([*arguments, "360", "--target-seconds", "20", "--concurrency", "2", "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["agents"], result["concurrency"]) == (14, 2)
    code = cli.main([*arguments, "360", "--target-seconds", "20", "--concurrency", "2"])
    out = capsys.readouterr().out
    assert "Agents required:         14\nContacts at once:        2 per agent\n" in out


def test_cli_staffing_rejects_a_service_level_in_percent(capsys):
    code = cli.main(
        [
            "staffing",
            "--calls",
            "100",
            "--aht-seconds",
            "180",
            "--target-seconds",
            "20",
            "--service-level",
            "80",
        ]
    )
    assert code == 2
    assert "service level must be a share between 0 and 1" in capsys.readouterr().err


API = "/api/v1/analytics/wfm/staffing"


@pytest.mark.django_db
def test_api_staffing_for_a_supervisor(people):
    client = token_client(people.siri, scopes=("analytics:read",))
    response = client.get(
        f"{API}?calls=100&interval_minutes=30&aht_seconds=180&target_seconds=20&shrinkage=0.3"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["agents"], body["agents_scheduled"]) == (14, 20)
    assert body["service_level"] == pytest.approx(0.888, abs=5e-4)


@pytest.mark.django_db
def test_api_staffing_refuses_agents_and_bad_shares(people):
    agent = token_client(people.kari, scopes=("analytics:read",))
    assert agent.get(f"{API}?calls=1&aht_seconds=1&target_seconds=1").status_code == 403
    wrong_scope = token_client(people.siri, scopes=("tickets:read",))
    assert wrong_scope.get(f"{API}?calls=1&aht_seconds=1&target_seconds=1").status_code == 403
    supervisor = token_client(people.siri, scopes=("analytics:read",))
    response = supervisor.get(f"{API}?calls=1&aht_seconds=1&target_seconds=1&service_level=80")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.service_level"
    response = supervisor.get(f"{API}?calls=1&aht_seconds=1&target_seconds=1&concurrency=0")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.concurrency"


@pytest.mark.django_db
def test_api_staffing_for_chats_held_two_at_once(people):
    client = token_client(people.siri, scopes=("analytics:read",))
    query = "calls=100&interval_minutes=30&aht_seconds=360&target_seconds=20&concurrency=2"
    body = client.get(f"{API}?{query}").json()
    assert (body["agents"], body["concurrency"], body["aht_seconds"]) == (14, 2, 360)


@pytest.mark.django_db
def test_api_forecast_gives_each_hour_its_agents(people, monkeypatch):
    from datetime import UTC, date, datetime

    from nordesk.analytics.models import ArrivalHour

    from .seasonal import generate

    now = datetime(2026, 4, 13, 8, 30, tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    ArrivalHour.objects.bulk_create(
        ArrivalHour(hour=hour, channel="phone", category="", tickets=n)
        for hour, n in generate(date(2026, 3, 2), date(2026, 4, 13)).items()
        if hour < now
    )
    client = token_client(people.siri, scopes=("analytics:read",))
    body = client.get(
        f"{API.replace('staffing', 'forecast')}?channel=phone&day=2026-04-14"
        "&aht_seconds=300&shrinkage=0.3"
    ).json()
    assert body["day"] == "2026-04-14"
    assert (body["aht_seconds"], body["aht_source"], body["target_seconds"]) == (300, "setting", 20)
    assert (body["concurrency"], body["concurrency_source"]) == (1, "default")  # one call at a time
    assert len(body["hours"]) == 24
    assert all(row["actual"] is None for row in body["hours"])  # tomorrow has not begun
    busiest = max(body["hours"], key=lambda row: row["expected"])
    expected = erlang.staffing(
        calls=busiest["expected"],
        interval_minutes=60,
        aht_seconds=300,
        target_seconds=20,
        service_level_target=0.8,
        shrinkage=0.3,
    )
    assert (busiest["agents"], busiest["agents_scheduled"]) == (
        expected.agents,
        expected.agents_scheduled,
    )
    assert busiest["service_level"] >= 0.8
    assert body["backtest_mape"] < body["backtest_naive_mape"]


@pytest.mark.django_db
def test_api_forecast_plans_chats_at_once_from_the_agents_chat_capacity(people):
    from nordesk.accounts import services as account_services

    for agent, chats in ((people.kari, 2), (people.ole, 4)):
        account_services.agent_set_capacity(agent=agent, channel_capacity={"chat": chats})
    client = token_client(people.siri, scopes=("analytics:read",))
    forecast = API.replace("staffing", "forecast")
    body = client.get(f"{forecast}?channel=chat").json()
    assert (body["concurrency"], body["concurrency_source"]) == (2, "agents")  # the lower median
    body = client.get(f"{forecast}?channel=chat&concurrency=3").json()
    assert (body["concurrency"], body["concurrency_source"]) == (3, "setting")
    refused = client.get(f"{forecast}?channel=chat&concurrency=0")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "query.concurrency"
