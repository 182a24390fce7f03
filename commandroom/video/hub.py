"""The stream hub: one reader per distinct stream, shared by every viewer of it."""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy
import numpy.typing as npt

from commandroom.config import EvidenceSettings, VideoSettings
from commandroom.video.clips import ClipError, ClipRequest, ClipResult, write_clip
from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.reader import StreamReader
from commandroom.video.state import STOPPED, StreamStats, StreamStatus
from commandroom.video.stream_spec import StreamSpec

log = logging.getLogger(__name__)

StatusListener = Callable[[StreamSpec, StreamStatus], None]
_NO_STATS = StreamStats(fps=0.0, latency_ms=None, width=0, height=0, codec="", bitrate_kbps=0.0)
_CLIP_WORKERS = 2
# Extra wait for a clip's last packets beyond post_s before writing what has arrived.
_CLIP_GRACE_S = 2.0
_JOIN_TIMEOUT_S = 2.0
_WATCHDOG_MAX_SLEEP_S = 1.0


@dataclass(eq=False)
class _Entry:
    spec: StreamSpec
    slot: FrameSlot = field(default_factory=FrameSlot)
    handles: list[StreamHandle] = field(default_factory=list)
    reader: StreamReader | None = None
    idle_since: float | None = None
    target: tuple[int, int] | None = None  # read by the reader once per frame


class StreamHub:
    def __init__(
        self,
        settings: VideoSettings,
        *,
        on_status: StatusListener | None = None,
        clock: Callable[[], float] = time.monotonic,
        evidence: EvidenceSettings | None = None,
    ) -> None:
        self._settings = settings
        self._on_status = on_status
        self._clock = clock
        # Packets are kept for the longest "before" an evidence clip may ask for.
        self._keep_s = (evidence or EvidenceSettings()).pre_seconds
        self._cond = threading.Condition()
        self._entries: dict[StreamSpec, _Entry] = {}
        self._retired: list[StreamReader] = []
        self._watchdog: threading.Thread | None = None
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._closed = False

    # ----------------------------------------------------------------- public API
    def subscribe(self, spec: StreamSpec, size: tuple[int, int]) -> StreamHandle:
        with self._cond:
            if self._closed:
                raise RuntimeError("the stream hub is closed")
            entry = self._entries.get(spec)
            if entry is None:
                entry = self._entries[spec] = _Entry(spec)
            reader = entry.reader
            if reader is not None and not (reader.is_alive() or reader.stopping):
                # It crashed and said so ("not retrying"); opening the camera again is
                # the operator's way to try anew.
                entry.reader = None
            handle = StreamHandle(self, entry, size)
            entry.handles.append(handle)
            self._refresh(entry)
            self._ensure_watchdog()
            self._cond.notify_all()
            return handle

    def reader_count(self) -> int:
        with self._cond:
            readers = [e.reader for e in self._entries.values() if e.reader is not None]
            readers += self._retired
            return sum(1 for r in readers if r.is_alive())

    def close(self) -> None:
        """Stop and join every reader (even one blocked in FFmpeg), the watchdog, clip work."""
        with self._cond:
            self._closed = True
            readers = [e.reader for e in self._entries.values() if e.reader is not None]
            readers += self._retired
            self._entries.clear()
            self._retired = []
            self._cond.notify_all()
        for reader in readers:
            reader.stop()
        for reader in readers:
            reader.join(_JOIN_TIMEOUT_S)
            if reader.is_alive():
                log.warning("video reader for %s did not stop in time", reader.spec.display_url)
        if self._watchdog is not None:
            self._watchdog.join(_JOIN_TIMEOUT_S)
        if self._executor is not None:
            # Readers finished every pending clip's packets; writing them is quick.
            self._executor.shutdown(wait=True)

    # ----------------------------------------------------------------- for handles
    def _refresh(self, entry: _Entry) -> None:
        """Recompute an entry's tile size and idleness; start its reader if needed."""
        wanted = [h._size for h in entry.handles if not h._paused]
        entry.target = max(wanted, key=lambda s: s[0] * s[1]) if wanted else None
        if wanted:
            entry.idle_since = None
            if entry.reader is None:
                entry.reader = self._start_reader(entry)
        elif entry.idle_since is None:
            entry.idle_since = self._clock()
        if not entry.handles and entry.reader is None:
            self._entries.pop(entry.spec, None)
        self._cond.notify_all()

    def _release(self, handle: StreamHandle) -> None:
        with self._cond:
            entry = handle._entry
            if handle in entry.handles:
                entry.handles.remove(handle)
                self._refresh(entry)

    def _set_paused(self, handle: StreamHandle, paused: bool) -> None:
        with self._cond:
            if self._closed or handle not in handle._entry.handles:
                return
            handle._paused = paused
            self._refresh(handle._entry)

    def _set_size(self, handle: StreamHandle, size: tuple[int, int]) -> None:
        with self._cond:
            handle._size = size
            if handle in handle._entry.handles:
                self._refresh(handle._entry)

    def _submit_clip(
        self, request: ClipRequest, post_s: float, dest: Path
    ) -> concurrent.futures.Future[ClipResult]:
        with self._cond:
            if self._closed:
                raise RuntimeError("the stream hub is closed")
            if self._executor is None:
                self._executor = concurrent.futures.ThreadPoolExecutor(
                    _CLIP_WORKERS, thread_name_prefix="video-clip"
                )
            executor = self._executor
        wait_s = post_s + self._settings.read_timeout_s + _CLIP_GRACE_S
        return executor.submit(_finish_clip, request, dest, wait_s)

    # ----------------------------------------------------------------- readers
    def _low_latency_allowed(self) -> bool:
        with self._cond:
            playing = sum(1 for e in self._entries.values() if e.reader is not None)
        return playing <= self._settings.low_latency_max_streams

    def _start_reader(self, entry: _Entry) -> StreamReader:
        def report(status: StreamStatus) -> None:
            # A retired reader's last words must not overwrite its successor's state.
            if entry.reader is not reader and entry.reader is not None:
                return
            if self._on_status is not None:
                self._on_status(entry.spec, status)

        reader = StreamReader(
            entry.spec,
            self._settings,
            entry.slot,
            keep_s=self._keep_s,
            clock=self._clock,
            on_status=report,
            target_size=lambda: entry.target,
            low_latency=self._low_latency_allowed,
        )
        entry.reader = reader  # before start(): the first status is reported as current
        log.info("video reader starting for %s", entry.spec.display_url)
        reader.start()
        return reader

    def _ensure_watchdog(self) -> None:
        if self._watchdog is None:
            self._watchdog = threading.Thread(
                target=self._watch, name="video-watchdog", daemon=True
            )
            self._watchdog.start()

    def _watch(self) -> None:
        """Time-driven state changes (StreamReader.check: stalled, offline, health; about
        once a second), stops readers nobody watched for idle_stop_s."""
        idle_stop_s = self._settings.idle_stop_s
        while True:
            with self._cond:
                if self._closed:
                    return
                now = self._clock()
                next_at = now + _WATCHDOG_MAX_SLEEP_S
                live: list[StreamReader] = []
                for entry in list(self._entries.values()):
                    reader = entry.reader
                    if reader is None:
                        continue
                    if entry.idle_since is not None:
                        if reader.pending_clips():
                            next_at = min(next_at, now + 0.1)
                        elif now >= entry.idle_since + idle_stop_s:
                            log.info("video reader idle, stopping: %s", entry.spec.display_url)
                            reader.stop()
                            self._retired.append(reader)
                            entry.reader = None
                            if not entry.handles:
                                del self._entries[entry.spec]
                            continue
                        else:
                            next_at = min(next_at, entry.idle_since + idle_stop_s)
                    live.append(reader)
                self._retired = [r for r in self._retired if r.is_alive()]
            for reader in live:  # outside the lock: this may call the status listener
                check_at = reader.check(self._clock())
                if check_at is not None:
                    next_at = min(next_at, check_at)
            with self._cond:
                if self._closed:
                    return
                self._cond.wait(max(0.01, next_at - self._clock()))


