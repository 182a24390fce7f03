"""Replaying recorded segments through the hub: every frame checked by its own barcode.

The footage is made here (tests/support/barcode_feed.py): each picture shows the time it
was recorded at, so what the replay reader publishes is checked against the picture,
not against the engine's own arithmetic.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from commandroom.config import RecordingSettings, VideoSettings
from commandroom.recording.recorder import RecordedCamera, Recorder
from commandroom.recording.replay_source import LocalFootage
from commandroom.video.frames import Frame
from commandroom.video.hub import StreamHub
from commandroom.video.replay_clock import PlaybackClock
from commandroom.video.replay_feed import FootageKind, ReplayState
from commandroom.video.replay_handle import PlaybackHandle
from tests.support.barcode import decode_ms
from tests.support.barcode_feed import barcode_packets, record
from tests.unit.recording.conftest import FAST, RecStack
from tests.unit.video.conftest import wait_until

T0 = 1_780_000_000.0  # 2026-05-28, on a whole second
FRAME_MS = 40


@dataclass
class Footage:
    hub: StreamHub
    stack: RecStack

    def record(self, camera: RecordedCamera, start: float, seconds: float,
               segment_s: float = 4.0) -> None:
        info, packets = barcode_packets(start, seconds)
        recorder = Recorder(camera, self.stack.index, self.stack.root,
                            RecordingSettings(segment_s=segment_s, fragment_s=1.0),
                            tuning=FAST, wall_clock=lambda: start + seconds).start()
        record(recorder, info, packets)
        recorder.close()

    def play(self, camera: RecordedCamera, start: float | None = None,
             clock: PlaybackClock | None = None) -> PlaybackHandle:
        footage = LocalFootage(self.stack.index, self.stack.root, camera.id)
        return self.hub.play(footage, (320, 180), start=start, clock=clock,
                             name=camera.name)


@pytest.fixture
def footage(stack: RecStack) -> Iterator[Footage]:
    hub = StreamHub(VideoSettings())
    yield Footage(hub, stack)
    hub.close()


def stamp(frame: Frame | None) -> int:
    assert frame is not None
    return decode_ms(frame.image)


def next_frame(handle: PlaybackHandle, after: int, timeout: float = 5.0) -> Frame:
    assert wait_until(lambda: handle.slot.seq > after, timeout), handle.replay_status()
    frame = handle.slot.latest()
    assert frame is not None
    return frame


def ms(seconds: float) -> int:
    return round(seconds * 1000)


def test_first_frame_is_the_one_at_the_moment_asked_not_the_keyframe(
        footage: Footage, stack: RecStack) -> None:
    footage.record(stack.cam, T0, 8.0)
    moment = T0 + 5.52  # 13 frames after the keyframe at 5.0 s (GOP 1 s)
    handle = footage.play(stack.cam, moment)
    first = next_frame(handle, 0)
    assert stamp(first) == ms(moment)
    assert first.capture_time == pytest.approx(moment, abs=1e-6)  # tagging gets this time
    assert handle.replay_status().kind is FootageKind.LOCAL
    got = handle.full_resolution(first.seq)
    assert got is not None and got[1].capture_time == first.capture_time
    # Between two frames: the one on screen at that moment (recorded before it).
    handle.seek(T0 + 2.019)
    assert wait_until(lambda: (f := handle.slot.latest()) is not None
                      and stamp(f) == ms(T0 + 2.0))
    handle.release()


def test_playback_crosses_segment_boundaries_without_losing_a_frame(
        footage: Footage, stack: RecStack) -> None:
    footage.record(stack.cam, T0, 10.0, segment_s=2.0)  # five files
    handle = footage.play(stack.cam, T0 + 1.8)
    handle.set_speed(2.0)
    seen: list[int] = []
    deadline = time.monotonic() + 6.0
    while time.monotonic() < deadline and (not seen or seen[-1] < ms(T0 + 4.6)):
        frame = handle.slot.latest()
        if frame is not None and (not seen or stamp(frame) != seen[-1]):
            seen.append(stamp(frame))
        time.sleep(0.003)  # the slot has nothing to wait on: polled like a painter
    handle.release()
    assert seen[0] == ms(T0 + 1.8) and seen[-1] >= ms(T0 + 4.6)
    steps = {b - a for a, b in itertools.pairwise(seen)}
    assert steps == {FRAME_MS}, steps  # two boundaries crossed, no frame lost or repeated


def test_a_gap_is_jumped_and_reported(footage: Footage, stack: RecStack) -> None:
    footage.record(stack.cam, T0, 4.0)
    footage.record(stack.cam, T0 + 60.0, 4.0)  # 56 s with nothing
    handle = footage.play(stack.cam, T0 + 3.52)
    first = next_frame(handle, 0)
    assert stamp(first) == ms(T0 + 3.52)
    started = time.monotonic()
    assert wait_until(lambda: (f := handle.slot.latest()) is not None
                      and stamp(f) >= ms(T0 + 60.0), 5.0)
    assert time.monotonic() - started < 2.0  # 0.48 s of footage, then the jump
    gap = handle.replay_status().gap
    assert gap is not None and gap.reason == "app_not_running"  # what the index says
    assert gap.end == pytest.approx(T0 + 60.0, abs=0.01)
    # Seeking into the gap plays from where footage resumes.
    handle.seek(T0 + 30.0)
    assert wait_until(lambda: (f := handle.slot.latest()) is not None
                      and ms(T0 + 60.0) <= stamp(f) <= ms(T0 + 61.0))
    handle.release()


def test_speed_4x_advances_the_stamps_four_times_as_fast(
        footage: Footage, stack: RecStack) -> None:
    footage.record(stack.cam, T0, 12.0)
    handle = footage.play(stack.cam, T0 + 1.0)
    handle.set_speed(4.0)
    first = next_frame(handle, 0)
    began, first_ms = time.monotonic(), stamp(first)
    assert wait_until(lambda: stamp(handle.slot.latest()) >= first_ms + 6000, 5.0)
    elapsed = time.monotonic() - began
    advanced = (stamp(handle.slot.latest()) - first_ms) / 1000
    assert advanced / elapsed == pytest.approx(4.0, rel=0.15)
    handle.release()


def test_pause_and_step_move_one_frame_each_way(footage: Footage, stack: RecStack) -> None:
    footage.record(stack.cam, T0, 6.0)
    handle = footage.play(stack.cam, T0 + 2.0)
    next_frame(handle, 0)
    handle.pause()
    time.sleep(0.2)  # let the clock stand: nothing may be published meanwhile
    still = handle.slot.latest()
    assert still is not None
    time.sleep(0.3)
    assert handle.slot.latest() is still
    assert handle.replay_status().state is ReplayState.PAUSED
    paused_at = stamp(still)
    handle.step(1)
    assert stamp(next_frame(handle, still.seq)) == paused_at + FRAME_MS
    seq = handle.slot.seq
    handle.step(-1)
    assert stamp(next_frame(handle, seq)) == paused_at
    seq = handle.slot.seq
    handle.step(-1)  # back across the keyframe at 2.0 s into the GOP before it
    assert stamp(next_frame(handle, seq)) == paused_at - FRAME_MS
    assert handle.position() == pytest.approx((paused_at - FRAME_MS) / 1000, abs=1e-6)
    handle.resume()
    assert wait_until(lambda: stamp(handle.slot.latest()) > paused_at + 200)
    handle.release()


def test_a_synchronised_group_shows_the_same_moment(footage: Footage, stack: RecStack) -> None:
    footage.record(stack.cam, T0, 10.0)
    footage.record(stack.cam2, T0 + 0.013, 10.0)  # its frames fall between the others'
    clock = PlaybackClock(T0 + 2.0)
    first = footage.play(stack.cam, clock=clock)
    second = footage.play(stack.cam2, clock=clock)
    next_frame(first, 0)
    next_frame(second, 0)
    first.set_speed(2.0)  # on the clock: both
    differences = []
    for _ in range(40):
        time.sleep(0.05)
        a, b = first.slot.latest(), second.slot.latest()
        differences.append(abs(stamp(a) - stamp(b)))
    assert max(differences) < FRAME_MS, differences
    second.seek(T0 + 7.0)  # any member's controls move the group
    assert wait_until(lambda: stamp(first.slot.latest()) >= ms(T0 + 7.0)
                      and stamp(second.slot.latest()) >= ms(T0 + 7.0))
    first.release()
    second.release()
