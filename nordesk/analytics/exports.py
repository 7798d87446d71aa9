"""Report tables as CSV and XLSX. Values leave as numbers a spreadsheet can compute with:
counts as integers, durations in seconds (CSV) or as spreadsheet durations (XLSX), shares as
fractions (CSV) or percentages (XLSX). CSV is produced line by line for a streaming response;
XLSX is written by xlsxwriter in constant-memory mode (row by row to temporary files) into a
file the caller streams, so a large report never sits in memory whole."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

import xlsxwriter
from django.utils.translation import gettext as _

from .reports import COUNT, NUMBER, SECONDS, SHARE, TEXT, ReportTable, cell_kinds

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

SECONDS_PER_DAY = 86400
# A cell starting with one of these is a formula to a spreadsheet: a team or category named
# "=HYPERLINK(…)" must arrive as text (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _header(table: ReportTable) -> list[str]:
    units = {
        SECONDS: _("%(label)s (seconds)"),
        SHARE: _("%(label)s (share, 0 to 1)"),
    }
    return [
        _safe_text(units[column.kind] % {"label": column.label})
        if column.kind in units
        else _safe_text(str(column.label))
        for column in table.columns
    ]


def _csv_value(kind: str, value: Any) -> Any:
    if value is None:
        return ""
    if kind == COUNT:
        return int(value)
    if kind == SECONDS:
        return round(float(value), 1)
    if kind in (SHARE, NUMBER):
        return round(float(value), 4)
    return _safe_text(str(value))


class _Line:
    """csv.writer writes into this and gets the line back (Django's streaming CSV recipe)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(table: ReportTable) -> Iterator[str]:
    """The table as CSV lines (header first), in the active language's labels."""
    writer = csv.writer(_Line())
    yield writer.writerow(_header(table))
    for row, kinds in zip(table.rows, cell_kinds(table), strict=True):
        yield writer.writerow(
            [_csv_value(kind, cell.value) for kind, cell in zip(kinds, row, strict=True)]
        )


def csv_lines_of(tables: Sequence[ReportTable]) -> Iterator[str]:
    """Several tables in one file, each under its title, a blank line between them."""
    writer = csv.writer(_Line())
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                yield writer.writerow([])
            yield writer.writerow([_safe_text(str(table.title))])
        yield from csv_lines(table)


def sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case."""
    base = SHEET_NAME_FORBIDDEN.sub(" ", title).strip(" '") or "Sheet"
    base = base[:31]
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def xlsx_write(tables: Iterable[ReportTable], output: IO[bytes] | str) -> None:
    """One worksheet per table, written row by row (constant memory) into `output`."""
    workbook = xlsxwriter.Workbook(
        output,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    formats: dict[str, Format] = {
        "header": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        SECONDS: workbook.add_format({"num_format": "[h]:mm:ss"}),
        SHARE: workbook.add_format({"num_format": "0.0%"}),
        NUMBER: workbook.add_format({"num_format": "0.00"}),
        COUNT: workbook.add_format({"num_format": "0"}),
    }
    taken: set[str] = set()
    for table in tables:
        sheet = workbook.add_worksheet(sheet_name(str(table.title), taken))
        _xlsx_table(sheet, table, formats)
    workbook.close()


def _xlsx_table(sheet: Worksheet, table: ReportTable, formats: dict[str, Format]) -> None:
    sheet.set_column(0, 0, 32)
    sheet.set_column(1, max(1, len(table.columns) - 1), 14)
    # Header labels without the units: the cells' number formats show them.
    for col, column in enumerate(table.columns):
        sheet.write_string(0, col, str(column.label), formats["header"])
    sheet.freeze_panes(1, 1)
    for row_index, (row, kinds) in enumerate(
        zip(table.rows, cell_kinds(table), strict=True), start=1
    ):
        for col, (kind, cell) in enumerate(zip(kinds, row, strict=True)):
            value = cell.value
            if value is None:
                sheet.write_blank(row_index, col, None)
            elif kind == TEXT or kind == "":
                sheet.write_string(row_index, col, str(value))
            elif kind == SECONDS:
                sheet.write_number(row_index, col, float(value) / SECONDS_PER_DAY, formats[kind])
            else:
                sheet.write_number(row_index, col, float(value), formats[kind])
