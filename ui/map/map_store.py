"""The station's map image: copied into <data_dir>/map/, its file name kept in map.json.

Copying (not linking) keeps the map with the rest of the station's data, so a backup of
the data dir or a move to another computer brings it along.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtGui import QImageReader

from commandroom.files import copy_private, write_private

log = logging.getLogger(__name__)

MAP_DIR = "map"
MAP_INDEX = "map.json"


class MapImageError(ValueError):
    """The chosen file is not a picture Qt can read."""


class MapImageStore:
    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / MAP_DIR

    def path(self) -> Path | None:
        """The current map image, or None (never loaded, or the file went missing)."""
        try:
            name = json.loads((self.folder / MAP_INDEX).read_text(encoding="utf-8"))["image"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        path = self.folder / Path(str(name)).name
        return path if path.is_file() else None

    def load(self, source: Path) -> Path:
        """Copy ``source`` in and make it the map; returns the stored copy."""
        reader = QImageReader(str(source))
        if not reader.canRead():
            raise MapImageError(f"{source.name} is not a picture that can be read "
                                f"({reader.errorString()})")
        dest = self.folder / f"area{source.suffix.lower() or '.png'}"
        copy_private(source, dest)
        index = self.folder / MAP_INDEX
        write_private(index, json.dumps({"image": dest.name, "source": source.name}).encode())
        log.info("map image loaded from %s", source.name)
        return dest
