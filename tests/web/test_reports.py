"""The report pages: only for supervisors and admins, every KPI shown and linked to its
tickets, filters reaching the KPI selectors, exports of the same tables, a fixed query
budget per page, and the drill-down list paged by id."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nordesk.analytics import kpis, schedules
from nordesk.analytics.services import reporting_zone
from tests.analytics.fakes import FakeKpis, figures
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

REPORT_PAGES = ("overview", "dimension", "time", "agents", "matrix", "backlog")
# The session, the user, the agent, the header's unread notifications, the reporting zone's
# calendar, and the filter bar's teams, agents and organisations; the KPI selectors' own
# queries come on top.
PAGE_QUERIES = 8


@pytest.fixture
def fake(monkeypatch):
    return FakeKpis(monkeypatch)


@pytest.fixture
def siri_client(client, people):
    client.force_login(people.siri.user)
    client.get("/")  # `agent_seen` once, outside the counted requests
    return client


def _report(client, name, **query):
    return client.get(reverse("web:reports", args=[name]), query)


def test_reports_are_for_supervisors_and_admins(client, people, fake):
    client.force_login(people.kari.user)

    assert _report(client, "overview").status_code == 404
    assert client.get(reverse("web:report_export", args=["overview", "csv"])).status_code == 404
    assert client.get(reverse("web:report_schedules")).status_code == 404

    client.force_login(people.astrid.user)
    assert _report(client, "overview").status_code == 200


def test_nav_links_reports_for_supervisors_only(client, people, fake):
    client.force_login(people.siri.user)
    assert 'id="nav-reports"' in client.get("/").content.decode()

    client.force_login(people.kari.user)
    assert 'id="nav-reports"' not in client.get("/").content.decode()


def test_overview_shows_every_kpi_formatted_and_linked_to_its_tickets(siri_client, fake):
    page = _report(siri_client, "overview", start="2026-11-02", end="2026-11-08")

    html = page.content.decode()
    assert page.status_code == 200
    assert "First response, median" in html
    assert "30 min" in html  # 1800 seconds
    assert "81.2 %" in html  # CSAT good share
    assert 'href="/reports/tickets/?start=2026-11-02&amp;end=2026-11-08&amp;measure=created' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-volume"' in html
    assert ("kpis_for", kpis.Slice(start=date(2026, 11, 2), end=date(2026, 11, 8))) in fake.calls


def test_filters_reach_the_kpi_selectors(siri_client, people, fake):
    _report(
        siri_client,
        "dimension",
        start="2026-10-01",
        end="2026-10-31",
        by="agent",
        channel="email",
        team_id=people.billing.pk,
        priority="high",
        language="nb",
        category="billing",
    )

    (call,) = [c for c in fake.calls if c[0] == "kpis_by"]
    assert call == (
        "kpis_by",
        kpis.Slice(
            start=date(2026, 10, 1),
            end=date(2026, 10, 31),
            channel="email",
            team_id=people.billing.pk,
            priority="high",
            language="nb",
            category="billing",
        ),
        "agent",
    )


def test_filter_bar_keeps_the_chosen_organisation_and_escapes_names(siri_client, fake):
    from nordesk.customers import services as customer_services

    evil = customer_services.organisation_create(name='<b>"Evil" AS</b>')
    plain = customer_services.organisation_create(name="Fjord AS")

    html = _report(siri_client, "overview", organisation_id=plain.pk).content.decode()

    assert f'<option value="{plain.pk}" selected>Fjord AS</option>' in html
    assert f'<option value="{evil.pk}">&lt;b&gt;&quot;Evil&quot; AS&lt;/b&gt;</option>' in html
    assert '<select name="organisation_id" id="report-organisation_id">' in html
    assert fake.calls[0][1].organisation_id == plain.pk


def test_an_organisation_past_the_lists_end_is_found_and_chosen(siri_client, fake, monkeypatch):
    from nordesk.customers import services as customer_services
    from nordesk.web import report_forms

    monkeypatch.setattr(report_forms, "ORGANISATION_CHOICES", 2)
    for name in ("Aker AS", "Berg AS", "Fjord AS"):
        customer_services.organisation_create(name=name)
    evil = customer_services.organisation_create(name='Zeta <b>"Evil"</b>')
    shown = _report(siri_client, "overview").content.decode()
    search = reverse("web:reports_organisations")

    # when: Siri searches for the last one and chooses it
    found = siri_client.get(search, {"q": "zeta"}).content.decode()
    chosen = _report(siri_client, "overview", organisation_id=evil.pk).content.decode()

    # then: the list held the first two; the search said there were more
    assert "Aker AS" in shown
    assert "Fjord AS" not in shown
    assert f'hx-get="{search}"' in shown
    assert 'form="report-organisation_id-search-none"' in shown
    assert found == (
        '<option value="">Any organisation</option>'
        f'<option value="{evil.pk}">Zeta &lt;b&gt;&quot;Evil&quot;&lt;/b&gt;</option>'
    )
    assert f'<option value="{evil.pk}" selected>' in chosen
    assert fake.calls[-1][1].organisation_id == evil.pk
    # and an id no organisation has, however long, is refused, not looked up
    for wrong in ("99999999", "9" * 30):
        refused = _report(siri_client, "overview", organisation_id=wrong)
        assert "Select a valid choice" in refused.content.decode()


def test_the_organisation_search_is_for_supervisors(client, people):
    client.force_login(people.kari.user)

    response = client.get(reverse("web:reports_organisations"), {"q": "a"})

    assert response.status_code == 404


def test_empty_dates_are_the_last_30_days(siri_client, fake):
    _report(siri_client, "overview")

    cut = fake.calls[0][1]
    assert (cut.end - cut.start).days == 29
    assert cut.end == timezone.now().astimezone(reporting_zone()).date()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-11-08", "end": "2026-11-01"}, "The first day comes after the last."),
        ({"start": "2025-01-01", "end": "2026-11-01"}, "Choose at most 366 days for this report."),
        ({"by": "hour", "start": "2026-09-01", "end": "2026-11-01"}, "at most 31 days"),
        ({"by": "colour"}, "Select a valid choice."),
    ],
)
def test_refused_filters_say_why_and_compute_nothing(siri_client, fake, query, message):
    page = _report(siri_client, "time", **query)

    assert message in page.content.decode()
    assert fake.calls == []


def test_unknown_report_is_404(siri_client, fake):
    assert _report(siri_client, "gossip").status_code == 404


@pytest.mark.parametrize("report", REPORT_PAGES)
def test_every_report_page_has_a_fixed_query_budget(siri_client, fake, people, report):
    for i in range(5):
        make_ticket(team=people.billing, address=f"budget{i}@example.no")

    with CaptureQueriesContext(connection) as queries:
        page = _report(siri_client, report)

    assert page.status_code == 200
    assert len(queries) <= PAGE_QUERIES, [q["sql"] for q in queries]
    assert "<table" in page.content.decode()


def test_dimension_page_draws_bars_and_links_each_group(siri_client, fake):
    html = _report(siri_client, "dimension", by="team").content.decode()

    assert 'id="chart-volume"' in html
    assert "Technical support" in html
    assert "measure=solved&amp;by=team&amp;key=2" in html


def test_time_page_hour_by_hour_charts_tickets_created(siri_client, fake):
    fake.groups["hour"] = [
        (kpis.Group(f"2026-11-02 {h:02d}:00", f"2026-11-02 {h:02d}:00"), fake.overall)
        for h in range(24)
    ]

    html = _report(siri_client, "time", by="hour", start="2026-11-02", end="2026-11-02")

    page = html.content.decode()
    assert "Tickets created</title>" in page
    assert 'id="chart-times"' not in page


@pytest.mark.parametrize(
    ("seconds", "tick"),
    [(1.0, ">1 s</text>"), (1800.0, ">30 min</text>"), (90000.0, ">25 h</text>")],
)
def test_durations_are_charted_in_a_unit_that_reads(siri_client, fake, seconds, tick):
    times = kpis.Durations(
        count=1, median=seconds, p90=seconds, business_median=None, business_p90=None
    )
    fake.groups["day"] = [
        (kpis.Group("2026-11-02", "2026-11-02"), figures(first_response=times, resolution=times))
    ]

    html = _report(siri_client, "time", start="2026-11-02", end="2026-11-02").content.decode()

    chart = html[
        html.index('id="chart-times"') : html.index("</svg>", html.index('id="chart-times"'))
    ]
    assert tick in chart


def test_grouped_by_shows_the_default_the_report_used(siri_client, fake):
    html = _report(siri_client, "dimension").content.decode()

    assert '<option value="team" selected>Team</option>' in html


def test_matrix_cells_link_to_their_channel(siri_client, fake):
    html = _report(siri_client, "matrix").content.decode()

    assert "channel=chat&amp;measure=created&amp;by=category&amp;key=billing" in html


def test_csv_export_streams_the_same_table(siri_client, fake):
    response = siri_client.get(
        reverse("web:report_export", args=["dimension", "csv"]),
        {"start": "2026-11-02", "end": "2026-11-08", "by": "team"},
    )

    assert response.streaming
    assert response["Content-Disposition"] == (
        'attachment; filename="dimension-team-2026-11-02-2026-11-08.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Team", "Created", "Solved"]
    assert rows[1][:3] == ["Billing", "7", "5"]


def test_csv_export_is_in_the_language_of_the_request(siri_client, fake):
    siri_client.cookies["django_language"] = "nb"

    response = siri_client.get(reverse("web:report_export", args=["agents", "csv"]))

    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert response["Content-Language"] == "nb"
    assert header.startswith("Agent,")


def test_xlsx_export(siri_client, fake):
    response = siri_client.get(reverse("web:report_export", args=["backlog", "xlsx"]))

    data = b"".join(response.streaming_content)
    assert response["Content-Type"] == schedules.XLSX_TYPE
    assert data[:2] == b"PK"
    assert 'filename="backlog-' in response["Content-Disposition"]


def test_export_of_an_unknown_kind_is_404(siri_client, fake):
    assert siri_client.get("/reports/overview/export.pdf").status_code == 404


def test_drill_down_lists_the_tickets_behind_a_figure_page_by_page(siri_client, fake, people):
    tickets = [people.ticket] + [
        make_ticket(team=people.billing, address=f"drill{i}@example.no") for i in range(4)
    ]
    fake.ids = [t.pk for t in tickets]
    url = reverse("web:reports_tickets")
    query = {
        "start": "2026-11-02",
        "end": "2026-11-08",
        "measure": "solved",
        "by": "team",
        "key": "1",
    }

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("nordesk.web.report_views.DRILL_PAGE", 3)
        with CaptureQueriesContext(connection) as queries:
            first = siri_client.get(url, query)
        second = siri_client.get(url, {**query, "after": tickets[2].pk})

    html = first.content.decode()
    assert '<h1 id="drill-title">Solved · Team: Billing</h1>' in html
    assert f'id="ticket-row-{tickets[0].pk}"' in html
    assert f'id="ticket-row-{tickets[3].pk}"' not in html
    assert f"after={tickets[2].pk}" in html
    # the session, user, agent, notifications badge, reporting zone, tickets and their tags
    # (the fake selectors ask nothing)
    assert len(queries) <= 7
    behind = [c for c in fake.calls if c[0] == "behind"]
    assert behind[0][2:] == ("solved", ("team", "1"), None, 4)
    assert behind[1][4] == tickets[2].pk
    html = second.content.decode()
    assert f'id="ticket-row-{tickets[3].pk}"' in html
    assert f'id="ticket-row-{tickets[0].pk}"' not in html
    assert 'id="next-page"' not in html


def test_drill_down_refuses_unknown_measures(siri_client, fake):
    url = reverse("web:reports_tickets")

    assert siri_client.get(url, {"measure": "gossip"}).status_code == 404
    assert siri_client.get(url, {"measure": "created", "by": "colour"}).status_code == 404


# --- scheduled reports' pages ---------------------------------------------------------------


def test_supervisor_schedules_edits_and_deletes_a_report(siri_client, people, fake):
    # when
    response = siri_client.post(
        reverse("web:report_schedule_create"),
        {
            "name": "Weekly by agent",
            "report": "dimension",
            "by": "agent",
            "frequency": "weekly",
            "team_id": people.billing.pk,
            "recipients": [people.kari.user_id],
            "extra_addresses": "boss@example.no\n\n",
        },
    )

    # then
    assert response.status_code == 302
    schedule = schedules.schedule_list().get()
    assert schedule.filters == {"team_id": people.billing.pk}
    assert schedule.extra_addresses == ["boss@example.no"]
    listing = siri_client.get(reverse("web:report_schedules")).content.decode()
    assert "Weekly by agent" in listing
    assert "Kari Nordmann, boss@example.no" in listing

    edit = reverse("web:report_schedule_edit", args=[schedule.pk])
    form = siri_client.get(edit).content.decode()
    assert "boss@example.no" in form
    siri_client.post(
        edit,
        {
            "name": "Monthly",
            "report": "overview",
            "frequency": "monthly",
            "extra_addresses": "boss@example.no",
        },
    )
    schedule.refresh_from_db()
    assert (schedule.name, schedule.frequency, schedule.filters) == ("Monthly", "monthly", {})

    siri_client.post(reverse("web:report_schedule_delete", args=[schedule.pk]))
    assert not schedules.schedule_list().exists()


def test_a_schedule_keeps_an_organisation_past_the_lists_end(siri_client, people, monkeypatch):
    from nordesk.customers import services as customer_services
    from nordesk.web import report_forms

    monkeypatch.setattr(report_forms, "ORGANISATION_CHOICES", 1)
    customer_services.organisation_create(name="Aker AS")
    last = customer_services.organisation_create(name="Zeta AS")
    siri_client.post(
        reverse("web:report_schedule_create"),
        {
            "name": "Zeta monthly",
            "report": "overview",
            "frequency": "monthly",
            "organisation_id": last.pk,
            "recipients": [people.kari.user_id],
        },
    )

    schedule = schedules.schedule_list().get()
    form = siri_client.get(reverse("web:report_schedule_edit", args=[schedule.pk]))

    assert schedule.filters == {"organisation_id": last.pk}
    assert f'<option value="{last.pk}" selected>Zeta AS</option>' in form.content.decode()


def test_schedule_form_shows_the_services_refusal_by_its_field(siri_client, people):
    response = siri_client.post(
        reverse("web:report_schedule_create"),
        {"name": "Nobody", "report": "overview", "frequency": "weekly"},
    )

    assert response.status_code == 200
    assert "Choose at least one agent or add an address." in response.content.decode()
    assert not schedules.schedule_list().exists()


def test_schedule_list_shows_a_failure(siri_client, people):
    schedule = schedules.schedule_create(
        values=schedules.ScheduleValues(
            name="Broken", report="overview", frequency="weekly", extra_addresses=("a@b.no",)
        ),
        actor=people.siri.user,
    )
    type(schedule).objects.filter(pk=schedule.pk).update(last_error="SMTP server down")

    html = siri_client.get(reverse("web:report_schedules")).content.decode()

    assert "Failed: SMTP server down" in html
