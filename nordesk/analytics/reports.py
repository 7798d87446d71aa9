"""The reports as tables: what each report shows, in which columns, and which tickets stand
behind each figure. The report pages, their charts, the CSV and XLSX exports and the scheduled
mails all read these tables, and the tables read nothing but the KPI selectors (`kpis`): a
figure is computed once, in one place, whichever way it leaves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import formats, numberformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import kpis

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .kpis import Kpis, Slice

# What a column holds, which decides how it is shown and exported.
TEXT = "text"
COUNT = "count"
SECONDS = "seconds"  # a duration
SHARE = "share"  # 0..1, shown as a percentage
NUMBER = "number"  # a ratio such as transfers per ticket

OVERVIEW = "overview"
DIMENSION = "dimension"
TIME = "time"
AGENTS = "agents"
MATRIX = "matrix"
BACKLOG = "backlog"
REPORTS: dict[str, StrOrPromise] = {
    OVERVIEW: gettext_lazy("Overview"),
    DIMENSION: gettext_lazy("By dimension"),
    TIME: gettext_lazy("Over time"),
    AGENTS: gettext_lazy("Agent productivity"),
    MATRIX: gettext_lazy("Topics by channel"),
    BACKLOG: gettext_lazy("Backlog by age"),
}
DIMENSION_LABELS: dict[str, StrOrPromise] = {
    "channel": gettext_lazy("Channel"),
    "team": gettext_lazy("Team"),
    "agent": gettext_lazy("Agent"),
    "category": gettext_lazy("Category"),
    "language": gettext_lazy("Language"),
    "organisation": gettext_lazy("Organisation"),
    "priority": gettext_lazy("Priority"),
}
PERIOD_LABELS: dict[str, StrOrPromise] = {
    "hour": gettext_lazy("Hour"),
    "day": gettext_lazy("Day"),
    "week": gettext_lazy("Week"),
    "month": gettext_lazy("Month"),
}
# What the tickets behind a figure are (kpis.MEASURES), for the drill-down page's title.
MEASURE_LABELS: dict[str, StrOrPromise] = {
    "created": gettext_lazy("Created"),
    "solved": gettext_lazy("Solved"),
    "fcr": gettext_lazy("Solved at first contact"),
    "reopened": gettext_lazy("Reopened"),
    "first_response": gettext_lazy("Answered for the first time"),
    "sla_breached": gettext_lazy("SLA breached"),
    "csat_answered": gettext_lazy("CSAT answered"),
    "csat_good": gettext_lazy("CSAT good"),
    "csat_bad": gettext_lazy("CSAT bad"),
    "open": gettext_lazy("Unsolved"),
    "next_response": gettext_lazy("Answered again"),
    "transfers": gettext_lazy("Solved after a transfer"),
    "backlog": gettext_lazy("Unsolved now"),
}
# The Slice fields a report is filtered by, besides its dates: the query string's names.
FILTER_FIELDS = (
    "channel",
    "team_id",
    "agent_id",
    "category",
    "language",
    "organisation_id",
    "priority",
)
ID_FIELDS = frozenset({"team_id", "agent_id", "organisation_id"})


@dataclass(frozen=True)
class Drill:
    """The tickets behind a figure: `kpis.ticket_ids_behind(slice narrowed, measure, group)`.
    `narrow` replaces filters of the report's slice (a matrix cell's channel)."""

    measure: str
    group: tuple[str, str] | None = None
    narrow: tuple[tuple[str, Any], ...] = ()

    def slice_of(self, cut: Slice) -> Slice:
        return replace(cut, **dict(self.narrow)) if self.narrow else cut


@dataclass(frozen=True)
class Cell:
    value: str | int | float | None
    drill: Drill | None = None


@dataclass(frozen=True)
class Column:
    key: str
    label: StrOrPromise
    kind: str


@dataclass(frozen=True)
class ReportTable:
    key: str
    title: StrOrPromise
    columns: tuple[Column, ...]  # the first one heads each row
    rows: tuple[tuple[Cell, ...], ...]

    def column_values(self, key: str) -> list[Any]:
        index = next(i for i, column in enumerate(self.columns) if column.key == key)
        return [row[index].value for row in self.rows]

    def row_labels(self) -> list[str]:
        return [str(row[0].value) for row in self.rows]


@dataclass(frozen=True)
class Figure:
    """One KPI: where it is in `Kpis`, how it reads, and the measure that lists its tickets."""

    key: str
    name: StrOrPromise
    kind: str
    read: Callable[[Kpis], Any]
    measure: str = ""
    pattern: StrOrPromise | None = None  # "%(figure)s, median": the name within a phrase

    @property
    def label(self) -> str:
        """In the active language (figures are defined at import, labels read per request)."""
        if self.pattern is None:
            return str(self.name)
        return str(self.pattern) % {"figure": self.name}


def _durations(name: str, label: StrOrPromise, measure: str) -> list[Figure]:
    def reader(attribute: str) -> Callable[[Kpis], Any]:
        return lambda figures: getattr(getattr(figures, name), attribute)

    patterns = (
        ("median", gettext_lazy("%(figure)s, median")),
        ("p90", gettext_lazy("%(figure)s, 90th percentile")),
        ("business_median", gettext_lazy("%(figure)s in business hours, median")),
        ("business_p90", gettext_lazy("%(figure)s in business hours, 90th percentile")),
    )
    return [
        Figure(f"{name}_{attribute}", label, SECONDS, reader(attribute), measure, pattern)
        for attribute, pattern in patterns
    ]


def _sla(target: str, label: StrOrPromise) -> Figure:
    return Figure(
        f"sla_{target}",
        label,
        SHARE,
        lambda figures: figures.sla_compliance.get(target),
        "sla_breached",
        gettext_lazy("SLA met: %(figure)s"),
    )


FIRST_RESPONSE = gettext_lazy("First response")
NEXT_RESPONSE = gettext_lazy("Next response")
RESOLUTION = gettext_lazy("Resolution")

FIGURES: tuple[Figure, ...] = (
    Figure("created", gettext_lazy("Created"), COUNT, lambda f: f.created, "created"),
    Figure("solved", gettext_lazy("Solved"), COUNT, lambda f: f.solved, "solved"),
    # A duration's tickets: those it was measured on (resolution: the solved ones).
    *_durations("first_response", FIRST_RESPONSE, "first_response"),
    *_durations("next_response", NEXT_RESPONSE, "next_response"),
    *_durations("resolution", RESOLUTION, "solved"),
    Figure(
        "handle_time_avg",
        gettext_lazy("Handle time per solved ticket"),
        SECONDS,
        lambda f: f.handle_time_avg,
        "solved",
    ),
    Figure(
        "fcr_rate", gettext_lazy("First-contact resolution"), SHARE, lambda f: f.fcr_rate, "fcr"
    ),
    Figure("reopen_rate", gettext_lazy("Reopen rate"), SHARE, lambda f: f.reopen_rate, "reopened"),
    Figure(
        "transfers_per_ticket",
        gettext_lazy("Transfers per ticket"),
        NUMBER,
        lambda f: f.transfers_per_ticket,
        "transfers",
    ),
    Figure(
        "csat_good_share",
        gettext_lazy("CSAT: good ratings"),
        SHARE,
        lambda f: f.csat_good_share,
        "csat_answered",
    ),
    Figure(
        "csat_response_rate",
        gettext_lazy("CSAT: response rate"),
        SHARE,
        lambda f: f.csat_response_rate,
        "csat_answered",
    ),
    _sla("first_response", FIRST_RESPONSE),
    _sla("next_response", NEXT_RESPONSE),
    _sla("resolution", RESOLUTION),
    Figure(
        "deflection_rate",
        gettext_lazy("Deflection rate"),
        SHARE,
        lambda f: f.deflection_rate,
    ),
)
FIGURE_BY_KEY = {figure.key: figure for figure in FIGURES}


def measures_listed() -> frozenset[str]:
    """The measures whose tickets the KPI selectors can list: a figure links to its tickets
    only then (a share of deflected portal visits has no tickets behind it)."""
    return frozenset(kpis.MEASURES)


def _drill(measure: str, listed: frozenset[str], **kwargs: Any) -> Drill | None:
    return Drill(measure, **kwargs) if measure and measure in listed else None


# --- the tables ----------------------------------------------------------------------------


def overview_table(cut: Slice) -> ReportTable:
    figures = kpis.kpis_for(cut)
    listed = measures_listed()
    return ReportTable(
        key="overview",
        title=gettext_lazy("Key figures"),
        columns=(
            Column("figure", gettext_lazy("Figure"), TEXT),
            Column("value", gettext_lazy("Value"), ""),  # kind per row: see row_kinds()
        ),
        rows=tuple(
            (Cell(figure.label), Cell(figure.read(figures), _drill(figure.measure, listed)))
            for figure in FIGURES
        ),
    )


def overview_kinds() -> list[str]:
    """The overview's values differ in kind row by row (a count, a duration, a share)."""
    return [figure.kind for figure in FIGURES]


