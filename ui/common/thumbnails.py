"""Pictures for lists: decoded and scaled ONCE in a worker thread, then cached.

A list of fifty sightings would otherwise decode fifty full-resolution PNGs on the GUI
thread (~20-30 ms each at 1080p). ``QImage`` may be built in any thread (``QPixmap`` may
not), so the worker hands back a scaled ``QImage`` and the GUI thread makes the pixmap.

Its own thread, not the UI's service executor (ui.bridge): opening a long list queues
dozens of decodes at once, and an alert being sent must never wait behind them. It
touches files only, never the database.
"""

from __future__ import annotations

import contextlib
import logging
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap

log = logging.getLogger(__name__)

_MAX_CACHED = 600


def load_scaled(path: Path, size: QSize) -> QImage:
    """The picture at ``path`` fitted into ``size`` (aspect kept); a null image if unreadable.

    ``QImageReader.setScaledSize`` lets JPEG decode at a lower resolution directly.
    """
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid() and (full.width() > size.width() or full.height() > size.height()):
        reader.setScaledSize(full.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        log.info("thumbnail: cannot read %s (%s)", path.name, reader.errorString())
    return image


class ThumbnailCache(QObject):
    """``pixmap(path, size)`` answers from the cache or None and starts a load; ``ready``
    tells the views to repaint once it is there."""

    ready = Signal(str)  # the path whose picture is now cached
    _loaded = Signal(object, object, object)  # key, QImage, path

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cache: OrderedDict[tuple[str, int, int], QPixmap] = OrderedDict()
        self._pending: set[tuple[str, int, int]] = set()
        self._futures: set[Future[None]] = set()
        self._executor: ThreadPoolExecutor | None = None
        # Emitted from the worker; this object lives in the GUI thread, so Qt queues it.
        self._loaded.connect(self._store, Qt.ConnectionType.QueuedConnection)

    def pixmap(self, path: Path, size: QSize) -> QPixmap | None:
        key = (str(path), size.width(), size.height())
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        if key not in self._pending:
            self._pending.add(key)
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="thumbnails")
            future = self._executor.submit(self._load, key, path, QSize(size))
            self._futures.add(future)
            future.add_done_callback(self._futures.discard)
        return None

    def _load(self, key: tuple[str, int, int], path: Path, size: QSize) -> None:
        image = load_scaled(path, size)
        # RuntimeError: the cache object was deleted while we decoded.
        with contextlib.suppress(RuntimeError):
            self._loaded.emit(key, image, str(path))

    def _store(self, key: tuple[str, int, int], image: QImage, path: str) -> None:
        self._pending.discard(key)
        pixmap = QPixmap.fromImage(image) if not image.isNull() else QPixmap()
        self._cache[key] = pixmap
        while len(self._cache) > _MAX_CACHED:
            self._cache.popitem(last=False)
        self.ready.emit(path)

    def forget(self, path: Path) -> None:
        """Drop a picture (e.g. the file was replaced)."""
        for key in [k for k in self._cache if k[0] == str(path)]:
            del self._cache[key]

    def idle(self) -> bool:
        return not self._pending

    def shutdown(self) -> None:
        """Stop the worker (waits for the picture being decoded, drops the queued ones)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self._pending.clear()
