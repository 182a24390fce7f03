"""A tile's overlay, drawn into images so that a paint costs two blits, not a layout.

The footer (state dot, LIVE/REPLAY badge, camera name, clock, junction, REC) and the
status lines above it change seldom, except the clock: every second, on every tile. The
overlay is therefore rendered without the clock's text (its place kept, laid out with a
stand-in of the same width) when something else changes, and the clock comes from one
small image per second and font, shared by every tile that shows that second. Before,
each tile re-rendered and re-laid out its whole overlay every second: at 64 tiles about
a third of the GUI thread's time (py-spy, bench_wall grid64, issue 18).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

from ui.video.footer import badge_padding, footer_font, layout_footer, wrap_text

REPLAY_COLOUR = QColor("#ffb000")  # border and badge of a replaying tile
_LIVE_BADGE = QColor("#1f7a3a")
_REC_PROBLEM = QColor("#ff6b6b")
_TEXT = QColor("#f4f4f4")
_EXTRA = QColor("#b8c0cc")
_BAR = QColor(0, 0, 0, 170)
# The clock is "%H:%M:%S": laid out with this stand-in, every second has the same place
# (the footer fonts' digits are of one width; a wider one is right-aligned in it anyway).
CLOCK_STAND_IN = "00:00:00"
_CENTRED = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft


@dataclass(frozen=True)
class OverlayKey:
    """Everything an overlay image shows; a new key, a new image."""

    width: int
    height: int
    ratio: float
    name: str
    junction: str
    dot_rgb: int
    clock: bool  # a place for the clock (live video); its text is drawn per second
    lines: tuple[str, ...]
    warn: bool
    mode: str
    rec: str
    replaying: bool


@dataclass(frozen=True)
class Overlay:
    image: QImage
    # Where the clock goes, in the image's logical pixels (None: no room, or no clock),
    # and the font it is drawn in (QFont.toString(): the key of the clock images).
    clock: QRect | None
    font: str

    @property
    def height(self) -> int:
        """Logical height (the image is rendered at the screen's pixel ratio)."""
        return round(self.image.height() / self.image.devicePixelRatio())


def render_overlay(base_font: QFont, scale: float, key: OverlayKey) -> Overlay:
    # The footer sits at the bottom: cameras burn their own clock and name into the
    # top of the picture, and that must stay readable. Labels are laid out by
    # priority and never drawn over each other (ui/video/footer.py).
    width, height = key.width, key.height
    font = footer_font(base_font, width, height, scale)
    metrics = QFontMetrics(font)
    footer = layout_footer(metrics, width, key.name, CLOCK_STAND_IN if key.clock else None,
                           key.junction, mode=key.mode, mode_first=key.replaying,
                           rec=key.rec)
    line_h = metrics.height()
    pad = max(3, line_h // 4)
    text_w = max(1, width - 2 * pad)
    lines = tuple(part for text in key.lines for part in wrap_text(metrics, text, text_w))
    box_h = line_h * len(lines) + 2 * pad if lines else 0
    total = min(height, footer.height + box_h)
    image = _transparent(width, total, key.ratio)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setFont(font)
    bar_y = total - footer.height
    painter.fillRect(QRect(0, bar_y, width, footer.height), _BAR)
    painter.setBrush(QColor.fromRgb(key.dot_rgb))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(footer.dot.translated(0, bar_y))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    clock: QRect | None = None
    for label in footer.labels:
        rect = label.rect.translated(0, bar_y)
        if label.role == "clock":
            clock = rect  # drawn by the tile, from clock_image
            continue
        colour = _EXTRA if label.role == "extra" else \
            _REC_PROBLEM if label.role == "rec" else _TEXT
        if label.role == "mode":  # a badge: amber REPLAY (dark text) or green LIVE
            painter.fillRect(rect.adjusted(0, pad // 2, 0, -(pad // 2)),
                             REPLAY_COLOUR if key.replaying else _LIVE_BADGE)
            colour = QColor("#101010") if key.replaying else QColor("#ffffff")
            rect = rect.adjusted(badge_padding(metrics), 0, 0, 0)
        painter.setPen(colour)
        painter.drawText(rect, _CENTRED, label.text)
    if lines and bar_y > 0:
        painter.fillRect(QRect(0, 0, width, bar_y), _BAR)
        painter.setPen(QColor("#ffd070") if key.warn else QColor("#d0d0d0"))
        for i, text in enumerate(lines):
            y = pad + i * line_h
            if y + line_h > bar_y:
                break  # a tile too small for every line shows the first ones
            painter.drawText(QRect(pad, y, text_w, line_h), _CENTRED, text)
    painter.end()
    return Overlay(image, clock, font.toString())


@lru_cache(maxsize=4)  # asked at every paint of every tile, new once a second
def clock_text(second: int) -> str:
    """A live tile's clock: the frame's local time, whole seconds."""
    return datetime.fromtimestamp(second).strftime("%H:%M:%S")


def clock_at(overlay: Overlay, top: int, second: int) -> tuple[QPoint, QImage] | None:
    """Where and what to draw for the clock's text in the place ``overlay`` kept for it
    (the overlay at ``top``); None: it kept none."""
    rect = overlay.clock
    if rect is None:
        return None
    ratio = overlay.image.devicePixelRatio()
    image = clock_image(overlay.font, clock_text(second), rect.height(), ratio)
    width = round(image.width() / ratio)
    return QPoint(rect.right() + 1 - width, top + rect.y()), image


@lru_cache(maxsize=64)  # a few fonts (tile sizes) x this second and the last
def clock_image(font: str, stamp: str, height: int, ratio: float) -> QImage:
    """``stamp`` as the footer draws a label: light text, vertically centred, on nothing
    (the overlay's bar under it is already painted)."""
    qfont = QFont()
    qfont.fromString(font)
    metrics = QFontMetrics(qfont)
    width = max(1, metrics.horizontalAdvance(stamp))
    image = _transparent(width, height, ratio)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setFont(qfont)
    painter.setPen(_TEXT)
    painter.drawText(QRect(0, 0, width, height), _CENTRED, stamp)
    painter.end()
    return image


def _transparent(width: int, height: int, ratio: float) -> QImage:
    image = QImage(max(1, round(width * ratio)), max(1, round(height * ratio)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    return image
