"""What tagging needs from a live stream. ``commandroom.video.hub.StreamHandle`` fits this
structurally; tests pass a small fake."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol

import numpy as np


class FrameInfo(Protocol):
    @property
    def seq(self) -> int: ...

    @property
    def capture_time(self) -> float:
        """Wall clock (``time.time()``) of the frame."""
        ...


class ClipOutcome(Protocol):
    """What the clip future resolves to (``commandroom.video`` ``ClipResult``)."""

    @property
    def path(self) -> Path: ...

    @property
    def sha256(self) -> str: ...


class EvidenceSource(Protocol):
    def full_resolution(
        self, seq: int | None = None
    ) -> tuple[np.ndarray[Any, Any], FrameInfo] | None:
        """BGR full-resolution image of frame ``seq`` and its frame, or None if gone."""
        ...

    # Future[Any]: Future is invariant, so Future[ClipResult] would not match a protocol
    # type here; the result is read through ``ClipOutcome``.
    def clip(self, pre_s: float, post_s: float, dest: Path) -> Future[Any]: ...
