"""The one state model of a stream: which states exist, when each is entered and left.

The reader thread reports what happens (an attempt starts, fails, a picture is decoded);
the hub's watchdog asks ``check`` about once a second for what time alone changes. Both
get their status from here, so a cut cable and a frozen camera follow the same rules:

=============  =========================================  ==================================
state          entered when                               the tile says
=============  =========================================  ==================================
CONNECTING     the reader starts its first attempt        connecting
LIVE           a picture is decoded                       nothing, or its health: slow
                                                          (n fps, x s behind), damaged
                                                          (errors concealed, counted),
                                                          delayed (by the sender's clock)
STALLED        connected, no picture for stall_after_s    no data / no picture in the data,
               (whether bytes arrive or not)              reconnecting in s
RECONNECTING   an attempt failed, or a stalled            attempt n, retry in s (or: trying
               connection reached read_timeout_s          now)
               without a picture (bytes or not)
OFFLINE        no picture for offline_after_s (at a       the reason, and either "still
               failure or while waiting), or a reason     trying, next in s" (or "trying
               a retry cannot fix (PERMANENT_REASONS:     now") or "not retrying"
               retried every backoff_max_s x 10), or the
               engine gave up (the reader crashed)
STOPPED        nobody watches the stream                  -
=============  =========================================  ==================================

A picture (any state) makes the stream LIVE again and resets the backoff. "No picture" is
measured from the last decoded picture, or from the reader's start if there never was
one, so the time to OFFLINE does not depend on how an attempt fails: refused at once or
timing out after open_timeout_s, a stream turns OFFLINE offline_after_s after it was lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from commandroom.config import VideoSettings
from commandroom.video.backoff import PERMANENT_REASONS, BackoffPolicy
from commandroom.video.errors import Failure
from commandroom.video.state import HEALTHY, OfflineReason, StreamHealth, StreamState, StreamStatus

# Data arrived within this long: a stalled stream is "receiving" (no picture in the data).
RECEIVING_WINDOW_S = 1.0


class StreamLifecycle:
    """Decides the status; thread-safe for one reader thread plus the watchdog."""

    def __init__(
        self,
        settings: VideoSettings,
        clock: Callable[[], float],
        backoff: BackoffPolicy | None = None,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self.backoff = backoff or BackoffPolicy(
            settings.backoff_initial_s, settings.backoff_max_s, clock=clock
        )
        # Written by the reader thread for every picture, read by the watchdog (a float
        # assignment is atomic under the GIL).
        self.last_picture = clock()
        # The failure being retried and whether it counts as offline: changed by both
        # threads, under the lock (not the per-frame path: see picture()).
        self._lock = threading.Lock()
        self._failure: Failure | None = None
        self._offline = False

    # -- events from the reader thread -----------------------------------------------------
    def attempt_starts(self) -> StreamStatus:
        """An attempt begins: the first one connects, later ones retry ("trying now")."""
        with self._lock:
            failure, offline = self._failure, self._offline
        if failure is None:
            return StreamStatus(StreamState.CONNECTING)
        state = StreamState.OFFLINE if offline else StreamState.RECONNECTING
        return StreamStatus(state, failure.reason, failure.detail, self.backoff.attempt)

    def attempt_failed(self, failure: Failure) -> tuple[StreamStatus, float]:
        """The attempt (or the connection) failed: the status, and the wait before the next."""
        delay = self.backoff.next_delay(failure.reason)
        lost_for = self._clock() - self.last_picture
        with self._lock:
            self._failure = failure
            if failure.reason in PERMANENT_REASONS or lost_for >= self._settings.offline_after_s:
                self._offline = True
            offline = self._offline
        state = StreamState.OFFLINE if offline else StreamState.RECONNECTING
        status = StreamStatus(
            state, failure.reason, failure.detail, self.backoff.attempt, round(delay, 1)
        )
        return status, delay

    def gave_up(self, failure: Failure) -> StreamStatus:
        """No further attempt will be made (the reader cannot go on)."""
        with self._lock:
            self._failure, self._offline = failure, True
        return StreamStatus(
            StreamState.OFFLINE, failure.reason, failure.detail, self.backoff.attempt,
            retrying=False,
        )

    def picture(self, now: float) -> bool:
        """A picture was decoded; True when this ends a failure (the status must change).

        Called for every frame: one assignment and one test.
        """
        self.last_picture = now
        if self._failure is None:
            return False
        with self._lock:
            self._failure, self._offline = None, False
        self.backoff.reset()
        return True

    @staticmethod
    def live(health: StreamHealth = HEALTHY) -> StreamStatus:
        return StreamStatus(StreamState.LIVE, health=health)

    # -- time-driven changes, from the watchdog --------------------------------------------
    def check(
        self, current: StreamStatus, now: float, last_data: float, health: StreamHealth
    ) -> StreamStatus | None:
        """The status ``current`` should become now (None: keep it).

        ``last_data``: when the connection last delivered anything; ``health``: the LIVE
        stream's figures (ignored in other states).
        """
        settings = self._settings
        lost_for = now - self.last_picture
        state = current.state
        if state in (StreamState.LIVE, StreamState.STALLED):
            if lost_for < settings.stall_after_s:
                if state is StreamState.LIVE and current.health != health:
                    return self.live(health)
                return None
            receiving = now - last_data < RECEIVING_WINDOW_S
            reason = OfflineReason.NO_PICTURE if receiving else OfflineReason.TIMEOUT
            detail = (
                f"Data arrives but no picture for {lost_for:.0f} s" if receiving
                else f"No data for {now - last_data:.0f} s"
            )
            # Counted down by the tile; the new status only when what it says changes.
            reconnect_in = max(0.0, settings.read_timeout_s - lost_for)
            if state is StreamState.STALLED and current.reason is reason:
                return None
            return StreamStatus(
                StreamState.STALLED, reason, detail, retry_in=round(reconnect_in, 1)
            )
        if state is StreamState.RECONNECTING and lost_for >= settings.offline_after_s:
            with self._lock:
                if self._offline or self._failure is None:
                    return None
                self._offline = True
            return StreamStatus(
                StreamState.OFFLINE, current.reason, current.detail, current.attempt,
                current.retry_in if current.retry_in is None else self._retry_in(),
            )
        return None

    def _retry_in(self) -> float | None:
        retry_in = self.backoff.retry_in()
        return None if retry_in is None else round(retry_in, 1)

    def next_check(self, current: StreamStatus, now: float) -> float | None:
        """When ``check`` may next change something (the watchdog sleeps at most 1 s)."""
        if current.state is StreamState.LIVE:
            return self.last_picture + self._settings.stall_after_s
        if current.state is StreamState.STALLED:
            return now + 1.0  # the reason may change (data starts or stops)
        if current.state is StreamState.RECONNECTING and not self._offline:
            return self.last_picture + self._settings.offline_after_s
        return None
