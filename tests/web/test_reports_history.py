"""The report pages on real history: tickets made and answered through the services, the
analytics job run, and then the pages, exports and scheduled mails show the KPI selectors' own
figures, each page within its query budget, and a figure's link lists the very tickets it
counts."""

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nordesk.analytics import kpis, reports, schedules, services
from nordesk.analytics.kpis import Slice
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

REPORT_PAGES = ("overview", "dimension", "time", "agents", "matrix", "backlog")
# The page's own 8 (see test_reports.py) and the KPI selectors' (measured: 1 to 4, the most
# for a year, which reads monthly and daily rollups).
KPI_QUERIES = 4


@pytest.fixture
def history(people):
    """Kari answers and solves Sofie's ticket; a chat ticket for Technical support stays open;
    a third billing ticket waits."""
    ticket_services.ticket_assign(
        ticket=people.ticket, assignee_id=people.kari.user_id, actor=people.kari.user
    )
    ticket_services.ticket_reply(
        ticket=people.ticket, actor=people.kari.user, text="Fikset.", status="solved"
    )
    make_ticket(team=people.technical, address="per@example.no", subject="Ruter", channel="chat")
    make_ticket(team=people.billing, address="eva@example.no", subject="Faktura")
    services.analytics_refresh()
    return people


@pytest.fixture
def siri_client(client, people):
    client.force_login(people.siri.user)
    client.get("/")
    return client


def _this_week() -> Slice:
    today = timezone.now().astimezone(services.reporting_zone()).date()
    return Slice(start=today - timedelta(days=6), end=today)


def _query(cut: Slice, **extra) -> dict:
    return {"start": cut.start.isoformat(), "end": cut.end.isoformat(), **extra}


def _link_of(html: str, row_heading: str) -> str:
    row = re.search(
        rf"<th scope=\"row\">{re.escape(row_heading)}</th>\s*<td[^>]*><a href=\"([^\"]+)\"", html
    )
    assert row, row_heading
    return unescape(row.group(1))


def test_overview_shows_the_selectors_figures_and_links_them(siri_client, history):
    cut = _this_week()
    figures = kpis.kpis_for(cut)

    html = siri_client.get(reverse("web:reports", args=["overview"]), _query(cut)).content.decode()

    assert (figures.created, figures.solved) == (3, 1)
    assert re.search(r'<th scope="row">Created</th>\s*<td class="num"><a [^>]+>3</a>', html)
    assert re.search(r'<th scope="row">Solved</th>\s*<td class="num"><a [^>]+>1</a>', html)
    assert reports.format_value("share", figures.fcr_rate) in html


def test_a_figures_link_lists_the_tickets_it_counts(siri_client, history):
    cut = _this_week()
    html = siri_client.get(reverse("web:reports", args=["overview"]), _query(cut)).content.decode()

    solved = siri_client.get(_link_of(html, "Solved")).content.decode()
    created = siri_client.get(_link_of(html, "Created")).content.decode()

    assert f'id="ticket-row-{history.ticket.pk}"' in solved
    assert solved.count('id="ticket-row-') == 1
    assert created.count('id="ticket-row-') == 3


def test_by_team_rows_link_to_the_teams_tickets(siri_client, history):
    cut = _this_week()
    html = siri_client.get(
        reverse("web:reports", args=["dimension"]), _query(cut, by="team")
    ).content.decode()

    with CaptureQueriesContext(connection) as queries:
        technical = siri_client.get(_link_of(html, "Technical support")).content.decode()

    # the session, user, agent, notifications badge, reporting zone, the team's name, the
    # ids behind the figure, the tickets and their tags
    assert len(queries) <= 9
    assert '<h1 id="drill-title">Created · Team: Technical support</h1>' in technical

    assert technical.count('id="ticket-row-') == 1
    assert "Ruter" in technical


def test_backlog_buckets_and_hours_link_to_their_tickets(siri_client, history):
    cut = _this_week()
    backlog = siri_client.get(
        reverse("web:reports", args=["backlog"]), _query(cut)
    ).content.decode()
    hourly = siri_client.get(
        reverse("web:reports", args=["time"]), _query(cut, by="hour")
    ).content.decode()
    chat = Ticket.objects.get(subject="Ruter")
    hour = timezone.localtime(chat.created_at, services.reporting_zone()).strftime("%Y-%m-%d %H:00")

    young = siri_client.get(_link_of(backlog, "Under 1 day")).content.decode()
    created_that_hour = siri_client.get(_link_of(hourly, hour)).content.decode()

    assert '<h1 id="drill-title">Unsolved now · Under 1 day</h1>' in young
    assert f'id="ticket-row-{chat.pk}"' in young
    assert f'id="ticket-row-{history.ticket.pk}"' not in young  # solved
    assert f'id="ticket-row-{chat.pk}"' in created_that_hour


@pytest.mark.parametrize("key", ["forever", "1_3", ""])
def test_a_drill_down_of_a_bucket_or_hour_that_is_none_is_404(siri_client, history, key):
    url = reverse("web:reports_tickets")
    assert siri_client.get(url, {"measure": "backlog", "by": "age", "key": key}).status_code == 404
    assert siri_client.get(url, {"measure": "created", "by": "hour", "key": key}).status_code == 404
    assert siri_client.get(url, {"measure": "backlog"}).status_code == 200


@pytest.mark.parametrize("days", [7, 365])
@pytest.mark.parametrize("report", REPORT_PAGES)
def test_every_report_page_within_its_query_budget_on_real_history(
    siri_client, history, report, days
):
    for i in range(10):
        make_ticket(team=history.billing, address=f"more{i}@example.no")
    services.analytics_refresh()
    today = timezone.now().astimezone(services.reporting_zone()).date()
    cut = Slice(start=today - timedelta(days=days - 1), end=today)

    with CaptureQueriesContext(connection) as queries:
        page = siri_client.get(reverse("web:reports", args=[report]), _query(cut))

    assert page.status_code == 200
    assert len(queries) <= 8 + KPI_QUERIES, [q["sql"][:120] for q in queries]


def test_csv_export_has_the_selectors_figures(siri_client, history):
    cut = _this_week()
    response = siri_client.get(
        reverse("web:report_export", args=["dimension", "csv"]), _query(cut, by="channel")
    )

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    created = {row[0]: row[1] for row in rows[1:]}
    expected = {
        group.label: str(figures.created) for group, figures in kpis.kpis_by(cut, "channel")
    }
    assert created == expected
    assert sum(int(n) for n in created.values()) == 3


def test_scheduled_report_mails_the_week_just_ended(history):
    now = timezone.now()
    schedule = schedules.schedule_create(
        values=schedules.ScheduleValues(
            name="Weekly",
            report="overview",
            frequency="weekly",
            recipient_ids=(history.kari.user_id,),
        ),
        actor=history.siri.user,
        now=now,
    )
    next_monday = now + timedelta(days=7 - now.astimezone(services.reporting_zone()).weekday())

    assert schedules.schedules_send_due(now=next_monday) == 1
    assert schedules.schedules_send_due(now=next_monday + timedelta(hours=1)) == 0

    (message,) = mail.outbox
    assert message.to == ["kari@nordesk.test"]
    name, data, _type = message.attachments[0]
    assert name.startswith("Weekly-")
    assert data[:2] == b"PK"
    schedule.refresh_from_db()
    assert schedule.sent_at == next_monday
