"""Pixels <-> time at every zoom, zoom limits, axis ticks in the station's local time."""

from __future__ import annotations

import itertools
import time
from datetime import datetime

import pytest

from ui.replay.time_scale import MAX_SPAN_S, MIN_SPAN_S, TimeWindow, tick_step, tick_unit, ticks

T = datetime(2026, 11, 30, 10, 0).timestamp()  # station local time


@pytest.mark.parametrize("span", [60.0, 600.0, 3600.0, 86400.0, 7 * 86400.0])
def test_x_and_time_map_both_ways(span: float) -> None:
    window, width = TimeWindow(T, span), 1200.0
    assert window.x_of(T, width) == 0
    assert window.x_of(T + span / 2, width) == pytest.approx(600)
    assert window.time_at(1200, width) == pytest.approx(T + span)
    for x in (0.0, 1.0, 333.0, 1199.0):
        assert window.x_of(window.time_at(x, width), width) == pytest.approx(x)


def test_zoom_keeps_the_anchor_in_place_and_stops_at_one_minute_and_seven_days() -> None:
    window = TimeWindow(T, 3600.0)
    anchor = T + 900.0
    zoomed = window.zoomed(2.0, anchor)
    assert zoomed.span == 1800.0
    assert zoomed.x_of(anchor, 1000) == pytest.approx(window.x_of(anchor, 1000))
    for _ in range(20):
        window = window.zoomed(2.0, anchor)
    assert window.span == MIN_SPAN_S
    for _ in range(40):
        window = window.zoomed(0.5, anchor)
    assert window.span == MAX_SPAN_S


@pytest.mark.parametrize(("span", "width", "unit"), [
    (60.0, 1200.0, "seconds"), (1800.0, 1200.0, "minutes"), (86400.0, 1200.0, "hours"),
    (7 * 86400.0, 1200.0, "hours"), (7 * 86400.0, 600.0, "days")])
def test_axis_labels_adapt_to_the_zoom(span: float, width: float, unit: str) -> None:
    assert tick_unit(tick_step(span, width)) == unit
    found = ticks(TimeWindow(T, span), width)
    assert len(found) >= 3
    gaps = [b.moment - a.moment for a, b in itertools.pairwise(found)]
    assert min(gaps) / span * width >= 70 - 1  # labels do not overlap
    first = datetime.fromtimestamp(found[0].moment)
    if unit == "seconds":
        assert found[0].label == first.strftime("%H:%M:%S")
    elif unit == "days":
        assert (first.hour, first.minute) == (0, 0)  # local midnights
        assert found[0].label == first.strftime("%m-%d")
    else:
        assert first.second == 0 and first.minute % 5 == 0  # on the local clock's marks


def test_a_day_boundary_tick_shows_the_date() -> None:
    midnight = time.mktime(datetime(2026, 12, 1).timetuple())
    found = ticks(TimeWindow(midnight - 3 * 3600, 6 * 3600), 1200.0)
    at_midnight = [t for t in found if t.moment == midnight]
    assert at_midnight and at_midnight[0].major and at_midnight[0].label == "12-01"
