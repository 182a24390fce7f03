"""When to try again: capped exponential backoff with jitter, slow for hopeless errors."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from commandroom.video.state import OfflineReason

# Errors a retry cannot fix by itself: retrying fast would lock camera accounts (401) or
# hammer a server for nothing; the user fixes the camera entry, which makes a new spec.
PERMANENT_REASONS = frozenset(
    {OfflineReason.WRONG_CREDENTIALS, OfflineReason.NOT_FOUND, OfflineReason.UNSUPPORTED_CODEC}
)
# A permanent error is retried once per backoff_max_s * this factor (5 min by default).
# (When a stream counts as OFFLINE is decided by time without a picture, not by a count
# of attempts: see lifecycle.py.)
PERMANENT_RETRY_FACTOR = 10.0


@dataclass
class BackoffPolicy:
    """Delay before attempt n: initial * 2^(n-1), capped, times a jitter in [1-j, 1+j].

    The jitter spreads the reconnects of many cameras behind one dead switch, so they don't
    all knock at the same instant when it comes back.
    """

    initial_s: float = 1.0
    max_s: float = 30.0
    jitter: float = 0.2
    rng: random.Random = field(default_factory=random.Random)
    clock: Callable[[], float] = time.monotonic
    attempt: int = 0
    next_attempt_at: float | None = None

    def next_delay(self, reason: OfflineReason | None = None) -> float:
        """Count one more failed attempt and return how long to wait before the next one."""
        self.attempt += 1
        if reason in PERMANENT_REASONS:
            delay = self.max_s * PERMANENT_RETRY_FACTOR
        else:
            base = min(self.max_s, self.initial_s * 2.0 ** min(self.attempt - 1, 60))
            spread = 1.0 + self.jitter * (2.0 * self.rng.random() - 1.0)
            delay = min(self.max_s, base * spread)
        self.next_attempt_at = self.clock() + delay
        return delay

    def retry_in(self) -> float | None:
        """Seconds until the scheduled attempt (0 when due, None when none is scheduled)."""
        if self.next_attempt_at is None:
            return None
        return max(0.0, self.next_attempt_at - self.clock())

    def reset(self) -> None:
        """The stream worked again: the next failure starts from the initial delay."""
        self.attempt = 0
        self.next_attempt_at = None
