"""CSV export in the import's own layout (UTF-8 with BOM: Excel/WPS open it correctly)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from commandroom.files import copy_private, private_dir, write_private
from commandroom.watchlist.csv_format import COLUMNS, cells_from_entry
from commandroom.watchlist.models import WatchEntryRow
from commandroom.watchlist.records import entry_view


def export_entries(
    session: Session,
    dest: Path,
    data_dir: Path,
    photos_dir: Path | None,
    *,
    include_archived: bool,
) -> int:
    """Write the CSV (via a temp name); copy photos into ``photos_dir`` when given."""
    query = (
        select(WatchEntryRow)
        .options(selectinload(WatchEntryRow.aliases), selectinload(WatchEntryRow.photos))
        .order_by(WatchEntryRow.id)
    )
    if not include_archived:
        query = query.where(WatchEntryRow.archived.is_(False))
    if photos_dir is not None:
        private_dir(photos_dir)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    count = 0
    for row in session.scalars(query):
        view = entry_view(row)
        names: tuple[str, ...] = ()
        if photos_dir is not None:
            names = tuple(Path(p.path).name for p in view.photos)
            for photo, name in zip(view.photos, names, strict=True):
                copy_private(data_dir / photo.path, photos_dir / name)
        writer.writerow(cells_from_entry(view, names))
        count += 1
    write_private(dest, buffer.getvalue().encode("utf-8-sig"))
    return count
