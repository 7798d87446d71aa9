"""The report pages for supervisors and admins: overview, by dimension, over time, agent
productivity, topics by channel and backlog by age, each with its filter bar, charts drawn
here as SVG, tables whose every figure opens the tickets behind it, and CSV/XLSX exports of
the same tables. Every figure comes from the report tables (`analytics.reports`), which read
the KPI selectors only; this module formats and links them."""

from __future__ import annotations

import html
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nordesk.accounts import selectors as account_selectors
from nordesk.analytics import exports, kpis, reports, schedules
from nordesk.analytics.services import reporting_zone
from nordesk.customers import selectors as customer_selectors
from nordesk.tickets import listing
from nordesk.tickets import selectors as ticket_selectors

from .charts import Chart, Series, bar_chart, line_chart
from .report_forms import (
    DrillFilterForm,
    ReportFilterForm,
    options_html,
    organisation_choices,
)
from .views import supervisor_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent
    from nordesk.analytics.kpis import Slice
    from nordesk.analytics.reports import Drill, ReportTable

DRILL_PAGE = 50
EXPORT_KINDS = ("csv", "xlsx")
DRILL_GROUPS = frozenset({*kpis.DIMENSIONS, *kpis.PERIODS, "age"})


@dataclass(frozen=True)
class ShownRow:
    heading: str
    cells: SafeString  # the row's <td>s, made here: a year of days is ten thousand cells


@dataclass(frozen=True)
class ShownTable:
    key: str
    title: str
    headers: list[str]
    rows: list[ShownRow]


# --- the filter bar ------------------------------------------------------------------------


def _today() -> date:
    return timezone.now().astimezone(reporting_zone()).date()


def _agent_choices() -> list[tuple[int, str]]:
    """(user id, name) of the agents, read as values: a hundred Agent objects with their
    users cost more than the rest of the filter bar."""
    rows = account_selectors.agents_by_name().values_list(
        "user_id", "user__first_name", "user__last_name", "user__username"
    )
    return [
        (user_id, f"{first} {last}".strip() or username) for user_id, first, last, username in rows
    ]


def _filter_form(request: HttpRequest, agent: Agent, report: str) -> ReportFilterForm:
    by_choices = [
        (key, reports.DIMENSION_LABELS.get(key) or reports.PERIOD_LABELS[key])
        for key in reports.by_choices(report)
    ]
    return ReportFilterForm(
        request.GET,
        today=_today(),
        by_choices=by_choices,
        teams=account_selectors.team_list(),
        agents=_agent_choices(),
        organisations=organisation_choices(agent, request.GET.get("organisation_id")),
        vocabulary=ticket_selectors.ticket_vocabulary(),
    )


def _slice_query(cut: Slice, **extra: Any) -> dict[str, Any]:
    return {
        "start": cut.start.isoformat(),
        "end": cut.end.isoformat(),
        **reports.slice_filters(cut),
        **{name: value for name, value in extra.items() if value not in ("", None)},
    }


# --- tables as shown -----------------------------------------------------------------------


class _DrillLinks:
    """The drill-down links of one report: the slice's part of the query string is made once
    (per narrowed slice), each figure adds its measure and group."""

    def __init__(self, cut: Slice) -> None:
        self.cut = cut
        self.path = reverse("web:reports_tickets")
        self.prefixes: dict[tuple[tuple[str, Any], ...], str] = {}

    def url(self, drill: Drill) -> str:
        prefix = self.prefixes.get(drill.narrow)
        if prefix is None:
            query = urlencode(_slice_query(drill.slice_of(self.cut)))
            prefix = self.prefixes[drill.narrow] = f"{self.path}?{query}"
        url = f"{prefix}&measure={quote(drill.measure)}"
        if drill.group is not None:
            by, key = drill.group
            url += f"&by={quote(by)}&key={quote(key, safe='')}"
        return url


def _cell(text: str, url: str, numeric: bool) -> str:
    # The standard library's escape: Django's wraps it for lazy strings, at a cost per cell.
    opening = '<td class="num">' if numeric else "<td>"
    if url:
        return f'{opening}<a href="{html.escape(url)}">{html.escape(text)}</a></td>'
    return f"{opening}{html.escape(text)}</td>"


def _shown(table: ReportTable, links: _DrillLinks) -> ShownTable:
    formatter = reports.Formatter()
    rows = []
    for row, kinds in zip(table.rows, reports.cell_kinds(table), strict=True):
        cells = [
            _cell(
                formatter.value(kind, cell.value),
                links.url(cell.drill) if cell.drill and cell.value not in (None, 0) else "",
                kind != reports.TEXT,
            )
            for kind, cell in zip(kinds[1:], row[1:], strict=True)
        ]
        rows.append(ShownRow(str(row[0].value), mark_safe("".join(cells))))  # noqa: S308 — escaped in _cell
    return ShownTable(
        table.key, str(table.title), [str(column.label) for column in table.columns], rows
    )


