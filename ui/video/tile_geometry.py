"""Where a tile paints its frame, its margins and its border, worked out once per size.

A tile paints every frame of its stream (25 a second, up to 64 tiles on a wall), and
each QPainter call and each line of Python in the paint is paid at that rate on the one
GUI thread. None of these rectangles changes while the tile's size, the frame's size,
the screen's pixel ratio and the selection stay the same, so they are computed once per
combination (``placement_for``, ``chrome_for``) and a paint only walks a short list.
Both are cached here, shared by every tile of a size: their rectangles are
only read (painted, or compared by tests and benches), never changed. Measured on 64
tiles of 480×135 (bench/README.md, "Painting 64 tiles").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor

BACKGROUND = QColor("#0b0d10")
SELECTED = QColor("#4a9eff")
BORDER = QColor("#22262c")


@dataclass(frozen=True)
class Placement:
    """How a frame lands in a tile (``placement_for``: the frame's size in device
    pixels, the tile's in logical pixels, the screen's pixel ratio)."""

    # 1:1 (the reader scaled the frame to the tile): drawn at ``point``; else the frame
    # is scaled into ``covered``: the reader has not caught up with a resize yet, or a
    # GPU viewer's planes, sent at the source's size (publish.SHADER_MIN_SCALE), reach
    # this CPU tile while its path falls back.
    point: QPoint | None
    covered: QRect  # the logical rectangle the frame covers
    margins: tuple[QRect, ...]  # the rest of the tile, filled with BACKGROUND


@lru_cache(maxsize=64)  # a few tile sizes x the frame sizes on their way to them
def placement_for(frame_size: tuple[int, int], tile_size: tuple[int, int],
                  ratio: float) -> Placement:
    w, h = frame_size
    width, height = tile_size
    lw, lh = w / ratio, h / ratio
    point: QPoint | None
    if (abs(lw - width) < 2 and abs(lh - height) < 2) or (lw <= width and lh <= height):
        x, y = int((width - lw) / 2), int((height - lh) / 2)
        point = QPoint(x, y)
        covered = QRect(x, y, min(width, round(lw)), min(height, round(lh)))
    else:
        scale = min(width / lw, height / lh)
        tw, th = int(lw * scale), int(lh * scale)
        point = None
        covered = QRect((width - tw) // 2, (height - th) // 2, tw, th)
    return Placement(point, covered,
                     margin_rects(QRect(0, 0, width, height), covered))


def margin_rects(full: QRect, covered: QRect) -> tuple[QRect, ...]:
    """``full`` less ``covered``, as at most four rectangles (none when covered)."""
    if covered.isEmpty():
        return (QRect(full),)
    rects = []
    if covered.top() > 0:
        rects.append(QRect(0, 0, full.width(), covered.top()))
    if covered.bottom() < full.bottom():
        rects.append(QRect(0, covered.bottom() + 1, full.width(),
                           full.bottom() - covered.bottom()))
    if covered.left() > 0:
        rects.append(QRect(0, covered.top(), covered.left(), covered.height()))
    if covered.right() < full.right():
        rects.append(QRect(covered.right() + 1, covered.top(),
                           full.right() - covered.right(), covered.height()))
    return tuple(rects)


def outline_rects(rect: QRect) -> tuple[QRect, ...]:
    """A 1-px outline along the inside of ``rect``, as four fills: the same pixels as a
    1-px pen's drawRect, at half its cost (measured: ~9 vs ~20 us a paint)."""
    x, y, w, h = rect.x(), rect.y(), rect.width(), rect.height()
    return (QRect(x, y, w, 1), QRect(x, y + h - 1, w, 1),
            QRect(x, y + 1, 1, h - 2), QRect(x + w - 1, y + 1, 1, h - 2))


@lru_cache(maxsize=64)
def chrome_for(tile_size: tuple[int, int], selected: bool) -> tuple[QColor, tuple[QRect, ...]]:
    """The tile's border: its colour and rectangles (two pixels wide when selected)."""
    full = QRect(0, 0, *tile_size)
    if not selected:
        return BORDER, outline_rects(full)
    return SELECTED, outline_rects(full) + outline_rects(full.adjusted(1, 1, -1, -1))
