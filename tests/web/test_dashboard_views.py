"""The live dashboard page: for supervisors and admins, in the navigation, and its figures as
a fragment the page polls."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nordesk.analytics.models import SpikeAlert
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

URL = reverse("web:dashboard")


def test_dashboard_for_a_supervisor(client, people):
    client.force_login(people.siri.user)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="nav-dashboard"' in page
    assert 'hx-trigger="every 15s"' in page
    assert '<tr id="channel-row-email">' in page


def test_dashboard_is_404_for_an_agent(kari_client, people):
    # like the supervisor view: the page's existence is no business of theirs
    assert kari_client.get(URL).status_code == 404
    page = kari_client.get(reverse("web:inbox")).content.decode()
    assert 'id="nav-dashboard"' not in page


def test_dashboard_fragment_shows_a_new_ticket(client, people, django_assert_max_num_queries):
    client.force_login(people.astrid.user)
    first = client.get(URL, HTTP_HX_REQUEST="true")
    assert first.context["figures"].total.unassigned == 1
    make_ticket(team=people.billing, channel="chat", kind="chat", address="ny@example.no")
    # the dashboard's six, the session, the user and the agent, the agent seen
    with django_assert_max_num_queries(10):
        response = client.get(URL, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith("<div")
    assert "<html" not in page
    assert response.context["figures"].total.unassigned == 2
    assert response.context["figures"].channels[2].channel == "chat"
    assert response.context["figures"].channels[2].open == 1


def test_dashboard_shows_an_open_spike(client, people):
    # given a wave of tickets about one word the spike job caught an hour ago
    now = timezone.now()
    SpikeAlert.objects.create(
        dimension="keyword",
        value="trukket",
        started_at=now - timedelta(hours=1),
        last_seen_at=now,
        tickets=42,
        peak_tickets=42,
        baseline=3,
        score=9.5,
    )
    client.force_login(people.siri.user)

    # when the supervisor's dashboard polls
    page = client.get(URL, HTTP_HX_REQUEST="true").content.decode()

    # then the spike is there, with its size against the usual
    assert "“trukket” in subjects" in page
    assert "42 tickets in an hour, usually 3" in page
