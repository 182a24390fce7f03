"""Our own small clip player: PyAV decodes in a worker, frames are painted at real-time pace.

QtMultimedia is not part of the install. The worker converts each frame straight to the
widget's size in ``bgra`` (= ``QImage.Format_RGB32`` on little-endian), so painting is a
plain blit; it waits on the stop event until each frame is due, so stopping is immediate.
The decoder has its own thread (not the UI's service executor, ui.bridge): it runs for
the whole length of a clip. It touches the clip file only, never the database.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import av
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHideEvent, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


def _fit(width: int, height: int, box: QSize) -> tuple[int, int]:
    scale = min(box.width() / width, box.height() / height)
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


class ClipPlayer(QWidget):
    """``play(path)`` starts; ``stop()`` ends the worker (also on hide / close)."""

    frame_shown = Signal(int)  # frames shown so far
    finished = Signal(str)  # "" at the end of the clip, else the error

    _frame = Signal(object, float)  # QImage, seconds into the clip
    _ended = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(320, 180)
        self._image: QImage | None = None
        self._position = 0.0
        self._message = self.tr("No clip loaded.")
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.frames = 0
        self._frame.connect(self._show_frame, Qt.ConnectionType.QueuedConnection)
        self._ended.connect(self._on_ended, Qt.ConnectionType.QueuedConnection)

    @property
    def playing(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def play(self, path: Path) -> None:
        self.stop()
        self.frames = 0
        self._message = ""
        self._stop = threading.Event()
        size = QSize(max(2, self.width()), max(2, self.height()))
        self._thread = threading.Thread(target=self._decode, args=(path, size, self._stop),
                                        name="clip-player", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _decode(self, path: Path, size: QSize, stop: threading.Event) -> None:
        error = ""
        try:
            with av.open(str(path)) as container:
                stream = container.streams.video[0]
                stream.thread_type = "AUTO"
                start = time.monotonic()
                first: float | None = None
                for frame in container.decode(stream):
                    t = float(frame.time or 0.0)
                    first = t if first is None else first
                    due = start + (t - first)
                    if stop.wait(max(0.0, due - time.monotonic())):
                        return
                    w, h = _fit(frame.width, frame.height, size)
                    rgb = frame.reformat(width=w, height=h, format="bgra")
                    plane = rgb.planes[0]
                    # copy(): the QImage must outlive the frame's buffer
                    image = QImage(memoryview(plane), w, h, plane.line_size,
                                   QImage.Format.Format_RGB32).copy()
                    self._frame.emit(image, t - first)
        except (av.FFmpegError, OSError, IndexError) as exc:
            error = str(exc) if not isinstance(exc, IndexError) else "no video stream"
            log.info("clip player: cannot play %s: %s", path.name, error)
        if not stop.is_set():
            self._ended.emit(error)

    def _show_frame(self, image: QImage, position: float) -> None:
        if self._stop.is_set():
            return
        self._image = image
        self._position = position
        self.frames += 1
        self.update()
        self.frame_shown.emit(self.frames)

    def _on_ended(self, error: str) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if error:
            self._message = self.tr("The clip cannot be played: %1").replace("%1", error)
            self._image = None
            self.update()
        self.finished.emit(error)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#0b0d10"))
        if self._image is not None:
            x = (self.width() - self._image.width()) // 2
            y = (self.height() - self._image.height()) // 2
            painter.drawImage(x, y, self._image)
            painter.setPen(QColor("#e8ecf0"))
            painter.drawText(QRect(8, self.height() - 24, 200, 20),
                             Qt.AlignmentFlag.AlignLeft, f"{self._position:6.2f} s")
        else:
            painter.setPen(QColor("#8a929c"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._message)
        painter.end()

    def hideEvent(self, event: QHideEvent) -> None:
        self.stop()
        super().hideEvent(event)
