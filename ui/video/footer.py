"""Where a tile's footer puts its labels: never one over another, most important first.

The footer holds a state dot, the camera's name, the junction and the frame's clock, and
a badge saying LIVE or REPLAY 10:41:07 (and a recorder's problem, e.g. "REC ✕ disk full").
On a narrow tile not everything fits, so space goes by priority: a REPLAY badge first
(never mistaken for live, so it beats even the name), then the camera's name (elided only
if even alone it does not fit), then a LIVE badge (whole, and only where the name fits
whole beside it), then the clock (whole or not at all), then the recorder's problem
(whole or not at all), then the junction with what is left (elided, or left out when only a few
letters would show).
Text is sized to the tile (its height, within limits, times the wall's font scale), so a
wall tile stays readable across the room and a small console tile still shows a name.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics

# Footer text height as a share of the tile's height, within these pixel limits (before
# the overlay scale: the wall multiplies by WallSettings.font_scale).
TEXT_SHARE_OF_HEIGHT = 0.045
MIN_TEXT_PX = 11
MAX_TEXT_PX = 16
# Never more than this share of the tile's height for one line of text, scale included.
MAX_SHARE_OF_HEIGHT = 0.16
SEPARATOR = "  ·  "


def footer_font(base: QFont, width: int, height: int, scale: float) -> QFont:
    """``base`` at the pixel size for a tile of this size."""
    px = min(MAX_TEXT_PX, max(MIN_TEXT_PX, height * TEXT_SHARE_OF_HEIGHT)) * scale
    px = min(px, max(8.0, height * MAX_SHARE_OF_HEIGHT), max(8.0, width * 0.08))
    font = QFont(base)
    font.setPixelSize(max(8, round(px)))
    return font


@dataclass(frozen=True)
class FooterLabel:
    role: str  # "mode" (LIVE / REPLAY badge), "name", "extra", "clock", "rec"
    rect: QRect
    text: str


@dataclass(frozen=True)
class FooterLayout:
    height: int
    dot: QRect
    labels: tuple[FooterLabel, ...]

    def label(self, role: str) -> FooterLabel | None:
        return next((label for label in self.labels if label.role == role), None)


def badge_padding(metrics: QFontMetrics) -> int:
    """Room either side of a badge's text (its coloured box)."""
    return max(3, metrics.height() // 4)


def layout_footer(
    metrics: QFontMetrics, width: int, name: str, clock: str | None, extra: str = "", *,
    mode: str = "", mode_first: bool = False, rec: str = "",
) -> FooterLayout:
    """Rectangles (y from the footer's top) and the text each one shows. ``mode`` is the
    badge (LIVE, REPLAY …); ``mode_first`` puts it before everything (a replaying tile)."""
    line_h = metrics.height()
    pad = max(4, line_h // 3)
    height = line_h + pad
    dot_d = max(6, metrics.ascent() * 6 // 10)
    dot = QRect(pad, (height - dot_d) // 2, dot_d, dot_d)
    left = dot.right() + 1 + pad
    right = width - pad  # exclusive
    gap = metrics.horizontalAdvance("  ")
    labels: list[FooterLabel] = []

    name_w = metrics.horizontalAdvance(name)
    badge_pad = badge_padding(metrics)
    if mode and mode_first and right - left > 0:
        text = mode
        if metrics.horizontalAdvance(mode) + 2 * badge_pad > right - left:
            text = metrics.elidedText(mode, Qt.TextElideMode.ElideRight,
                                      max(0, right - left - 2 * badge_pad))
        badge_w = min(right - left, metrics.horizontalAdvance(text) + 2 * badge_pad)
        labels.append(FooterLabel("mode", QRect(left, 0, badge_w, height), text))
        left += badge_w + gap
    elif mode:
        badge_w = metrics.horizontalAdvance(mode) + 2 * badge_pad
        if name_w + badge_w + gap <= right - left:
            labels.append(FooterLabel("mode", QRect(left, 0, badge_w, height), mode))
            left += badge_w + gap
    room = right - left
    if room <= 0:
        return FooterLayout(height, dot, tuple(labels))
    shown = name if name_w <= room else metrics.elidedText(name, Qt.TextElideMode.ElideRight,
                                                            room)
    shown_w = min(room, metrics.horizontalAdvance(shown))
    if shown:
        labels.append(FooterLabel("name", QRect(left, 0, shown_w, height), shown))
    cursor = left + shown_w
    if clock:
        clock_w = metrics.horizontalAdvance(clock)
        if shown == name and cursor + gap + clock_w <= right:
            labels.append(FooterLabel("clock", QRect(right - clock_w, 0, clock_w, height),
                                      clock))
            right -= clock_w + gap
    if rec and shown == name:
        rec_w = metrics.horizontalAdvance(rec)
        if cursor + gap + rec_w <= right:
            labels.append(FooterLabel("rec", QRect(right - rec_w, 0, rec_w, height), rec))
            right -= rec_w + gap
    if extra and shown == name:
        text = SEPARATOR + extra
        room = right - cursor
        # A few letters and an ellipsis say nothing: leave the junction out instead.
        if room >= metrics.horizontalAdvance(SEPARATOR + "Wwww…"):
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            elided_w = min(room, metrics.horizontalAdvance(elided))
            labels.append(FooterLabel("extra", QRect(cursor, 0, elided_w, height), elided))
    return FooterLayout(height, dot, tuple(labels))


def wrap_text(metrics: QFontMetrics, text: str, width: int, max_lines: int = 3) -> list[str]:
    """``text`` in lines no wider than ``width`` (broken at spaces; the last one elided):
    on a narrow tile "retry in 5 s" must wrap onto a new line, not fall off the edge."""
    if metrics.horizontalAdvance(text) <= width or max_lines <= 1:
        return [metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)]
    words = [piece for word in text.split(" ") for piece in _fit_word(metrics, word, width)]
    lines: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if current and metrics.horizontalAdvance(candidate) > width:
            lines.append(current)
            if len(lines) == max_lines - 1:
                rest = " ".join(words[index:])
                lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
                return lines
            current = word
        else:
            current = candidate
    lines.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, width))
    return lines


def _fit_word(metrics: QFontMetrics, word: str, width: int) -> list[str]:
    """A word wider than a line (Chinese has no spaces) cut into pieces that fit."""
    if metrics.horizontalAdvance(word) <= width:
        return [word]
    pieces, current = [], ""
    for char in word:
        if current and metrics.horizontalAdvance(current + char) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return [*pieces, current] if current else pieces
