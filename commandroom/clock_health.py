"""Is the PC's clock right? Measured from what the alert channels already hear.

Every HTTP answer carries a ``Date`` header stamped by the server's clock (RFC 9110
§6.6.1); robots, webhooks and their proxies keep their clocks on time. The channels
report ``server time − our time`` here; nothing is contacted for the purpose. A clock
off by an hour makes DingTalk refuse every signed message (310000), and it stamps
evidence and the audit trail wrong, so the console shows the state on its status bar.
"""

from __future__ import annotations

import statistics
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

from commandroom.db.base import utcnow
from commandroom.events import EventBus

# A Date header has whole seconds and the request takes a while: below a minute the
# difference is noise, not a wrong clock.
OFF_AFTER_S = 60.0

UNKNOWN = "unknown"
OK = "ok"
OFF = "off"


@dataclass(frozen=True)
class ClockReading:
    status: str  # unknown | ok | off
    offset_s: float = 0.0  # server − PC: positive when the PC's clock is behind
    source: str = ""
    measured_at: datetime | None = None

    @property
    def minutes_off(self) -> int:
        return round(abs(self.offset_s) / 60)

    @property
    def behind(self) -> bool:
        return self.offset_s > 0


@dataclass(frozen=True)
class ClockHealthChanged:
    reading: ClockReading


def offset_from_date_header(
    date_header: str, sent_at: datetime, answered_at: datetime
) -> float | None:
    """``Date`` minus the middle of the request as our clock saw it; None if unreadable.
    The header truncates to the second, so half a second is added back."""
    try:
        server = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError):
        return None
    if server is None or server.tzinfo is None:
        return None
    middle = sent_at + (answered_at - sent_at) / 2
    return (server - middle).total_seconds() + 0.5


class ClockHealth:
    """The latest offset per source; the state is their median (one receiver with a
    wrong clock among right ones does not make ours wrong)."""

    def __init__(self, bus: EventBus | None = None, clock: Callable[[], datetime] = utcnow):
        self._bus = bus
        self._clock = clock
        self._lock = threading.Lock()
        self._latest: dict[str, float] = {}
        self._reading = ClockReading(UNKNOWN)

    def record(self, source: str, offset_s: float) -> ClockReading:
        with self._lock:
            self._latest[source] = offset_s
            offset = statistics.median(self._latest.values())
            status = OFF if abs(offset) >= OFF_AFTER_S else OK
            reading = ClockReading(status, offset, source, self._clock())
            previous, self._reading = self._reading, reading
        changed = (previous.status, previous.minutes_off, previous.behind) != (
            reading.status, reading.minutes_off, reading.behind
        )
        if changed and self._bus is not None:
            self._bus.publish(ClockHealthChanged(reading))
        return reading

    def current(self) -> ClockReading:
        with self._lock:
            return self._reading
