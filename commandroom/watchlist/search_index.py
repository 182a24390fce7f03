"""In-memory search-as-you-type over names, aliases, ID numbers and plates.

Why not SQL: ``LIKE '%x%'`` cannot use an index, and at 100,000 entries SQLite needs tens
of milliseconds per keystroke, plus the ORM round trip. Here each entry becomes one
normalised "haystack" string; entries are grouped into chunks by id range, and each chunk
is joined into one big string that ``str.find`` (C speed) scans. An edit only marks its
chunk dirty; the chunk is re-joined on the next search. bench/bench_watchlist_search.py
measures it.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from commandroom.watchlist.records import Kind, SearchHit

CHUNK_IDS = 4096
_FIELD_SEP = "\x00"  # a query never contains these, so a match never spans two fields
_ENTRY_SEP = "\x01"
# Same separators as plate normalisation, applied to every field and to the query, so
# "鄂G·123", "鄂g 123" and "鄂G123" find the same plate and "阿卜杜·热合曼" its alias.
_SEPARATORS = r"\s.·•・．\-‐‑–—－_"
_IGNORED_IN_QUERY = re.compile(rf"[{_SEPARATORS}\x00-\x1f]+")
_IGNORED_IN_HAYSTACK = re.compile(rf"[{_SEPARATORS}\x02-\x1f]+")  # keeps our \x00 \x01


def normalise_for_search(text: str) -> str:
    return _IGNORED_IN_QUERY.sub("", unicodedata.normalize("NFKC", text)).casefold()


def haystack(name: str, aliases: Iterable[str], id_number: str, plate: str) -> str:
    # One normalisation pass over the joined fields: this runs 100,000 times at start-up.
    raw = _FIELD_SEP.join((name, *(a.replace(_FIELD_SEP, "") for a in aliases), id_number,
                           plate.replace(_FIELD_SEP, "")))
    return _IGNORED_IN_HAYSTACK.sub("", unicodedata.normalize("NFKC", raw)).casefold()


@dataclass
class _Chunk:
    entries: dict[int, str] = field(default_factory=dict)  # id -> haystack
    dirty: bool = True
    ids: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    text: str = ""

    def rebuild(self) -> None:
        self.ids = sorted(self.entries)
        self.starts = []
        offset = 0
        pieces = []
        for entry_id in self.ids:
            piece = self.entries[entry_id]
            self.starts.append(offset)
            pieces.append(piece)
            offset += len(piece) + 1
        self.text = _ENTRY_SEP.join(pieces)
        self.dirty = False


class SearchIndex:
    """Thread-safe; the watch-list service keeps it in step with the table."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chunks: dict[int, _Chunk] = {}
        self._hits: dict[int, SearchHit] = {}

    def __len__(self) -> int:
        return len(self._hits)

    def put(self, hit: SearchHit, aliases: Iterable[str], plate_normalised: str) -> None:
        self.put_many([(hit, aliases, plate_normalised)])

    def put_many(self, items: Iterable[tuple[SearchHit, Iterable[str], str]]) -> None:
        with self._lock:
            for hit, aliases, plate_normalised in items:
                hay = haystack(hit.label, aliases, hit.id_number, plate_normalised)
                chunk = self._chunks.setdefault(hit.id // CHUNK_IDS, _Chunk())
                chunk.entries[hit.id] = hay
                chunk.dirty = True
                self._hits[hit.id] = hit

    def compact(self) -> None:
        """Join every changed chunk now (after a bulk load) rather than on the next search."""
        with self._lock:
            for chunk in self._chunks.values():
                if chunk.dirty:
                    chunk.rebuild()

    def remove(self, entry_id: int) -> None:
        with self._lock:
            chunk = self._chunks.get(entry_id // CHUNK_IDS)
            if chunk is not None and chunk.entries.pop(entry_id, None) is not None:
                chunk.dirty = True
            self._hits.pop(entry_id, None)

    def clear(self) -> None:
        with self._lock:
            self._chunks.clear()
            self._hits.clear()

    def hits(self, entry_ids: Iterable[int] | None = None) -> list[SearchHit]:
        """Every entry held (or these, leaving out ids not held), in no particular order."""
        with self._lock:
            if entry_ids is None:
                return list(self._hits.values())
            return [hit for entry_id in entry_ids if (hit := self._hits.get(entry_id))]

    def search(
        self,
        text: str,
        *,
        kind: Kind | None = None,
        include_archived: bool = False,
        limit: int = 50,
    ) -> list[SearchHit]:
        """Entries whose name, alias, ID number or plate contains ``text``, oldest first."""
        query = normalise_for_search(text)
        if not query or limit <= 0:
            return []
        found: list[SearchHit] = []
        with self._lock:
            for key in sorted(self._chunks):
                chunk = self._chunks[key]
                if chunk.dirty:
                    chunk.rebuild()
                if self._scan(chunk, query, kind, include_archived, limit, found):
                    break
        return found

    def _scan(
        self,
        chunk: _Chunk,
        query: str,
        kind: Kind | None,
        include_archived: bool,
        limit: int,
        found: list[SearchHit],
    ) -> bool:
        """Append this chunk's matches to ``found``; True once ``limit`` is reached."""
        text, starts, ids = chunk.text, chunk.starts, chunk.ids
        pos = text.find(query)
        while pos != -1:
            index = bisect_right(starts, pos) - 1
            hit = self._hits[ids[index]]
            if (include_archived or not hit.archived) and (kind is None or hit.kind == kind):
                found.append(hit)
                if len(found) >= limit:
                    return True
            if index + 1 >= len(starts):
                break
            pos = text.find(query, starts[index + 1])
        return False
