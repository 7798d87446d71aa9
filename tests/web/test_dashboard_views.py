"""The live dashboard page: for supervisors and admins, in the navigation, and its figures as
a fragment the page polls."""

import pytest
from django.urls import reverse

from nordesk.web import dashboard_views
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


def test_dashboard_includes_the_spikes_partial_once_it_exists(client, people, monkeypatch):
    client.force_login(people.siri.user)
    assert not dashboard_views.spikes_shown()  # not on this branch alone
    monkeypatch.setattr(dashboard_views, "SPIKES_TEMPLATE", "web/partials/status_badge.html")
    monkeypatch.setattr(dashboard_views, "spikes_shown", lambda: True)
    response = client.get(URL, HTTP_HX_REQUEST="true")
    assert "web/partials/status_badge.html" in [t.name for t in response.templates]
    assert response.context["spikes"] == []  # no spike selector on this branch alone