# --- charts --------------------------------------------------------------------------------


def _duration_series(table: ReportTable, keys: tuple[str, ...]) -> tuple[list[Series], Any]:
    """Durations charted in seconds, minutes or hours, whichever reads best, so the axis
    shows round numbers of one unit."""
    values = {key: table.column_values(key) for key in keys}
    top = max((v for column in values.values() for v in column if v is not None), default=0)
    if top >= 7200:
        divisor, unit = 3600, _("%(value)s h")
    elif top >= 120:
        divisor, unit = 60, _("%(value)s min")
    else:
        divisor, unit = 1, _("%(value)s s")
    numbers = reports.Formatter()

    def fmt(value: float) -> str:
        places = next(
            p for p in (0, 1, 2) if abs(value * 10**p - round(value * 10**p)) < 1e-6 or p == 2
        )
        return unit % {"value": numbers.number(value, places)}

    series = [
        Series(
            reports.FIGURE_BY_KEY[key].label,
            [None if v is None else v / divisor for v in column],
        )
        for key, column in values.items()
    ]
    return series, fmt


def _counts() -> Any:
    formatter = reports.Formatter()
    return lambda value: formatter.value(reports.COUNT, value)


def _volume_and_times(table: ReportTable, *, over_time: bool) -> list[Chart]:
    labels = table.row_labels()
    draw = line_chart if over_time else bar_chart
    times, fmt = _duration_series(table, ("first_response_median", "resolution_median"))
    return [
        draw(
            key="volume",
            title=_("Tickets created and solved"),
            labels=labels,
            series=[
                Series(_("Created"), table.column_values("created")),
                Series(_("Solved"), table.column_values("solved")),
            ],
            fmt=_counts(),
        ),
        draw(
            key="times",
            title=_("First response and resolution, median"),
            labels=labels,
            series=times,
            fmt=fmt,
        ),
    ]


def _charts(report: str, tables: list[ReportTable], by: str) -> list[Chart]:
    if report == reports.OVERVIEW:
        return _volume_and_times(tables[1], over_time=True)
    if report == reports.DIMENSION:
        return _volume_and_times(tables[0], over_time=False)
    if report == reports.TIME and by == "hour":
        table = tables[0]
        return [
            line_chart(
                key="volume",
                title=_("Tickets created"),
                labels=table.row_labels(),
                series=[Series(_("Created"), table.column_values("created"))],
                fmt=_counts(),
            )
        ]
    if report == reports.TIME:
        return _volume_and_times(tables[0], over_time=True)
    table = tables[0]
    column = {
        reports.AGENTS: ("solved", _("Solved tickets per agent")),
        reports.MATRIX: ("total", _("Tickets created per topic")),
        reports.BACKLOG: ("tickets", _("Unsolved tickets by age")),
    }[report]
    key, title = column
    heading = next(str(c.label) for c in table.columns if c.key == key)
    return [
        bar_chart(
            key=report,
            title=title,
            labels=table.row_labels(),
            series=[Series(heading, table.column_values(key))],
            fmt=_counts(),
        )
    ]


# --- pages ---------------------------------------------------------------------------------


def _report_or_404(report: str) -> None:
    if report not in reports.REPORTS:
        raise Http404(_("No such report."))


@require_GET
@supervisor_required
def reports_home(request: HttpRequest, agent: Agent) -> HttpResponse:
    return redirect("web:reports", report=reports.OVERVIEW)


def _tables(form: ReportFilterForm, report: str) -> tuple[Slice, str, list[ReportTable]]:
    cut = form.report_slice()
    by = form.grouping(report)
    request = reports.ReportRequest(report, cut, by)
    return cut, by, reports.report_tables(request, now=timezone.now())


@require_GET
@supervisor_required
def report_page(request: HttpRequest, agent: Agent, report: str) -> HttpResponse:
    _report_or_404(report)
    form = _filter_form(request, agent, report)
    context: dict[str, Any] = {
        "nav": "reports",
        "agent": agent,
        "report": report,
        "report_title": reports.REPORTS[report],
        "reports": reports.REPORTS,
        "form": form,
        "tables": [],
        "charts": [],
    }
    if form.is_valid():
        cut, by, tables = _tables(form, report)
        if "by" in form.fields and not form.data.get("by"):
            # Show the grouping the report used (its default), not the list's first choice.
            form.data = {**request.GET.dict(), "by": by}
        links = _DrillLinks(cut)
        query = urlencode(_slice_query(cut, by=by if by in reports.by_choices(report) else ""))
        context.update(
            cut=cut,
            tables=[_shown(table, links) for table in tables],
            charts=_charts(report, tables, by),
            query=query,
            tab_query=urlencode(_slice_query(cut)),
        )
    return render(request, "web/reports/report.html", context)


