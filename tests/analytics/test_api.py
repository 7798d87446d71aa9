"""The KPI endpoints for BI tools."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from nordesk.analytics import services
from nordesk.tickets import services as ticket_services
from tests.factories import PASSWORD, token_client

pytestmark = pytest.mark.django_db


def _range() -> str:
    today = timezone.localdate(timezone.now(), timezone=services.reporting_zone())
    return f"start={today - timedelta(days=7)}&end={today}"


@pytest.fixture
def figures(people):
    ticket_services.ticket_reply(
        ticket=people.ticket, actor=people.kari.user, text="Fikset.", status="solved"
    )
    services.analytics_refresh()
    return people


def test_api_kpis_for_a_supervisor_token(figures):
    client = token_client(figures.siri, scopes=("analytics:read",))
    response = client.get(f"/api/v1/analytics/kpis?{_range()}")
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["solved"], body["fcr_rate"]) == (1, 1, 1.0)
    assert body["first_response"]["count"] == 1
    assert set(body["sla_compliance"]) == {"first_response", "next_response", "resolution"}


def test_api_kpis_by_team_and_by_day(figures):
    client = token_client(figures.astrid, scopes=("analytics:read",))
    by_team = client.get(f"/api/v1/analytics/kpis/by/team?{_range()}").json()
    assert [(row["group"]["label"], row["kpis"]["created"]) for row in by_team] == [("Billing", 1)]
    by_day = client.get(f"/api/v1/analytics/kpis/by/day?{_range()}&channel=email").json()
    assert len(by_day) == 8
    assert sum(row["kpis"]["solved"] for row in by_day) == 1


def test_api_matrix_and_backlog(figures):
    client = token_client(figures.siri, scopes=("analytics:read",))
    matrix = client.get(f"/api/v1/analytics/matrix?{_range()}").json()
    assert matrix["columns"] == [{"key": "email", "label": "Email"}]
    assert matrix["counts"] == [[1]]
    backlog = client.get(f"/api/v1/analytics/backlog?{_range()}").json()
    assert sum(row["tickets"] for row in backlog) == 0  # the one ticket is solved
    assert [row["key"] for row in backlog][:2] == ["under_1d", "1_3d"]


def test_api_kpis_refused_to_agents_and_tokens_without_the_scope(figures):
    agent = token_client(figures.kari, scopes=("analytics:read",))
    response = agent.get(f"/api/v1/analytics/kpis?{_range()}")
    assert response.status_code == 403
    assert response.json()["detail"] == "Reports are for supervisors and admins."
    no_scope = token_client(figures.siri, scopes=("tickets:read",))
    assert no_scope.get(f"/api/v1/analytics/kpis?{_range()}").status_code == 403


def test_api_kpis_for_a_supervisor_session_and_bad_ranges(figures):
    client = Client()
    assert client.login(username=figures.siri.user.username, password=PASSWORD)
    assert client.get(f"/api/v1/analytics/kpis?{_range()}").status_code == 200
    response = client.get("/api/v1/analytics/kpis?start=2026-02-01&end=2026-01-01")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "end", "message": "The end date is before the start date."}
    ]
    unknown = client.get("/api/v1/analytics/kpis/by/colour?start=2026-01-01&end=2026-01-02")
    assert unknown.status_code == 422
