"""A recorder that cannot write says why, keeps what it wrote, retries, never blocks the feed.

Disk full and read-only run on a real 4 MB tmpfs when the tests may mount (root, as in
CI); otherwise on ``InjectedDisk``, which fails writes with the same errno (the test id
says which one ran).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from commandroom.config import RecordingSettings
from commandroom.files import private_dir
from commandroom.recording.recorder import Recorder, RecorderTuning
from commandroom.recording.recovery import recover
from commandroom.recording.status import (
    GapReason,
    RecorderProblem,
    RecorderState,
    RecorderStatus,
    RecorderStatusChanged,
)
from commandroom.video.packet_sources import SegmentInfo
from tests.support.recording import ClipPacket, feed, ffprobe, iter_files, packets_in
from tests.support.small_disk import InjectedDisk, TmpfsDisk, can_mount
from tests.unit.recording.conftest import RecStack

Clip = tuple[SegmentInfo, list[ClipPacket]]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR = datetime(2100, 1, 1, tzinfo=UTC)
RETRY = RecorderTuning(retry_initial_s=0.2, retry_max_s=0.4, sync_fragments=False)
SETTINGS = RecordingSettings(segment_s=4.0, fragment_s=1.0)
# Per append: the reader must never wait for the disk.
APPEND_LIMIT_S = 0.05


class StatusLog:
    """RecorderStatusChanged events, waitable (no sleeps)."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.seen: list[RecorderStatus] = []

    def __call__(self, event: RecorderStatusChanged) -> None:
        with self.cond:
            self.seen.append(event.status)
            self.cond.notify_all()

    def wait_for(self, state: RecorderState, problem: RecorderProblem | None = None,
                 since: int = 0, timeout: float = 15.0) -> RecorderStatus:
        def match() -> RecorderStatus | None:
            return next((s for s in self.seen[since:]
                         if s.state is state and (problem is None or s.problem is problem)),
                        None)
        with self.cond:
            assert self.cond.wait_for(lambda: match() is not None, timeout), self.seen
            found = match()
            assert found is not None
            return found


@pytest.fixture(params=["tmpfs" if can_mount() else "injected"])
def disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TmpfsDisk | InjectedDisk]:
    where = tmp_path / "disk"
    small: TmpfsDisk | InjectedDisk = (
        TmpfsDisk(where, 4) if request.param == "tmpfs" else InjectedDisk(where))
    try:
        yield small
    finally:
        small.close()


@pytest.fixture(autouse=True)
def _close_recorders(stack: RecStack) -> Iterator[None]:
    """A failed assertion must not leave a writer thread behind."""
    made: list[Recorder] = []
    original = stack.recorder

    def recorder(*args: object, **kwargs: object) -> Recorder:
        made.append(original(*args, **kwargs))  # type: ignore[arg-type]
        return made[-1]

    stack.recorder = recorder  # type: ignore[method-assign]
    yield
    for each in made:
        each.close()


def _on(stack: RecStack, disk: TmpfsDisk | InjectedDisk) -> tuple[RecStack, StatusLog]:
    root = disk.mountpoint / "recordings"
    private_dir(root)
    stack.root = root
    log = StatusLog()
    stack.bus.subscribe(RecorderStatusChanged, log)
    return stack, log


