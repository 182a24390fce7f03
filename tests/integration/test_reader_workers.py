"""Stream readers in worker processes: four streams over two workers, one worker killed."""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import numpy
import pytest

from commandroom.config import VideoSettings
from commandroom.video.clips import NOT_RUNNING, ClipError
from commandroom.video.frames import Frame
from commandroom.video.hub import StreamHub
from commandroom.video.packet_sources import SegmentInfo
from commandroom.video.remote_reader import RemoteReader
from commandroom.video.shm_slot import SHM_PREFIX, list_segments
from commandroom.video.state import StreamState
from commandroom.video.stream_spec import StreamSpec
from commandroom.video.worker_units import WORKER_GONE
from tests.support.rtsp import RtspTestServer, StatusRecorder, wait_for_seq

pytestmark = pytest.mark.integration

# The targets: a killed worker's tiles live again within 3 s, and the other
# worker's tiles never wait longer than 200 ms for a frame meanwhile.
RECOVERY_LIMIT_S = 3.0
OTHER_GAP_LIMIT_S = 0.2


class _Intervals:
    """Polls slots (as the GUI's paint pump does) and keeps the longest wait for a new
    frame per slot between ``start`` and ``stop``."""

    def __init__(self, handles: list[Any]) -> None:
        self._handles = handles
        self.longest = [0.0] * len(handles)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="interval-probe")

    def __enter__(self) -> _Intervals:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        seqs = [h.slot.seq for h in self._handles]
        since = [time.monotonic()] * len(self._handles)
        while not self._stop.wait(0.005):
            now = time.monotonic()
            for i, handle in enumerate(self._handles):
                seq = handle.slot.seq
                if seq != seqs[i]:
                    seqs[i], since[i] = seq, now
                self.longest[i] = max(self.longest[i], now - since[i])


class _CountingSink:
    """A recorder that counts; units arrive on the pool's receiving thread, so a test
    waits on ``arrived`` rather than polling."""

    def __init__(self) -> None:
        self.segments: list[SegmentInfo] = []
        self.units = 0
        self.keyframes = 0
        self.arrived = threading.Condition()

    def start_segment(self, info: SegmentInfo) -> None:
        self.segments.append(info)

    def append(self, packet: Any, arrival: float) -> None:
        with self.arrived:
            self.units += 1
            self.keyframes += bool(packet.is_keyframe)
            self.arrived.notify_all()

    def wait_units(self, count: int, timeout: float) -> None:
        with self.arrived:
            self.arrived.wait_for(lambda: self.units >= count, timeout)

    def end_segment(self) -> None:
        pass


def _ours() -> list[str]:
    return [n for n in list_segments() if n.startswith(f"{SHM_PREFIX}{os.getpid()}-")]


@pytest.fixture
def worker_hub(video_settings: VideoSettings, status_log: StatusRecorder) -> Iterator[StreamHub]:
    hub = StreamHub(dataclasses.replace(video_settings, reader_processes=2),
                    on_status=status_log)
    yield hub
    hub.close()


