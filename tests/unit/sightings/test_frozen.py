"""The frame and clip held at T: the clip moves next to the snapshot, or goes on cancel."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from commandroom.sightings.frozen import FrozenEvidence, clear_staging


@dataclass
class _Frame:
    seq: int
    capture_time: float


@dataclass
class _Clip:
    path: Path
    sha256: str


class _Handle:
    def __init__(self) -> None:
        self.clip_future: Future[Any] = Future()
        self.asked: tuple[float, float, Path] | None = None

    def full_resolution(self, seq: int | None = None) -> tuple[np.ndarray[Any, Any], _Frame]:
        return np.zeros((4, 4, 3), np.uint8), _Frame(seq or 7, 1000.0)

    def clip(self, pre_s: float, post_s: float, dest: Path) -> Future[Any]:
        self.asked = (pre_s, post_s, dest)
        return self.clip_future


def test_clip_starts_at_t_and_moves_to_the_sightings_place(tmp_path: Path) -> None:
    handle = _Handle()
    frozen = FrozenEvidence(handle, 7, 10.0, 5.0, tmp_path / "staging")
    assert handle.asked is not None and handle.asked[:2] == (10.0, 5.0)  # asked at T
    staged = handle.asked[2]
    final = frozen.clip(10.0, 5.0, tmp_path / "evidence" / "a.mp4")
    staged.write_bytes(b"mp4")
    handle.clip_future.set_result(_Clip(staged, "abc"))
    moved = final.result(5)
    assert moved.path == tmp_path / "evidence" / "a.mp4" and moved.path.read_bytes() == b"mp4"
    assert moved.sha256 == "abc" and not staged.exists()
    assert frozen.full_resolution(99)[1].seq == 7  # the frame held at T, whatever is asked


def test_cancel_deletes_the_staged_clip_and_startup_clears_leftovers(tmp_path: Path) -> None:
    handle = _Handle()
    frozen = FrozenEvidence(handle, 3, 1.0, 1.0, tmp_path / "staging")
    assert handle.asked is not None
    staged = handle.asked[2]
    frozen.cancel()
    staged.write_bytes(b"mp4")
    handle.clip_future.set_result(_Clip(staged, "x"))
    assert not staged.exists()
    (tmp_path / "staging" / "tag-old.mp4").write_bytes(b"left by a crash")
    assert clear_staging(tmp_path / "staging") == 1
    assert list((tmp_path / "staging").iterdir()) == []
