"""Inline SVG charts: drawn on the server, sized by their values (issue 21.1)."""

from __future__ import annotations

from gitwarden.report.html_charts import BAR_AREA, bar_chart, line_chart


def test_longest_bar_is_the_largest_value() -> None:
    chart = bar_chart("t", [("high", 4), ("low", 2), ("info", 0)])
    assert [bar.width for bar in chart.bars] == [BAR_AREA, BAR_AREA // 2, 0]


def test_chart_of_nothing_has_no_bars() -> None:
    assert bar_chart("t", []).bars == ()


def test_line_chart_rises_with_its_values() -> None:
    chart = line_chart("t", ["2026-11-01", "2026-11-02"], [("rbac", [0, 5])])
    (first, last) = chart.series[0].points.split()
    assert float(first.split(",")[1]) > float(last.split(",")[1])  # SVG y grows downwards
    assert [label for _, label in chart.labels] == ["2026-11-01", "2026-11-02"]


def test_line_of_a_single_moment_is_drawn_across() -> None:
    chart = line_chart("t", ["2026-11-01"], [("rbac", [3])])
    (first, last) = chart.series[0].points.split()
    assert first.split(",")[1] == last.split(",")[1] and first != last