def test_four_streams_over_two_workers_survive_a_killed_worker(
    rtsp_server: RtspTestServer, worker_hub: StreamHub, status_log: StatusRecorder,
    tmp_path: Path,
) -> None:
    hub = worker_hub
    specs = [
        StreamSpec(rtsp_server.url("clip1")), StreamSpec(rtsp_server.url("clip2")),
        StreamSpec("demo://w1?w=320&h=180&fps=25"), StreamSpec("demo://w2?w=320&h=180&fps=25"),
    ]
    handles = [hub.subscribe(spec, (320, 180)) for spec in specs]
    sink = _CountingSink()
    recording = hub.record(specs[0], sink)
    for spec, handle in zip(specs, handles, strict=True):
        status_log.wait_state(spec, StreamState.LIVE, 20.0)
        wait_for_seq(handle, 5, 10.0)
    pool = hub.worker_pool
    assert pool is not None
    readers = [h._entry.reader for h in handles]
    assert all(isinstance(r, RemoteReader) for r in readers)
    places = [pool.worker_of(r) for r in readers]  # type: ignore[arg-type]
    assert sorted(places) == [0, 0, 1, 1]
    frame = handles[0].slot.latest()
    assert frame is not None and frame.image.shape == (180, 320, 4)

    # Tagging: the worker's full-resolution picture of the frame shown.
    shown = handles[0].slot.latest()
    assert shown is not None
    found = handles[0].full_resolution(shown.seq)
    assert found is not None
    bgr, tagged = found
    assert bgr.shape == (360, 640, 3) and tagged.seq >= shown.seq

    # Evidence and recording: the access units crossed to this process's ring and sink.
    # A second of video first: the clip reaches 1 s back, and 5 frames (0.2 s) in the
    # ring gave a 0.48 s clip once.
    wait_for_seq(handles[0], handles[0].slot.seq + 25, 10.0)
    clip = handles[0].clip(1.0, 0.3, tmp_path / "clip.mp4").result(timeout=15)
    assert clip.path.stat().st_size > 1000 and clip.duration_s > 0.5
    assert sink.segments and sink.segments[0].codec == "h264" and sink.keyframes >= 1

    # Kill the worker of stream 0; watch every tile while it comes back.
    victim = places[0]
    assert victim is not None
    pid = pool.pids()[victim]
    assert pid is not None
    killed = [i for i, p in enumerate(places) if p == victim]
    others = [i for i, p in enumerate(places) if p != victim]
    marks = [h.slot.seq for h in handles]
    since = status_log.mark()
    with _Intervals([handles[i] for i in others]) as probe:
        started = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        for i in killed:
            status_log.wait_for(specs[i], lambda st: st.state == StreamState.RECONNECTING,
                                5.0, since)
        recovered = []
        for i in killed:
            status_log.wait_state(specs[i], StreamState.LIVE, 10.0, since)
            wait_for_seq(handles[i], marks[i] + 1, 10.0)
            recovered.append(time.monotonic() - started)
        # Keep watching the others a little longer than the recovery took.
        wait_for_seq(handles[others[0]], handles[others[0]].slot.seq + 10, 5.0)
    recovery_s = max(recovered)
    print(f"killed worker's streams live again after {recovery_s:.2f} s; other streams' "
          f"longest frame interval {max(probe.longest) * 1000:.0f} ms")
    assert pool.pids()[victim] != pid and pool.restarts() == 1
    assert recovery_s <= RECOVERY_LIMIT_S
    assert max(probe.longest) <= OTHER_GAP_LIMIT_S
    # The recording goes on over the new connection (a new segment, new units).
    units = sink.units
    sink.wait_units(units + 1, 5.0)
    assert sink.units > units and len(sink.segments) >= 2

    recording.release()
    for handle in handles:
        handle.release()
    hub.close()
    pids = [p for p in pool.pids() if p is not None]
    assert all(not _alive(p) for p in pids)
    assert _ours() == []
    assert hub.reader_count() == 0


def _worker_pid(hub: StreamHub, handle: Any) -> int:
    """The process id of the worker that reads the handle's stream."""
    pool = hub.worker_pool
    assert pool is not None
    index = pool.worker_of(cast(RemoteReader, handle._entry.reader))
    assert index is not None
    pid = pool.pids()[index]
    assert pid is not None
    return pid


