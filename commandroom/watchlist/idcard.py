"""Mainland resident ID numbers (GB 11643-1999): 17 digits and a check character.

Characters 7-14 are the holder's birth date; character 17 is odd for men, even for women.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from commandroom.notices import NoticeError, define, notice

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_MAP = "10X98765432"
_SHAPE = re.compile(r"\d{17}[\dX]")
_EARLIEST_BIRTH = date(1900, 1, 1)


OLD_15 = define("id_number.old_15",
                "old 15-digit ID numbers are not accepted; enter the 18-digit number")
LENGTH = define("id_number.length", "an ID number has 18 characters, this one has {length}")
SHAPE = define("id_number.shape", "an ID number is 17 digits followed by a digit or X")
DATE_UNREAL = define("id_number.date_unreal",
                     "the birth date {digits} in the ID number is not a real date")
DATE_IMPOSSIBLE = define("id_number.date_impossible",
                         "the birth date {date} in the ID number is impossible")
CHECK = define("id_number.check",
               "check character is {found}, expected {expected}: a digit was mistyped")


class InvalidIdNumber(NoticeError, ValueError):
    """The text is not a valid 18-character ID number; the notice says why."""


@dataclass(frozen=True)
class IdNumber:
    value: str  # 18 characters, check character upper-case
    birth_date: date
    sex: str  # "male" | "female"


def check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_MAP[total % 11]


def parse_id_number(text: str, *, today: date | None = None) -> IdNumber:
    """Validate and normalise an ID number (spaces dropped, ``x`` stored as ``X``)."""
    value = "".join(text.split()).upper()
    if len(value) == 15 and value.isdigit():
        raise InvalidIdNumber(notice(OLD_15))
    if len(value) != 18:
        raise InvalidIdNumber(notice(LENGTH, length=len(value)))
    if not _SHAPE.fullmatch(value):
        raise InvalidIdNumber(notice(SHAPE))
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber(notice(DATE_UNREAL, digits=value[6:14])) from None
    if not _EARLIEST_BIRTH <= birth <= (today or date.today()):
        raise InvalidIdNumber(notice(DATE_IMPOSSIBLE, date=birth.isoformat()))
    expected = check_character(value[:17])
    if value[17] != expected:
        raise InvalidIdNumber(notice(CHECK, found=value[17], expected=expected))
    sex = "male" if int(value[16]) % 2 == 1 else "female"
    return IdNumber(value=value, birth_date=birth, sex=sex)
