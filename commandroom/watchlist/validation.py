"""Checks an ``EntryInput`` and gives back the normalised values the table stores."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from commandroom.notices import Notice, define, describe, notice
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


KIND_INVALID = define("entry.kind_invalid", "must be person or vehicle")
CATEGORY_INVALID = define("entry.category_invalid",
                          "must be one of wanted, suspect, missing_person, fraud_risk, other")
RISK_INVALID = define("entry.risk_invalid", "must be low, medium or high")
TOO_LONG = define("entry.too_long", "at most {limit} characters")
ALIAS_TOO_LONG = define("entry.alias_too_long", "an alias has at most {limit} characters")
PERSON_NEEDS_NAME = define("entry.person_needs_name",
                           "a person needs a name (or a placeholder such as 'unknown')")
VEHICLE_FIELD = define("entry.vehicle_field", "belongs to a vehicle entry, not a person")
VEHICLE_NEEDS_PLATE = define("entry.vehicle_needs_plate",
                             "a vehicle needs a plate or, if unread, a description in name")
PERSON_FIELD = define("entry.person_field", "belongs to a person entry, not a vehicle")
SEX_INVALID = define("entry.sex_invalid", "must be male, female or empty")
BIRTH_MISMATCH = define("entry.birth_mismatch",
                        "{date} does not match the ID number ({expected})")
SEX_MISMATCH = define("entry.sex_mismatch", "does not match the ID number ({sex})")
SEX_WORD = {"male": define("entry.sex.male", "male"),
            "female": define("entry.sex.female", "female")}
BIRTH_FUTURE = define("entry.birth_future", "is in the future")
UNTIL_BEFORE_FROM = define("entry.until_before_from", "is before valid_from")
FIELD_PROBLEM = define("entry.field_problem", "{field}: {problem}")


class EntryInvalid(ValueError):
    """One notice per field that is wrong; ``str()`` lists them all in English."""

    def __init__(self, errors: dict[str, Notice]) -> None:
        super().__init__("; ".join(f"{name}: {describe(problem)}"
                                   for name, problem in errors.items()))
        self.errors = errors

    def notices(self) -> list[Notice]:
        """Each problem as "field: problem" (the UI shows the field's translated label)."""
        return [notice(FIELD_PROBLEM, field=name, problem=problem)
                for name, problem in self.errors.items()]


@dataclass(frozen=True)
class ValidEntry:
    """Normalised values ready for ``WatchEntryRow`` (``None`` where the column is NULL)."""

    data: EntryInput  # trimmed text, ID number upper-case, sex/dob completed from the ID
    id_number: str | None
    plate_normalised: str | None
    plate_note: str


# What a Chinese station's spreadsheet (or a typed value) says instead of the codes: the
# words the zh_CN screens use, and their short forms.
CHINESE_VALUES: dict[str, str] = {
    "人员": Kind.PERSON, "人": Kind.PERSON, "车辆": Kind.VEHICLE, "车": Kind.VEHICLE,
    "在逃人员": Category.WANTED, "在逃": Category.WANTED, "通缉": Category.WANTED,
    "嫌疑人": Category.SUSPECT, "嫌疑": Category.SUSPECT,
    "失踪人员": Category.MISSING_PERSON, "失踪": Category.MISSING_PERSON,
    "易受诈骗人员": Category.FRAUD_RISK, "易受骗": Category.FRAUD_RISK,
    "涉诈风险": Category.FRAUD_RISK, "其他": Category.OTHER,
    "低": Risk.LOW, "中": Risk.MEDIUM, "高": Risk.HIGH,
}


def _enum_value(enum: type[Kind] | type[Category] | type[Risk], value: str) -> str | None:
    text = value.strip().lower()
    text = CHINESE_VALUES.get(text, text)
    return text if text in {member.value for member in enum} else None


def validate_entry(data: EntryInput, *, today: date | None = None) -> ValidEntry:
    errors: dict[str, Notice] = {}
    text = {
        f.name: getattr(data, f.name).strip()
        for f in dataclasses.fields(data)
        if isinstance(getattr(data, f.name), str)
    }
    aliases = tuple(dict.fromkeys(a.strip() for a in data.aliases if a.strip()))

    kind = _enum_value(Kind, text["kind"])
    if kind is None:
        errors["kind"] = notice(KIND_INVALID)
    category = _enum_value(Category, text["category"] or Category.OTHER)
    if category is None:
        errors["category"] = notice(CATEGORY_INVALID)
    risk = _enum_value(Risk, text["risk"] or Risk.MEDIUM)
    if risk is None:
        errors["risk"] = notice(RISK_INVALID)
    for name, limit in _MAX_LENGTHS.items():
        if len(text[name]) > limit:
            errors[name] = notice(TOO_LONG, limit=limit)
    if any(len(a) > 200 for a in aliases):
        errors["aliases"] = notice(ALIAS_TOO_LONG, limit=200)

    if kind == Kind.PERSON:
        if not text["name"]:
            errors["name"] = notice(PERSON_NEEDS_NAME)
        for name in _VEHICLE_ONLY:
            if text[name]:
                errors[name] = notice(VEHICLE_FIELD)
    elif kind == Kind.VEHICLE:
        if not text["plate"] and not text["name"]:
            errors["plate"] = notice(VEHICLE_NEEDS_PLATE)
        for name in _PERSON_ONLY:
            value = getattr(data, name)
            if value:
                errors[name] = notice(PERSON_FIELD)

    sex = _SEX_WORDS.get(text["sex"].lower())
    if sex is None:
        errors["sex"] = notice(SEX_INVALID)
    birth = data.date_of_birth
    id_number: str | None = None
    if text["id_number"] and kind == Kind.PERSON:
        try:
            parsed = parse_id_number(text["id_number"], today=today)
        except InvalidIdNumber as exc:
            errors["id_number"] = exc.notice
        else:
            id_number = parsed.value
            if birth is not None and birth != parsed.birth_date:
                errors["date_of_birth"] = notice(BIRTH_MISMATCH, date=birth.isoformat(),
                                                 expected=parsed.birth_date.isoformat())
            if sex and sex != parsed.sex:
                errors["sex"] = notice(SEX_MISMATCH, sex=notice(SEX_WORD[parsed.sex]))
            birth, sex = parsed.birth_date, Sex(parsed.sex)
    if birth is not None and birth > (today or date.today()):
        errors["date_of_birth"] = notice(BIRTH_FUTURE)

    plate_normalised: str | None = None
    plate_note = ""
    if text["plate"] and kind == Kind.VEHICLE:
        try:
            plate = check_plate(text["plate"])
        except InvalidPlate as exc:
            errors["plate"] = exc.notice
        else:
            plate_normalised, plate_note = plate.normalised, plate.note

    if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
        errors["valid_until"] = notice(UNTIL_BEFORE_FROM)
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
