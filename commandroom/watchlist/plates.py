"""Licence plates: normalisation for matching and a check of the mainland formats.

A plate that fits no mainland format (Hong Kong, Macau, foreign, military, a partial
plate read off a video) is still kept exactly as typed, with a note, never rejected:
the officer knows what they saw.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from commandroom.notices import NoticeError, define, notice

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Plate letters never use I or O (they read as 1 and 0).
_L = "A-HJ-NP-Z"
_STANDARD = re.compile(rf"[{PROVINCES}][{_L}][{_L}0-9]{{5}}")
# Trailer, learner, police, Hong Kong/Macau crossing, consular, test, oversize plates.
_SPECIAL = re.compile(rf"[{PROVINCES}][{_L}][{_L}0-9]{{4}}[挂学警港澳领试超使]")
# New-energy plates (GA 36-2018), 8 characters. Small cars: energy letter first
# (D pure electric, F other; since 2022 also A B C E / G H J K as D and F ran out),
# then a letter or digit, then 4 digits. Large vehicles: 5 digits then D or F.
_NEW_ENERGY_SMALL = re.compile(rf"[{PROVINCES}][{_L}][ABCDEFGHJK][{_L}0-9]\d{{4}}")
_NEW_ENERGY_LARGE = re.compile(rf"[{PROVINCES}][{_L}]\d{{5}}[DF]")

# Dots, middle dots, spaces and hyphens people type between the parts of a plate.
_SEPARATORS = re.compile(r"[\s.·•・．\-‐‑–—－_]+")
MAX_PLATE_LENGTH = 20

NOT_MAINLAND_NOTE = "not a mainland format; kept as typed"


EMPTY = define("plate.empty", "the plate is empty")
TOO_LONG = define("plate.too_long", "a plate has at most {limit} characters")
CONTROL = define("plate.control", "the plate contains control characters")


class InvalidPlate(NoticeError, ValueError):
    """The text cannot be a plate at all (empty, too long, control characters)."""


@dataclass(frozen=True)
class PlateCheck:
    typed: str  # as the officer typed it (trimmed)
    normalised: str  # what matching and duplicates use
    format: str  # "standard" | "special" | "new_energy" | "other"
    note: str  # empty for a mainland format

    @property
    def mainland(self) -> bool:
        return self.format != "other"


def normalise_plate(text: str) -> str:
    """``鄂g·12345`` and ``鄂G 12345`` and ``鄂Ｇ-12345`` all become ``鄂G12345``."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()


def check_plate(text: str) -> PlateCheck:
    typed = text.strip()
    normalised = normalise_plate(typed)
    if not normalised:
        raise InvalidPlate(notice(EMPTY))
    if len(normalised) > MAX_PLATE_LENGTH:
        raise InvalidPlate(notice(TOO_LONG, limit=MAX_PLATE_LENGTH))
    if any(unicodedata.category(ch).startswith("C") for ch in normalised):
        raise InvalidPlate(notice(CONTROL))
    if _STANDARD.fullmatch(normalised):
        kind = "standard"
    elif _SPECIAL.fullmatch(normalised):
        kind = "special"
    elif _NEW_ENERGY_SMALL.fullmatch(normalised) or _NEW_ENERGY_LARGE.fullmatch(normalised):
        kind = "new_energy"
    else:
        return PlateCheck(typed, normalised, "other", NOT_MAINLAND_NOTE)
    return PlateCheck(typed, normalised, kind, "")
