"""native_interrupt finds PyAV's timeout record only where it proves to be one."""

from __future__ import annotations

from pathlib import Path

import av

from commandroom.video import gil_free_reads


def test_attach_turns_the_read_timeout_off_and_abort_expires_it(short_video: Path) -> None:
    with av.open(str(short_video), timeout=(5.0, 7.5)) as container:
        packets = container.demux(container.streams.video[0])
        next(packets)  # demux() has now set PyAV's read timeout (7.5 s) in the record
        interrupt = gil_free_reads.attach(container)
        assert interrupt is not None
        record = interrupt._record
        assert list(record) != [0.0, 0.0] and record[1] == -1.0  # "no timeout": no GIL
        interrupt.abort()
        assert list(record) == [0.0, 0.0]  # deadline at t=0: the next poll stops the call
        packets.close()


def test_attach_changes_nothing_where_the_record_does_not_hold_the_read_timeout(
    short_video: Path,
) -> None:
    with av.open(str(short_video), timeout=(5.0, 7.5)) as container:
        # demux() has not started, so the record does not hold the read timeout yet.
        assert gil_free_reads.attach(container) is None


def test_attach_ignores_anything_but_a_pyav_input_container() -> None:
    assert gil_free_reads.attach(object()) is None
