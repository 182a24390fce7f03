"""Start-up recovery: every crash state ends with the index and the folder in agreement."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow
from commandroom.files import private_dir_under
from commandroom.recording.recovery import probe_file, recover
from commandroom.recording.storage import (
    parse_segment_name,
    part_path,
    scan_fragments,
    segment_name,
)
from commandroom.recording.writer import SegmentFile
from commandroom.video.packet_sources import SegmentInfo
from tests.support.recording import ClipPacket, ffprobe, iter_files, packets_in
from tests.unit.recording.conftest import RecStack

Clip = tuple[SegmentInfo, list[ClipPacket]]
START = datetime(2026, 5, 9, 8, 30, 0, 120000, tzinfo=UTC)


def _write(stack: RecStack, clip: Clip, seconds: float, *, index_it: bool = True,
           camera_id: int | None = None) -> tuple[Path, int | None]:
    """A .part as a killed recorder leaves it: whole 1 s fragments, no trailer."""
    info, packets = clip
    camera = camera_id or stack.cam.id
    rel = segment_name(camera, START)
    final = stack.root / rel
    private_dir_under(final.parent, stack.root)
    segment_id = (stack.index.open_segment(camera, "x", rel, START, info, 0.8)
                  if index_it else None)
    writer = SegmentFile(part_path(final), info, fragment_s=1.0)
    for item in packets_in(packets, 0, seconds):
        stamp = item.packet.pts
        writer.write(bytes(item.packet), stamp, stamp, bool(item.packet.is_keyframe),
                     item.packet.time_base)
    # The process dies: what is on disk stays as it is (no trailer, rename, index update).
    on_disk = part_path(final).read_bytes()
    writer.abandon()
    part_path(final).write_bytes(on_disk)
    return final, segment_id


def _agree(stack: RecStack) -> None:
    """No row without a file, no file without a row, nothing half-written left."""
    rows = stack.index.all_segments()
    assert all(not r.open for r in rows)
    on_disk = sorted(p.relative_to(stack.root).as_posix() for p in iter_files(stack.root))
    assert on_disk == sorted(r.path for r in rows)


def test_names_carry_camera_and_start() -> None:
    rel = segment_name(12, START)
    assert rel == "cam12/2026-05-09/12_20260509T083000120Z.mp4"
    parsed = parse_segment_name(rel + ".part")
    assert parsed is not None and (parsed.camera_id, parsed.start) == (12, START)
    assert parse_segment_name("cam12/notes.txt") is None


def test_a_killed_segment_is_cut_to_its_whole_fragments_and_indexed(
    stack: RecStack, clip: Clip
) -> None:
    final, segment_id = _write(stack, clip, 3.5)  # fragments 0-1, 1-2, 2-3 s; 3-3.5 s held
    part = part_path(final)
    whole = scan_fragments(part)
    assert whole.fragments == 3 and whole.keep_bytes == part.stat().st_size
    with part.open("ab") as handle:  # the kill came in the middle of writing a fragment
        handle.write(b"\x00\x00\x40\x00moof" + b"\x01" * 5000)
    report = recover(stack.index, stack.root, stack.audit)
    assert report.repaired == [final.relative_to(stack.root).as_posix()]
    assert not part.exists() and final.stat().st_size == whole.keep_bytes
    probe = ffprobe(final)
    assert probe["errors"] == "" and probe["frames"] == 75
    (row,) = stack.index.all_segments()
    assert (row.id, row.note, row.bytes) == (segment_id, "recovered", whole.keep_bytes)
    assert row.end_at - row.start_at == timedelta(seconds=3)
    _agree(stack)


@pytest.mark.parametrize("cut", [1, 7, 100, 3000])
def test_any_cut_inside_the_last_fragment_keeps_the_ones_before(
    stack: RecStack, clip: Clip, cut: int
) -> None:
    final, _ = _write(stack, clip, 3.5)
    part = part_path(final)
    size = part.stat().st_size
    os.truncate(part, size - cut)  # power cut: the last fragment only partly on disk
    recover(stack.index, stack.root)
    assert ffprobe(final)["frames"] == 50  # the third fragment was cut, two whole remain
    _agree(stack)


def test_a_renamed_but_not_updated_segment_is_closed(stack: RecStack, clip: Clip) -> None:
    final, _ = _write(stack, clip, 2.5)
    os.replace(part_path(final), final)  # killed between the rename and the index update
    recover(stack.index, stack.root)
    (row,) = stack.index.all_segments()
    assert row.note == "recovered" and row.duration_s == pytest.approx(2.0)
    _agree(stack)


def test_rows_without_a_file_go_and_are_audited(stack: RecStack, clip: Clip) -> None:
    final, _ = _write(stack, clip, 2.5)
    recover(stack.index, stack.root)
    final.unlink()  # someone deleted it by hand
    info = clip[0]
    stack.index.open_segment(stack.cam.id, "x", "cam1/2026-05-09/1_20260509T090000000Z.mp4",
                             START, info, None)  # killed before the file was created
    report = recover(stack.index, stack.root, stack.audit)
    assert len(report.missing) == 2
    assert stack.index.all_segments() == []
    with stack.sessions() as session:
        event = session.scalars(select(AuditEventRow)
                                .where(AuditEventRow.action == "recording.recovery")).one()
    assert final.relative_to(stack.root).as_posix() in event.details
    _agree(stack)


def test_files_the_index_lost_are_adopted_not_deleted(stack: RecStack, clip: Clip) -> None:
    final, _ = _write(stack, clip, 3.5, index_it=False)  # its row was lost (power cut)
    report = recover(stack.index, stack.root, stack.audit)
    assert report.adopted == [final.relative_to(stack.root).as_posix()]
    (row,) = stack.index.all_segments()
    assert (row.camera_id, row.start_at, row.note) == (stack.cam.id, START, "adopted")
    assert row.duration_s == pytest.approx(3.0) and row.codec == "h264"
    assert probe_file(final).width == 640
    _agree(stack)


def test_a_file_with_no_whole_fragment_goes_with_its_row(stack: RecStack, clip: Clip) -> None:
    final, _ = _write(stack, clip, 0.5)  # killed before the first fragment was written
    assert scan_fragments(part_path(final)).fragments == 0
    report = recover(stack.index, stack.root)
    assert report.emptied and stack.index.all_segments() == []
    _agree(stack)


def test_recovery_leaves_files_that_are_not_ours_alone(stack: RecStack) -> None:
    notes = stack.root / "cam1" / "README.mp4"
    notes.parent.mkdir()
    notes.write_text("not a recording")
    report = recover(stack.index, stack.root)
    assert report.foreign == ["cam1/README.mp4"] and notes.exists()
