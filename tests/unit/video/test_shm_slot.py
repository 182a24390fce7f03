"""The shared-memory frame slot: a writer in another process, the reader here."""

from __future__ import annotations

import multiprocessing
import os
import time
from multiprocessing.connection import Connection

import numpy

from commandroom.video.frames import Frame
from commandroom.video.shm_slot import SharedSlotReader, SharedSlotWriter, list_segments

SIZE = (320, 180)


def _write_frames(name: str, size: tuple[int, int], count: int, ready: Connection) -> None:
    """Child process: publish ``count`` frames as fast as it can, each filled with its seq."""
    slot = SharedSlotWriter()
    slot.attach(name, size)
    ready.send("attached")
    width, height = size
    for seq in range(1, count + 1):
        image = numpy.full((height, width, 4), seq % 251, dtype=numpy.uint8)
        slot.publish(Frame(image, seq, float(seq), (1920, 1080), "h264"))
    ready.send("done")


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_no_torn_frame_under_a_fast_writer_and_the_latest_wins() -> None:
    slot = SharedSlotReader()
    name, size = slot.resize(SIZE)
    ctx = multiprocessing.get_context("spawn")
    here, there = ctx.Pipe()
    count = 20_000
    writer = ctx.Process(target=_write_frames, args=(name, size, count, there), daemon=True)
    writer.start()
    try:
        assert here.poll(30) and here.recv() == "attached"
        seen = torn = 0
        last_seq = 0
        kept: Frame | None = None  # held all along, like a frozen tile's picture
        while not here.poll():
            frame = slot.latest()
            if frame is None or frame.seq == last_seq:
                continue
            kept = kept or frame
            assert frame.seq > last_seq  # never backwards
            last_seq = frame.seq
            # "Paint" it: every byte must belong to the same frame, before and after.
            expected = frame.seq % 251
            first = frame.image.min() == frame.image.max() == expected
            time.sleep(0.0005)
            second = frame.image.min() == frame.image.max() == expected
            seen += 1
            torn += not (first and second)
        assert here.recv() == "done"
        writer.join(10)
        final = slot.latest()
        assert final is not None and final.seq == count  # the newest one wins
        assert final.image.shape == (180, 320, 4) and final.source_size == (1920, 1080)
        assert final.codec == "h264" and final.capture_time == float(count)
        assert seen > 50, seen  # the reader really raced the writer
        assert torn == 0
        # A frame still held was never written over, however many came after it.
        assert kept is not None and final.seq - kept.seq > 1000
        assert kept.image.min() == kept.image.max() == kept.seq % 251
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
        writer.publish(Frame(numpy.zeros((36, 64, 4), numpy.uint8), 1, 0.0, (64, 36), "h264"))
        assert slot.latest() is not None
        slot.close()
    del slot, writer  # each mapping holds a descriptor (mmap's own dup) while it lives
    assert set(list_segments()) == before_segments
    assert _fds() <= before_fds
