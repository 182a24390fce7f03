"""One video tile: paints the latest frame of its stream zero-copy, plus an overlay.

The reader thread has already scaled the frame to this tile's pixel size in BGRA
(= ``QImage.Format_RGB32`` on little-endian), so painting is a plain 1:1 blit. A tile
replaying recorded footage (``replay``, set by ui/replay/controller.py) paints that
handle's slot the same way, keeps its live handle paused for the way back, says
REPLAY 10:41:07 in an amber badge and has an amber border: never mistaken for live.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QMimeData, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QMenu, QSizePolicy, QWidget

from commandroom.cameras.registry import Camera
from commandroom.video.frames import Frame
from commandroom.video.hub import StreamHandle
from commandroom.video.replay_handle import PlaybackHandle
from commandroom.video.state import StreamState, StreamStatus
from ui.video.replay_texts import live_badge, replay_badge, replay_lines
from ui.video.status_text import dot_colour, stats_lines, status_lines
from ui.video.tile_geometry import BACKGROUND, Placement, chrome_for, placement_for
from ui.video.tile_overlay import (
    REPLAY_COLOUR,
    Overlay,
    OverlayKey,
    clock_at,
    render_overlay,
)

CAMERA_MIME = "application/x-commandroom-camera"
TILE_MIME = "application/x-commandroom-tile"

_ALERT = QColor("#ff3030")
_FLASH = QColor("#ffc040")  # a camera event the officer asked to see (camera events)
_REPLAY_BORDER_PX = 4
_STATS_REFRESH_S = 0.5


@dataclass(frozen=True)
class _CachedOverlay:
    key: OverlayKey
    overlay: Overlay


@dataclass(frozen=True)
class _SameOverlay:
    """What a live tile's overlay was last rendered from, compared at each paint before
    the full key: a status is a new object when it changes, so a frame of an unchanged
    stream skips working out the key (the lines, badge and dot: ~25 us a paint)."""

    status: StreamStatus | None
    camera: Camera
    clock: bool
    recording_note: str
    size: tuple[int, int]
    ratio: float


class VideoTile(QWidget):
    """A grid cell. The grid owns the stream handles; the tile only paints."""

    selected = Signal(object)
    maximise_toggled = Signal(object)
    camera_dropped = Signal(object, int)
    swap_requested = Signal(int, int)
    close_requested = Signal(object)
    snapshot_requested = Signal(object)
    show_on_wall_requested = Signal(object)
    tag_requested = Signal(object)
    resized = Signal()

    def __init__(self, index: int, parent: QWidget | None = None,
                 overlay_scale: float = 1.0) -> None:
        super().__init__(parent)
        self.index = index
        self.camera: Camera | None = None
        self.handle: StreamHandle | None = None
        self.replay: PlaybackHandle | None = None  # shown instead of ``handle`` while set
        self.recording_note = ""  # a recorder that cannot write: "REC ✕ disk full"
        self.painted_rect = QRect()  # where the last frame was painted (tests, benches)
        self.shown_badge = ""  # LIVE / REPLAY 10:41:07 …, as last painted
        self.pending: StreamHandle | None = None  # main/sub switch: shown once it has a frame
        self.is_selected = False
        self.show_stats = False
        self.gl_video = False  # the grid's GL surface paints the video under this tile
        self.path_label = ""  # "GL" / "CPU" in the statistics overlay
        self.painted_seq = -1
        self.frozen_frame: Frame | None = None  # set while the grid is frozen
        self.alert_highlight = False  # the wall marks the camera of a live alert
        self.flash_until = 0.0  # monotonic time a camera event's border highlight ends
        self._status: StreamStatus | None = None
        self._status_seen_at = 0.0  # when this tile first saw ``_status`` (countdowns)
        self._countdown: int | None = None  # the whole seconds last painted
        self._press_pos: QPoint | None = None
        self._look: tuple[object, ...] | None = None  # replay state, speed, second painted
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(64, 36)
        self._base_font = QFont(self.font())
        self._overlay_scale = overlay_scale
        self._overlay_cache: _CachedOverlay | None = None
        self.overlay_renders = 0  # for tests and diagnostics: the clock is not one
        self._stats_text: tuple[str, ...] = ()
        self._stats_at = -_STATS_REFRESH_S
        # The last frame's place and margins (tile_geometry.py), and the overlay's check
        self._placement: Placement | None = None
        self._same_overlay: _SameOverlay | None = None
        self._clock_at: tuple[Overlay, int, QPoint, QImage] | None = None

    # -- state the grid and the pump drive -------------------------------------------
    def pixel_size(self) -> tuple[int, int]:
        ratio = self.devicePixelRatioF()
        return max(2, int(self.width() * ratio)), max(2, int(self.height() * ratio))

    def feed(self) -> StreamHandle | PlaybackHandle | None:
        """What the tile shows: the replay while there is one, else the live stream."""
        return self.replay if self.replay is not None else self.handle

    def handles(self) -> list[StreamHandle | PlaybackHandle]:
        return [h for h in (self.handle, self.pending, self.replay) if h is not None]

    def current_frame(self) -> Frame | None:
        if self.frozen_frame is not None:
            return self.frozen_frame
        feed = self.feed()
        return feed.slot.latest() if feed else None

    def _replay_look(self) -> tuple[object, ...] | None:
        if self.replay is None:
            return None
        status = self.replay.replay_status()
        second = int(status.position) if status.position is not None else None
        return status.state, status.speed, second, self.replay.clock.paused

    def needs_repaint(self) -> bool:
        """Called by the pump each tick: True when there is something new to paint."""
        # Asked 100 times a second of every tile (6,400 at 64 tiles): identity before
        # equality (a status is a new object when it changes), no work for what is absent.
        if self.pending is not None and self.pending.slot.seq > 0:
            return True
        feed = self.feed()
        status = feed.status() if feed else None
        seq = feed.slot.seq if feed else 0
        look = self._replay_look() if self.replay is not None else None
        new_status = status is not self._status and status != self._status
        changed = new_status or seq != self.painted_seq or look != self._look
        self._look = look
        if new_status:
            self._status, self._status_seen_at = status, time.monotonic()
        if status is not None and status.retry_in is not None:
            countdown = self._countdown_now()
            if countdown is not None and countdown != self._countdown:
                changed = True  # "retry in 5 s" -> "4 s": the overlay changes, not the frame
        return changed

    def _retry_in_now(self) -> float | None:
        """The status's countdown, less the time since this tile saw the status."""
        status = self._status
        if status is None or status.retry_in is None or status.state is StreamState.LIVE:
            return None
        return max(0.0, status.retry_in - (time.monotonic() - self._status_seen_at))

    def _countdown_now(self) -> int | None:
        retry_in = self._retry_in_now()
        return None if retry_in is None else int(retry_in + 0.999)

    def set_gl_video(self, on: bool, path_label: str) -> None:
        """On the GPU path the tile paints only its overlay: the surface shows through."""
        self.gl_video = on
        self.path_label = path_label
        self._stats_at = -_STATS_REFRESH_S
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, not on)
        self.update()

    def set_selected(self, on: bool) -> None:
        if on != self.is_selected:
            self.is_selected = on
            self.update()

    def flash(self, seconds: float = 1.5) -> None:
        """A border highlight for ``seconds`` (a camera event on this tile's camera)."""
        self.flash_until = time.monotonic() + seconds
        self.update()
        QTimer.singleShot(int(seconds * 1000) + 10, self, self.update)

    @property
    def flashing(self) -> bool:
        return time.monotonic() < self.flash_until

    # -- painting --------------------------------------------------------------------
    # Every QPainter call is a round trip through the bindings that may wait for the GIL
    # behind the reader threads, so a paint makes few of them: the frame is one blit, and
    # the overlay (which changes about once a second) is one more, from a cached image.
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        frame = self.current_frame()
        if not self.gl_video:  # else the GL surface under the tile has drawn the video
            if frame is not None:
                self.painted_rect = self._blit(painter, frame)
                self.painted_seq = frame.seq
                margins = self._placement.margins if self._placement is not None else ()
                for rect in margins:
                    painter.fillRect(rect, BACKGROUND)
            else:
                self.painted_rect = QRect()
                painter.fillRect(self.rect(), BACKGROUND)
        if self.camera is None:
            painter.setPen(QColor("#6c7480"))
            # Wrapped: a small tile of a 4+20 wall is narrower than the line.
            painter.drawText(self.rect().adjusted(4, 4, -4, -4),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.tr("Empty — drag a camera here"))
        else:
            overlay, second = self._overlay_image(frame)
            top = self.height() - overlay.height
            painter.drawImage(QPoint(0, top), overlay.image)
            if second is not None:
                self._draw_clock(painter, overlay, top, second)
        if self.replay is not None:
            width = max(2, round(_REPLAY_BORDER_PX * self._overlay_scale))
            painter.setPen(QPen(REPLAY_COLOUR, width))
            half = width // 2
            painter.drawRect(self.rect().adjusted(half, half, -half - 1, -half - 1))
        if self.flashing:
            painter.setPen(QPen(_FLASH, 8))
            painter.drawRect(self.rect().adjusted(4, 4, -4, -4))
        if self.alert_highlight:
            painter.setPen(QPen(_ALERT, 6))
            painter.drawRect(self.rect().adjusted(3, 3, -3, -3))
        colour, rects = chrome_for((self.width(), self.height()), self.is_selected)
        for rect in rects:
            painter.fillRect(rect, colour)
        painter.end()

    def _blit(self, painter: QPainter, frame: Frame) -> QRect:
        """Draw the frame centred; returns the logical rectangle it covers (and leaves
        where, with the margins to fill, in ``_placement``)."""
        if frame.planes is not None:  # the GPU path's frame while it falls back
            frame = frame.as_bgra()
        image = frame.image
        h, w = image.shape[0], image.shape[1]
        # Zero-copy: QImage over the frame's buffer; `frame` stays referenced while we paint.
        buffer, stride = frame.paint_buffer()
        qimage = QImage(buffer.data, w, h, stride, QImage.Format.Format_RGB32)
        ratio = self.devicePixelRatioF()
        placement = self._placement = placement_for((w, h), (self.width(), self.height()),
                                                    ratio)
        if placement.point is not None:
            qimage.setDevicePixelRatio(ratio)
            painter.drawImage(placement.point, qimage)
        else:  # the reader has not caught up with a resize yet: scale this once
            painter.drawImage(placement.covered, qimage)
        return placement.covered

    def _draw_clock(self, painter: QPainter, overlay: Overlay, top: int,
                    second: int) -> None:
        """The clock from tile_overlay, looked up once per second and overlay."""
        at = self._clock_at
        if at is None or at[0] is not overlay or at[1] != second:
            found = clock_at(overlay, top, second)
            if found is None:
                return
            at = self._clock_at = (overlay, second, *found)
        painter.drawImage(at[2], at[3])

    def _overlay_lines(self, status: StreamStatus | None) -> tuple[str, ...]:
        lines: list[str] = []
        if self.replay is not None:
            lines += replay_lines(self.replay.replay_status())
        elif status is not None:
            retry_in = self._retry_in_now()
            self._countdown = None if retry_in is None else int(retry_in + 0.999)
            lines += status_lines(status, retry_in)
        feed = self.feed()
        if self.show_stats and feed is not None:
            now = time.monotonic()
            if now - self._stats_at >= _STATS_REFRESH_S:  # readable, and no churn
                self._stats_text = tuple(stats_lines(feed.stats(), self.path_label))
                self._stats_at = now
            lines += self._stats_text
        return tuple(lines)

    def _overlay_image(self, frame: Frame | None) -> tuple[Overlay, int | None]:
        """The footer (and status lines above it), re-rendered only when they change,
        and the second its clock shows for this frame (drawn apart: see tile_overlay)."""
        assert self.camera is not None
        feed = self.feed()
        status = feed.status() if feed else None
        second = int(frame.capture_time) if frame is not None else None
        same, cached = self._same_overlay, self._overlay_cache
        if same is not None and cached is not None and same.status is status and \
                same.camera is self.camera and same.clock == (second is not None) and \
                same.recording_note == self.recording_note and self.replay is None and \
                not self.show_stats and same.size == (self.width(), self.height()) and \
                same.ratio == self.devicePixelRatioF():
            return cached.overlay, second
        if status != self._status:  # painted before the pump saw it: start its countdown
            self._status, self._status_seen_at = status, time.monotonic()
        warn = status is not None and (status.state is not StreamState.LIVE or status.degraded)
        dot = dot_colour(status).rgb()
        if self.replay is not None:  # the badge holds the frame's time: no second clock
            mode, second, dot = replay_badge(self.replay.replay_status(),
                                             self.replay.clock.paused), None, \
                REPLAY_COLOUR.rgb()
            warn = True
        else:
            mode = live_badge() if status is not None and status.state is StreamState.LIVE \
                else ""
        self.shown_badge = mode
        key = OverlayKey(self.width(), self.height(), self.devicePixelRatioF(),
                         self.camera.name, self.camera.junction or "", dot,
                         second is not None, self._overlay_lines(status), warn, mode,
                         self.recording_note, self.replay is not None)
        if self._overlay_cache is None or self._overlay_cache.key != key:
            self._overlay_cache = _CachedOverlay(
                key, render_overlay(self._base_font, self._overlay_scale, key))
            self.overlay_renders += 1
        # A live tile without a countdown or statistics shows the same overlay until its
        # status (a new object), camera, size or REC note changes: skip the key next time.
        self._same_overlay = None if self.replay is not None or self.show_stats or \
            self._countdown is not None else _SameOverlay(
                status, self.camera, second is not None, self.recording_note,
                (self.width(), self.height()), self.devicePixelRatioF())
        return self._overlay_cache.overlay, second

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for handle in self.handles():
            handle.set_size(self.pixel_size())
        self.resized.emit()

    # -- mouse, keyboard, drag and drop -----------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
        self.selected.emit(self)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press_pos is None or self.camera is None:
            return
        if (event.position().toPoint() - self._press_pos).manhattanLength() < 12:
            return
        self._press_pos = None
        mime = QMimeData()
        mime.setData(TILE_MIME, QByteArray(str(self.index).encode()))
        mime.setData(CAMERA_MIME, QByteArray(str(self.camera.id).encode()))
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press_pos = None
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.maximise_toggled.emit(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CAMERA_MIME) or event.mimeData().hasFormat(TILE_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(TILE_MIME) and event.source() is not None:
            source = int(bytes(mime.data(TILE_MIME).data()).decode())
            if source != self.index and isinstance(event.source(), VideoTile) \
                    and event.source().parent() is self.parent():
                self.swap_requested.emit(source, self.index)
                event.acceptProposedAction()
                return
        if mime.hasFormat(CAMERA_MIME):
            self.camera_dropped.emit(self, int(bytes(mime.data(CAMERA_MIME).data()).decode()))
            event.acceptProposedAction()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.selected.emit(self)
        menu = QMenu(self)
        has_camera = self.camera is not None
        act = menu.addAction(self.tr("Maximise / restore"))
        act.triggered.connect(lambda: self.maximise_toggled.emit(self))
        act = menu.addAction(self.tr("Tag sighting (T)"))
        act.setEnabled(has_camera)
        act.triggered.connect(lambda: self.tag_requested.emit(self))
        act = menu.addAction(self.tr("Snapshot to PNG"))
        act.setEnabled(has_camera)
        act.triggered.connect(lambda: self.snapshot_requested.emit(self))
        act = menu.addAction(self.tr("Show on wall"))
        act.setEnabled(has_camera)
        act.triggered.connect(lambda: self.show_on_wall_requested.emit(self))
        menu.addSeparator()
        act = menu.addAction(self.tr("Close tile"))
        act.setEnabled(has_camera)
        act.triggered.connect(lambda: self.close_requested.emit(self))
        menu.exec(event.globalPos())