def grouped_table(cut: Slice, by: str) -> ReportTable:
    """One row per dimension value (`by` in kpis.DIMENSIONS) or period (kpis.PERIODS), one
    column per KPI. Hour by hour the selectors count tickets created only, so that table has
    one column."""
    if by not in kpis.DIMENSIONS and by not in kpis.PERIODS:
        raise ValueError(by)
    hourly = by == "hour"
    figures_shown = (FIGURE_BY_KEY["created"],) if hourly else FIGURES
    listed = measures_listed()
    heading = DIMENSION_LABELS.get(by) or PERIOD_LABELS[by]
    columns = (
        Column(by, heading, TEXT),
        *(Column(figure.key, figure.label, figure.kind) for figure in figures_shown),
    )
    rows = tuple(
        (
            Cell(group.label),
            *(
                Cell(figure.read(figures), _drill(figure.measure, listed, group=(by, group.key)))
                for figure in figures_shown
            ),
        )
        for group, figures in kpis.kpis_by(cut, by)
    )
    title = (
        _("Key figures by %(dimension)s") % {"dimension": str(heading).lower()}
        if by in kpis.DIMENSIONS
        else _("Key figures by %(period)s") % {"period": str(heading).lower()}
    )
    return ReportTable(key=f"by_{by}", title=title, columns=columns, rows=rows)