def test_units_cross_only_while_recorded_and_clips_come_from_the_workers_ring(
    rtsp_server: RtspTestServer, worker_hub: StreamHub, status_log: StatusRecorder,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    crossed: list[int] = []
    on_unit = RemoteReader.on_unit

    def counted(self: RemoteReader, *fields: Any) -> None:
        crossed.append(1)
        on_unit(self, *fields)

    monkeypatch.setattr(RemoteReader, "on_unit", counted)
    spec = StreamSpec(rtsp_server.url("clip3"))
    handle = worker_hub.subscribe(spec, (320, 180))
    status_log.wait_state(spec, StreamState.LIVE, 20.0)
    wait_for_seq(handle, 30, 10.0)  # over a second of video: none of it crossed
    assert crossed == []

    # The clip is cut in the worker, from its own ring: a second before the tag.
    tagged_at = time.time()
    clip = handle.clip(1.0, 0.2, tmp_path / "ring.mp4").result(timeout=15)
    assert clip.duration_s >= 0.8 and clip.start_time <= tagged_at - 0.8
    assert crossed == []

    sink = _CountingSink()  # a recorder: the units cross while it is fed
    recording = worker_hub.record(spec, sink)
    sink.wait_units(10, 10.0)
    assert sink.units >= 10 and sink.segments[0].codec == "h264"
    recording.release()
    wait_for_seq(handle, handle.slot.seq + 10, 5.0)  # what was on its way has come
    after = len(crossed)
    wait_for_seq(handle, handle.slot.seq + 25, 5.0)
    assert len(crossed) == after

    # A clip whose worker dies before the clip's end: said, not a half clip.
    pid = _worker_pid(worker_hub, handle)
    pending = handle.clip(0.5, 5.0, tmp_path / "lost.mp4")
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(ClipError, match=WORKER_GONE):
        pending.result(timeout=15)
    assert not (tmp_path / "lost.mp4").exists()
    handle.release()


def test_a_clip_of_a_stream_no_worker_reads_says_so_not_that_the_worker_died(
    rtsp_server: RtspTestServer, worker_hub: StreamHub, status_log: StatusRecorder,
    tmp_path: Path,
) -> None:
    spec = StreamSpec(rtsp_server.url("clip4"))
    handle = worker_hub.subscribe(spec, (320, 180))
    status_log.wait_state(spec, StreamState.LIVE, 20.0)
    reader = cast(RemoteReader, handle._entry.reader)
    pool = worker_hub.worker_pool
    assert pool is not None
    reader.stop()  # its worker's reader ends and says so: no worker reads it any more
    # The pool forgets the stream before it tells the reader it ended (join's event).
    reader.join(10.0)
    assert not reader.is_alive()
    assert pool.worker_of(reader) is None
    with pytest.raises(ClipError, match=NOT_RUNNING):
        handle.clip(1.0, 0.0, tmp_path / "none.mp4").result(timeout=5)
    assert not (tmp_path / "none.mp4").exists()
    handle.release()


def test_a_tile_closed_while_its_worker_restarts_does_not_hang(
    rtsp_server: RtspTestServer, worker_hub: StreamHub, status_log: StatusRecorder,
) -> None:
    # The restart reopens the worker's streams under the pool's send lock; closing a
    # tile sends to the pool under the hub's lock. Both at once hung both threads before.
    spec = StreamSpec(rtsp_server.url("clip4"))
    handle = worker_hub.subscribe(spec, (320, 180))
    status_log.wait_state(spec, StreamState.LIVE, 20.0)
    pid = _worker_pid(worker_hub, handle)
    since = status_log.mark()
    os.kill(pid, signal.SIGKILL)
    status_log.wait_for(spec, lambda st: st.state == StreamState.RECONNECTING, 5.0, since)
    closing = threading.Thread(target=handle.release, name="close-tile")
    closing.start()  # at once, while the pool restarts the worker
    closing.join(10.0)
    assert not closing.is_alive()
    other = worker_hub.subscribe(spec, (320, 180))  # the hub still answers
    status_log.wait_state(spec, StreamState.LIVE, 20.0, since)
    wait_for_seq(other, other.slot.seq + 5, 10.0)
    other.release()


def test_a_closed_tile_frees_its_shared_memory(worker_hub: StreamHub) -> None:
    before = set(_ours())
    handle = worker_hub.subscribe(StreamSpec("demo://free?w=160&h=90&fps=25"), (160, 90))
    wait_for_seq(handle, 2, 10.0)
    made = set(_ours()) - before
    assert len(made) == 1
    handle.release()  # the reader stops after idle_stop_s; then its entry and slot go
    deadline = time.monotonic() + 10.0
    while made & set(_ours()) and time.monotonic() < deadline:
        time.sleep(0.05)  # the hub's watchdog drops the entry: nothing to wait on
    assert not made & set(_ours())


def _frame_where(handle: Any, wanted: Callable[[Frame], bool], timeout: float = 10.0
                 ) -> Frame:
    """The first frame the handle's slot gives that is ``wanted`` (polled, as painted)."""
    deadline = time.monotonic() + timeout
    while True:
        frame = handle.slot.latest()
        if frame is not None and wanted(frame):
            return cast(Frame, frame)
        if time.monotonic() > deadline:
            raise TimeoutError(f"no such frame in {timeout} s (last: {frame})")
        time.sleep(0.01)


def test_a_worker_stream_follows_its_viewers_from_bgra_to_planes_and_back(
        worker_hub: StreamHub) -> None:
    # Frames are looked at by seq and let go: each held frame pins one of the slot's
    # four buffers (as a painter's or a frozen tile's does); ``planar`` alone is kept.
    spec = StreamSpec("demo://planes?w=320&h=180&fps=25")
    gpu = worker_hub.subscribe(spec, (320, 180))
    assert wait_for_seq(gpu, 2, 10.0).planes is None  # CPU painting until told otherwise
    gpu.set_planes(True)  # the GL grid: the worker publishes 4:2:0 planes now
    planar = _frame_where(gpu, lambda f: f.planes is not None)
    assert planar.planes is not None and planar.colour is not None
    assert [p.shape for p in planar.planes] == [(180, 320), (90, 160), (90, 160)]
    assert planar.image is planar.planes[0] and planar.source_size == (320, 180)
    kept_bgra = planar.as_bgra().image.copy()
    assert kept_bgra.std() > 10  # a picture, not an empty buffer
    # Tagging still gets the worker's full-resolution picture, with the planes shown.
    found = gpu.full_resolution(planar.seq)
    assert found is not None and found[0].shape == (180, 320, 3)
    assert found[1].planes is not None
    del found
    cpu = worker_hub.subscribe(spec, (320, 180))  # a CPU tile joins: BGRA for both
    seq = _frame_where(cpu, lambda f: f.planes is None and f.seq > planar.seq).seq
    assert _frame_where(gpu, lambda f: f.seq >= seq).image.shape == (180, 320, 4)
    cpu.release()  # the GPU viewer alone again: planes again
    again = _frame_where(gpu, lambda f: f.planes is not None and f.seq > seq)
    assert again.colour == planar.colour
    seq = again.seq
    del again
    gpu.set_planes(False)  # the grid fell back to the CPU: BGRA
    assert _frame_where(gpu, lambda f: f.planes is None and f.seq > seq).image.ndim == 3
    # The planar frame held all along was never written over.
    assert planar.planes[1].base is planar.planes[0].base
    assert numpy.array_equal(planar.as_bgra().image, kept_bgra)
    gpu.release()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers: it is gone all the same.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


def test_a_worker_freezes_its_start_up_objects_before_its_first_stream(
        video_settings: VideoSettings) -> None:
    """Its imports never again cost a full collection that stops all its streams."""
    said: list[str] = []
    ready = threading.Event()

    class Listener(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "ready;" in record.getMessage():
                said.append(record.getMessage())
                ready.set()

    listener = Listener(level=logging.INFO)
    logger = logging.getLogger("commandroom.video.worker_process")
    logger.addHandler(listener)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    hub = StreamHub(dataclasses.replace(video_settings, reader_processes=1))
    try:
        assert ready.wait(20.0), "the worker never said it was ready"
    finally:
        hub.close()
        logger.removeHandler(listener)
        logger.setLevel(old_level)
    frozen = int(said[0].split(" objects")[0].rsplit(" ", 1)[1])
    # numpy and PyAV alone are thousands of objects (~29,000 in the app's worker).
    assert frozen > 5_000, said[0]
