"""The stream hub: one reader per distinct stream, shared by every viewer of it.

Two kinds of subscription keep a reader alive: viewers (``subscribe``: a tile, the wall, a
snapshot tool) and recordings (``record``: a ``PacketSink``, the camera's recorder, fed
the compressed access units). Decoding runs only while a viewer is active; a stream that
is only recorded is demuxed and nothing else (see reader.py). When every viewer is paused
for ``idle_stop_s`` the reader stops, or, if the stream is recorded, only its decoding.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from commandroom.config import EvidenceSettings, VideoSettings
from commandroom.video.clips import Clip, ClipResult, write_clip
from commandroom.video.frames import FrameSlot
from commandroom.video.handles import RecordingHandle, StreamHandle
from commandroom.video.reader import StreamReader
from commandroom.video.remote_reader import RemoteReader
from commandroom.video.replay_clock import PlaybackClock
from commandroom.video.replay_feed import ReplayOpener
from commandroom.video.replay_handle import ClipMaker, PlaybackHandle
from commandroom.video.replay_reader import ReplayReader
from commandroom.video.shm_slot import SharedSlotReader
from commandroom.video.sinks import PacketSink
from commandroom.video.state import StreamStatus
from commandroom.video.stream_spec import StreamSpec
from commandroom.video.worker_pool import WorkerPool, reader_processes

log = logging.getLogger(__name__)

__all__ = ["PlaybackHandle", "RecordingHandle", "StreamHandle", "StreamHub"]

StatusListener = Callable[[StreamSpec, StreamStatus], None]
_CLIP_WORKERS = 2
# Extra wait for a clip's last packets beyond post_s before writing what has arrived.
_CLIP_GRACE_S = 2.0
_JOIN_TIMEOUT_S = 2.0
_WATCHDOG_MAX_SLEEP_S = 1.0
Reader = StreamReader | RemoteReader


@dataclass(eq=False)
class _Entry:
    spec: StreamSpec
    slot: FrameSlot = field(default_factory=FrameSlot)
    handles: list[StreamHandle] = field(default_factory=list)
    recordings: list[RecordingHandle] = field(default_factory=list)
    reader: Reader | None = None
    idle_since: float | None = None
    target: tuple[int, int] | None = None  # read by the reader once per frame
    planes: bool = False  # every active viewer paints on the GPU: publish YUV planes


class StreamHub:
    def __init__(
        self,
        settings: VideoSettings,
        *,
        on_status: StatusListener | None = None,
        clock: Callable[[], float] = time.monotonic,
        evidence: EvidenceSettings | None = None,
        first_picture_from_ring: bool = True,
    ) -> None:
        """``first_picture_from_ring``: a viewer joining a stream that was only recorded
        sees a picture decoded from the evidence ring's newest keyframe at once (False:
        from the next keyframe; kept for the benchmark that compares the two)."""
        self._settings = settings
        self._from_ring = first_picture_from_ring
        self._on_status = on_status
        self._clock = clock
        # Packets are kept for the longest "before" an evidence clip may ask for.
        self._keep_s = (evidence or EvidenceSettings()).pre_seconds
        self._cond = threading.Condition()
        self._entries: dict[StreamSpec, _Entry] = {}
        self._retired: list[Reader] = []
        self._processes = reader_processes(settings)
        # Started now: a spawned worker takes ~1 s to import the engine, better spent
        # while the app starts than before the first picture.
        self._pool = WorkerPool(self._processes, settings) if self._processes else None
        self._replays: list[ReplayReader] = []  # running or stopping: joined at close
        self._watchdog: threading.Thread | None = None
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._closed = False
        self._batch = 0  # inside batch(): readers wait to start until it ends
        self._deferred: list[_Entry] = []

    # ----------------------------------------------------------------- public API
    def subscribe(self, spec: StreamSpec, size: tuple[int, int]) -> StreamHandle:
        with self._cond:
            if self._closed:
                raise RuntimeError("the stream hub is closed")
            entry = self._entries.get(spec)
            if entry is None:
                entry = self._entries[spec] = self._new_entry(spec)
            self._forget_crashed(entry)
            handle = StreamHandle(self, entry, size)
            entry.handles.append(handle)
            self._refresh(entry)
            self._ensure_watchdog()
            self._cond.notify_all()
            return handle

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Subscribe several streams, then start their readers together: each reader then
        knows how many streams are open when it chooses its path (see
        ``_low_latency_allowed``), e.g. the recording scheduler at start-up."""
        with self._cond:
            self._batch += 1
        try:
            yield
        finally:
            with self._cond:
                self._batch -= 1
                deferred = self._deferred if not self._batch else []
                if not self._batch:
                    self._deferred = []
                for entry in deferred:
                    if entry.reader is None and not self._closed and (
                            entry.recordings or any(not h._paused for h in entry.handles)):
                        entry.reader = self._start_reader(entry)

    def record(self, spec: StreamSpec, sink: PacketSink, *,
               on_status: Callable[[StreamStatus], None] | None = None) -> RecordingHandle:
        """Feed ``sink`` (a camera's recorder) every whole access unit of ``spec`` through
        the reader viewers share: one connection for both. The reader stays alive while
        the recording lasts and decodes only while a viewer is active. ``on_status`` gets
        the stream's status changes (reader or watchdog thread), so the recorder can say
        why footage is missing."""
        with self._cond:
            if self._closed:
                raise RuntimeError("the stream hub is closed")
            entry = self._entries.get(spec)
            if entry is None:
                entry = self._entries[spec] = self._new_entry(spec)
            self._forget_crashed(entry)
            handle = RecordingHandle(self, entry, sink, on_status)
            entry.recordings.append(handle)
            if entry.reader is not None:
                entry.reader.sinks.add(sink)
            self._refresh(entry)
            self._ensure_watchdog()
            self._cond.notify_all()
            return handle

    def play(self, opener: ReplayOpener, size: tuple[int, int], *,
             start: float | None = None, clock: PlaybackClock | None = None,
             name: str = "", clips: ClipMaker | None = None) -> PlaybackHandle:
        """Replay recorded footage from ``opener`` into a new slot, from ``start`` (wall
        clock) on its own clock, or on ``clock`` (a synchronised group: every handle made
        with the same clock plays the same moment). ``clips``: how an evidence clip is cut
        for a sighting tagged on this tile."""
        if clock is None:
            if start is None:
                raise ValueError("play: give a start time or a clock")
            clock = PlaybackClock(start)
        handle = PlaybackHandle(self, size, clock, clips)
        reader = ReplayReader(opener, clock, handle.slot, handle.target_size, name=name,
                              wants_planes=handle.wants_planes)
        handle.reader = reader
        with self._cond:
            if self._closed:
                raise RuntimeError("the stream hub is closed")
            self._replays = [r for r in self._replays if r.is_alive()] + [reader]
        reader.start()
        return handle

    @property
    def worker_pool(self) -> WorkerPool | None:
        """The reader processes (None: readers are threads in this process)."""
        return self._pool

    def replay_count(self) -> int:
        with self._cond:
            return sum(1 for r in self._replays if r.is_alive() and not r.stopping)

    def _release_replay(self, handle: PlaybackHandle) -> None:
        reader = handle.reader
        if reader is None:
            return
        reader.stop()

    def running(self, spec: StreamSpec) -> StreamHandle | None:
        """A look at a stream that is being read already (for a tile or a recording), or
        None: for evidence of a moment just past (its frames, its packet ring), which must
        neither start a reader nor keep one going. Needs no ``release``: it holds nothing."""
        with self._cond:
            entry = self._entries.get(spec)
            if self._closed or entry is None or entry.reader is None:
                return None
            return StreamHandle(self, entry, entry.target or (0, 0))

    def recorded(self) -> list[StreamSpec]:
        """The streams being recorded now."""
        with self._cond:
            return [e.spec for e in self._entries.values() if e.recordings]

    def decoding_count(self) -> int:
        """Readers decoding now (the rest are demuxed only, for recording)."""
        with self._cond:
            return sum(1 for e in self._entries.values()
                       if e.reader is not None and e.reader.decoding)

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
            replays = self._replays
            for entry in self._entries.values():
                entry.slot.close()
            self._entries.clear()
            self._retired = []
            self._replays = []
            self._cond.notify_all()
        for reader in readers:
            reader.stop()
        for replay in replays:
            replay.stop()
        for reader in readers:
            reader.join(_JOIN_TIMEOUT_S)
            if reader.is_alive():
                log.warning("video reader for %s did not stop in time", reader.spec.display_url)
        for replay in replays:
            replay.join(_JOIN_TIMEOUT_S)
            if replay.is_alive():
                log.warning("replay reader %s did not stop in time", replay.name)
        if self._watchdog is not None:
            self._watchdog.join(_JOIN_TIMEOUT_S)
        if self._pool is not None:
            self._pool.close()
        if self._executor is not None:
            # Readers finished every pending clip's packets; writing them is quick.
            self._executor.shutdown(wait=True)

    # ----------------------------------------------------------------- for handles
    @staticmethod
    def _forget_crashed(entry: _Entry) -> None:
        reader = entry.reader
        if reader is not None and not (reader.is_alive() or reader.stopping):
            # It crashed and said so ("not retrying"); opening the camera again (or the
            # recording scheduler starting it again) is the way to try anew.
            entry.reader = None

    def _refresh(self, entry: _Entry) -> None:
        """Recompute an entry's tile size, decoding and idleness; start its reader if
        needed."""
        wanted = [h._size for h in entry.handles if not h._paused]
        entry.target = max(wanted, key=lambda s: s[0] * s[1]) if wanted else None
        # One BGRA viewer (a CPU tile, the motion detector) and everybody gets BGRA: the
        # GPU path paints BGRA too, the CPU path would have to convert planes.
        entry.planes = bool(wanted) and all(h._planes for h in entry.handles if not h._paused)
        if isinstance(entry.reader, RemoteReader):  # a worker is told, as of the size
            entry.reader.retarget(entry.target, entry.planes)
        if wanted or (entry.recordings and not entry.handles):
            entry.idle_since = None
        elif entry.idle_since is None:
            # Paused viewers decode until idle_stop_s, then the reader stops (or, when the
            # stream is recorded, only its decoding).
            entry.idle_since = self._clock()
        if (wanted or entry.recordings) and not self._closed:
            if entry.reader is None and self._batch:
                if entry not in self._deferred:
                    self._deferred.append(entry)
            elif entry.reader is None:
                entry.reader = self._start_reader(entry)
            else:
                entry.reader.set_decoding(self._decode_wanted(entry))
        if not entry.handles and not entry.recordings and entry.reader is None:
            self._drop(entry)
        self._cond.notify_all()

    @staticmethod
    def _decode_wanted(entry: _Entry) -> bool:
        """A viewer is active, or paused for less than idle_stop_s (a tile that comes
        right back must not wait for a keyframe)."""
        if any(not h._paused for h in entry.handles):
            return True
        return bool(entry.handles) and entry.idle_since is not None

    def _release_recording(self, handle: RecordingHandle) -> None:
        with self._cond:
            entry = handle._entry
            if handle not in entry.recordings:
                return
            entry.recordings.remove(handle)
            reader = entry.reader
            self._refresh(entry)
        if reader is not None:
            reader.sinks.remove(handle.sink)  # tells the sink its segment ended

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

    def _set_planes(self, handle: StreamHandle, planes: bool) -> None:
        with self._cond:
            handle._planes = planes
            if handle in handle._entry.handles:
                self._refresh(handle._entry)

    def _set_size(self, handle: StreamHandle, size: tuple[int, int]) -> None:
        with self._cond:
            handle._size = size
            if handle in handle._entry.handles:
                self._refresh(handle._entry)

    def _submit_clip(
        self, request: Clip, post_s: float, dest: Path
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
    def _low_latency_allowed(self, entry: _Entry) -> bool:
        """RTSP H.264 without FFmpeg's parser (see VideoSettings.low_latency_max_streams)
        for a new connection. Streams only recorded do not count against the limit; they
        themselves skip the parser only while few streams are open in all, so a viewer
        that joins one gets the low latency too, and with many they take the cheaper
        parser path (a viewer joining such a connection then sees frames one frame later,
        until it reconnects: a second connection would cost the camera a session)."""
        limit = self._settings.low_latency_max_streams
        with self._cond:
            readers = [e for e in self._entries.values()
                       if e.reader is not None or e in self._deferred]
            playing = sum(1 for e in readers if e.handles or not e.recordings)
            viewed = bool(entry.handles)
        return playing <= limit and (viewed or len(readers) <= limit)

    def _new_entry(self, spec: StreamSpec) -> _Entry:
        return _Entry(spec, SharedSlotReader()) if self._processes else _Entry(spec)

    def _drop(self, entry: _Entry) -> None:
        if self._entries.get(entry.spec) is entry:
            del self._entries[entry.spec]
        entry.slot.close()  # a shared slot's memory is unlinked

    def _start_reader(self, entry: _Entry) -> Reader:
        def report(status: StreamStatus) -> None:
            # A retired reader's last words must not overwrite its successor's state.
            if entry.reader is not reader and entry.reader is not None:
                return
            if self._on_status is not None:
                self._on_status(entry.spec, status)
            for recording in list(entry.recordings):
                recording._status(status)

        reader: Reader
        if isinstance(entry.slot, SharedSlotReader):
            assert self._pool is not None
            reader = RemoteReader(
                self._pool, entry.spec, entry.slot, keep_s=self._keep_s, on_status=report,
                target=entry.target, low_latency=lambda: self._low_latency_allowed(entry),
                decoding=self._decode_wanted(entry), first_picture_from_ring=self._from_ring,
                planes=entry.planes,
            )
        else:
            reader = self._thread_reader(entry, report)
        for recording in entry.recordings:
            reader.sinks.add(recording.sink)
        entry.reader = reader  # before start(): the first status is reported as current
        log.info("video reader starting for %s", entry.spec.display_url)
        reader.start()
        return reader

    def _thread_reader(self, entry: _Entry, report: Callable[[StreamStatus], None]
                       ) -> StreamReader:
        return StreamReader(
            entry.spec,
            self._settings,
            entry.slot,
            keep_s=self._keep_s,
            clock=self._clock,
            on_status=report,
            target_size=lambda: entry.target,
            wants_planes=lambda: entry.planes,
            low_latency=lambda: self._low_latency_allowed(entry),
            decoding=self._decode_wanted(entry),
            first_picture_from_ring=self._from_ring,
        )

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
                live: list[Reader] = []
                for entry in list(self._entries.values()):
                    reader = entry.reader
                    if reader is None:
                        continue
                    if entry.idle_since is not None:
                        if reader.pending_clips():
                            next_at = min(next_at, now + 0.1)
                        elif entry.recordings and now >= entry.idle_since + idle_stop_s:
                            # Recorded: the connection stays, the decoding stops.
                            entry.idle_since = None
                            reader.set_decoding(False)
                        elif now >= entry.idle_since + idle_stop_s:
                            log.info("video reader idle, stopping: %s", entry.spec.display_url)
                            reader.stop()
                            self._retired.append(reader)
                            entry.reader = None
                            if not entry.handles and not entry.recordings:
                                self._drop(entry)
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


def _finish_clip(request: Clip, dest: Path, wait_s: float) -> ClipResult:
    # A stalled camera sends nothing more: after the wait, write what has arrived.
    request.done.wait(wait_s)
    return write_clip(request, dest)
