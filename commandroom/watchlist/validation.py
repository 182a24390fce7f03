"""Checks an ``EntryInput`` and gives back the normalised values the table stores."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from commandroom.watchlist.idcard import InvalidIdNumber, parse_id_number
from commandroom.watchlist.plates import InvalidPlate, check_plate
from commandroom.watchlist.records import Category, EntryInput, Kind, Risk, Sex

_SEX_WORDS = {
    "": Sex.UNKNOWN, "unknown": Sex.UNKNOWN, "未知": Sex.UNKNOWN,
    "male": Sex.MALE, "m": Sex.MALE, "男": Sex.MALE,
    "female": Sex.FEMALE, "f": Sex.FEMALE, "女": Sex.FEMALE,
}
_MAX_LENGTHS = {"name": 200, "case_reference": 120, "colour": 60, "make_model": 120}
_PERSON_ONLY = ("id_number", "sex", "date_of_birth")
_VEHICLE_ONLY = ("plate", "colour", "make_model")


class EntryInvalid(ValueError):
    """One message per field that is wrong; ``str()`` lists them all."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class ValidEntry:
    """Normalised values ready for ``WatchEntryRow`` (``None`` where the column is NULL)."""

    data: EntryInput  # trimmed text, ID number upper-case, sex/dob completed from the ID
    id_number: str | None
    plate_normalised: str | None
    plate_note: str


def _enum_value(enum: type[Kind] | type[Category] | type[Risk], value: str) -> str | None:
    text = value.strip().lower()
    return text if text in {member.value for member in enum} else None


def validate_entry(data: EntryInput, *, today: date | None = None) -> ValidEntry:
    errors: dict[str, str] = {}
    text = {
        f.name: getattr(data, f.name).strip()
        for f in dataclasses.fields(data)
        if isinstance(getattr(data, f.name), str)
    }
    aliases = tuple(dict.fromkeys(a.strip() for a in data.aliases if a.strip()))

    kind = _enum_value(Kind, text["kind"])
    if kind is None:
        errors["kind"] = "must be person or vehicle"
    category = _enum_value(Category, text["category"] or Category.OTHER)
    if category is None:
        errors["category"] = "must be one of " + ", ".join(c.value for c in Category)
    risk = _enum_value(Risk, text["risk"] or Risk.MEDIUM)
    if risk is None:
        errors["risk"] = "must be low, medium or high"
    for name, limit in _MAX_LENGTHS.items():
        if len(text[name]) > limit:
            errors[name] = f"at most {limit} characters"
    if any(len(a) > 200 for a in aliases):
        errors["aliases"] = "an alias has at most 200 characters"

    if kind == Kind.PERSON:
        if not text["name"]:
            errors["name"] = "a person needs a name (or a placeholder such as 'unknown')"
        for name in _VEHICLE_ONLY:
            if text[name]:
                errors[name] = "belongs to a vehicle entry, not a person"
    elif kind == Kind.VEHICLE:
        if not text["plate"] and not text["name"]:
            errors["plate"] = "a vehicle needs a plate or, if unread, a description in name"
        for name in _PERSON_ONLY:
            value = getattr(data, name)
            if value:
                errors[name] = "belongs to a person entry, not a vehicle"

    sex = _SEX_WORDS.get(text["sex"].lower())
    if sex is None:
        errors["sex"] = "must be male, female or empty"
    birth = data.date_of_birth
    id_number: str | None = None
    if text["id_number"] and kind == Kind.PERSON:
        try:
            parsed = parse_id_number(text["id_number"], today=today)
        except InvalidIdNumber as exc:
            errors["id_number"] = str(exc)
        else:
            id_number = parsed.value
            if birth is not None and birth != parsed.birth_date:
                errors["date_of_birth"] = (
                    f"{birth.isoformat()} does not match the ID number "
                    f"({parsed.birth_date.isoformat()})"
                )
            if sex and sex != parsed.sex:
                errors["sex"] = f"does not match the ID number ({parsed.sex})"
            birth, sex = parsed.birth_date, Sex(parsed.sex)
    if birth is not None and birth > (today or date.today()):
        errors["date_of_birth"] = "is in the future"

    plate_normalised: str | None = None
    plate_note = ""
    if text["plate"] and kind == Kind.VEHICLE:
        try:
            plate = check_plate(text["plate"])
        except InvalidPlate as exc:
            errors["plate"] = str(exc)
        else:
            plate_normalised, plate_note = plate.normalised, plate.note

    if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
        errors["valid_until"] = "is before valid_from"
    if errors:
        raise EntryInvalid(errors)
    assert kind is not None and category is not None and risk is not None and sex is not None
    changes: dict[str, Any] = {
        **text,
        "kind": kind,
        "category": category,
        "risk": risk,
        "aliases": aliases,
        "id_number": id_number or "",
        "sex": sex.value,
        "date_of_birth": birth,
    }
    clean = dataclasses.replace(data, **changes)
    return ValidEntry(clean, id_number, plate_normalised, plate_note)
