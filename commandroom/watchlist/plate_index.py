"""An index of the plates on file that finds a read's matches without a scan.

Symmetric deletion: each plate is keyed by its tail (the plate without its province
character, see ``plate_match``) with confusable characters folded together, and by
every variant of that key with one character deleted. A read looks up its own folded
tail and its one-deletion variants, so in a handful of dictionary look-ups it finds every
plate that differs by confusables plus at most one wrong, missing or extra character:

* read key == plate key: only confusables (or a different or unread province);
* read key == a deletion of the plate key: one character missing from the read;
* a deletion of the read key == plate key: one character extra in the read;
* a deletion of each is the same: one character wrong.

Candidates are then checked and scored by ``plate_match.compare``. Keying the tail
rather than the whole plate is what lets a read without its province character match.
Not thread-safe by itself: ``PlateMatcher`` serialises access.
"""

from __future__ import annotations

from collections.abc import Iterable

from commandroom.watchlist.plate_match import (
    DEFAULT_THRESHOLD,
    MIN_FUZZY_LENGTH,
    PlateMatch,
    SplitPlate,
    compare,
    normalise_read,
    score,
    split_plate,
)
from commandroom.watchlist.records import Risk, SearchHit

_RISK_ORDER = {Risk.HIGH: 0, Risk.MEDIUM: 1, Risk.LOW: 2}


def lookup_keys(folded_tail: str) -> set[int]:
    """The tail and, when long enough to be matched fuzzily, its one-deletion variants,
    as their hashes: an int is smaller than the string, and the rare collision only adds
    a candidate that ``compare`` turns down."""
    if len(folded_tail) < MIN_FUZZY_LENGTH:
        return {hash(folded_tail)}
    return {hash(folded_tail),
            *(hash(folded_tail[:i] + folded_tail[i + 1:]) for i in range(len(folded_tail)))}


class PlateIndex:
    def __init__(self) -> None:
        self._on_file: dict[int, tuple[SearchHit, SplitPlate]] = {}
        # A key almost always names one entry: an int then, a list only when shared,
        # which keeps 100,000 plates (about 800,000 keys) small.
        self._keys: dict[int, int | list[int]] = {}

    def __len__(self) -> int:
        return len(self._on_file)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._on_file

    def put(self, entry: SearchHit) -> None:
        """Index (or re-index) ``entry`` by its plate; one without a plate is dropped."""
        self.remove(entry.id)
        plate = split_plate(normalise_read(entry.plate))
        if not plate.tail:
            return
        self._on_file[entry.id] = (entry, plate)
        keys = self._keys
        for key in lookup_keys(plate.folded_tail):
            held = keys.get(key)
            if held is None:
                keys[key] = entry.id
            elif isinstance(held, int):
                keys[key] = [held, entry.id]
            else:
                held.append(entry.id)

    def put_many(self, entries: Iterable[SearchHit]) -> None:
        for entry in entries:
            self.put(entry)

    def remove(self, entry_id: int) -> None:
        on_file = self._on_file.pop(entry_id, None)
        if on_file is None:
            return
        keys = self._keys
        for key in lookup_keys(on_file[1].folded_tail):
            held = keys[key]
            if isinstance(held, int):
                del keys[key]
            else:
                held.remove(entry_id)
                if len(held) == 1:
                    keys[key] = held[0]

    def match(
        self, read: str, *, threshold: float = DEFAULT_THRESHOLD, limit: int = 5
    ) -> list[PlateMatch]:
        """The plates on file matching ``read`` with a score of at least ``threshold``;
        best first (score, then the higher risk, then the older entry)."""
        normalised = normalise_read(read)
        plate = split_plate(normalised)
        if not plate.tail or limit <= 0:
            return []
        candidates: set[int] = set()
        keys = self._keys
        for key in lookup_keys(plate.folded_tail):
            held = keys.get(key)
            if held is None:
                continue
            if isinstance(held, int):
                candidates.add(held)
            else:
                candidates.update(held)
        found: list[PlateMatch] = []
        for entry_id in candidates:
            entry, on_file = self._on_file[entry_id]
            edits = compare(plate, on_file)
            if edits is None:
                continue
            value = score(edits)
            if value >= threshold:
                found.append(PlateMatch(entry, normalised, value, edits))
        found.sort(key=lambda m: (-m.score, _RISK_ORDER[m.entry.risk], m.entry.id))
        return found[:limit]
