"""The report tables: every KPI of the selectors in its row or column, the tickets behind
each figure named, values read in the active language."""

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from nordesk.analytics import kpis, reports
from nordesk.analytics.reports import Drill, ReportRequest
from tests.analytics.fakes import FakeKpis, figures

CUT = kpis.Slice(start=date(2026, 11, 2), end=date(2026, 11, 8))
NOW = datetime(2026, 11, 9, 8, 0, tzinfo=UTC)


@pytest.fixture
def fake(monkeypatch):
    return FakeKpis(monkeypatch)


def test_overview_has_a_row_for_every_kpi_with_its_value(fake):
    table = reports.overview_table(CUT)

    rows = {row[0].value: row[1] for row in table.rows}
    assert rows["Created"].value == 12
    assert rows["First response, median"].value == 1800.0
    assert rows["First response in business hours, 90th percentile"].value == 3600.0
    assert rows["Resolution in business hours, 90th percentile"].value is None
    assert rows["CSAT: good ratings"].value == 0.8125
    assert rows["SLA met: First response"].value == 0.75
    assert rows["Deflection rate"].value == 0.2
    assert len(table.rows) == len(reports.FIGURES)
    assert fake.calls == [("kpis_for", CUT)]


def test_overview_figures_name_the_tickets_behind_them(fake):
    table = reports.overview_table(CUT)

    rows = {row[0].value: row[1] for row in table.rows}
    assert rows["Created"].drill == Drill("created")
    assert rows["First-contact resolution"].drill == Drill("fcr")
    # a share of portal visits has no tickets behind it
    assert rows["Deflection rate"].drill is None
    assert rows["Next response, median"].drill == Drill("next_response")
    assert rows["Transfers per ticket"].drill == Drill("transfers")
    assert rows["Resolution, median"].drill == Drill("solved")


def test_figures_without_a_listable_measure_do_not_link(fake, monkeypatch):
    monkeypatch.setattr(kpis, "MEASURES", ("created",))

    rows = {row[0].value: row[1] for row in reports.overview_table(CUT).rows}

    assert rows["Created"].drill == Drill("created")
    assert rows["Solved"].drill is None


def test_grouped_table_has_a_row_per_group_and_a_column_per_kpi(fake):
    table = reports.grouped_table(CUT, "team")

    assert table.row_labels() == ["Billing", "Technical support"]
    assert table.column_values("created") == [7, 5]
    assert table.columns[0].label == "Team"
    assert len(table.columns) == 1 + len(reports.FIGURES)
    solved_of_billing = table.rows[0][2]
    assert solved_of_billing.drill == Drill("solved", group=("team", "1"))


def test_hour_by_hour_only_tickets_created_each_linked_to_its_hour(fake):
    fake.groups["hour"] = [
        (kpis.Group("2026-11-02 08:00", "2026-11-02 08:00"), figures(created=3, solved=0))
    ]

    table = reports.grouped_table(CUT, "hour")

    assert [column.key for column in table.columns] == ["hour", "created"]
    assert [(cell.value, cell.drill) for cell in table.rows[0]] == [
        ("2026-11-02 08:00", None),
        (3, Drill("created", group=("hour", "2026-11-02 08:00"))),
    ]


def test_grouped_table_refuses_an_unknown_dimension(fake):
    with pytest.raises(ValueError, match="colour"):
        reports.grouped_table(CUT, "colour")


def test_matrix_cells_narrow_to_their_channel_and_rows_total(fake):
    table = reports.matrix_table(CUT)

    assert [c.key for c in table.columns] == ["category", "email", "chat", "total"]
    assert [c.label for c in table.columns][1:3] == ["Email", "Chat"]
    billing, uncategorised = table.rows
    assert [cell.value for cell in billing] == ["billing", 5, 2, 7]
    assert uncategorised[0].value == "(none)"
    assert uncategorised[2].value == 0
    chat_cell = billing[2]
    assert chat_cell.drill == Drill(
        "created", group=("category", "billing"), narrow=(("channel", "chat"),)
    )
    assert chat_cell.drill.slice_of(CUT).channel == "chat"


def test_agents_and_backlog_tables(fake):
    agents = reports.agents_table(CUT)
    backlog = reports.backlog_table(CUT, now=NOW)

    assert [cell.value for cell in agents.rows[0]] == ["Kari Nordmann", 6, 14, 300.0, 0.9]
    assert agents.rows[0][1].drill == Drill("solved", group=("agent", "3"))
    assert backlog.column_values("tickets") == [4, 2, 1]
    assert [row[0].value for row in backlog.rows] == ["Under 1 day", "1–3 days", "Over 30 days"]
    assert backlog.rows[1][1].drill == Drill("backlog", group=("age", "1_3d"))
    assert ("backlog", CUT, NOW) in fake.calls


def test_report_tables_of_each_report(fake):
    def keys(report, by=""):
        tables = reports.report_tables(ReportRequest(report, CUT, by), now=NOW)
        return [table.key for table in tables]

    assert keys("overview") == ["overview", "by_day"]
    assert keys("dimension", "team") == ["by_team"]
    assert keys("time", "day") == ["by_day"]
    assert keys("agents") == ["agents"]
    assert keys("matrix") == ["matrix"]
    assert keys("backlog") == ["backlog"]


def test_long_ranges_go_by_week(fake):
    year = kpis.Slice(start=date(2025, 12, 1), end=date(2026, 11, 30))

    tables = reports.report_tables(ReportRequest("overview", year), now=NOW)

    assert [table.key for table in tables] == ["overview", "by_week"]
    assert reports.default_by("time", year) == "week"
    assert reports.default_by("time", CUT) == "day"


def test_slice_filters_round_trip():
    cut = kpis.Slice(
        start=date(2026, 11, 1), end=date(2026, 11, 30), channel="email", team_id=4, priority="high"
    )

    filters = reports.slice_filters(cut)
    again = reports.slice_make(start=cut.start, end=cut.end, filters=filters)

    assert filters == {"channel": "email", "team_id": 4, "priority": "high"}
    assert again == cut
    assert reports.slice_make(
        start=cut.start, end=cut.end, filters={"team_id": "4", "colour": "red", "channel": ""}
    ) == kpis.Slice(start=cut.start, end=cut.end, team_id=4)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("count", 12345, "12,345"),
        ("seconds", 42, "42 s"),
        ("seconds", 1800, "30 min"),
        ("seconds", 5400, "1 h 30 min"),
        ("seconds", 200000, "2 d 7 h"),
        ("share", 0.8125, "81.2 %"),
        ("number", 0.25, "0.25"),
        ("share", None, "—"),
        ("text", "Billing", "Billing"),
    ],
)
def test_format_value_in_english(kind, value, expected):
    with translation.override("en"):
        assert reports.format_value(kind, value) == expected


def test_format_value_uses_the_languages_number_format():
    with translation.override("nb"):
        assert reports.format_value("number", 0.25) == "0,25"
