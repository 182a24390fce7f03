"""What a tile says about its stream (issue 13) and how its footer is laid out (issue 12.4)."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import numpy
import pytest
from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from commandroom.cameras.registry import Camera
from commandroom.video.frames import Frame
from commandroom.video.state import (
    DelaySource,
    Health,
    HwFallback,
    OfflineReason,
    StreamHealth,
    StreamState,
    StreamStats,
    StreamStatus,
)
from ui.video.footer import footer_font, layout_footer, wrap_text
from ui.video.status_text import (
    DEGRADED_COLOUR,
    STATE_COLOURS,
    dot_colour,
    stats_lines,
    status_lines,
)
from ui.video.tile import VideoTile

SLOW = StreamStatus(StreamState.LIVE, health=StreamHealth(
    frozenset({Health.SLOW}), fps=7, behind_s=12.0))
DAMAGED = StreamStatus(StreamState.LIVE, health=StreamHealth(
    frozenset({Health.DAMAGED}), damaged_frames=41))
RECONNECTING = StreamStatus(StreamState.RECONNECTING, OfflineReason.REFUSED, attempt=2,
                            retry_in=4.0)
OFFLINE_TRYING = StreamStatus(StreamState.OFFLINE, OfflineReason.TIMEOUT, attempt=9,
                              retry_in=30.0)
OFFLINE_NOW = StreamStatus(StreamState.OFFLINE, OfflineReason.TIMEOUT, attempt=9)
GAVE_UP = StreamStatus(StreamState.OFFLINE, OfflineReason.ERROR, attempt=1, retrying=False)


class FakeHandle:
    """What a tile asks its StreamHandle."""

    def __init__(self, status: StreamStatus) -> None:
        self.current = status
        self.slot = type("Slot", (), {"seq": 1, "latest": lambda _self: None})()

    def status(self) -> StreamStatus:
        return self.current

    def stats(self) -> StreamStats:
        return StreamStats(24.9, 4.0, 640, 360, "h264", 1700.0, delay_ms=312.0,
                           delay_source=DelaySource.SENDER_REPORTS)

    def set_size(self, size: tuple[int, int]) -> None:
        pass


def _tile(qtbot: QtBot, status: StreamStatus, width: int = 640, height: int = 360,
          scale: float = 1.0) -> VideoTile:
    tile = VideoTile(0, overlay_scale=scale)
    qtbot.addWidget(tile)
    tile.camera = Camera(id=1, name="Bus Station", main_url="demo://x",
                         junction="Station Sq x County Rd 12")
    tile.handle = FakeHandle(status)  # type: ignore[assignment]
    tile.resize(width, height)
    image = numpy.zeros((height, width, 4), numpy.uint8)
    tile.frozen_frame = Frame(image, 1, 1_796_000_000.0, (640, 360), "h264")
    return tile


def test_status_lines_say_what_happens_and_whether_it_still_tries() -> None:
    assert status_lines(SLOW) == ["Slow — 7 fps, 12 s behind"]
    assert status_lines(DAMAGED) == ["Damaged stream — errors concealed: 41"]
    assert status_lines(StreamStatus(StreamState.LIVE)) == []
    assert status_lines(RECONNECTING) == [
        "Reconnecting — connection refused (attempt 2, retry in 4 s)"]
    assert status_lines(StreamStatus(StreamState.RECONNECTING, OfflineReason.REFUSED,
                                     attempt=3)) == [
        "Reconnecting — connection refused (attempt 3, trying now)"]
    assert status_lines(OFFLINE_TRYING) == [
        "Offline — no answer (timeout) — still trying, next in 30 s"]
    assert status_lines(OFFLINE_NOW) == ["Offline — no answer (timeout) — trying again now"]
    assert status_lines(GAVE_UP) == ["Offline — stream error — not retrying"]
    long_wait = StreamStatus(StreamState.OFFLINE, OfflineReason.WRONG_CREDENTIALS,
                             attempt=1, retry_in=300.0)
    assert status_lines(long_wait)[0].endswith("still trying, next in 5 min")
    stalled = StreamStatus(StreamState.STALLED, OfflineReason.NO_PICTURE, retry_in=2.0)
    assert status_lines(stalled) == ["Stalled — data but no picture, reconnecting in 2 s"]


def test_a_degraded_live_stream_is_not_green() -> None:
    assert dot_colour(StreamStatus(StreamState.LIVE)) == STATE_COLOURS[StreamState.LIVE]
    assert dot_colour(SLOW) == DEGRADED_COLOUR != STATE_COLOURS[StreamState.LIVE]
    assert dot_colour(GAVE_UP) == STATE_COLOURS[StreamState.OFFLINE]


def test_statistics_show_the_delay_by_the_cameras_clock_or_why_not() -> None:
    stats = StreamStats(25.0, 3.0, 640, 360, "h264", 900.0, delay_ms=301.0,
                        delay_source=DelaySource.SENDER_REPORTS)
    assert "delay 301 ms (camera clock)" in stats_lines(stats)[1]
    unknown = StreamStats(25.0, 3.0, 640, 360, "h264", 900.0)
    assert "delay unknown (no sender reports)" in stats_lines(unknown)[1]


@pytest.mark.parametrize("status", [SLOW, DAMAGED, RECONNECTING, OFFLINE_TRYING, GAVE_UP],
                         ids=["slow", "damaged", "reconnecting", "offline", "gave-up"])
def test_the_tile_shows_its_status_lines(qtbot: QtBot, status: StreamStatus) -> None:
    tile = _tile(qtbot, status)
    tile.needs_repaint()
    expected = status_lines(status)
    shown = tile._overlay_lines(status)
    assert shown[0].split("(")[0] == expected[0].split("(")[0]
    assert _amber_text_pixels(tile) > 30  # the warning is painted, in amber


def test_a_healthy_tile_shows_no_status_line(qtbot: QtBot) -> None:
    tile = _tile(qtbot, StreamStatus(StreamState.LIVE))
    assert tile._overlay_lines(StreamStatus(StreamState.LIVE)) == ()
    assert _amber_text_pixels(tile) == 0


def _amber_text_pixels(tile: VideoTile) -> int:
    image = tile.grab().toImage()
    count = 0
    for y in range(image.height() // 2, image.height()):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            count += colour.red() > 180 and colour.green() > 140 and colour.blue() < 140
    return count


def test_the_retry_countdown_moves_on_without_a_new_status(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    import ui.video.tile as tile_module

    now = [500.0]
    monkeypatch.setattr(tile_module, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    tile = _tile(qtbot, RECONNECTING)
    assert tile.needs_repaint()  # a new status
    tile.grab()  # painted: "retry in 4 s"
    assert tile._overlay_lines(RECONNECTING)[0].endswith("retry in 4 s)")
    now[0] += 0.5
    assert not tile.needs_repaint()  # still "4 s"
    now[0] += 1.0
    assert tile.needs_repaint()  # "3 s" now: repaint although nothing else changed
    assert tile._overlay_lines(RECONNECTING)[0].endswith("retry in 3 s)")


# -- the footer (issue 12.4) -----------------------------------------------------------------
def _intersecting(layout: Any) -> list[tuple[str, str]]:
    boxes = [("dot", layout.dot)] + [(label.role, label.rect) for label in layout.labels]
    return [(a, b) for (a, ra), (b, rb) in itertools.combinations(boxes, 2)
            if ra.intersects(rb)]


@pytest.mark.parametrize("scale", [1.0, 1.6], ids=["console", "wall"])
def test_footer_labels_never_overlap_and_the_name_keeps_priority(
    qtbot: QtBot, scale: float
) -> None:
    base = QFont()
    name, clock, junction = "Bus Station", "08:48:56", "Station Sq x County Rd 12"
    for width in range(60, 1000, 7):
        height = width * 9 // 16
        metrics = QFontMetrics(footer_font(base, width, height, scale))
        layout = layout_footer(metrics, width, name, clock, junction)
        assert not _intersecting(layout), (width, layout)
        for label in layout.labels:
            assert label.rect.left() >= 0 and label.rect.right() < width, (width, label)
            assert metrics.horizontalAdvance(label.text) <= label.rect.width() + 1
        roles = [label.role for label in layout.labels]
        shown = layout.label("name")
        assert shown is not None, width  # the camera's name always shows, if elided
        if "clock" in roles or "extra" in roles:
            assert shown.text == name  # nothing else takes room from an elided name
        if "extra" in roles:
            assert "clock" in roles  # the junction only after the clock has its place
    # At a 5x5 wall tile (382 px at 1.6x) the whole name and the clock fit.
    metrics = QFontMetrics(footer_font(base, 382, 214, 1.6))
    wall = layout_footer(metrics, 382, name, clock, junction)
    assert wall.label("name").text == name and wall.label("clock") is not None  # type: ignore[union-attr]


def test_wall_footers_are_larger_and_sized_to_the_tile() -> None:
    base = QFont()
    console = footer_font(base, 640, 360, 1.0).pixelSize()
    wall = footer_font(base, 640, 360, 1.6).pixelSize()
    small = footer_font(base, 382, 214, 1.0).pixelSize()
    assert wall >= console * 1.5 and wall >= 24  # 3x3 on a 1080p wall: ~1/15 of a tile
    assert small < console


def test_long_status_lines_wrap_on_narrow_tiles(qtbot: QtBot) -> None:
    metrics = QFontMetrics(footer_font(QFont(), 240, 135, 1.0))
    text = status_lines(OFFLINE_TRYING)[0]
    lines = wrap_text(metrics, text, 230)
    assert len(lines) >= 2 and all(metrics.horizontalAdvance(line) <= 230 for line in lines)
    assert lines[-1].endswith("next in 30 s")  # the countdown is not cut off


def test_statistics_name_the_decoder_and_why_software() -> None:
    software = StreamStats(25.0, 3.0, 640, 360, "h264", 900.0, decoder="sw")
    assert "h264 · sw ·" in stats_lines(software)[0]
    hardware = StreamStats(25.0, 3.0, 640, 360, "h264", 900.0, decoder="cuda")
    assert "h264 · cuda ·" in stats_lines(hardware)[0]
    # A device asked for that did not open, or failed mid-stream, is said; "auto" on a
    # computer without one is not news.
    refused = dataclasses.replace(software, hw_fallback=HwFallback.DEVICE_FAILED)
    assert "hardware decoder did not open" in stats_lines(refused)[1]
    failed = dataclasses.replace(software, hw_fallback=HwFallback.DECODE_FAILED)
    assert "hardware decoder failed, software now" in stats_lines(failed)[1]
    no_gpu = dataclasses.replace(software, hw_fallback=HwFallback.NO_DEVICE)
    assert stats_lines(no_gpu)[1] == stats_lines(software)[1]


@pytest.mark.usefixtures("chinese")
def test_the_decoder_is_named_in_chinese() -> None:
    stats = StreamStats(25.0, 3.0, 640, 360, "h264", 900.0, decoder="sw",
                        hw_fallback=HwFallback.DEVICE_FAILED)
    first, second = stats_lines(stats)
    assert "h264 · 软解 ·" in first
    assert "硬件解码器无法打开" in second
