from __future__ import annotations

import threading

import numpy

from commandroom.video.frames import Frame, FrameSlot


def _frame(seq: int) -> Frame:
    image = numpy.zeros((2, 2, 4), numpy.uint8)
    return Frame(image, seq, 1000.0 + seq, (4, 4), "h264")


def test_empty_slot_has_no_frame_and_seq_zero() -> None:
    slot = FrameSlot()
    assert slot.latest() is None
    assert slot.seq == 0


def test_latest_frame_wins_and_older_ones_are_ignored() -> None:
    slot = FrameSlot()
    for seq in (1, 2, 3):
        slot.publish(_frame(seq))
    assert slot.seq == 3
    latest = slot.latest()
    assert latest is not None and latest.seq == 3
    slot.publish(_frame(2))  # a late frame from a reader being replaced
    assert slot.seq == 3 and slot.latest() is latest


def test_concurrent_publishers_and_reader_never_go_backwards() -> None:
    slot = FrameSlot()
    writers, per_writer = 4, 2000
    start = threading.Barrier(writers + 1)
    seen: list[int] = []
    done = threading.Event()

    def write(offset: int) -> None:
        start.wait()
        for i in range(per_writer):
            slot.publish(_frame(1 + offset + i * writers))

    def read() -> None:
        start.wait()
        while not done.is_set():
            frame = slot.latest()
            seen.append(frame.seq if frame else 0)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(writers)]
    reader = threading.Thread(target=read)
    for thread in [*threads, reader]:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    reader.join()
    assert slot.seq == writers * per_writer
    latest = slot.latest()
    assert latest is not None and latest.seq == slot.seq
    assert seen == sorted(seen), "a reader saw the slot move backwards"
