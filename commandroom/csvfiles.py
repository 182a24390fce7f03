"""CSV files the app reads and writes: accepted encodings, records that never abort the
whole file, and cells that a spreadsheet will not run as formulas.

Reading: UTF-16 is recognised by its byte-order mark; otherwise the whole file is tried as
UTF-8 (with or without BOM), then as GB18030 (what Chinese Excel and WPS save). A file
that is neither is read line by line in the encoding most of its lines fit, and the lines
that do not fit are refused one by one, so one stray Latin-1 byte costs one row, not the
file. A field of any size is read (and the caller refuses a row whose field is too long)
and a record the ``csv`` module cannot parse is reported by its line; the next starts
afresh.

Writing: ``escape_cell`` is the one rule for every CSV the app writes (camera, watch-list
and audit exports): a cell that starts like a formula gets a leading apostrophe.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from commandroom.notices import Notice, define, notice

log = logging.getLogger(__name__)

# Large enough for any field a person would put in a spreadsheet cell; the callers refuse
# rows whose fields are longer than their columns allow, with the column and the length.
_FIELD_LIMIT = 16 * 1024 * 1024
# A cell starting with one of these runs as a formula in Excel/WPS/LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

ACCEPTED = define("csv.accepted_encodings", "UTF-8, UTF-16 (with byte-order mark), GB18030")
ACCEPTED_ENCODINGS = notice(ACCEPTED)  # a notice: "byte-order mark" is words to translate
LINE_NOT_TEXT = define(
    "csv.line_not_text",
    "this line is not {encoding} text (accepted encodings: {accepted})")
HEADER_NOT_TEXT = define(
    "csv.header_not_text",
    "the first line is not text in an accepted encoding ({accepted})")
NOT_CSV = define(
    "csv.not_csv", "this row is not valid CSV (for example a quote that is never closed)")
FIELD_TOO_LONG = define(
    "csv.field_too_long", "the {column} field has {length} characters (at most {limit})")
TOO_MANY_FIELDS = define(
    "csv.too_many_fields", "{cells} cells but {columns} columns")
EMPTY_FILE = define("csv.empty", "the file is empty")


@dataclass(frozen=True)
class DecodedCsv:
    text: str
    encoding: str  # "utf-8-sig", "utf-16", "gb18030"
    bad_lines: frozenset[int] = field(default_factory=frozenset)  # 1-based physical lines

    def line_problem(self, first: int, last: int) -> Notice | None:
        """Why the record on physical lines ``first``..``last`` is refused, if it is."""
        if any(first <= line <= last for line in self.bad_lines):
            return notice(LINE_NOT_TEXT, encoding=_SHOWN[self.encoding],
                          accepted=ACCEPTED_ENCODINGS)
        return None


_SHOWN = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "gb18030": "GB18030"}


def encoding_name(codec: str) -> str:
    """The name people know an encoding by ("UTF-8"), not Python's codec ("utf-8-sig")."""
    return _SHOWN.get(codec, codec.upper())


def decode_csv(raw: bytes) -> DecodedCsv:
    """Text of a CSV file and the encoding it was read in; never raises for bad bytes."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _by_lines(raw, "utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return DecodedCsv(raw.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    utf8, gb = _by_lines(raw, "utf-8-sig"), _by_lines(raw, "gb18030")
    chosen = utf8 if len(utf8.bad_lines) <= len(gb.bad_lines) else gb
    log.warning("csv: %d line(s) not %s text", len(chosen.bad_lines), chosen.encoding)
    return chosen


def _by_lines(raw: bytes, encoding: str) -> DecodedCsv:
    if encoding == "utf-16":
        try:
            return DecodedCsv(raw.decode("utf-16"), encoding)
        except UnicodeDecodeError:
            # An odd byte count or a lone surrogate: keep what decodes, refuse the rest.
            text = raw.decode("utf-16", errors="replace")
            bad = {n for n, line in enumerate(text.split("\n"), 1) if "\ufffd" in line}
            return DecodedCsv(text, encoding, frozenset(bad))
    lines = raw.split(b"\n")
    out: list[str] = []
    bad = set()
    for number, line in enumerate(lines, start=1):
        codec = encoding if number == 1 else encoding.replace("-sig", "")
        try:
            out.append(line.decode(codec))
        except UnicodeDecodeError:
            bad.add(number)
            out.append(line.decode(codec, errors="replace"))
    return DecodedCsv("\n".join(out), encoding, frozenset(bad))


@dataclass(frozen=True)
class Record:
    """One CSV record: its first physical line, and its cells or why it was refused."""

    line: int
    cells: list[str]
    problem: Notice | None = None


def records(decoded: DecodedCsv) -> Iterator[Record]:
    """Every record after parsing; blank records are skipped, broken ones reported."""
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    # strict: a stray quote is an error for that record, not a silently merged field.
    reader = csv.reader(io.StringIO(decoded.text, newline=""), strict=True)
    end_of_previous = 0
    while True:
        first = end_of_previous + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            log.info("csv: record at line %d unreadable: %s", first, exc)
            end_of_previous = reader.line_num
            yield Record(first, [], notice(NOT_CSV))
            continue
        end_of_previous = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, e.g. at the end of a spreadsheet export
        yield Record(first, cells, decoded.line_problem(first, end_of_previous))


def too_long(column: str, value: str, limit: int) -> Notice | None:
    if len(value) <= limit:
        return None
    return notice(FIELD_TOO_LONG, column=column, length=len(value), limit=limit)


def escape_cell(value: object) -> str:
    """The text to write for ``value``: a leading apostrophe when it starts like a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape_cell(cell: str) -> str:
    """Undo ``escape_cell`` on import (and trim), so an export imports back unchanged."""
    text = cell.strip()
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def write_rows(rows: Iterator[list[object]] | list[list[object]]) -> str:
    """CSV text with every cell escaped (``\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([escape_cell(cell) for cell in row])
    return out.getvalue()