# --- exports -------------------------------------------------------------------------------


def _in_language(language: str, lines: Iterator[str]) -> Iterator[str]:
    """A streamed response is written after the view returns: keep its labels in the
    request's language."""
    with translation.override(language):
        yield "\ufeff"  # a byte order mark, so spreadsheet programs read UTF-8 (æ, ø, å)
        yield from lines


@require_GET
@supervisor_required
def report_export(request: HttpRequest, agent: Agent, report: str, kind: str) -> HttpResponse:
    _report_or_404(report)
    if kind not in EXPORT_KINDS:
        raise Http404(_("No such file type."))
    form = _filter_form(request, agent, report)
    if not form.is_valid():
        raise Http404(_("Check the report's filters."))
    cut, by, tables = _tables(form, report)
    name = "-".join(
        part for part in (report, by, cut.start.isoformat(), cut.end.isoformat()) if part
    )
    if kind == "csv":
        response = StreamingHttpResponse(
            _in_language(translation.get_language(), exports.csv_lines_of(tables)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        # The workspace's decorators are typed for HttpResponse; a streamed one serves as well.
        return cast(HttpResponse, response)
    # Written row by row to a temporary file (constant memory), then streamed from it; the
    # file is gone once the response closes it.
    output = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    exports.xlsx_write(tables, output)
    output.seek(0)
    return cast(
        HttpResponse,
        FileResponse(
            output, as_attachment=True, filename=f"{name}.xlsx", content_type=schedules.XLSX_TYPE
        ),
    )


# --- drill-down ----------------------------------------------------------------------------


def _drill_request(query: QueryDict) -> tuple[str, tuple[str, str] | None, int | None]:
    measure = query.get("measure", "")
    if measure not in reports.measures_listed():
        raise Http404(_("No such figure."))
    by, key = query.get("by", ""), query.get("key", "")
    group = None
    if by:
        if by not in DRILL_GROUPS or len(key) > 200:
            raise Http404(_("No such figure."))
        group = (by, key)
    after = query.get("after", "")
    return measure, group, int(after) if after.isdigit() else None


def _drill_title(measure: str, group: tuple[str, str] | None) -> str:
    """ "Solved · Team: Billing": the figure, and the group of the row it was in."""
    parts = [str(reports.MEASURE_LABELS.get(measure, measure))]
    if group is not None:
        by, key = group
        if by in kpis.DIMENSIONS:
            label = kpis.dimension_labels(by, [key])[key]
            parts.append(f"{reports.DIMENSION_LABELS[by]}: {label}")
        elif by == "age":
            parts.append(kpis.backlog_labels().get(key, key))
        else:
            parts.append(key)
    return " · ".join(parts)


@require_GET
@supervisor_required
def report_tickets(request: HttpRequest, agent: Agent) -> HttpResponse:
    """The tickets a figure counts, 50 a page by id (keyset: a deep page costs what the first
    does), read through the tickets selectors in the supervisor's scope."""
    measure, group, after = _drill_request(request.GET)
    form = DrillFilterForm(request.GET, today=_today())
    if not form.is_valid():
        raise Http404(_("Check the report's filters."))
    cut = form.report_slice()
    try:
        ids = kpis.ticket_ids_behind(
            cut, measure, group=group, after_id=after, limit=DRILL_PAGE + 1
        )
    except ValueError as exc:  # a group key that is no day, hour or bucket
        raise Http404(_("No such figure.")) from exc
    tickets = listing.ticket_rows_by_ids_for_agent(agent=agent, ids=ids[:DRILL_PAGE])
    next_url = ""
    if len(ids) > DRILL_PAGE:
        following = request.GET.copy()
        following["after"] = str(ids[DRILL_PAGE - 1])
        next_url = f"{request.path}?{following.urlencode()}"
    first_url = ""
    if after is not None:
        first = request.GET.copy()
        first.pop("after", None)
        first_url = f"{request.path}?{first.urlencode()}"
    context = {
        "nav": "reports",
        "agent": agent,
        "label": _drill_title(measure, group),
        "cut": cut,
        "tickets": tickets,
        "next_url": next_url,
        "first_url": first_url,
        "back_query": urlencode(_slice_query(cut)),
    }
    return render(request, "web/reports/tickets.html", context)


ORGANISATIONS_FOUND = 50


@require_GET
@supervisor_required
def report_organisations(request: HttpRequest, agent: Agent) -> HttpResponse:
    """The organisation filter's options whose name or domain holds `q`: its search, when
    there are more organisations than the list shows."""
    text = request.GET.get("q", "")[:100]
    found = customer_selectors.organisation_list_for_agent(agent=agent, text=text)
    choices = [("", _("Any organisation")), *found.values_list("pk", "name")[:ORGANISATIONS_FOUND]]
    return HttpResponse(options_html(choices))
