"""Clock health from the Date headers the channels already receive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from commandroom.clock_health import (
    OFF,
    OK,
    UNKNOWN,
    ClockHealth,
    ClockHealthChanged,
    offset_from_date_header,
)
from commandroom.events import EventBus

T0 = datetime(2026, 11, 30, 8, 0, 0, tzinfo=UTC)


def test_offset_is_the_servers_time_minus_the_middle_of_the_request() -> None:
    server = format_datetime(T0 + timedelta(minutes=90), usegmt=True)
    offset = offset_from_date_header(server, T0, T0 + timedelta(seconds=2))
    assert offset is not None and abs(offset - (90 * 60 - 1 + 0.5)) < 0.01
    assert offset_from_date_header("not a date", T0, T0) is None


def test_state_follows_the_median_of_the_sources_and_is_published_on_change() -> None:
    bus = EventBus()
    seen: list[ClockHealthChanged] = []
    bus.subscribe(ClockHealthChanged, seen.append)
    health = ClockHealth(bus, lambda: T0)
    assert health.current().status == UNKNOWN
    health.record("webhook a", 0.8)
    health.record("webhook b", 1.2)
    health.record("webhook c", -5400.0)  # one receiver with a wrong clock does not decide
    assert health.current().status == OK
    health.record("webhook d", -5390.0)
    health.record("webhook e", -5395.0)
    reading = health.current()
    assert (reading.status, reading.minutes_off, reading.behind) == (OFF, 90, False)
    health.record("webhook e", -5396.0)  # same minutes: no new event
    assert [(e.reading.status, e.reading.minutes_off) for e in seen] == [
        (OK, 0), (OFF, 45), (OFF, 90)]  # two of four say 90 min: the median is between
