"""How many sightings name a watch-list entry: an entry that has any is evidence and is
never deleted (only archived). Given to ``WatchlistService`` by the composition root, so
the watch list does not import the sightings that depend on it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandroom.sightings.models import SightingRow


def sightings_of_entry(session: Session, entry_id: int) -> int:
    query = select(func.count()).select_from(SightingRow).where(
        SightingRow.watch_entry_id == entry_id
    )
    return int(session.execute(query).scalar_one())
