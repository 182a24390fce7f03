"""The statistics' charts, drawn by pyqtgraph (see pyproject.toml for why): bar charts
with category labels on the x axis, one colour per series and a legend."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QGraphicsView, QWidget

# Series colours readable on the dark theme (and told apart by the colour-blind).
COLOURS = ("#4e9ff5", "#f5a54e", "#7bd389", "#e0607e", "#b48ef0")
BACKGROUND = "#202124"
LEGEND_ROW = 4  # a PlotItem's grid: title 0, top axis 1, plot 2, bottom axis 3
SIDE_BY_SIDE_CHARS = 12
AXIS_TEXT_MARGIN = 6  # pixels between the axis line and its labels, and below them


def new_chart(title: str) -> QGraphicsView:
    chart = pg.PlotWidget(background=BACKGROUND)
    chart.setTitle(title, color="#e8e8e8", size="10pt")
    chart.setMouseEnabled(x=False, y=False)
    chart.setMenuEnabled(False)
    chart.hideButtons()
    chart.showGrid(y=True, alpha=0.2)
    view: QGraphicsView = chart
    return view


def set_title(chart: QWidget, title: str) -> None:
    chart.setTitle(title, color="#e8e8e8", size="10pt")  # type: ignore[attr-defined]


def draw_bars(chart: QWidget, labels: Sequence[str],
              series: Sequence[tuple[str, Sequence[float]]], *, every: int = 1) -> None:
    """Grouped bars: one group per label, one bar per series (named in the legend when
    there is more than one); ``every`` shows one label in so many (days)."""
    plot = chart.getPlotItem()  # type: ignore[attr-defined]
    plot.clear()
    names = [name for name, _ in series] if len(series) > 1 else []
    # Side by side when short; long names ("Community policing (median 53 min)") one
    # under the other, else the legend's width pushed the chart past its cell.
    _legend_below(plot, 0 if not names else
                  len(names) if max(len(n) for n in names) <= SIDE_BY_SIDE_CHARS else 1)
    width = 0.8 / max(1, len(series))
    for index, (name, values) in enumerate(series):
        offset = (index - (len(series) - 1) / 2) * width
        bars = pg.BarGraphItem(x=[i + offset for i in range(len(values))], height=list(values),
                               width=width * 0.9, brush=COLOURS[index % len(COLOURS)],
                               pen=None, name=name if len(series) > 1 else None)
        plot.addItem(bars)
    shown = [(i, two_lines(label)) for i, label in enumerate(labels) if i % every == 0]
    axis = plot.getAxis("bottom")
    axis.setTicks([shown])
    # The axis sizes itself for 0.8 of its labels' height: a second line was cut.
    lines = max((label.count("\n") + 1 for _, label in shown), default=1)
    axis.setHeight(None if lines == 1 else
                   lines * QFontMetrics(axis.style["tickFont"] or axis.font()).lineSpacing()
                   + AXIS_TEXT_MARGIN)
    plot.setXRange(-0.6, max(len(labels), 1) - 0.4, padding=0)
    highest = max((max(values, default=0) for _, values in series), default=0)
    plot.setYRange(0, max(highest, 1) * 1.1, padding=0)
    # Place the legend row and the resized axis now: left to the posted layout request,
    # the first paint could come first and show the legend at the plot's top left, over
    # the bars (tests/ui/test_statistics_ui.py caught it about one run in three).
    plot.layout.activate()


def two_lines(label: str) -> str:
    """A label of several words on two lines, broken at the space nearest its middle:
    under a chart a third of the window wide, "False alarm" and "Handed over" ran into
    one another on one line. Labels without a space (Chinese, days, minutes) stay."""
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    if not spaces:
        return label
    cut = min(spaces, key=lambda i: abs(len(label) - 2 * i))
    return f"{label[:cut]}\n{label[cut + 1:]}"


def _legend_below(plot: pg.PlotItem, columns: int) -> None:
    """The legend in its own row under the x axis, outside the plot area: inside it, it
    covered the bars of the first groups whatever headroom was left above them (its
    height in pixels does not follow the y range). No legend for a single series."""
    if plot.legend is not None:
        plot.layout.removeItem(plot.legend)
        if plot.legend.scene() is not None:
            plot.legend.scene().removeItem(plot.legend)
        plot.legend = None
    if columns:
        # Bars named after this are listed in it by PlotItem.addItem.
        plot.legend = pg.LegendItem(colCount=columns, labelTextColor="#e8e8e8", frame=False)
        plot.layout.addItem(plot.legend, LEGEND_ROW, 1)
