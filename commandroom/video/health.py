"""How well a LIVE stream plays: lag, backlog bursts, end-to-end delay, damage.

Everything here is measured from the stream's own timestamps and the arrival times of
its frames, never from how fast this computer happens to decode:

- **Behind**: a frame's media time (its RTP timestamp) against the wall time it arrived.
  On a healthy link both advance together; on a link that carries less than the stream,
  media time advances slower than wall time and the difference grows. "Behind" is that
  difference minus its smallest value on this connection (the freshest the stream ever
  was), so the camera's encoding time and a steady network delay are not counted in it.
- **Burst**: frames arriving much faster than their media time advances: a backlog being
  delivered (the link recovered). ``CatchUp`` then drops it up to its newest keyframe
  instead of playing it fast.
- **Delay**: arrival minus the capture time by the SENDER's wall clock. FFmpeg's RTSP
  demuxer maps media time 0 to the sender's wall clock from the first RTCP sender report
  (``AVFormatContext.start_time_realtime``, read in sender_clock.py). Without sender
  reports the delay is unknown, and said so.
- **Damage**: frames the decoder marked corrupt (it concealed the errors) and packets it
  refused, counted; the stream is DAMAGED while they keep coming.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from commandroom.config import VideoSettings
from commandroom.video.state import HEALTHY, Health, StreamHealth

# The camera's and our clocks drift apart by a few ppm; the "freshest" offset creeps up
# this fast (s/s) so that drift never reads as falling behind (1000 ppm: generous).
OFFSET_CREEP = 1e-3
# "Behind" can grow at most as fast as wall time passes; growing faster than that (plus
# this) means the timestamps jumped (camera restarted its clock): start measuring afresh.
TIMESTAMP_JUMP_S = 2.0
# A burst: over the last BURST_UNITS frames, arrival took less than BURST_RATIO of the
# media time they cover.
BURST_UNITS = 5
BURST_RATIO = 0.5
# The end-to-end delay shown is smoothed over ~10 frames (network jitter).
DELAY_SMOOTHING = 0.1
# DAMAGED while damaged frames came within this long.
DAMAGE_WINDOW_S = 5.0
# A held backlog longer than this many packets is decoded anyway (no keyframe in sight).
MAX_HELD_PACKETS = 3000


class LagMeter:
    """Fed once per frame (access unit) by the reader thread; read by the watchdog."""

    __slots__ = (
        "_last_arrival",
        "_last_media",
        "_min_offset",
        "_recent",
        "behind",
        "bursting",
        "delay",
        "sender_epoch",
        "units",
    )

    def __init__(self) -> None:
        self.behind = 0.0
        self.bursting = False
        self.delay: float | None = None  # smoothed, seconds
        # Wall time (s) at media time 0 by the sender's clock; None: not known (yet).
        self.sender_epoch: float | None = None
        self.units = 0
        self._min_offset: float | None = None
        self._last_arrival = 0.0
        self._last_media = 0.0
        self._recent: deque[tuple[float, float]] = deque(maxlen=BURST_UNITS)

    def unit(self, media_s: float, arrival: float) -> None:
        """A frame with media time ``media_s`` started arriving at ``arrival`` (wall clock)."""
        offset = arrival - media_s
        low = self._min_offset
        if low is None:
            low = offset
        else:
            elapsed = arrival - self._last_arrival
            low = min(offset, low + OFFSET_CREEP * max(0.0, elapsed))
            if offset - low > self.behind + max(0.0, elapsed) + TIMESTAMP_JUMP_S:
                low = offset
        self._min_offset = low
        self.behind = offset - low
        recent = self._recent
        recent.append((arrival, media_s))
        if len(recent) == BURST_UNITS:
            first_arrival, first_media = recent[0]
            span = media_s - first_media
            self.bursting = span > 0 and arrival - first_arrival < BURST_RATIO * span
        epoch = self.sender_epoch
        if epoch is not None:
            delay = arrival - (epoch + media_s)
            previous = self.delay
            self.delay = delay if previous is None else previous + DELAY_SMOOTHING * (
                delay - previous
            )
        self._last_arrival, self._last_media = arrival, media_s
        self.units += 1

    def arrives_in_burst(self, media_s: float, arrival: float) -> bool:
        """This frame came much sooner after the last one than their media times differ."""
        gap = media_s - self._last_media
        return gap > 0 and arrival - self._last_arrival < BURST_RATIO * gap


class CatchUp:
    """Jump back to live when a backlog arrives, instead of playing it fast.

    NORMAL: every packet is decoded. When a frame arrives in a burst while the stream is
    at least ``behind_s`` behind, HOLD: packets are kept (not decoded) from the newest
    key packet on; a newer key packet drops what is held. When the burst is over (the
    last few frames arrived at real-time pace), what is held is decoded and only its
    last picture shown: the picture jumps from the old frame to live. If no keyframe came
    during the burst, WAIT_KEY drops packets up to the next one (the frames before it
    cannot be decoded without the ones dropped).
    """

    NORMAL, HOLD, WAIT_KEY = "normal", "hold", "wait_key"

    def __init__(self, behind_s: float) -> None:
        self.behind_s = behind_s
        self.mode = self.NORMAL
        self.skipped = 0  # packets dropped, this connection
        self._held: list[Any] = []
        self._held_pts: int | None = None
        self._units_in_hold = 0

    def should_start(self, meter: LagMeter, media_s: float, arrival: float) -> bool:
        """Per frame, before ``meter.unit``: does a burst of backlog start here?"""
        return meter.behind >= self.behind_s and meter.arrives_in_burst(media_s, arrival)

    def start(self) -> None:
        self.mode = self.HOLD
        self._held, self._held_pts, self._units_in_hold = [], None, 0

    def new_unit(self, meter: LagMeter) -> list[Any] | None:
        """Per frame while active: the held packets to decode now when the burst is over."""
        if self.mode != self.HOLD:
            return None
        self._units_in_hold += 1
        if self._units_in_hold <= BURST_UNITS or meter.bursting:
            return None
        held = self._held
        self._held = []
        self.mode = self.NORMAL if held else self.WAIT_KEY
        return held

    def offer(self, packet: Any, key: bool, pts: int | None) -> bool:
        """While active: True when ``packet`` must be decoded now (WAIT_KEY met a key)."""
        if self.mode == self.WAIT_KEY:
            if key:
                self.mode = self.NORMAL
                return True
            self.skipped += 1
            return False
        held = self._held
        if key and pts != self._held_pts:
            self.skipped += len(held)
            held.clear()
            self._held_pts = pts
        if held or key:
            held.append(packet)
            if len(held) > MAX_HELD_PACKETS:  # runaway: give up holding, decode in order
                self.mode = self.NORMAL
        else:
            self.skipped += 1
        return False

    def take_held(self) -> list[Any]:
        """What is held, when holding was given up (MAX_HELD_PACKETS)."""
        held, self._held = self._held, []
        return held


class DamageCounter:
    """Damaged frames; ``hit`` is called by the reader thread only when damage happens."""

    def __init__(self) -> None:
        self.total = 0  # this connection
        self._episode = 0  # hits since the last quiet DAMAGE_WINDOW_S
        self._last: float | None = None

    def hit(self, now: float) -> None:
        last = self._last
        if last is None or now - last >= DAMAGE_WINDOW_S:
            self._episode = 0
        self._episode += 1
        self._last = now
        self.total += 1

    def reset(self) -> None:
        self.total = self._episode = 0
        self._last = None

    def recent(self, now: float) -> int:
        """Damaged frames in the current episode; 0 once none came for DAMAGE_WINDOW_S."""
        last = self._last
        return self._episode if last is not None and now - last < DAMAGE_WINDOW_S else 0


class HealthJudge:
    """Turns the figures into flags, with hysteresis so a tile does not flicker."""

    def __init__(self, settings: VideoSettings) -> None:
        self._settings = settings
        self._slow = False
        self._delayed = False

    def reset(self) -> None:
        self._slow = self._delayed = False

    def judge(self, fps: float, behind_s: float, delay_s: float | None,
              damaged: int) -> StreamHealth:
        settings = self._settings
        slow_at = settings.slow_behind_s
        self._slow = behind_s >= (slow_at / 2 if self._slow else slow_at)
        warn = settings.delay_warn_s
        self._delayed = delay_s is not None and delay_s >= (warn * 0.8 if self._delayed else warn)
        flags = set()
        if self._slow:
            flags.add(Health.SLOW)
        if damaged:
            flags.add(Health.DAMAGED)
        if self._delayed:
            flags.add(Health.DELAYED)
        if not flags:
            return HEALTHY  # the same value every time: a healthy stream's status never churns
        # Only the figures a flag shows, rounded as shown: the status changes when the tile
        # would, not with every jitter of the network.
        return StreamHealth(
            frozenset(flags),
            fps=(round(fps) if fps >= 2 else round(fps, 1)) if self._slow else 0.0,
            behind_s=_round_s(behind_s) if self._slow else 0.0,
            delay_s=round(delay_s, 1) if self._delayed and delay_s is not None else None,
            damaged_frames=damaged,
        )


def _round_s(seconds: float) -> float:
    return float(round(seconds)) if seconds >= 10 else round(seconds, 1)
