"""CSV and XLSX exports of report tables: numbers stay numbers, units in the header, nothing a
spreadsheet would run as a formula, one sheet per table."""

import csv
import io
import re
import zipfile
from datetime import date
from xml.etree import ElementTree as ET

import pytest

from nordesk.analytics import exports, kpis, reports
from tests.analytics.fakes import FakeKpis

CUT = kpis.Slice(start=date(2026, 11, 2), end=date(2026, 11, 8))
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture
def fake(monkeypatch):
    return FakeKpis(monkeypatch)


def _csv(lines):
    return list(csv.reader(io.StringIO("".join(lines))))


def test_csv_of_a_grouped_table_keeps_numbers_raw_with_units_in_the_header(fake):
    rows = _csv(exports.csv_lines(reports.grouped_table(CUT, "team")))

    header = rows[0]
    assert header[:3] == ["Team", "Created", "Solved"]
    assert "First response, median (seconds)" in header
    assert "CSAT: good ratings (share, 0 to 1)" in header
    billing = dict(zip(header, rows[1], strict=True))
    assert billing["Created"] == "7"
    assert billing["First response, median (seconds)"] == "1800.0"
    assert billing["CSAT: good ratings (share, 0 to 1)"] == "0.8125"
    assert billing["Next response, median (seconds)"] == ""
    assert len(rows) == 3


def test_csv_of_the_overview_reads_each_row_by_its_kind(fake):
    rows = _csv(exports.csv_lines(reports.overview_table(CUT)))

    values = dict(rows[1:])
    assert values["Created"] == "12"
    assert values["Reopen rate"] == "0.1111"
    assert values["Handle time per solved ticket"] == "420.0"


def test_csv_neutralises_formulas_in_names(fake):
    fake.groups["team"] = [(kpis.Group("9", '=HYPERLINK("http://evil")'), fake.overall)]

    rows = _csv(exports.csv_lines(reports.grouped_table(CUT, "team")))

    assert rows[1][0] == '\'=HYPERLINK("http://evil")'


def test_csv_of_several_tables_puts_each_under_its_title(fake):
    tables = reports.report_tables(reports.ReportRequest("overview", CUT), now=None)

    rows = _csv(exports.csv_lines_of(tables))

    assert rows[0] == ["Key figures"]
    assert [] in rows
    assert ["Key figures by day"] in rows


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _sheets(data: bytes) -> dict[str, list[list]]:
    """Each worksheet's cells as text (numbers as written), by sheet name."""
    book = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in book.namelist():
        root = ET.fromstring(book.read("xl/sharedStrings.xml"))  # noqa: S314 — our own output
        shared = ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in root]
    workbook = ET.fromstring(book.read("xl/workbook.xml"))  # noqa: S314 — our own output
    names = [sheet.get("name") for sheet in workbook.iter(f"{MAIN}sheet")]
    sheets = {}
    for index, name in enumerate(names, start=1):
        root = ET.fromstring(book.read(f"xl/worksheets/sheet{index}.xml"))  # noqa: S314 — our own output
        rows = []
        for row in root.iter(f"{MAIN}row"):
            cells: list = []
            for cell in row.iter(f"{MAIN}c"):
                column = _column_index(re.match(r"[A-Z]+", cell.get("r")).group())
                cells += [None] * (column + 1 - len(cells))
                kind = cell.get("t")
                if kind == "s":
                    cells[column] = shared[int(cell.find(f"{MAIN}v").text)]
                elif kind == "inlineStr":
                    cells[column] = "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
                elif cell.find(f"{MAIN}v") is not None:
                    cells[column] = float(cell.find(f"{MAIN}v").text)
            rows.append(cells)
        sheets[name] = rows
    return sheets


def test_xlsx_has_a_sheet_per_table_with_numbers_and_durations_in_days(fake):
    tables = reports.report_tables(reports.ReportRequest("overview", CUT), now=None)
    output = io.BytesIO()

    exports.xlsx_write(tables, output)

    sheets = _sheets(output.getvalue())
    assert list(sheets) == ["Key figures", "Key figures by day"]
    overview = {row[0]: (row + [None])[1] for row in sheets["Key figures"][1:]}
    assert overview["Created"] == 12
    assert overview["First response, median"] == pytest.approx(1800 / 86400)
    assert overview.get("Next response, median") is None
    assert "Next response, median" in overview
    by_day = sheets["Key figures by day"]
    assert by_day[0][:3] == ["Day", "Created", "Solved"]
    assert by_day[2][:3] == ["2026-11-03", 8, 7]
    assert by_day[0][-1] == "Deflection rate"  # past column Z
    assert by_day[2][-1] == 0.2


def test_xlsx_stores_formula_like_names_as_text(fake, tmp_path):
    fake.groups["team"] = [(kpis.Group("9", "=1+1"), fake.overall)]
    path = tmp_path / "report.xlsx"

    exports.xlsx_write([reports.grouped_table(CUT, "team")], str(path))

    data = path.read_bytes()
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert _sheets(data)["Key figures by team"][1][0] == "=1+1"


def test_sheet_names_follow_excels_rules():
    taken: set[str] = set()

    first = exports.sheet_name("Tickets created by topic and channel [all]", taken)
    second = exports.sheet_name("Tickets created by topic and channel [all]", taken)

    assert len(first) <= 31
    assert not re.search(r"[\[\]:*?/\\]", first)
    assert second != first
    assert second.endswith("(2)")
    assert len(second) <= 31