def _finish_clip(request: ClipRequest, dest: Path, wait_s: float) -> ClipResult:
    # A stalled camera sends nothing more: after the wait, write what has arrived.
    request.done.wait(wait_s)
    return write_clip(request, dest)


class StreamHandle:
    """One viewer's hold on a stream (a console tile, a wall tile, a snapshot tool)."""

    def __init__(self, hub: StreamHub, entry: _Entry, size: tuple[int, int]) -> None:
        self.slot: FrameSlot = entry.slot
        self.spec: StreamSpec = entry.spec
        self._hub = hub
        self._entry = entry
        self._size = size
        self._paused = False
        self._released = False

    def __repr__(self) -> str:
        return f"<StreamHandle {self.spec!r} size={self._size} paused={self._paused}>"

    def status(self) -> StreamStatus:
        reader = self._entry.reader
        return reader.status() if reader is not None and not self._released else STOPPED

    def stats(self) -> StreamStats:
        reader = self._entry.reader
        return reader.stats() if reader is not None and not self._released else _NO_STATS

    def set_size(self, size: tuple[int, int]) -> None:
        self._hub._set_size(self, size)

    def set_paused(self, paused: bool) -> None:
        self._hub._set_paused(self, paused)

    def full_resolution(
        self, seq: int | None = None
    ) -> tuple[npt.NDArray[numpy.uint8], Frame] | None:
        reader = self._entry.reader
        if reader is None or self._released:
            return None
        return reader.full_resolution(seq)

    def clip(
        self, pre_s: float, post_s: float, dest: Path
    ) -> concurrent.futures.Future[ClipResult]:
        if pre_s < 0 or post_s < 0:
            raise ValueError("clip: pre_s and post_s must not be negative")
        reader = self._entry.reader
        try:
            if reader is None or self._released:
                raise ClipError("The stream is not running")
            request = reader.open_clip(pre_s, post_s)
        except ClipError as exc:
            failed: concurrent.futures.Future[ClipResult] = concurrent.futures.Future()
            failed.set_exception(exc)
            return failed
        return self._hub._submit_clip(request, post_s, dest)

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._hub._release(self)