def agents_table(cut: Slice) -> ReportTable:
    listed = measures_listed()
    rows = []
    for figures in kpis.agent_productivity(cut):
        group = ("agent", figures.agent.key)
        rows.append(
            (
                Cell(figures.agent.label),
                Cell(figures.solved, _drill("solved", listed, group=group)),
                Cell(figures.replies),
                Cell(figures.handle_time_avg, _drill("solved", listed, group=group)),
                Cell(figures.csat_good_share, _drill("csat_answered", listed, group=group)),
            )
        )
    return ReportTable(
        key="agents",
        title=gettext_lazy("Agent productivity"),
        columns=(
            Column("agent", gettext_lazy("Agent"), TEXT),
            Column("solved", gettext_lazy("Solved"), COUNT),
            Column("replies", gettext_lazy("Replies"), COUNT),
            Column("handle_time_avg", gettext_lazy("Handle time per solved ticket"), SECONDS),
            Column("csat_good_share", gettext_lazy("CSAT: good ratings"), SHARE),
        ),
        rows=tuple(rows),
    )


def matrix_table(cut: Slice) -> ReportTable:
    """Categories down, channels across: tickets created. A cell lists its tickets through
    the category group with the slice narrowed to the cell's channel."""
    matrix = kpis.topic_channel_matrix(cut)
    listed = measures_listed()
    rows = []
    for index, category in enumerate(matrix.rows):
        group = ("category", category.key)
        rows.append(
            (
                Cell(category.label),
                *(
                    Cell(
                        count,
                        _drill("created", listed, group=group, narrow=(("channel", channel.key),)),
                    )
                    for count, channel in zip(matrix.counts[index], matrix.columns, strict=True)
                ),
                Cell(matrix.row_totals[index], _drill("created", listed, group=group)),
            )
        )
    return ReportTable(
        key="matrix",
        title=gettext_lazy("Tickets created by topic and channel"),
        columns=(
            Column("category", gettext_lazy("Category"), TEXT),
            *(Column(channel.key, channel.label, COUNT) for channel in matrix.columns),
            Column("total", gettext_lazy("Total"), COUNT),
        ),
        rows=tuple(rows),
    )


def backlog_table(cut: Slice, *, now: datetime) -> ReportTable:
    """Unsolved tickets now by age, each bucket linked to its tickets."""
    listed = measures_listed()
    return ReportTable(
        key="backlog",
        title=gettext_lazy("Unsolved tickets by age"),
        columns=(
            Column("age", gettext_lazy("Age"), TEXT),
            Column("tickets", gettext_lazy("Tickets"), COUNT),
        ),
        rows=tuple(
            (Cell(bucket.label), Cell(count, _drill("backlog", listed, group=("age", bucket.key))))
            for bucket, count in kpis.backlog_by_age(cut, now=now)
        ),
    )


@dataclass(frozen=True)
class ReportRequest:
    """Which report, over which slice; `by` is the dimension or period of the grouped ones."""

    report: str
    cut: Slice
    by: str = ""


