"""The tile-paint benchmark runs and measures both sides (its figures are in bench/)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication

from bench import bench_tile_paint


def test_it_prints_the_tile_and_the_bare_blit_per_paint(
    qapp: QApplication, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench_tile_paint.main(["--frames", "5", "--runs", "1"]) == 0
    line = capsys.readouterr().out.strip()
    found = re.fullmatch(r"run 1: 64 tiles \((\d+)×(\d+) tile, (\d+)×(\d+) frame\): "
                         r"VideoTile (\d+) us a paint, bare blit (\d+) us: ([\d.]+)×", line)
    assert found, line
    tile_w, tile_h, frame_w, frame_h = (int(found.group(i)) for i in range(1, 5))
    assert frame_w <= tile_w and frame_h <= tile_h  # fitted into the tile, as the reader does
    assert int(found.group(5)) > 0 and int(found.group(6)) > 0
