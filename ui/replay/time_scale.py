"""The timeline's window onto time: pixels ↔ wall-clock seconds, zoom limits, axis ticks.

Pure arithmetic (no painting) so it can be tested at every zoom. Times are wall-clock
seconds since the epoch (UTC, as the core stores them); tick positions and labels follow
the station's local time (``datetime.fromtimestamp`` without a zone), so hour ticks fall
on the station's whole hours and day ticks on its midnights.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_SPAN_S = 60.0  # one minute across the widget
MAX_SPAN_S = 7 * 86400.0  # seven days
KEY_ZOOM = 2.0  # one + / - press
WHEEL_ZOOM = 1.25  # one wheel notch (120 eighths of a degree)

# Steps between labelled ticks, smallest first; the first leaving room for a label wins.
TICK_STEPS_S = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 2 * 3600,
                3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400)
MIN_TICK_PX = 70.0


class TickUnit:
    SECONDS = "seconds"
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"


@dataclass(frozen=True)
class Tick:
    moment: float
    label: str
    major: bool  # a new day starts here (the label carries the date)


@dataclass(frozen=True)
class TimeWindow:
    """[start, start + span) seconds shown over ``width`` pixels."""

    start: float
    span: float

    @property
    def end(self) -> float:
        return self.start + self.span

    def x_of(self, moment: float, width: float) -> float:
        return (moment - self.start) / self.span * width

    def time_at(self, x: float, width: float) -> float:
        return self.start + x / max(width, 1.0) * self.span

    def zoomed(self, factor: float, anchor: float) -> TimeWindow:
        """Span divided by ``factor`` (>1 zooms in), keeping ``anchor`` where it is on
        screen; clamped to one minute .. seven days."""
        span = min(MAX_SPAN_S, max(MIN_SPAN_S, self.span / factor))
        ratio = (anchor - self.start) / self.span if self.span else 0.5
        return TimeWindow(anchor - ratio * span, span)

    def moved(self, seconds: float) -> TimeWindow:
        return TimeWindow(self.start + seconds, self.span)

    def ending_at(self, moment: float) -> TimeWindow:
        return TimeWindow(moment - self.span, self.span)

    def centred_on(self, moment: float) -> TimeWindow:
        return TimeWindow(moment - self.span / 2, self.span)


def tick_step(span: float, width: float) -> int:
    """Seconds between labelled ticks so that labels are at least MIN_TICK_PX apart."""
    for step in TICK_STEPS_S:
        if step / span * width >= MIN_TICK_PX:
            return step
    return TICK_STEPS_S[-1]


def tick_unit(step: int) -> str:
    if step < 60:
        return TickUnit.SECONDS
    if step < 3600:
        return TickUnit.MINUTES
    if step < 86400:
        return TickUnit.HOURS
    return TickUnit.DAYS


def _local_offset(moment: float) -> float:
    offset = datetime.fromtimestamp(moment).astimezone().utcoffset()
    return offset.total_seconds() if offset is not None else 0.0


def _label(moment: float, unit: str) -> str:
    local = datetime.fromtimestamp(moment)
    if unit == TickUnit.SECONDS:
        return local.strftime("%H:%M:%S")
    if unit == TickUnit.DAYS:
        return local.strftime("%m-%d")
    return local.strftime("%H:%M")


def ticks(window: TimeWindow, width: float) -> list[Tick]:
    """Labelled ticks inside the window, aligned on the station's local clock. A tick at
    a local midnight is major and shows the date (a day-step tick shows only the date)."""
    step = tick_step(window.span, width)
    unit = tick_unit(step)
    found: list[Tick] = []
    if unit == TickUnit.DAYS:
        day = datetime.fromtimestamp(window.start).replace(hour=0, minute=0, second=0,
                                                           microsecond=0)
        while (moment := time.mktime(day.timetuple())) < window.end:
            if moment >= window.start:
                found.append(Tick(moment, _label(moment, unit), True))
            day += timedelta(days=step // 86400)
        return found
    offset = _local_offset(window.start)
    first = math.ceil((window.start + offset) / step) * step - offset
    moment = first
    while moment < window.end:
        local = datetime.fromtimestamp(moment)
        midnight = local.hour == 0 and local.minute == 0 and local.second == 0
        label = local.strftime("%m-%d") if midnight and unit != TickUnit.SECONDS \
            else _label(moment, unit)
        found.append(Tick(moment, label, midnight))
        moment += step
    return found