def report_tables(request: ReportRequest, *, now: datetime) -> list[ReportTable]:
    """Every table of a report, in the order the page shows them."""
    cut = request.cut
    if request.report == OVERVIEW:
        return [overview_table(cut), grouped_table(cut, period_for(cut))]
    if request.report in (DIMENSION, TIME):
        return [grouped_table(cut, request.by)]
    if request.report == AGENTS:
        return [agents_table(cut)]
    if request.report == MATRIX:
        return [matrix_table(cut)]
    if request.report == BACKLOG:
        return [backlog_table(cut, now=now)]
    raise ValueError(request.report)


# Day by day up to about a quarter; past that, weeks (a year of days is 365 rows of 27
# figures, which nobody reads and the page pays for).
DAYS_BY_DAY = 92


def period_for(cut: Slice) -> str:
    return "day" if (cut.end - cut.start).days < DAYS_BY_DAY else "week"


def default_by(report: str, cut: Slice | None = None) -> str:
    if report == TIME and cut is not None:
        return period_for(cut)
    return {DIMENSION: "team", TIME: "day"}.get(report, "")


def by_choices(report: str) -> Sequence[str]:
    if report == DIMENSION:
        return kpis.DIMENSIONS
    if report == TIME:
        return kpis.PERIODS
    return ()


# --- slices as plain values (the query string, a schedule's stored filters) ------------------


def slice_filters(cut: Slice) -> dict[str, Any]:
    """The slice's filters that are set, by field name, without its dates."""
    return {
        name: getattr(cut, name) for name in FILTER_FIELDS if getattr(cut, name) not in ("", None)
    }


def slice_make(*, start: date, end: date, filters: dict[str, Any]) -> Slice:
    """A slice from stored or typed filters; unknown names and empty values are ignored."""
    known: dict[str, Any] = {}
    for name in FILTER_FIELDS:
        value = filters.get(name)
        if value in ("", None):
            continue
        known[name] = int(value) if name in ID_FIELDS else str(value)
    return kpis.Slice(start=start, end=end, **known)


# --- how a value reads ---------------------------------------------------------------------


class Formatter:
    """Figures as people read them in the active language: "—" where there is none. Made
    once per table: the language's separators and unit words are looked up once, not for
    each of a year's ten thousand cells."""

    def __init__(self) -> None:
        self.decimal = formats.get_format("DECIMAL_SEPARATOR")
        self.thousands = formats.get_format("THOUSAND_SEPARATOR")
        self.grouping = formats.get_format("NUMBER_GROUPING")
        self.seconds = _("%(seconds)d s")
        self.minutes = _("%(minutes)d min")
        self.hours = _("%(hours)d h %(minutes)d min")
        self.days = _("%(days)d d %(hours)d h")
        self.share = _("%(value)s %%")

    def number(self, value: float, places: int, grouping: bool = False) -> str:
        return numberformat.format(
            value,
            self.decimal,
            decimal_pos=places,
            grouping=self.grouping,
            thousand_sep=self.thousands,
            force_grouping=grouping,
        )

    def duration(self, seconds: float) -> str:
        seconds = round(seconds)
        if seconds < 60:
            return self.seconds % {"seconds": seconds}
        minutes = round(seconds / 60)
        if minutes < 60:
            return self.minutes % {"minutes": minutes}
        hours, minutes = divmod(minutes, 60)
        if hours < 24:
            return self.hours % {"hours": hours, "minutes": minutes}
        days, hours = divmod(hours, 24)
        return self.days % {"days": days, "hours": hours}

    def value(self, kind: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if kind == COUNT:
            return self.number(value, 0, grouping=True)
        if kind == SECONDS:
            return self.duration(float(value))
        if kind == SHARE:
            return self.share % {"value": self.number(value * 100, 1)}
        if kind == NUMBER:
            return self.number(value, 2)
        return str(value)


def format_duration(seconds: float) -> str:
    return Formatter().duration(seconds)


def format_value(kind: str, value: Any) -> str:
    """One figure as people read it (many: a Formatter)."""
    return Formatter().value(kind, value)


def cell_kinds(table: ReportTable) -> list[list[str]]:
    """The kind of every cell, row by row (the overview's value column changes per row)."""
    if table.key == "overview":
        return [[TEXT, kind] for kind in overview_kinds()]
    kinds = [column.kind for column in table.columns]
    return [kinds for _row in table.rows]
