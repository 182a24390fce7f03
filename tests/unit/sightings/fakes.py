"""A stand-in for the video engine's StreamHandle: frames by seq, clips the test finishes."""

from __future__ import annotations

import hashlib
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class FakeFrame:
    seq: int
    capture_time: float


@dataclass(frozen=True)
class FakeClip:
    path: Path
    sha256: str
    duration_s: float = 20.0
    start_time: float = 0.0


@dataclass
class ClipRequest:
    pre_s: float
    post_s: float
    dest: Path
    future: Future[Any] = field(default_factory=Future)


class FakeHandle:
    def __init__(self) -> None:
        self.frames: dict[int, tuple[np.ndarray[Any, Any], FakeFrame]] = {}
        self.clips: list[ClipRequest] = []
        self.clip_error: Exception | None = None

    def add_frame(self, seq: int, capture_time: float, width: int = 64, height: int = 48) -> None:
        rng = np.random.default_rng(seq)
        image = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        self.frames[seq] = (image, FakeFrame(seq, capture_time))

    def full_resolution(self, seq: int | None = None) -> tuple[Any, FakeFrame] | None:
        if seq is None:
            seq = max(self.frames, default=-1)
        return self.frames.get(seq)

    def clip(self, pre_s: float, post_s: float, dest: Path) -> Future[Any]:
        if self.clip_error is not None:
            raise self.clip_error
        request = ClipRequest(pre_s, post_s, dest)
        self.clips.append(request)
        return request.future

    def finish_clip(self, index: int = 0, content: bytes = b"mp4 bytes") -> Path:
        """Like the engine: the file appears complete under its name, then the future."""
        request = self.clips[index]
        request.dest.write_bytes(content)
        request.future.set_result(FakeClip(request.dest, hashlib.sha256(content).hexdigest()))
        return request.dest
