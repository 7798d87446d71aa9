"""Server-side SVG charts: well-formed, named for screen readers, values in tooltips and in
the table under the chart, hostile labels escaped, gaps shown as gaps."""

import xml.etree.ElementTree as ET

import pytest

from nordesk.web.charts import MAX_BARS, MAX_POINTS, Series, bar_chart, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def _parse(chart):
    return ET.fromstring(str(chart.svg))  # noqa: S314 — our own output


def test_line_chart_is_an_image_named_by_its_title_and_description():
    # given two series over three days
    chart = line_chart(
        key="volume",
        title="Created and solved",
        labels=["2026-11-02", "2026-11-03", "2026-11-04"],
        series=[Series("Created", [4, 10, 7]), Series("Solved", [2, 3, 9])],
    )

    # then
    svg = _parse(chart)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-volume-title chart-volume-desc"
    assert svg.find(f"{SVG}title").text == "Created and solved"
    description = svg.find(f"{SVG}desc").text
    assert "3 points from 2026-11-02 to 2026-11-04" in description
    assert "Created: highest 10 (2026-11-03), lowest 4 (2026-11-02)" in description
    tips = [c.find(f"{SVG}title").text for c in svg.iter(f"{SVG}circle")]
    assert "Solved, 2026-11-04: 9" in tips
    assert len(tips) == 6


def test_line_chart_table_gives_every_value_formatted():
    chart = line_chart(
        key="frt",
        title="First response",
        labels=["Mon", "Tue"],
        series=[Series("Median", [90.0, None])],
        fmt=lambda seconds: f"{seconds / 60:g} min",
    )

    assert chart.table == (("Mon", ("1.5 min",)), ("Tue", ("—",)))


def test_line_chart_missing_value_breaks_the_line_instead_of_dropping_to_zero():
    chart = line_chart(
        key="gap",
        title="Gap",
        labels=["a", "b", "c", "d"],
        series=[Series("x", [1, None, 3, 4])],
    )

    path = next(_parse(chart).iter(f"{SVG}path")).get("d")
    assert path.count("M") == 2
    assert path.count("L") == 1
    assert len(list(_parse(chart).iter(f"{SVG}circle"))) == 3


def test_dense_lines_have_no_dots_but_the_table_has_every_value():
    labels = [f"day {i}" for i in range(MAX_POINTS + 1)]

    chart = line_chart(key="d", title="D", labels=labels, series=[Series("x", range(len(labels)))])

    assert list(_parse(chart).iter(f"{SVG}circle")) == []
    assert len(chart.table) == MAX_POINTS + 1


def test_chart_escapes_labels_and_titles():
    chart = bar_chart(
        key="evil",
        title="<script>alert(1)</script>",
        labels=['Team "<b>"'],
        series=[Series("Solved & more", [3])],
    )

    text = str(chart.svg)
    assert "<script>" not in text
    assert "<b>" not in text
    svg = _parse(chart)  # still well-formed XML
    assert svg.find(f"{SVG}title").text == "<script>alert(1)</script>"


def test_bar_chart_draws_one_bar_per_value_and_cuts_long_lists_but_not_the_table():
    labels = [f"agent {i}" for i in range(MAX_BARS + 5)]
    chart = bar_chart(
        key="agents",
        title="Solved per agent",
        labels=labels,
        series=[Series("Solved", list(range(MAX_BARS + 5)))],
    )

    bars = list(_parse(chart).iter(f"{SVG}rect"))
    assert len(bars) == MAX_BARS
    assert len(chart.table) == MAX_BARS + 5


def test_bar_heights_are_proportional_to_values():
    chart = bar_chart(key="p", title="P", labels=["a", "b"], series=[Series("n", [50, 100])])

    heights = [float(bar.get("height")) for bar in _parse(chart).iter(f"{SVG}rect")]
    assert heights[1] == pytest.approx(2 * heights[0])


def test_grouped_bars_have_a_legend():
    chart = bar_chart(
        key="g",
        title="G",
        labels=["email", "chat"],
        series=[Series("Created", [3, 4]), Series("Solved", [1, 2])],
    )

    texts = [t.text for t in _parse(chart).iter(f"{SVG}text")]
    assert "Created" in texts
    assert "Solved" in texts


def test_empty_chart_still_draws():
    chart = line_chart(key="e", title="Nothing", labels=[], series=[Series("x", [])])

    assert _parse(chart).get("role") == "img"
    assert chart.table == ()


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (94, [0, 20, 40, 60, 80, 100]),
        (100, [0, 20, 40, 60, 80, 100]),
        (7, [0, 2, 4, 6, 8]),
        (0.83, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0, [0, 1]),
        (12, [0, 2.5, 5, 7.5, 10, 12.5]),
    ],
)
def test_nice_ticks_are_round_and_cover_the_top(top, expected):
    assert nice_ticks(top) == pytest.approx(expected)
