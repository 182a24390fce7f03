"""What a subscriber holds: a viewer's ``StreamHandle``, a recording's ``RecordingHandle``."""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy
import numpy.typing as npt

from commandroom.video.clips import NOT_RUNNING, ClipError, ClipResult
from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.sinks import PacketSink
from commandroom.video.state import STOPPED, StreamStats, StreamStatus
from commandroom.video.stream_spec import StreamSpec

if TYPE_CHECKING:
    from commandroom.video.hub import StreamHub, _Entry

log = logging.getLogger(__name__)

NO_STATS = StreamStats(fps=0.0, latency_ms=None, width=0, height=0, codec="", bitrate_kbps=0.0)


class StreamHandle:
    """One viewer's hold on a stream (a console tile, a wall tile, a snapshot tool)."""

    def __init__(self, hub: StreamHub, entry: _Entry, size: tuple[int, int]) -> None:
        self.slot: FrameSlot = entry.slot
        self.spec: StreamSpec = entry.spec
        self._hub = hub
        self._entry = entry
        self._size = size
        self._paused = False
        self._planes = False
        self._released = False

    def __repr__(self) -> str:
        return f"<StreamHandle {self.spec!r} size={self._size} paused={self._paused}>"

    def status(self) -> StreamStatus:
        reader = self._entry.reader
        return reader.status() if reader is not None and not self._released else STOPPED

    def stats(self) -> StreamStats:
        reader = self._entry.reader
        return reader.stats() if reader is not None and not self._released else NO_STATS

    def set_size(self, size: tuple[int, int]) -> None:
        self._hub._set_size(self, size)

    def set_paused(self, paused: bool) -> None:
        self._hub._set_paused(self, paused)

    @property
    def planes(self) -> bool:
        """This viewer paints YUV planes (the GPU path)."""
        return self._planes

    def set_planes(self, planes: bool) -> None:
        self._hub._set_planes(self, planes)

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
                raise ClipError(NOT_RUNNING)
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


class RecordingHandle:
    """One recording's hold on a stream: its sink is fed while the handle lasts."""

    def __init__(self, hub: StreamHub, entry: _Entry, sink: PacketSink,
                 on_status: Callable[[StreamStatus], None] | None) -> None:
        self.spec: StreamSpec = entry.spec
        self.sink = sink
        self._hub = hub
        self._entry = entry
        self._on_status = on_status
        self._released = False

    def __repr__(self) -> str:
        return f"<RecordingHandle {self.spec!r}>"

    def status(self) -> StreamStatus:
        reader = self._entry.reader
        return reader.status() if reader is not None and not self._released else STOPPED

    def _status(self, status: StreamStatus) -> None:
        if self._on_status is not None and not self._released:
            try:
                self._on_status(status)
            except Exception:
                log.exception("recording status listener failed for %s", self.spec.display_url)

    def release(self) -> None:
        """Stop feeding the sink (it is told its segment ended); idempotent."""
        if not self._released:
            self._released = True
            self._hub._release_recording(self)
