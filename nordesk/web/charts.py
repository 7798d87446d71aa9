"""Charts drawn on the server as inline SVG: line charts (a figure over time) and bar charts (a
figure per group). No script, no CDN: the page arrives with its pictures. Each chart is an
image with a title and a description for screen readers, every point or bar carries its
value as a tooltip (<title>), and the same figures come as a table (`Chart.table`) that the
template shows under the picture for anyone who prefers numbers."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape  # the standard library's: Django's adds a cost per call

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Okabe–Ito: told apart with the common colour-vision deficiencies, and dark enough on white
# for the 3:1 contrast WCAG asks of graphics.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8F6A00", "#56707F")
WIDTH = 720
HEIGHT = 320
MARGIN_LEFT = 64
MARGIN_RIGHT = 16
MARGIN_TOP = 32
MARGIN_BOTTOM = 88
MAX_X_LABELS = 12
# Past this many points a line has no dots (with their tooltips): too dense to aim at, and
# the table under the chart has every value.
MAX_POINTS = 62
# Bars are ranked and the longest lists cut: past this a chart is unreadable, the table is not.
MAX_BARS = 30

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per label; None: no value (a gap, not zero)


@dataclass(frozen=True)
class Chart:
    """The SVG and, for the table under it, the labels with each series' formatted values."""

    key: str
    title: str
    svg: SafeString
    series_names: tuple[str, ...]
    table: tuple[tuple[str, tuple[str, ...]], ...]


