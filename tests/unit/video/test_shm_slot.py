"""The shared-memory frame slot: a writer in another process, the reader here."""

from __future__ import annotations

import multiprocessing
import os
import time
from multiprocessing.connection import Connection

import numpy
import numpy.typing as npt
import pytest

from commandroom.video.colour import Colour, Matrix
from commandroom.video.frames import Frame
from commandroom.video.shm_slot import SharedSlotReader, SharedSlotWriter, list_segments

SIZE = (320, 180)
BT709_FULL = Colour(Matrix.BT709, full_range=True)


def _padded(rows: int, cols: int, values: npt.ArrayLike,
            pad: int) -> npt.NDArray[numpy.uint8]:
    """A (rows, cols) read-only view of lines ``cols + pad`` long, as FFmpeg pads them;
    the padding holds a value no test picture uses."""
    lines = numpy.full((rows, cols + pad), 0xEE, dtype=numpy.uint8)
    view = lines[:, :cols]
    view[...] = values
    view.flags.writeable = False
    return view


PlaneValues = tuple[npt.ArrayLike, npt.ArrayLike, npt.ArrayLike]


def _planar(seq: int, size: tuple[int, int], values: PlaneValues,
            colour: Colour = BT709_FULL, pad: int = 28) -> Frame:
    width, height = size
    chroma = ((height + 1) // 2, (width + 1) // 2)
    planes = (_padded(height, width, values[0], pad),
              _padded(*chroma, values[1], pad // 2),
              _padded(*chroma, values[2], pad // 2))
    return Frame(planes[0], seq, float(seq), (1920, 1080), "hevc", planes=planes,
                 colour=colour)


def _uniform(seq: int, size: tuple[int, int], planar: bool) -> Frame:
    """Frame ``seq`` with every byte derived from ``seq``: a torn one shows at once."""
    width, height = size
    if planar:
        return _planar(seq, size, (seq % 251, seq * 3 % 251, seq * 7 % 251))
    image = numpy.full((height, width, 4), seq % 251, dtype=numpy.uint8)
    return Frame(image, seq, float(seq), (1920, 1080), "h264")


def _whole(frame: Frame) -> bool:
    """Every byte of ``frame`` (each plane, or the BGRA image) is the one of its seq."""
    seq = frame.seq
    if frame.planes is None:
        return bool(frame.image.min() == frame.image.max() == seq % 251)
    return all(plane.min() == plane.max() == want for plane, want in zip(
        frame.planes, (seq % 251, seq * 3 % 251, seq * 7 % 251), strict=True))


def _write_frames(name: str, size: tuple[int, int], count: int, mode: str,
                  ready: Connection) -> None:
    """Child process: publish ``count`` frames as fast as it can, each filled with its seq
    (``mode``: all BGRA, all planes, or the two in turn as when viewers come and go)."""
    slot = SharedSlotWriter()
    slot.attach(name, size)
    ready.send("attached")
    for seq in range(1, count + 1):
        planar = mode == "planes" or (mode == "alternating" and seq // 100 % 2 == 1)
        slot.publish(_uniform(seq, size, planar))
    ready.send("done")


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize("mode", ["bgra", "planes", "alternating"])
def test_no_torn_frame_under_a_fast_writer_and_the_latest_wins(mode: str) -> None:
    slot = SharedSlotReader()
    name, size = slot.resize(SIZE)
    ctx = multiprocessing.get_context("spawn")
    here, there = ctx.Pipe()
    count = 20_000
    writer = ctx.Process(target=_write_frames, args=(name, size, count, mode, there),
                         daemon=True)
    writer.start()
    there.close()  # the child's end only: should it die, this end reads EOF at once
    try:
        assert here.poll(30) and here.recv() == "attached"
        seen = torn = 0
        last_seq = 0
        kept: Frame | None = None  # held all along, like a frozen tile's picture
        formats: set[bool] = set()  # planar or not, of the frames seen
        while not here.poll():
            frame = slot.latest()
            if frame is None or frame.seq == last_seq:
                continue
            kept = kept or frame
            assert frame.seq > last_seq  # never backwards
            last_seq = frame.seq
            # "Paint" it: every byte must belong to the same frame, before and after.
            first = _whole(frame)
            time.sleep(0.0005)
            second = _whole(frame)
            formats.add(frame.planes is not None)
            seen += 1
            torn += not (first and second)
        assert here.recv() == "done"
        writer.join(10)
        final = slot.latest()
        assert final is not None and final.seq == count  # the newest one wins
        assert final.source_size == (1920, 1080) and final.capture_time == float(count)
        assert final.image.shape[:2] == (180, 320)
        assert seen > 50, seen  # the reader really raced the writer
        assert torn == 0
        assert formats == {"bgra": {False}, "planes": {True}}.get(mode, {False, True})
        # A frame still held was never written over, however many came after it.
        assert kept is not None and final.seq - kept.seq > 1000
        assert _whole(kept)
        assert not kept.image.flags.writeable
    finally:
        writer.join(5)
        slot.close()
    assert name not in list_segments()


def test_a_bigger_tile_gets_a_new_segment_and_the_old_one_goes() -> None:
    slot = SharedSlotReader()
    small, _ = slot.resize((160, 90))
    assert slot.resize((100, 50))[0] == small  # fits: same segment
    writer = SharedSlotWriter()
    writer.attach(small, (160, 90))
    writer.publish(Frame(numpy.full((90, 160, 4), 7, numpy.uint8), 1, 1.0, (160, 90), "h264"))
    big, _ = slot.resize((640, 360))
    assert big != small and {small, big} <= set(list_segments())
    frame = slot.latest()  # the new segment has no picture yet: the old one still shows
    assert frame is not None and frame.seq == 1
    writer.attach(big, (640, 360))
    writer.publish(Frame(numpy.full((360, 640, 4), 9, numpy.uint8), 2, 2.0, (640, 360), "h264"))
    frame = slot.latest()
    assert frame is not None and frame.seq == 2 and int(frame.image[0, 0, 0]) == 9
    assert small not in list_segments()  # replaced once the new one had a picture
    slot.close()
    assert big not in list_segments()
    assert int(frame.image[359, 639, 3]) == 9  # a frame handed out stays valid after close


def test_a_thousand_open_close_cycles_leave_no_segment_and_no_descriptor() -> None:
    warm_up = SharedSlotReader()
    warm_up.resize((2, 2))  # starts the resource tracker (its pipe: one fd, once)
    warm_up.close()
    before_segments = set(list_segments())
    before_fds = _fds()
    for cycle in range(1000):
        slot = SharedSlotReader()
        name, size = slot.resize((64 + cycle % 5 * 2, 36))
        writer = SharedSlotWriter()
        writer.attach(name, size)
        writer.publish(_uniform(1, (64, 36), planar=cycle % 2 == 1))  # planes every other
        frame = slot.latest()
        assert frame is not None and (frame.planes is not None) == (cycle % 2 == 1)
        slot.close()
    del slot, writer, frame  # each mapping holds a descriptor (mmap's own dup) while it lives
    assert set(list_segments()) == before_segments
    assert _fds() <= before_fds


def test_planes_cross_with_their_strides_and_colour_into_views_of_the_segment() -> None:
    slot = SharedSlotReader()
    name, size = slot.resize(SIZE)
    writer = SharedSlotWriter()
    writer.attach(name, size)
    width, height = 318, 178  # odd chroma: 159 x 89
    y = (numpy.arange(width)[None, :] + numpy.arange(height)[:, None] * 3) % 256
    u = (numpy.arange(159)[None, :] * 5 + numpy.arange(89)[:, None]) % 256
    v = 255 - u
    sent = _planar(1, (width, height), (y, u, v), Colour(Matrix.BT709, True), pad=50)
    assert sent.planes is not None
    writer.publish(sent)
    got = slot.latest()
    assert got is not None and got.planes is not None and got.seq == 1
    assert got.colour == Colour(Matrix.BT709, full_range=True)
    assert got.codec == "hevc" and got.source_size == (1920, 1080) and got.size == (318, 178)
    for mine, theirs in zip(got.planes, sent.planes, strict=True):
        assert mine.shape == theirs.shape
        assert mine.strides == theirs.strides  # the padded lines, for the texture's row length
        assert numpy.array_equal(mine, theirs)
        assert not mine.flags.writeable
    assert got.image is got.planes[0]
    # Views of the one mapping, no copy: all three planes share the pinned buffer.
    bases = {id(p.base) for p in got.planes}
    assert len(bases) == 1 and numpy.shares_memory(got.planes[0].base, got.planes[2])
    # The other description, then BGRA again: the format is per frame.
    writer.publish(_planar(2, SIZE, (16, 128, 128), Colour(Matrix.BT601, False)))
    second = slot.latest()
    assert second is not None and second.planes is not None
    assert second.colour == Colour(Matrix.BT601, full_range=False)
    writer.publish(_uniform(3, SIZE, planar=False))
    third = slot.latest()
    assert third is not None and third.planes is None and third.colour is None
    assert third.image.shape == (180, 320, 4) and _whole(third)
    # The first frame, still held, is as it was: its buffer stayed pinned meanwhile.
    assert numpy.array_equal(got.planes[1], u)
    slot.close()


def test_planes_whose_padding_does_not_fit_a_small_tile_go_with_packed_lines() -> None:
    slot = SharedSlotReader()
    name, size = slot.resize((48, 32))
    writer = SharedSlotWriter()
    writer.attach(name, size)
    y = numpy.arange(48 * 32, dtype=numpy.uint32).reshape(32, 48) % 256
    sent = _planar(1, (48, 32), (y, 90, 200), pad=4000)  # more padding than the segment holds
    writer.publish(sent)
    got = slot.latest()
    assert got is not None and got.planes is not None
    assert [p.strides[0] for p in got.planes] == [48, 24, 24]
    assert numpy.array_equal(got.planes[0], y) and _whole_value(got.planes[2], 200)
    slot.close()


def _whole_value(plane: npt.NDArray[numpy.uint8], value: int) -> bool:
    return bool(plane.min() == plane.max() == value)
