"""The supervisor view: team queues and agents' work, exact figures for a known floor, a fixed
query budget however many teams and agents, and only for supervisors and admins."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nordesk.accounts import services as account_services
from nordesk.tickets.models import Ticket
from tests.factories import make_agent, make_team, make_ticket

pytestmark = pytest.mark.django_db

URL = "/supervisor/"


def _set(ticket, **fields):
    Ticket.objects.filter(pk=ticket.pk).update(**fields)


@pytest.fixture
def floor(people):
    """Billing: Sofie's ticket (new, unassigned, queued 2 h ago), one queued 30 min ago, one
    pending and unassigned with a breached SLA, Kari's open ticket due in 30 min and her
    pending one due in 3 h. Technical support: one new ticket queued 10 min ago. One ticket
    no team holds. Kari online, Ole away."""
    now = timezone.now()
    _set(people.ticket, queued_at=now - timedelta(hours=2))
    queued = make_ticket(team=people.billing, address="a@example.no")
    _set(queued, queued_at=now - timedelta(minutes=30))
    breached = make_ticket(team=people.billing, address="b@example.no")
    _set(breached, status="pending", sla_due_at=now - timedelta(minutes=10))
    karis = make_ticket(team=people.billing, address="c@example.no")
    _set(karis, status="open", assignee=people.kari.user, sla_due_at=now + timedelta(minutes=30))
    karis_pending = make_ticket(team=people.billing, address="d@example.no")
    _set(
        karis_pending,
        status="pending",
        assignee=people.kari.user,
        sla_due_at=now + timedelta(hours=3),
    )
    technical = make_ticket(team=people.technical, address="e@example.no")
    _set(technical, queued_at=now - timedelta(minutes=10))
    solved = make_ticket(team=people.technical, address="f@example.no")
    _set(solved, status="solved", sla_due_at=now - timedelta(hours=1))
    make_ticket(address="g@example.no")  # no team yet
    account_services.agent_set_presence(agent=people.kari, presence="online")
    account_services.agent_set_presence(agent=people.ole, presence="away")
    return people


def _figures(page: str, row_id: str) -> str:
    start = page.index(f'id="{row_id}"')
    return page[start : page.index("</tr>", start)]


def _cell(row: str, figure: str) -> str:
    start = row.index(f'data-figure="{figure}">') + len(f'data-figure="{figure}">')
    return row[start : row.index("</td>", start)]


def test_supervisor_sees_each_teams_queue(client, floor):
    client.force_login(floor.siri.user)

    response = client.get(URL)

    assert response.status_code == 200
    rows = {row.team.name if row.team else None: row for row in response.context["team_rows"]}
    billing = rows["Billing"]
    assert billing.figures.waiting == 2  # Sofie's and the one queued 30 min ago
    oldest = timezone.now() - billing.figures.oldest_waiting_since
    assert timedelta(hours=2) <= oldest < timedelta(hours=2, minutes=1)
    assert billing.figures.sla_at_risk == 2  # the breached one and Kari's due in 30 min
    assert billing.online == 1
    technical = rows["Technical support"]
    assert (technical.figures.waiting, technical.figures.sla_at_risk, technical.online) == (1, 0, 0)
    assert rows[None].figures.waiting == 1
    page = response.content.decode()
    billing_row = _figures(page, f"team-row-{floor.billing.pk}")
    assert _cell(billing_row, "waiting") == "2"
    assert "2\xa0hours" in _cell(billing_row, "oldest")
    assert _cell(billing_row, "sla_at_risk") == "2"


def test_supervisor_sees_each_agents_presence_and_work(client, floor):
    client.force_login(floor.astrid.user)

    page = client.get(URL).content.decode()

    kari = _figures(page, f"agent-row-{floor.kari.user_id}")
    assert "Online" in _cell(kari, "presence")
    assert _cell(kari, "unsolved") == "2"
    assert _cell(kari, "capacity") == "1 / 20"  # the pending one does not count
    ole = _figures(page, f"agent-row-{floor.ole.user_id}")
    assert "Away" in _cell(ole, "presence")
    assert _cell(ole, "unsolved") == "0"
    assert "1 online, 1 away, 3 offline" in page


def test_supervisor_tables_poll_every_30_seconds_as_a_fragment(client, floor):
    client.force_login(floor.siri.user)

    page = client.get(URL).content.decode()
    fragment = client.get(URL, headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 30s"' in page
    assert fragment.lstrip().startswith('<div id="supervisor-tables"')
    assert "<html" not in fragment


def test_supervisor_view_costs_the_same_queries_for_more_teams_and_agents(
    client, floor, django_assert_num_queries
):
    client.force_login(floor.siri.user)
    client.get(URL)  # the once-a-minute "seen" write
    with CaptureQueriesContext(connection) as small:
        client.get(URL)

    for n in range(5):
        team = make_team(f"Team {n}")
        make_agent(f"Agent {n}", teams=(team,))
        make_ticket(team=team, address=f"k{n}@example.no")
    # session, user, agent, unread count; teams, queue figures, agents, their teams, their work,
    # their satisfaction answers
    with django_assert_num_queries(10):
        response = client.get(URL)

    assert len(small) == 10
    assert len(response.context["team_rows"]) == 2 + 5 + 1


@pytest.mark.parametrize("persona", ["kari", "lars"])
def test_supervisor_view_is_404_for_agents(client, people, persona):
    client.force_login(getattr(people, persona).user)

    response = client.get(URL)

    assert response.status_code == 404


def test_supervisor_link_only_for_supervisors_and_admins(client, people):
    client.force_login(people.kari.user)
    kari_page = client.get(reverse("web:inbox")).content.decode()
    client.force_login(people.siri.user)
    siri_page = client.get(reverse("web:inbox")).content.decode()

    assert f'href="{URL}"' not in kari_page
    assert f'href="{URL}"' in siri_page
    assert 'href="/customers/"' in kari_page
    assert 'href="/organisations/"' in kari_page
