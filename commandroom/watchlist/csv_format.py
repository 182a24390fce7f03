"""The watch-list CSV layout shared by import and export (so an export imports back)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from commandroom.csvfiles import escape_cell, unescape_cell
from commandroom.notices import NoticeError, define, notice
from commandroom.watchlist.records import EntryInput, EntryView

COLUMNS = (
    "kind", "name", "aliases", "id_number", "sex", "date_of_birth", "plate", "colour",
    "make_model", "category", "risk", "reason", "case_reference", "valid_from",
    "valid_until", "notes", "photo",
)
# Spreadsheets made in the station often carry Chinese headers.
HEADER_ALIASES = {
    "类型": "kind", "姓名": "name", "名称": "name", "别名": "aliases", "曾用名": "aliases",
    "身份证号": "id_number", "身份证号码": "id_number", "性别": "sex", "出生日期": "date_of_birth",
    "车牌": "plate", "车牌号": "plate", "车牌号码": "plate", "颜色": "colour", "车身颜色": "colour",
    "品牌型号": "make_model", "类别": "category", "风险等级": "risk", "事由": "reason",
    "案件编号": "case_reference", "有效期起": "valid_from", "有效期至": "valid_until",
    "备注": "notes", "照片": "photo",
    "color": "colour", "plate_number": "plate", "id": "id_number",
}
LIST_SEPARATORS = re.compile(r"[;；、|]")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")
# Export prefixes a formula-like cell with a quote and import removes it (csvfiles), so
# the file is safe to open in a spreadsheet and still round-trips.
__all__ = ["escape_cell", "unescape_cell"]

NOT_A_DATE = define("watchlist_csv.not_a_date",
                    "{column}: '{text}' is not a date (use YYYY-MM-DD)")


class RowInvalid(NoticeError, ValueError):
    """A CSV cell cannot be read; the notice names the column."""


def canonical_header(cell: str) -> str:
    name = cell.strip().lstrip("\ufeff").strip()
    lowered = name.lower().replace(" ", "_")
    return HEADER_ALIASES.get(name, HEADER_ALIASES.get(lowered, lowered))


def parse_date(column: str, text: str) -> date | None:
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowInvalid(notice(NOT_A_DATE, column=column, text=text))


def split_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in LIST_SEPARATORS.split(text) if part.strip())


def entry_from_cells(cells: Mapping[str, str]) -> tuple[EntryInput, tuple[str, ...]]:
    """An ``EntryInput`` and the photo file names from one row (cells keyed by column)."""
    get = {name: unescape_cell(cells.get(name, "")) for name in COLUMNS}
    kind = get["kind"].lower()
    if not kind:  # a row with only a plate is a vehicle; anything else a person
        kind = "vehicle" if get["plate"] and not get["id_number"] else "person"
    data = EntryInput(
        kind=kind,
        name=get["name"],
        aliases=split_list(get["aliases"]),
        id_number=get["id_number"],
        sex=get["sex"],
        date_of_birth=parse_date("date_of_birth", get["date_of_birth"]),
        plate=get["plate"],
        colour=get["colour"],
        make_model=get["make_model"],
        # Left empty when the cell is: validation fills the default, an update keeps the old.
        category=get["category"].lower(),
        risk=get["risk"].lower(),
        reason=get["reason"],
        case_reference=get["case_reference"],
        valid_from=parse_date("valid_from", get["valid_from"]),
        valid_until=parse_date("valid_until", get["valid_until"]),
        notes=get["notes"],
    )
    return data, split_list(get["photo"])


def cells_from_entry(view: EntryView, photo_names: tuple[str, ...]) -> list[str]:
    def iso(value: date | None) -> str:
        return value.isoformat() if value else ""

    values = {
        "kind": view.kind.value, "name": view.name, "aliases": ";".join(view.aliases),
        "id_number": view.id_number, "sex": view.sex, "date_of_birth": iso(view.date_of_birth),
        "plate": view.plate, "colour": view.colour, "make_model": view.make_model,
        "category": view.category.value, "risk": view.risk.value, "reason": view.reason,
        "case_reference": view.case_reference, "valid_from": iso(view.valid_from),
        "valid_until": iso(view.valid_until), "notes": view.notes,
        "photo": ";".join(photo_names),
    }
    return [escape_cell(values[name]) for name in COLUMNS]
