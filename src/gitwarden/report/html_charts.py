"""Bar charts as inline SVG, drawn on the server: no script and no network to view them.

Labels are escaped by the templates that place them; here they are only measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 150
BAR_AREA = 260


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: int
    y: int
    css_class: str


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    height: int
    width: int = LABEL_WIDTH + BAR_AREA + 60
    label_width: int = LABEL_WIDTH


def bar_chart(
    title: str, values: Sequence[tuple[str, int]], css_classes: Sequence[str] = ()
) -> BarChart:
    """Horizontal bars, longest = the largest value; ``css_classes`` colour them in order."""
    largest = max((value for _, value in values), default=0) or 1
    bars = tuple(
        Bar(
            label,
            value,
            round(BAR_AREA * value / largest),
            index * (BAR_HEIGHT + BAR_GAP),
            css_classes[index] if index < len(css_classes) else "bar",
        )
        for index, (label, value) in enumerate(values)
    )
    return BarChart(title, bars, max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP))


@dataclass(frozen=True)
class Series:
    name: str
    points: str  # SVG polyline points, "x,y x,y"
    css_class: str


@dataclass(frozen=True)
class LineChart:
    title: str
    series: tuple[Series, ...]
    labels: tuple[tuple[int, str], ...]  # x position, label (first and last moment)
    largest: int
    width: int = 560
    height: int = 160


def line_chart(
    title: str, moments: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]
) -> LineChart:
    """One line per series over ``moments`` (equally spaced, oldest first)."""
    width, height, pad = 560, 160, 10
    largest = max((max(values, default=0) for _, values in series), default=0) or 1
    steps = max(1, len(moments) - 1)

    def point(index: int, value: int) -> str:
        x = pad + (width - 2 * pad) * index / steps
        y = height - pad - (height - 2 * pad) * value / largest
        return f"{x:.1f},{y:.1f}"

    def points(values: Sequence[int]) -> str:
        if len(values) == 1:  # one moment: a level line across, not an invisible dot
            level = point(0, values[0]).split(",")[1]
            return f"{pad},{level} {width - pad},{level}"
        return " ".join(point(i, v) for i, v in enumerate(values))

    drawn = tuple(
        Series(name, points(values), f"line{n % 6}") for n, (name, values) in enumerate(series)
    )
    labels: tuple[tuple[int, str], ...] = ()
    if moments:
        labels = ((pad, moments[0]), (width - pad, moments[-1]))
    return LineChart(title, drawn, labels, largest)
