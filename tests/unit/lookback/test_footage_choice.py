"""Which footage plays at a moment: the station's own recording, else the NVR's."""

from __future__ import annotations

import threading
from typing import Any

from commandroom.lookback.service import CameraFootage
from commandroom.recording.replay_source import LocalFeed
from commandroom.video.replay_feed import FeedGap, FeedUnavailable, FootageKind


class FakeLocal:
    camera_id = 7

    def __init__(self, lead: FeedGap | None, nothing: bool = False) -> None:
        self.feed = LocalFeed.__new__(LocalFeed)
        self.feed.lead_gap = lead
        self.feed.close = lambda: setattr(self, "closed", True)  # type: ignore[method-assign]
        self.nothing = nothing
        self.closed = False

    def open_at(self, moment: float, stop: threading.Event) -> Any:
        return FeedUnavailable("no_recording") if self.nothing else self.feed


class FakeNvr:
    kind = FootageKind.NVR

    def __init__(self, has: bool) -> None:
        self.has = has
        self.asked: list[float] = []

    def open_at(self, moment: float, stop: threading.Event) -> Any:
        self.asked.append(moment)
        return self if self.has else FeedUnavailable("no_recording")


def choose(local: FakeLocal, nvr: FakeNvr | None) -> Any:
    return CameraFootage(local, nvr).open_at(100.0, threading.Event())  # type: ignore[arg-type]


def test_the_local_recording_plays_when_it_holds_the_moment() -> None:
    local, nvr = FakeLocal(None), FakeNvr(True)
    assert choose(local, nvr) is local.feed
    assert nvr.asked == []  # the NVR is not even asked


def test_the_nvr_plays_a_moment_the_station_did_not_record() -> None:
    local, nvr = FakeLocal(FeedGap(100.0, 160.0, "stream_lost")), FakeNvr(True)
    assert choose(local, nvr) is nvr and nvr.asked == [100.0]
    assert local.closed
    assert choose(FakeLocal(None, nothing=True), nvr) is nvr


def test_without_the_nvr_local_footage_resumes_after_the_gap() -> None:
    local = FakeLocal(FeedGap(100.0, 160.0, "stream_lost"))
    assert choose(local, FakeNvr(False)) is local.feed
    assert choose(local, None) is local.feed
    assert isinstance(choose(FakeLocal(None, nothing=True), None), FeedUnavailable)
