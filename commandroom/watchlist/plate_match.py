"""Plate reads against plates on file: normalisation, the misread rules and the score.

A checkpoint camera's plate reader makes a few typical mistakes: it confuses characters
that look alike (0/O/D, 8/B, 1/I, 2/Z, 5/S), drops or adds one character at an edge or a
dirty spot, and often cannot read the province character (a Chinese character on a
small plate) and sends only the Latin part. The officer decides on every suggestion, so
a likely misread should still be suggested, with a lower score and the reason.

The rule, in hundredths taken off a perfect 1.0:

* each **confusable** substitution (characters in one group of ``CONFUSABLE_GROUPS``): -0.10
* the province character not read, or not on file (**tail only**): -0.05
* **one** other difference, at most: a wrong character (**substitution**, -0.30), a
  character **missing** from the read (-0.25) or an **extra** one in it (-0.25), or a
  different province character (**province differs**, -0.30).

So an exact read scores 1.0, a read without its province 0.95, one confusable 0.90, one
missing or extra character 0.75, one arbitrary wrong character 0.70; two arbitrary
differences never match. A confusable substitution always scores higher than an
arbitrary one. Plates (tails) shorter than ``MIN_FUZZY_LENGTH`` match only without an
arbitrary difference: a partial plate of three characters would otherwise match
everything.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from commandroom.watchlist.plates import normalise_plate
from commandroom.watchlist.records import SearchHit

CONFUSABLE_GROUPS = ("0OD", "8B", "1I", "2Z", "5S")
# Every member of a group folds to the group's first character: two characters are
# confusable exactly when they differ but fold to the same one.
_FOLD = str.maketrans({ch: group[0] for group in CONFUSABLE_GROUPS for ch in group[1:]})

MIN_FUZZY_LENGTH = 5
DEFAULT_THRESHOLD = 0.6

# Penalties in hundredths, so scores are exact decimals (0.7, not 0.7000000000000001).
PENALTY_CONFUSABLE = 10
PENALTY_TAIL_ONLY = 5
PENALTY_SUBSTITUTION = 30
PENALTY_MISSING = 25
PENALTY_EXTRA = 25
PENALTY_PROVINCE_DIFFERS = 30

# Some readers put the plate's colour in front ("蓝鄂A12345"); 黑 is also Heilongjiang's
# province character, so a colour is dropped only when a province character follows it.
_COLOURS = ("黄绿", "渐变绿", "蓝", "黄", "白", "黑", "绿")
_LATIN = re.compile(r"[0-9A-Z]")


class MatchRule(StrEnum):
    EXACT = "exact"
    CONFUSABLE = "confusable"
    TAIL_ONLY = "tail_only"
    SUBSTITUTION = "substitution"
    MISSING = "missing"
    EXTRA = "extra"
    PROVINCE_DIFFERS = "province_differs"


_PENALTY = {
    MatchRule.CONFUSABLE: PENALTY_CONFUSABLE,
    MatchRule.TAIL_ONLY: PENALTY_TAIL_ONLY,
    MatchRule.SUBSTITUTION: PENALTY_SUBSTITUTION,
    MatchRule.MISSING: PENALTY_MISSING,
    MatchRule.EXTRA: PENALTY_EXTRA,
    MatchRule.PROVINCE_DIFFERS: PENALTY_PROVINCE_DIFFERS,
}


@dataclass(frozen=True)
class Edit:
    """One difference between the read and the plate on file. ``position`` is an index
    into the normalised read (for a missing character: where it should have been)."""

    rule: MatchRule
    position: int
    read: str  # the character read ("" if missing)
    on_file: str  # the character on file ("" if extra)


@dataclass(frozen=True)
class PlateMatch:
    entry: SearchHit
    read: str  # the read, normalised
    score: float  # in [0, 1], 1.0 for an exact read
    edits: tuple[Edit, ...]

    @property
    def rules(self) -> tuple[MatchRule, ...]:
        """Which rules matched, in the order of the plate; ``(EXACT,)`` for no edit."""
        seen = tuple(dict.fromkeys(edit.rule for edit in self.edits))
        return seen or (MatchRule.EXACT,)


@dataclass(frozen=True, slots=True)
class SplitPlate:
    """A normalised plate as the province character (or "") and the rest, the tail."""

    province: str
    tail: str

    @property
    def text(self) -> str:
        return self.province + self.tail

    @property
    def folded_tail(self) -> str:
        return fold(self.tail)


def normalise_read(text: str) -> str:
    """``鄂a·12345``, ``鄂Ａ‧12345`` and ``蓝鄂A 12345`` all become ``鄂A12345``.

    On top of the watch list's own normalisation (NFKC, so full width becomes half
    width; separators out; upper case): anything that is neither a letter nor a digit
    goes (a reader's quotes or odd dots), and a plate colour in front of the province.
    """
    plate = "".join(ch for ch in normalise_plate(text)
                    if unicodedata.category(ch)[0] in "LN")
    for colour in _COLOURS:
        rest = plate[len(colour):]
        if plate.startswith(colour) and rest and not _LATIN.match(rest):
            return rest
    return plate


def split_plate(normalised: str) -> SplitPlate:
    """The first character is the province when it is not a Latin letter or digit."""
    if normalised and not _LATIN.match(normalised):
        # Interned: 100,000 plates on file share some thirty province strings.
        return SplitPlate(sys.intern(normalised[0]), normalised[1:])
    return SplitPlate("", normalised)


def fold(text: str) -> str:
    """Each confusable character as its group's first: ``B1Z5O`` -> ``81250``."""
    return text.translate(_FOLD)


def score(edits: tuple[Edit, ...]) -> float:
    return max(0, 100 - sum(_PENALTY[edit.rule] for edit in edits)) / 100


def compare(read: SplitPlate, on_file: SplitPlate) -> tuple[Edit, ...] | None:
    """The differences by the rule above, or None when the two do not match at all."""
    edits: list[Edit] = []
    arbitrary = 0
    if not read.province or not on_file.province:
        if read.province or on_file.province:
            edits.append(Edit(MatchRule.TAIL_ONLY, 0, read.province, on_file.province))
    elif read.province != on_file.province:
        edits.append(Edit(MatchRule.PROVINCE_DIFFERS, 0, read.province, on_file.province))
        arbitrary = 1
    short = min(len(read.tail), len(on_file.tail)) < MIN_FUZZY_LENGTH
    allowed = (0 if short else 1) - arbitrary
    tail_edits = _align(read.tail, on_file.tail, allowed) if allowed >= 0 else None
    if tail_edits is None:
        return None
    offset = len(read.province)
    edits += (Edit(e.rule, e.position + offset, e.read, e.on_file) for e in tail_edits)
    return tuple(edits)


def _align(read: str, on_file: str, arbitrary_allowed: int) -> list[Edit] | None:
    """The cheapest alignment with at most ``arbitrary_allowed`` arbitrary edits (0 or 1)
    and any number of confusable substitutions; None if there is none."""
    if len(read) == len(on_file):
        return _same_length(read, on_file, arbitrary_allowed)
    if not arbitrary_allowed or abs(len(read) - len(on_file)) != 1:
        return None
    extra = len(read) > len(on_file)
    longer, shorter = (read, on_file) if extra else (on_file, read)
    best: list[Edit] | None = None
    for gap in range(len(longer)):
        if gap and longer[gap] == longer[gap - 1]:
            continue  # dropping either of two equal neighbours is the same alignment
        without = longer[:gap] + longer[gap + 1:]
        rest = _same_length(without, shorter, 0) if extra else _same_length(shorter, without, 0)
        if rest is None or (best is not None and len(rest) + 1 >= len(best)):
            continue
        if extra:  # positions after the extra character move one to the right
            gap_edit = Edit(MatchRule.EXTRA, gap, read[gap], "")
            shifted = [_shift(e, 1) if e.position >= gap else e for e in rest]
        else:  # positions are already the read's
            gap_edit = Edit(MatchRule.MISSING, gap, "", on_file[gap])
            shifted = rest
        best = sorted([*shifted, gap_edit], key=lambda e: e.position)
    return best


def _same_length(read: str, on_file: str, arbitrary_allowed: int) -> list[Edit] | None:
    edits: list[Edit] = []
    for position, (got, wanted) in enumerate(zip(read, on_file, strict=True)):
        if got == wanted:
            continue
        if fold(got) == fold(wanted):
            edits.append(Edit(MatchRule.CONFUSABLE, position, got, wanted))
        elif arbitrary_allowed:
            arbitrary_allowed -= 1
            edits.append(Edit(MatchRule.SUBSTITUTION, position, got, wanted))
        else:
            return None
    return edits


def _shift(edit: Edit, by: int) -> Edit:
    return Edit(edit.rule, edit.position + by, edit.read, edit.on_file)
