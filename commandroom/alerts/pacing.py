"""Pacing the team robots: at most 20 messages a minute per robot, queued in order.

A token bucket per robot, shared by every team channel that posts to the same robot
(same platform, URL and key). Each token comes back one minute (plus a margin) after it
was spent rather than trickling back at 1 every 3 s: that is the same rate, but it keeps
any 60-second window at 20 sends at most, however the platform counts its minute, and
still lets a burst of 20 go at once.

When the bucket is empty a message is *booked* a time at the end of the robot's queue,
so 30 alerts wait their turn in order instead of all waking up together; the
dispatcher keeps the delivery waiting until then without spending an attempt. A
"too fast" answer from the platform (someone else posts to the same robot) empties the
bucket for the platform's own pause (1 min for WeCom, 10 min for DingTalk).
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from commandroom.alerts.channels.robot_rules import MESSAGES_PER_MINUTE
from commandroom.db.base import utcnow

WINDOW = timedelta(seconds=60)
# Our clock and the platform's tick apart by the network's delay and a rounding: a token
# returns a little after the full minute.
MARGIN = timedelta(seconds=1)
# A booking whose owner never came back (deleted, failed elsewhere) stops counting
# once its minute has passed.
STALE_BOOKING = WINDOW + MARGIN


def robot_identity(platform: str, url: str, key: str) -> str:
    """One name for one robot whatever team uses it; the key is hashed, not kept."""
    return hashlib.sha256(f"{platform}\n{url}\n{key}".encode()).hexdigest()[:24]


@dataclass
class _Bucket:
    spent: deque[datetime] = field(default_factory=deque)  # one entry per message sent
    booked: dict[str, tuple[datetime, int]] = field(default_factory=dict)  # key → (at, n)
    paused_until: datetime | None = None


class RobotPacer:
    def __init__(
        self,
        clock: Callable[[], datetime] = utcnow,
        per_minute: int = MESSAGES_PER_MINUTE,
    ) -> None:
        self._clock = clock
        self._per_minute = per_minute
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, robot: str, message_key: str, count: int) -> float:
        """Spend ``count`` tokens for one message now (0.0 returned), or book its turn and
        return the seconds until then (nothing spent)."""
        count = max(1, min(count, self._per_minute))
        with self._lock:
            now = self._clock()
            bucket = self._buckets.setdefault(robot, _Bucket())
            self._forget_old(bucket, now)
            booking = bucket.booked.get(message_key)
            others_waiting = any(k != message_key for k in bucket.booked)
            own_turn = booking is not None and booking[0] <= now
            may_go = own_turn or not others_waiting
            if may_go and self._free_at(bucket, now, count, bookings=False) <= now:
                bucket.booked.pop(message_key, None)
                bucket.spent.extend([now] * count)
                return 0.0
            if booking is None or booking[0] <= now:  # new, or its turn came and went
                bucket.booked.pop(message_key, None)
                start = max([now, *(at for at, _n in bucket.booked.values())])
                booking = (self._free_at(bucket, start, count, bookings=True), count)
                bucket.booked[message_key] = booking
            return max(0.0, (booking[0] - now).total_seconds())

    def pause(self, robot: str, seconds: float) -> None:
        """The platform said "too fast": nothing goes to this robot for ``seconds``."""
        with self._lock:
            bucket = self._buckets.setdefault(robot, _Bucket())
            until = self._clock() + timedelta(seconds=seconds)
            bucket.paused_until = max(until, bucket.paused_until or until)
            # Bookings made before the pause would wake up into it: move them after it.
            bucket.booked = {
                k: (max(at, until), n) for k, (at, n) in bucket.booked.items()
            }

    def cancel(self, robot: str, message_key: str) -> None:
        """A booked message went another way (failed for good): free its turn."""
        with self._lock:
            bucket = self._buckets.get(robot)
            if bucket is not None:
                bucket.booked.pop(message_key, None)

    def _free_at(self, bucket: _Bucket, start: datetime, count: int, bookings: bool) -> datetime:
        """The first moment ≥ ``start`` when ``count`` more messages keep every minute at
        ``per_minute``, counting what was spent (and what is booked, if asked)."""
        times = sorted(
            [*bucket.spent, *(at for at, n in bucket.booked.values() for _ in range(n))]
            if bookings
            else bucket.spent
        )
        at = max(start, bucket.paused_until or start)
        while True:
            in_window = [t for t in times if at - WINDOW - MARGIN < t <= at]
            if len(in_window) + count <= self._per_minute:
                return at
            # The oldest one in the window must leave before there is room.
            at = in_window[len(in_window) + count - self._per_minute - 1] + WINDOW + MARGIN

    @staticmethod
    def _forget_old(bucket: _Bucket, now: datetime) -> None:
        while bucket.spent and bucket.spent[0] <= now - WINDOW - MARGIN:
            bucket.spent.popleft()
        bucket.booked = {
            k: (at, n) for k, (at, n) in bucket.booked.items() if at > now - STALE_BOOKING
        }
        if bucket.paused_until is not None and bucket.paused_until <= now:
            bucket.paused_until = None
