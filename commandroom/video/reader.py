"""One reader thread per stream: open, demux, decode, scale, publish; reconnect on failure.

One connection per camera serves live view, evidence and recording: every whole access
unit goes to ``sinks`` (a ``SinkFanOut``: the evidence ring, and a recorder while the
camera is recorded), decoded or not. Decoding runs only while a viewer wants pictures
(``set_decoding``): a camera that is recorded but on no tile is demuxed only, and each
whole access unit then counts as its "picture" for the state model (lifecycle.py), so a
recorded-only stream is LIVE, STALLED, RECONNECTING and OFFLINE by the same rules. When a
viewer arrives, decoding starts from the newest keyframe the evidence ring holds (a
fast first picture, measured in bench/README.md) instead of waiting for the next one.

The per-packet path is hot (up to ~6 packets a frame with rtp_units, times dozens of
streams): here a clock read and a comparison per packet, in playback.py a few attribute
reads, and per frame a few more (lag bookkeeping, see health.py). Everything else
(states, health flags, logging) runs in the hub's watchdog about once a second
(``check``), or only when something goes wrong. The states: lifecycle.py.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable

import av
import av.error
import numpy
import numpy.typing as npt

from commandroom.config import VideoSettings
from commandroom.video import abort
from commandroom.video.clips import ClipRequest, PacketRing
from commandroom.video.errors import (
    ExpectedFailure,
    Failure,
    NoPictureError,
    PictureTimeoutError,
    classify,
)
from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.health import HealthJudge
from commandroom.video.hw_decode import OFF
from commandroom.video.lifecycle import StreamLifecycle
from commandroom.video.packet_sources import PacketSource, open_source
from commandroom.video.playback import DecodeStep, Playback, decode_packet
from commandroom.video.publish import FramePublisher, TargetSize, WantsPlanes, fit_size
from commandroom.video.sinks import SinkFanOut
from commandroom.video.state import (
    HEALTHY,
    OfflineReason,
    StreamHealth,
    StreamState,
    StreamStats,
    StreamStatus,
)
from commandroom.video.stats import StatsMeter
from commandroom.video.stream_spec import StreamSpec

log = logging.getLogger(__name__)

__all__ = ["StreamReader", "fit_size"]

_RETRY_STATES = {StreamState.RECONNECTING, StreamState.OFFLINE}
# The reader thread itself gives up a connection without pictures at read_timeout_s (at
# its next packet); the watchdog aborts the read this much later if it did not (a
# demuxer that discards everything it reads never returns a packet to look at).
_ABORT_GRACE_S = 1.0

StatusCallback = Callable[[StreamStatus], None]


class StreamReader:
    def __init__(
        self,
        spec: StreamSpec,
        settings: VideoSettings,
        slot: FrameSlot,
        *,
        keep_s: float,
        clock: Callable[[], float],
        on_status: StatusCallback,
        target_size: TargetSize,
        low_latency: Callable[[], bool] = lambda: True,
        wants_planes: WantsPlanes = lambda: False,
        decoding: bool = True,
        first_picture_from_ring: bool = True,
        decode_step: DecodeStep = decode_packet,
    ) -> None:
        self.spec = spec
        self.slot = slot
        self._settings = settings
        self._clock = clock
        self._on_status = on_status
        self._target_size = target_size
        self._low_latency = low_latency  # asked again at every (re)connection
        self._stop = threading.Event()
        self._status_lock = threading.Lock()
        self._status = StreamStatus(StreamState.STOPPED)
        self._ring = PacketRing(keep_s)
        # Where every whole access unit goes: the evidence ring, recorders (hub.record).
        self.sinks = SinkFanOut(self._ring)
        self._stats = StatsMeter(clock)
        self._publisher = FramePublisher(slot, self._stats, target_size, wants_planes)
        # Wanted by the hub (a viewer exists); the reader thread follows at its next packet.
        self._decoding = decoding
        self._from_ring = first_picture_from_ring
        self._decode_step = decode_step
        # A hardware decoder failed mid-stream on this camera: software from then on
        # (every later connection too), not a failing device tried at each reconnect.
        self._hardware_failed = False
        self._source: PacketSource | None = None  # the open one, for stop() to abort
        self._life = StreamLifecycle(settings, clock)
        self._last_packet = clock()
        self._session_start = clock()
        self._aborted_without_picture = False
        # The connection's playback (replaced when one opens; its figures are read by the
        # watchdog and stats()), and the health judged from them.
        self._playback: Playback | None = None
        self._judge = HealthJudge(settings)
        self._health: StreamHealth = HEALTHY
        self._thread = threading.Thread(
            target=self._run, name=f"video-reader {spec.display_url}", daemon=True
        )

    # ----------------------------------------------------------------- control (any thread)
    def start(self) -> None:
        abort.install()
        self._set_status(StreamStatus(StreamState.CONNECTING))
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end now, even if it is blocked inside FFmpeg (see interrupt)."""
        self._stop.set()
        abort.abort(self._thread.ident)
        source = self._source
        if source is not None:
            source.abort()

    def set_decoding(self, on: bool) -> None:
        """Decode (a viewer wants pictures) or only demux (recorded, on no tile)."""
        self._decoding = on

    @property
    def decoding(self) -> bool:
        return self._decoding

    def join(self, timeout: float | None = None) -> None:
        if self._thread.ident is not None:
            self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def status(self) -> StreamStatus:
        with self._status_lock:
            return self._status

    def stats(self) -> StreamStats:
        stats = self._stats.snapshot()
        playback = self._playback
        if playback is None:
            return stats
        delay = playback.meter.delay
        return dataclasses.replace(
            stats,
            delay_ms=None if delay is None else round(delay * 1000.0, 1),
            delay_source=playback.delay_source,
            behind_s=round(playback.meter.behind, 2),
            damaged_frames=playback.damage.total,
            skipped_frames=playback.catch_up.skipped,
            hw_fallback=playback.stream_decoder.fallback,
            decoder_fallbacks=playback.stream_decoder.fallbacks,
        )

    def pending_clips(self) -> int:
        return self._ring.pending_clips()

    def open_clip(self, pre_s: float, post_s: float, now: float | None = None) -> ClipRequest:
        """``now``: the wall time the clip is centred on (default: this moment)."""
        return self._ring.open_clip(pre_s, post_s, time.time() if now is None else now)

    def full_resolution(
        self, seq: int | None
    ) -> tuple[npt.NDArray[numpy.uint8], Frame] | None:
        return self._publisher.full_resolution(seq)

    def check(self, now: float) -> float | None:
        """Watchdog hook: what time alone changes (stalled, offline, health), and a
        connection that gives no picture for read_timeout_s aborted. Next check time."""
        if self._stop.is_set():
            return None
        current = self.status()
        if current.state is StreamState.STOPPED:
            return None
        playback = self._playback
        if current.state is StreamState.LIVE and playback is not None and self._decoding:
            meter = playback.meter
            self._health = self._judge.judge(
                self._stats.fps(), meter.behind, meter.delay, playback.damage.recent(now)
            )
        changed = self._life.check(current, now, self._last_packet, self._health)
        if changed is not None and self._set_status(changed, expect=current):
            current = changed
        source = self._source  # an open connection (None while opening: open_timeout_s)
        if source is not None and not self._aborted_without_picture:
            since = max(self._life.last_picture, self._session_start)
            if now >= since + self._settings.read_timeout_s + _ABORT_GRACE_S:
                self._aborted_without_picture = True
                source.abort()
        return self._life.next_check(current, now)

    # ----------------------------------------------------------------- the reader thread
    def _run(self) -> None:
        life = self._life
        stopped = StreamStatus(StreamState.STOPPED)
        try:
            while not self._stop.is_set():
                self._set_status(life.attempt_starts())
                failure = self._session()
                if failure is None or self._stop.is_set():
                    break
                status, delay = life.attempt_failed(failure)
                self._set_status(status)
                if self._stop.wait(delay):
                    break
        except Exception:
            log.exception("video reader for %s crashed", self.spec.display_url)
            # Said on the tile: nothing will retry this stream until it is opened again.
            stopped = life.gave_up(
                Failure(OfflineReason.ERROR, "The video reader stopped on an internal error")
            )
        finally:
            self.sinks.end_segment()
            # The hub's closures and this reader point at each other, so a stopped reader
            # waits for the cyclic GC; its decoded frames (MBs each) must not wait with it.
            self._publisher.clear()
            self._set_status(stopped)
            abort.forget(threading.get_ident())

    def _session(self) -> Failure | None:
        """One connection, from open to failure; None when asked to stop."""
        self._last_packet = self._clock()
        self._aborted_without_picture = False
        source: PacketSource | None = None
        try:
            settings = self._settings
            if self._hardware_failed:
                settings = dataclasses.replace(settings, hw_decode=OFF)
            source = open_source(
                self.spec, settings, self._stop, low_latency=self._low_latency()
            )
            self._session_start = self._clock()
            self._source = source
            if self._stop.is_set():  # stop() came while opening: it may have missed it
                source.abort()
            self._play(source)
            return None
        except Exception as exc:
            if self._stop.is_set():
                return None
            error: Exception = exc
            if self._aborted_without_picture:  # the watchdog ended the read (see check)
                error = PictureTimeoutError(
                    f"No picture for {self._settings.read_timeout_s:g} s"
                )
            waited = self._clock() - self._last_packet
            limit = self._settings.read_timeout_s if source else self._settings.open_timeout_s
            failure = classify(error, timed_out=waited >= 0.9 * limit)
            if failure.reason is OfflineReason.NO_PICTURE and source is not None and (
                    source.stream_decoder.device is not None):
                # Data but no picture from a hardware decoder (errors FFmpeg reports as
                # damaged data, never as a failure): the next connection in software.
                self._hardware_failed = True
            if not isinstance(error, av.error.FFmpegError | OSError | ExpectedFailure):
                log.warning("video %s: unexpected error", self.spec.display_url, exc_info=True)
            log.debug("video %s: %s (%s)", self.spec.display_url, failure.reason, failure.detail)
            return failure
        finally:
            self._source = None
            self.sinks.end_segment()
            if source is not None and source.stream_decoder.fallbacks:
                self._hardware_failed = True  # failed mid-stream: software from now on
            if source is not None:
                try:
                    source.close()
                except Exception:  # closing a broken connection may fail too; nothing to do
                    log.debug("closing %s failed", self.spec.display_url, exc_info=True)

    def _play(self, source: PacketSource) -> None:
        info = source.info
        sinks = self.sinks
        sinks.start_segment(info)
        self._stats.reset()
        self._stats.codec, self._stats.width, self._stats.height = (
            info.codec, info.width, info.height,
        )
        self._stats.skips_parser = source.skips_parser
        self._stats.decoder = source.stream_decoder.label
        # Opened: from now on a picture is due within read_timeout_s.
        self._session_start = self._last_packet = self._clock()
        codec = info.codec
        playback = self._playback = Playback(
            source, lambda decoded, arrival: self._on_frame(decoded, arrival, codec),
            self._clock, self._stats, catch_up_behind_s=self._settings.slow_behind_s,
            name=self.spec.display_url, decode_step=self._decode_step,
        )
        self._judge.reset()
        self._health = HEALTHY
        limit = self._settings.read_timeout_s
        clock = self._clock
        life = self._life
        session_start = self._session_start
        decoding = True  # a new connection's decoder starts at its first keyframe anyway
        for item in source.packets():
            if self._stop.is_set():
                return
            now = clock()
            self._last_packet = now
            if now - max(life.last_picture, session_start) >= limit:
                raise NoPictureError(f"Data arrives but no picture for {limit:g} s")
            if self._decoding != decoding:
                decoding = self._decoding
                if decoding:
                    # Before this packet reaches the ring: the ring's GOP ends where it starts.
                    gop = self._ring.newest_gop() if self._from_ring else []
                    playback.resume(gop, item.arrival)
                else:
                    self._health = HEALTHY
                    self._publisher.clear()
            unit = item.evidence
            if unit is not None:
                sinks.append(unit, item.evidence_arrival)
            self._stats.packet(item.size)
            if decoding:
                playback.feed(item)
            elif unit is not None:
                # Demux only: a whole access unit stands for a picture in the state model.
                self._unit_arrived(now)

    def _unit_arrived(self, now: float) -> None:
        recovered = self._life.picture(now)
        if recovered or self._status.state is not StreamState.LIVE:
            self._set_status(self._life.live(HEALTHY))

    def _on_frame(self, decoded: av.VideoFrame, capture_time: float, codec: str) -> None:
        if self._stop.is_set():
            return
        now = self._clock()
        self._publisher.publish(decoded, capture_time, codec)
        recovered = self._life.picture(now)
        with self._status_lock:
            live = self._status.state is StreamState.LIVE
        if recovered or not live:
            self._set_status(self._life.live(self._health))

    def _set_status(self, status: StreamStatus, expect: StreamStatus | None = None) -> bool:
        """Set and report ``status``; with ``expect``, only if that is still the current
        one (the watchdog's changes must not overwrite the reader thread's newer ones)."""
        with self._status_lock:
            previous = self._status
            if status == previous or (expect is not None and previous is not expect):
                return False
            self._status = status
        if status.state != previous.state or status.reason != previous.reason or (
            status.health.flags != previous.health.flags
        ):
            # Each retry of a dead camera flips OFFLINE <-> RECONNECTING: keep that quiet.
            retrying = {previous.state, status.state} <= _RETRY_STATES
            same_reason = status.reason is None or status.reason == previous.reason
            flags = ",".join(sorted(status.health.flags))
            log.log(
                logging.DEBUG if retrying and same_reason else logging.INFO,
                "video %s: %s -> %s%s%s%s",
                self.spec.display_url, previous.state, status.state,
                f" ({flags})" if flags else "",
                f" ({status.reason}: {status.detail})" if status.reason else "",
                f", retry in {status.retry_in:g} s" if status.retry_in is not None else "",
            )
        try:
            self._on_status(status)
        except Exception:
            log.exception("status callback failed for %s", self.spec.display_url)
        return True