def test_disk_full_keeps_what_was_written_retries_and_resumes(
    stack: RecStack, clip: Clip, disk: TmpfsDisk | InjectedDisk
) -> None:
    stack, statuses = _on(stack, disk)
    info, packets = clip
    disk.fill(leave_bytes=1_300_000)  # the first file (4 s) and one fragment of the next
    recorder = stack.recorder(SETTINGS, tuning=RETRY, writer_factory=disk.writer_factory)
    recorder.start()
    t0 = 10_000.0
    longest = feed(recorder, info, packets_in(packets, 0, 8.0), t0)
    failing = statuses.wait_for(RecorderState.FAILING, RecorderProblem.DISK_FULL)
    assert failing.detail == "ENOSPC" and failing.retry_in_s is not None
    assert recorder.wait_idle(10)
    kept = stack.index.segments(stack.cam.id, EPOCH, FAR)
    assert kept and kept[-1].note == "write_failed"  # whole fragments before the full disk
    (gap,) = stack.index.gaps(stack.cam.id, EPOCH, FAR)
    assert (gap.reason, gap.detail, gap.end_at) == (GapReason.WRITE_FAILED, "ENOSPC", None)
    assert gap.start_at == kept[-1].end_at

    disk.free()
    mark = len(statuses.seen)
    # At 4x real time (2 s): the retry (0.2 s) comes in it, then a keyframe opens a file.
    longest = max(longest, feed(recorder, info, packets_in(packets, 8.0, 16.0), t0, 4.0,
                                new_connection=False))
    statuses.wait_for(RecorderState.RECORDING, since=mark)
    recorder.close()

    assert longest < APPEND_LIMIT_S
    (gap,) = stack.index.gaps(stack.cam.id, EPOCH, datetime.fromtimestamp(t0 + 16, UTC))
    resumed = [s for s in stack.index.segments(stack.cam.id, EPOCH, FAR)
               if s.start_at >= gap.start_at]
    assert resumed and gap.end_at == resumed[0].start_at
    for segment in stack.index.all_segments():
        assert ffprobe(stack.root / segment.path)["errors"] == ""
    _agree_after_recovery(stack)


def test_a_read_only_folder_says_so_and_recording_starts_when_writable(
    stack: RecStack, clip: Clip, disk: TmpfsDisk | InjectedDisk
) -> None:
    stack, statuses = _on(stack, disk)
    info, packets = clip
    disk.read_only(True)
    recorder = stack.recorder(SETTINGS, tuning=RETRY, writer_factory=disk.writer_factory)
    recorder.start()
    longest = feed(recorder, info, packets_in(packets, 0, 2.0), 20_000.0)
    failing = statuses.wait_for(RecorderState.FAILING, RecorderProblem.READ_ONLY)
    assert failing.detail == "EROFS"
    assert recorder.wait_idle(10)
    assert stack.index.all_segments() == []
    disk.read_only(False)
    mark = len(statuses.seen)
    longest = max(longest, feed(recorder, info, packets_in(packets, 2.0, 8.0), 20_000.0, 4.0,
                                new_connection=False))
    statuses.wait_for(RecorderState.RECORDING, since=mark)
    recorder.close()
    assert longest < APPEND_LIMIT_S
    assert stack.index.all_segments()
    _agree_after_recovery(stack)


def test_a_missing_folder_is_not_recreated_but_waited_for(stack: RecStack, clip: Clip,
                                                          tmp_path: Path) -> None:
    statuses = StatusLog()
    stack.bus.subscribe(RecorderStatusChanged, statuses)
    info, packets = clip
    shutil.rmtree(stack.root)  # e.g. the recordings disk is not mounted
    recorder = stack.recorder(SETTINGS, tuning=RETRY).start()
    feed(recorder, info, packets_in(packets, 0, 2.0), 30_000.0)
    statuses.wait_for(RecorderState.FAILING, RecorderProblem.FOLDER_MISSING)
    assert recorder.wait_idle(10)
    assert not stack.root.exists()  # nothing written underneath a missing mount
    private_dir(stack.root)
    mark = len(statuses.seen)
    feed(recorder, info, packets_in(packets, 2.0, 8.0), 30_000.0, 4.0, new_connection=False)
    statuses.wait_for(RecorderState.RECORDING, since=mark)
    recorder.close()
    assert stack.index.all_segments()


def _agree_after_recovery(stack: RecStack) -> None:
    recover(stack.index, stack.root)
    on_disk = sorted(p.relative_to(stack.root).as_posix() for p in iter_files(stack.root)
                     if p.name != "filler")
    assert on_disk == sorted(r.path for r in stack.index.all_segments())
