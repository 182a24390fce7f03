"""One reader thread per stream: open, demux, decode, scale, publish; reconnect on failure."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

import av
import av.error
import numpy
import numpy.typing as npt
from av.video.reformatter import VideoReformatter

from commandroom.config import VideoSettings
from commandroom.video import interrupt
from commandroom.video.backoff import OFFLINE_AFTER_ATTEMPTS, PERMANENT_REASONS, BackoffPolicy
from commandroom.video.errors import ExpectedFailure, Failure, classify
from commandroom.video.evidence import ClipRequest, PacketRing
from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.source import StreamSpec
from commandroom.video.sources import PacketSource, open_source
from commandroom.video.state import StreamState, StreamStats, StreamStatus
from commandroom.video.stats import StatsMeter

log = logging.getLogger(__name__)

FRAME_RING_SIZE = 8
# A few undecodable packets (UDP loss) are normal; this many in a row means a broken stream.
MAX_DECODE_ERRORS_IN_ROW = 50
_RETRY_STATES = {StreamState.RECONNECTING, StreamState.OFFLINE}

StatusCallback = Callable[[StreamStatus], None]
TargetSize = Callable[[], "tuple[int, int] | None"]


def fit_size(source: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """Largest even size inside ``box`` with the source's aspect ratio."""
    sw, sh = source
    bw, bh = max(2, box[0]), max(2, box[1])
    scale = min(bw / sw, bh / sh)
    return max(2, int(sw * scale) // 2 * 2), max(2, int(sh * scale) // 2 * 2)


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
        self._frames_lock = threading.Lock()
        self._frames: deque[tuple[Frame, av.VideoFrame]] = deque(maxlen=FRAME_RING_SIZE)
        self._ring = PacketRing(keep_s)
        self._stats = StatsMeter(clock)
        self._scaler = VideoReformatter()
        self._source: PacketSource | None = None  # the open one, for stop() to abort
        self._last_frame = clock()
        self._last_packet = clock()
        self._thread = threading.Thread(
            target=self._run, name=f"video-reader {spec.display_url}", daemon=True
        )

    # ----------------------------------------------------------------- control (any thread)
    def start(self) -> None:
        interrupt.install()
        self._set_status(StreamStatus(StreamState.CONNECTING))
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end now, even if it is blocked inside FFmpeg (see interrupt)."""
        self._stop.set()
        interrupt.abort(self._thread.ident)
        source = self._source
        if source is not None:
            source.abort()

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
        return self._stats.snapshot()

    def pending_clips(self) -> int:
        return self._ring.pending_clips()

    def open_clip(self, pre_s: float, post_s: float) -> ClipRequest:
        return self._ring.open_clip(pre_s, post_s, time.time())

    def full_resolution(
        self, seq: int | None
    ) -> tuple[npt.NDArray[numpy.uint8], Frame] | None:
        with self._frames_lock:
            found = None
            for frame, decoded in reversed(self._frames):
                if seq is None or frame.seq == seq:
                    found = frame, decoded
                    break
        if found is None:
            return None
        frame, decoded = found
        # A reformatter of our own: the reader thread's one must not be shared.
        bgr = VideoReformatter().reformat(decoded, format="bgr24", threads=1).to_ndarray()
        return numpy.ascontiguousarray(bgr), frame

    def check_stall(self, now: float) -> float | None:
        """Watchdog hook: LIVE with no frame for stall_after_s -> STALLED. Next check time."""
        limit = self._settings.stall_after_s
        with self._status_lock:
            live = self._status.state is StreamState.LIVE
        if not live or self._stop.is_set():
            return None
        if now - self._last_frame >= limit:
            self._set_status(
                StreamStatus(StreamState.STALLED, detail=f"No picture for {limit:g} s")
            )
            return None
        return self._last_frame + limit

    # ----------------------------------------------------------------- the reader thread
    def _run(self) -> None:
        settings = self._settings
        backoff = BackoffPolicy(
            settings.backoff_initial_s, settings.backoff_max_s, clock=self._clock
        )
        failure: Failure | None = None
        try:
            while not self._stop.is_set():
                if failure is None:
                    self._set_status(StreamStatus(StreamState.CONNECTING))
                else:
                    self._set_status(
                        StreamStatus(
                            StreamState.RECONNECTING, failure.reason, failure.detail,
                            backoff.attempt,
                        )
                    )
                failure = self._session(backoff)
                if failure is None or self._stop.is_set():
                    break
                delay = backoff.next_delay(failure.reason)
                give_up = (
                    failure.reason in PERMANENT_REASONS
                    or backoff.attempt >= OFFLINE_AFTER_ATTEMPTS
                )
                state = StreamState.OFFLINE if give_up else StreamState.RECONNECTING
                self._set_status(
                    StreamStatus(state, failure.reason, failure.detail, backoff.attempt,
                                 round(delay, 1))
                )
                if self._stop.wait(delay):
                    break
        except Exception:
            log.exception("video reader for %s crashed", self.spec.display_url)
        finally:
            self._ring.end_segment()
            # The hub's closures and this reader point at each other, so a stopped reader
            # waits for the cyclic GC; its decoded frames (MBs each) must not wait with it.
            with self._frames_lock:
                self._frames.clear()
            self._set_status(StreamStatus(StreamState.STOPPED))
            interrupt.forget(threading.get_ident())

    def _session(self, backoff: BackoffPolicy) -> Failure | None:
        """One connection, from open to failure; None when asked to stop."""
        started = self._clock()
        self._last_packet = started
        source: PacketSource | None = None
        try:
            source = open_source(
                self.spec, self._settings, self._stop, low_latency=self._low_latency()
            )
            self._source = source
            if self._stop.is_set():  # stop() came while opening: it may have missed it
                source.abort()
            self._play(source, backoff)
            return None
        except Exception as exc:
            if self._stop.is_set():
                return None
            waited = self._clock() - self._last_packet
            limit = self._settings.read_timeout_s if source else self._settings.open_timeout_s
            failure = classify(exc, timed_out=waited >= 0.9 * limit)
            if not isinstance(exc, av.error.FFmpegError | OSError | ExpectedFailure):
                log.warning("video %s: unexpected error", self.spec.display_url, exc_info=True)
            log.debug("video %s: %s (%s)", self.spec.display_url, failure.reason, failure.detail)
            return failure
        finally:
            self._source = None
            self._ring.end_segment()
            if source is not None:
                try:
                    source.close()
                except Exception:  # closing a broken connection may fail too; nothing to do
                    log.debug("closing %s failed", self.spec.display_url, exc_info=True)

    def _play(self, source: PacketSource, backoff: BackoffPolicy) -> None:
        info = source.info
        self._ring.start_segment(info)
        self._stats.reset()
        self._stats.codec, self._stats.width, self._stats.height = (
            info.codec, info.width, info.height,
        )
        self._stats.skips_parser = source.skips_parser
        decoder = source.decoder
        errors_in_row = 0
        for item in source.packets():
            if self._stop.is_set():
                return
            self._last_packet = self._clock()
            if item.evidence is not None:
                self._ring.append(item.evidence, item.evidence_arrival)
            self._stats.packet(item.size)
            if item.decode is None:
                continue
            try:
                frames = decoder.decode(item.decode)
            except av.error.InvalidDataError:
                errors_in_row += 1
                if errors_in_row >= MAX_DECODE_ERRORS_IN_ROW:
                    raise
                continue
            errors_in_row = 0
            for decoded in frames:
                if self._stop.is_set():
                    return
                self._on_frame(decoded, item.arrival, info.codec)
                if backoff.attempt:
                    backoff.reset()

    def _on_frame(self, decoded: av.VideoFrame, capture_time: float, codec: str) -> None:
        self._last_frame = self._clock()
        source_size = (decoded.width, decoded.height)
        self._stats.width, self._stats.height = source_size
        target = self._target_size()
        if target is not None:
            width, height = fit_size(source_size, target)
            # Convert and scale in one swscale call, straight to the tile's size and to the
            # paint device's format (BGRA = QImage.Format_RGB32): the GUI only blits.
            scaled = self._scaler.reformat(
                decoded, width=width, height=height, format="bgra",
                interpolation="AREA", threads=1,
            )
            # A view, not a copy: FFmpeg pads each line, so the view is strided and the
            # plane's own buffer goes along for QImage (Frame.paint_buffer).
            plane = scaled.planes[0]
            stride = plane.line_size
            buffer = numpy.frombuffer(memoryview(plane), dtype=numpy.uint8)[: stride * height]
            image: npt.NDArray[numpy.uint8] = buffer.reshape(height, stride)[
                :, : width * 4
            ].reshape(height, width, 4)
            buffer.flags.writeable = image.flags.writeable = False  # shared with painters
            frame = Frame(image, self.slot.seq + 1, capture_time, source_size, codec, buffer)
            with self._frames_lock:
                self._frames.append((frame, decoded))
            self.slot.publish(frame)
            # Latency from the packet's arrival (or the demo's render time) to publish: the
            # camera's encode and network time are not in it (no RTCP sender reports here).
            self._stats.frame((time.time() - capture_time) * 1000.0)
        else:
            self._stats.frame(None)  # every viewer paused: decode only, keep state warm
        with self._status_lock:
            live = self._status.state is StreamState.LIVE
        if not live:
            self._set_status(StreamStatus(StreamState.LIVE))

    def _set_status(self, status: StreamStatus) -> None:
        with self._status_lock:
            previous = self._status
            if status == previous:
                return
            self._status = status
        if status.state != previous.state or status.reason != previous.reason:
            # Each retry of a dead camera flips OFFLINE <-> RECONNECTING: keep that quiet.
            retrying = {previous.state, status.state} <= _RETRY_STATES
            same_reason = status.reason is None or status.reason == previous.reason
            log.log(
                logging.DEBUG if retrying and same_reason else logging.INFO,
                "video %s: %s -> %s%s%s",
                self.spec.display_url, previous.state, status.state,
                f" ({status.reason}: {status.detail})" if status.reason else "",
                f", retry in {status.retry_in:g} s" if status.retry_in is not None else "",
            )
        try:
            self._on_status(status)
        except Exception:
            log.exception("status callback failed for %s", self.spec.display_url)
