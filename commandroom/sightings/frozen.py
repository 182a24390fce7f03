"""The moment the officer presses T: the frame is held and the clip starts cutting.

The officer may take a few seconds to pick who it is; by then the stream's small
ring of decoded frames has moved on, and "10 s before the tag" would drift. So the
frozen frame is kept here and the evidence clip is requested at once, into a staging
file that the sighting service later moves next to the snapshot (or deletes on cancel).
"""

from __future__ import annotations

import contextlib
import logging
import os
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from commandroom.files import private_dir
from commandroom.sightings.handle import EvidenceSource, FrameInfo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StagedClip:
    path: Path
    sha256: str


def clear_staging(staging_dir: Path) -> int:
    """At start-up no tag is under way: clips staged by a run that stopped between T and
    Enter (or crashed before the move) are nobody's evidence. Returns how many went."""
    removed = 0
    if staging_dir.is_dir():
        for leftover in staging_dir.iterdir():
            if leftover.is_file():
                leftover.unlink(missing_ok=True)
                removed += 1
    if removed:
        log.warning("evidence: removed %d staged clip(s) of tags never saved", removed)
    return removed


class FrozenEvidence:
    """An ``EvidenceSource`` for one tag: the held frame and the clip already under way."""

    def __init__(self, source: EvidenceSource, seq: int | None, pre_s: float, post_s: float,
                 staging_dir: Path) -> None:
        got = source.full_resolution(seq)
        if got is None:
            raise LookupError("the frame is no longer available")
        self.image: np.ndarray[Any, Any] = got[0]
        self.frame: FrameInfo = got[1]
        private_dir(staging_dir)
        self._staging = staging_dir / f"tag-{os.getpid()}-{id(self):x}-{self.frame.seq}.mp4"
        self._clip: Future[Any] | None
        try:
            self._clip = source.clip(pre_s, post_s, self._staging)
        except Exception as exc:  # the tag still works without a clip; the row says why
            log.warning("evidence clip could not be started: %s", exc)
            self._clip = None
            self._clip_error: BaseException = exc
        self._claimed = False

    def full_resolution(
        self, seq: int | None = None
    ) -> tuple[np.ndarray[Any, Any], FrameInfo] | None:
        return self.image, self.frame

    def clip(self, pre_s: float, post_s: float, dest: Path) -> Future[Any]:
        """The clip started at T, moved to ``dest`` when it is complete."""
        self._claimed = True
        result: Future[Any] = Future()
        if self._clip is None:
            result.set_exception(self._clip_error)
            return result

        def moved(done: Future[Any]) -> None:
            try:
                staged = done.result()
                private_dir(dest.parent)
                os.replace(staged.path, dest)
                result.set_result(StagedClip(dest, staged.sha256))
            except BaseException as exc:
                result.set_exception(exc)

        self._clip.add_done_callback(moved)
        return result

    def cancel(self) -> None:
        """The officer dropped the tag: the staged clip is deleted once it is written."""
        if self._claimed or self._clip is None:
            return

        def drop(done: Future[Any]) -> None:
            with contextlib.suppress(Exception):
                done.result().path.unlink(missing_ok=True)

        self._clip.add_done_callback(drop)