def plain(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def nice_ticks(top: float, *, at_most: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top`: steps of 1, 2, 2.5 or 5 times a power of
    ten, so the axis reads 0, 50, 100 rather than 0, 47, 94."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / at_most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude * at_most >= top - 1e-9)
    ticks = [0.0]
    while ticks[-1] < top - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _description(labels: Sequence[str], series: Sequence[Series], fmt: Formatter) -> str:
    parts = []
    for one in series:
        known = [(v, label) for v, label in zip(one.values, labels, strict=True) if v is not None]
        if not known:
            parts.append(_("%(series)s: no values.") % {"series": one.name})
            continue
        high, high_label = max(known, key=lambda pair: pair[0])
        low, low_label = min(known, key=lambda pair: pair[0])
        parts.append(
            _("%(series)s: highest %(high)s (%(high_label)s), lowest %(low)s (%(low_label)s).")
            % {
                "series": one.name,
                "high": fmt(high),
                "high_label": high_label,
                "low": fmt(low),
                "low_label": low_label,
            }
        )
    if labels:
        parts.insert(
            0,
            _("%(count)d points from %(first)s to %(last)s.")
            % {"count": len(labels), "first": labels[0], "last": labels[-1]},
        )
    return " ".join(parts)


def _table(
    labels: Sequence[str], series: Sequence[Series], fmt: Formatter
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (
            label,
            tuple("—" if one.values[i] is None else fmt(one.values[i]) for one in series),  # type: ignore[arg-type]
        )
        for i, label in enumerate(labels)
    )


def _frame(
    chart_id: str, title: str, description: str, ticks: list[float], fmt: Formatter
) -> list[str]:
    """The opening of the SVG with its accessible name, and the y axis with grid lines."""
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for tick in ticks:
        y = MARGIN_TOP + plot_height - plot_height * tick / ticks[-1]
        parts.append(
            f'<line class="chart-grid" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d5da" stroke-width="1"/>'
            f'<text class="chart-tick" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end" font-size="13" fill="#3d4650">{escape(fmt(tick))}</text>'
        )
    return parts


def _x_labels(labels: Sequence[str], centre: Callable[[int], float]) -> list[str]:
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    y = HEIGHT - MARGIN_BOTTOM + 16
    return [
        f'<text class="chart-label" x="{centre(i):.1f}" y="{y}" text-anchor="end" '
        f'font-size="13" fill="#3d4650" transform="rotate(-30 {centre(i):.1f} {y})">'
        f"{escape(_short(label))}</text>"
        for i, label in enumerate(labels)
        if i % every == 0
    ]


def _short(label: str, limit: int = 18) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _legend(series: Sequence[Series]) -> list[str]:
    if len(series) < 2:
        return []
    # Above the plot: below it, the slanted labels need the room.
    parts, x = [], MARGIN_LEFT
    y = 16
    for index, one in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{y}" font-size="13" fill="#1f262d">{escape(one.name)}</text>'
        )
        x += 28 + 8 * len(one.name)
    return parts


def _top(series: Sequence[Series]) -> float:
    return max((v for one in series for v in one.values if v is not None), default=0.0)


def line_chart(
    *,
    key: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    fmt: Formatter = plain,
) -> Chart:
    """One line per series over the labels (periods, in order); a missing value breaks the
    line instead of dropping it to zero."""
    chart_id = f"chart-{key}"
    ticks = nice_ticks(_top(series))
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

    def x_of(i: int) -> float:
        if len(labels) == 1:
            return MARGIN_LEFT + plot_width / 2
        return MARGIN_LEFT + plot_width * i / (len(labels) - 1)

    def y_of(value: float) -> float:
        return MARGIN_TOP + plot_height - plot_height * value / ticks[-1]

    parts = _frame(chart_id, title, _description(labels, series, fmt), ticks, fmt)
    for index, one in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        path, pen_down = [], False
        for i, value in enumerate(one.values):
            if value is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x_of(i):.1f},{y_of(value):.1f}")
            pen_down = True
        parts.append(
            f'<path class="chart-line" d="{" ".join(path)}" fill="none" stroke="{colour}" '
            f'stroke-width="2"/>'
        )
        for i, value in enumerate(one.values):
            if value is None or len(labels) > MAX_POINTS:
                continue
            tip = f"{one.name}, {labels[i]}: {fmt(value)}"
            parts.append(
                f'<circle class="chart-point" cx="{x_of(i):.1f}" cy="{y_of(value):.1f}" r="3" '
                f'fill="{colour}"><title>{escape(tip)}</title></circle>'
            )
    parts += _x_labels(labels, x_of)
    parts += _legend(series)
    parts.append("</svg>")
    return Chart(
        key=key,
        title=title,
        svg=mark_safe("".join(parts)),  # noqa: S308 — every text above went through escape()
        series_names=tuple(one.name for one in series),
        table=_table(labels, series, fmt),
    )


def bar_chart(
    *,
    key: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    fmt: Formatter = plain,
) -> Chart:
    """Grouped vertical bars, one group per label, one bar per series; the first MAX_BARS
    labels only (the table under the chart has them all)."""
    chart_id = f"chart-{key}"
    shown = list(labels[:MAX_BARS])
    cut = [Series(one.name, list(one.values[:MAX_BARS])) for one in series]
    ticks = nice_ticks(_top(cut))
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_width / max(1, len(shown))
    bar = slot * 0.8 / max(1, len(cut))

    def centre(i: int) -> float:
        return MARGIN_LEFT + slot * (i + 0.5)

    parts = _frame(chart_id, title, _description(shown, cut, fmt), ticks, fmt)
    for index, one in enumerate(cut):
        colour = PALETTE[index % len(PALETTE)]
        for i, value in enumerate(one.values):
            if value is None:
                continue
            height = plot_height * value / ticks[-1]
            x = MARGIN_LEFT + slot * i + slot * 0.1 + bar * index
            tip = f"{one.name}, {shown[i]}: {fmt(value)}"
            parts.append(
                f'<rect class="chart-bar" x="{x:.1f}" y="{MARGIN_TOP + plot_height - height:.1f}" '
                f'width="{bar:.1f}" height="{height:.1f}" fill="{colour}">'
                f"<title>{escape(tip)}</title></rect>"
            )
    parts += _x_labels(shown, centre)
    parts += _legend(cut)
    parts.append("</svg>")
    return Chart(
        key=key,
        title=title,
        svg=mark_safe("".join(parts)),  # noqa: S308 — every text above went through escape()
        series_names=tuple(one.name for one in series),
        table=_table(labels, series, fmt),
    )
